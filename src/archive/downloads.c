/* Downloads: file names, addresses and formats of a work's downloads, and language codes for their metadata. */
#include "archive/downloads.h"
#include "html/escape.h"
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *ext, *type;
} formats[DOWNLOAD_FORMATS] = {
	[DOWNLOAD_EPUB] = {"epub", "application/epub+zip"},
	[DOWNLOAD_HTML] = {"html", "text/html; charset=utf-8"},
};

const char *download_extension(enum download_format f)
{
	return formats[f].ext;
}

const char *download_media_type(enum download_format f)
{
	return formats[f].type;
}

int download_format_of(const char *file)
{
	const char *dot = file ? strrchr(file, '.') : NULL;
	for (int f = 0; dot && f < DOWNLOAD_FORMATS; f++)
		if (!strcmp(dot + 1, formats[f].ext))
			return f;
	return -1;
}

const char *download_file_name(struct arena *a, int64_t work_id, const char *title, enum download_format f)
{
	enum { NAME_MAX_BYTES = 60 };
	char name[NAME_MAX_BYTES + 8];
	size_t n = 0;
	const unsigned char *s = (const unsigned char *)(title ? title : "");
	bool gap = false;
	while (*s) {
		/* A UTF-8 sequence is one character: letters of any script stay (the name is percent-encoded in
		 * URLs and given as filename* in Content-Disposition). */
		size_t len = *s < 0x80 ? 1 : (*s >> 5) == 6 ? 2 : (*s >> 4) == 14 ? 3 : (*s >> 3) == 30 ? 4 : 1;
		bool word = len > 1 || (*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'z');
		for (size_t i = 1; i < len; i++)
			if ((s[i] & 0xC0) != 0x80)
				len = 1, word = false;
		if (!word) {
			gap = n > 0;
			s++;
			continue;
		}
		if (n + (gap ? 1 : 0) + len > NAME_MAX_BYTES)
			break;
		if (gap)
			name[n++] = '_';
		gap = false;
		memcpy(name + n, s, len);
		n += len;
		s += len;
	}
	if (n == 0)
		return arena_printf(a, "work_%lld.%s", (long long)work_id, formats[f].ext);
	return arena_printf(a, "%.*s.%s", (int)n, name, formats[f].ext);
}

const char *download_url(struct arena *a, int64_t work_id, const char *title, enum download_format f)
{
	return arena_printf(a, "/downloads/%lld/%s", (long long)work_id,
	                    esc_url_a(a, download_file_name(a, work_id, title, f)));
}

const char *download_language_code(const char *language)
{
	static const struct {
		const char *name, *code;
	} known[] = {
		{"English", "en"}, {"Español", "es"}, {"Spanish", "es"}, {"Français", "fr"}, {"French", "fr"},
		{"Deutsch", "de"}, {"German", "de"}, {"Italiano", "it"}, {"Italian", "it"}, {"Português", "pt"},
		{"Portuguese", "pt"}, {"Nederlands", "nl"}, {"Dutch", "nl"}, {"Polski", "pl"}, {"Polish", "pl"},
		{"Русский", "ru"}, {"Russian", "ru"}, {"Українська", "uk"}, {"Ukrainian", "uk"}, {"中文", "zh"},
		{"Chinese", "zh"}, {"日本語", "ja"}, {"Japanese", "ja"}, {"한국어", "ko"}, {"Korean", "ko"},
		{"Svenska", "sv"}, {"Swedish", "sv"}, {"Suomi", "fi"}, {"Finnish", "fi"}, {"Dansk", "da"},
		{"Danish", "da"}, {"Norsk", "no"}, {"Norwegian", "no"}, {"Čeština", "cs"}, {"Czech", "cs"},
		{"Magyar", "hu"}, {"Hungarian", "hu"}, {"Türkçe", "tr"}, {"Turkish", "tr"}, {"Ελληνικά", "el"},
		{"Greek", "el"}, {"עברית", "he"}, {"Hebrew", "he"}, {"العربية", "ar"}, {"Arabic", "ar"},
		{"Bahasa Indonesia", "id"}, {"Indonesian", "id"}, {"Tiếng Việt", "vi"}, {"Vietnamese", "vi"},
		{"ไทย", "th"}, {"Thai", "th"}, {"Català", "ca"}, {"Catalan", "ca"}, {"Latina", "la"}, {"Latin", "la"},
	};
	for (size_t i = 0; language && i < sizeof known / sizeof known[0]; i++)
		if (!strcasecmp(language, known[i].name))
			return known[i].code;
	return "und";
}
