/* What documents say about themselves: language codes to names, dates. */
#include "import/import_int.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

const char *import_language_name(struct arena *a, const char *code)
{
	/* As AO3 names languages: each in its own words. */
	static const struct {
		const char *code, *name;
	} known[] = {
		{"en", "English"}, {"es", "Español"}, {"fr", "Français"}, {"de", "Deutsch"}, {"it", "Italiano"},
		{"pt", "Português"}, {"nl", "Nederlands"}, {"pl", "Polski"}, {"ru", "Русский"}, {"uk", "Українська"},
		{"zh", "中文"}, {"ja", "日本語"}, {"ko", "한국어"}, {"sv", "Svenska"}, {"fi", "Suomi"}, {"da", "Dansk"},
		{"no", "Norsk"}, {"nb", "Norsk"}, {"cs", "Čeština"}, {"hu", "Magyar"}, {"tr", "Türkçe"}, {"el", "Ελληνικά"},
		{"he", "עברית"}, {"ar", "العربية"}, {"id", "Bahasa Indonesia"}, {"vi", "Tiếng Việt"}, {"th", "ไทย"},
		{"ca", "Català"}, {"la", "Latina"},
	};
	if (!code || !*code)
		return "";
	size_t n = strcspn(code, "-_");
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i].code) == n && !strncasecmp(code, known[i].code, n))
			return known[i].name;
	return arena_strdup(a, code);
}

int64_t import_parse_date(const char *s)
{
	int y, m, d;
	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	int hh = 0, mm = 0, ss = 0;
	if (strnlen(s, 11) > 10 && (s[10] == 'T' || s[10] == ' ') && sscanf(s + 11, "%2d:%2d:%2d", &hh, &mm, &ss) >= 2 && hh < 24 && mm < 60 &&
	    ss < 61) {
		tm.tm_hour = hh;
		tm.tm_min = mm;
		tm.tm_sec = ss;
	}
	time_t t = timegm(&tm);
	return t > 0 ? (int64_t)t : 0;
}
