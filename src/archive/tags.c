/* Tag rules: addresses of tag pages, media, wrangling permissions and form input. */
#include "archive/tags.h"
#include "archive/roles.h"
#include "archive/tx.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "html/escape.h"
#include <string.h>
#include <strings.h>

const char *const archive_media[] = {
	"Anime & Manga", "Books & Literature", "Cartoons & Comics & Graphic Novels", "Celebrities & Real People",
	"Movies", "Music & Bands", "Other Media", "Theater", "TV Shows", "Video Games", NULL,
};

const char *archive_media_value(const char *name)
{
	if (!name)
		return NULL;
	if (!*name || !strcmp(name, ARCHIVE_MEDIA_UNCATEGORIZED))
		return "";
	for (size_t i = 0; archive_media[i]; i++)
		if (!strcmp(archive_media[i], name))
			return archive_media[i];
	return NULL;
}

static const struct {
	char c;
	const char *code;
} url_codes[] = {{'/', "*s*"}, {'&', "*a*"}, {'.', "*d*"}, {'?', "*q*"}, {'#', "*h*"}};

char *archive_tag_url(struct arena *a, const char *name)
{
	struct buf b = BUF_INIT;
	for (const char *p = name ? name : ""; *p; p++) {
		const char *code = NULL;
		for (size_t i = 0; i < sizeof url_codes / sizeof url_codes[0]; i++)
			if (*p == url_codes[i].c)
				code = url_codes[i].code;
		if (code)
			buf_puts(&b, code);
		else
			buf_putc(&b, *p);
	}
	struct buf out = BUF_INIT;
	buf_puts(&out, "/tags/");
	esc_url(&out, buf_cstr(&b), b.len);
	char *s = arena_strndup(a, buf_cstr(&out), out.len);
	buf_free(&b);
	buf_free(&out);
	return s;
}

char *archive_tag_url_name(struct arena *a, const char *segment)
{
	struct buf b = BUF_INIT;
	for (const char *p = segment ? segment : ""; *p;) {
		bool done = false;
		for (size_t i = 0; i < sizeof url_codes / sizeof url_codes[0] && !done; i++) {
			if (!strncmp(p, url_codes[i].code, 3)) {
				buf_putc(&b, url_codes[i].c);
				p += 3;
				done = true;
			}
		}
		if (!done)
			buf_putc(&b, *p++);
	}
	char *s = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

bool archive_tag_listed(const struct tag *t, const struct user *viewer)
{
	return t->type <= TAG_CATEGORY || t->merger_id || (viewer ? t->works_count : t->public_count) > 0;
}

bool archive_tag_seen(struct store *st, const struct tag *t, const struct user *viewer)
{
	if (t->type <= TAG_CATEGORY || (viewer ? t->works_count : t->public_count) > 0)
		return true;
	/* A synonym's works are counted under its canonical tag: look for one of its own. */
	bool used = false;
	return t->merger_id && store_tag_in_use(st, t->id, viewer != NULL, &used) == 0 && used;
}

bool archive_can_wrangle(const struct user *u)
{
	return archive_may(u, POWER_WRANGLE);
}

/* Comma-separated names, trimmed, blanks dropped; NULL in, NULL out. */
static struct strlist *split_names(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	struct strlist *l = arena_calloc(a, 1, sizeof *l);
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ',';
	l->items = arena_calloc(a, cap, sizeof *l->items);
	const char *p = s;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *b = p, *e = p + n;
		while (b < e && (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
			e--;
		if (e > b)
			l->items[l->n++] = arena_strndup(a, b, (size_t)(e - b));
		p = end ? end + 1 : p + n;
	}
	return l;
}

static const char *trimmed(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return arena_strndup(a, s, n);
}

int archive_tag_wrangle(struct store *st, struct arena *a, const struct user *u, const struct tag *t,
                        const struct tag_wrangle_input *in, const char **why)
{
	*why = NULL;
	if (!archive_can_wrangle(u))
		return Q_EPERM;
	return archive_tag_apply(st, a, t, in, why);
}

int archive_tag_find(struct store *st, struct arena *a, enum tag_type type, const char *name, struct tag *out)
{
	struct tag *list = NULL;
	size_t n = 0;
	int rc = store_tag_find(st, a, name, &list, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (list[i].type == type) {
			*out = list[i];
			return 0;
		}
	return rc ? rc : Q_ENOTFOUND;
}

int archive_tag_apply(struct store *st, struct arena *a, const struct tag *t, const struct tag_wrangle_input *in,
                      const char **why)
{
	*why = NULL;
	const char *fields[] = {in->canonical, in->synonym_of, in->fandoms, in->metas, in->media};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (fields[i] && (!utf8_valid(fields[i], strlen(fields[i])) || strlen(fields[i]) > 8000)) {
			*why = "A field holds invalid text or is far too long; nothing was changed.";
			return Q_EINVAL;
		}
	}
	struct tag_wrangle req = {.tag_id = t->id, .canonical = -1};
	if (t->type <= TAG_CATEGORY) {
		*why = "Ratings, warnings and categories are the archive's fixed tags; they are not wrangled.";
		return Q_EINVAL;
	}
	req.synonym_of = trimmed(a, in->synonym_of);
	if (in->canonical)
		req.canonical = !strcmp(in->canonical, "1") || !strcmp(in->canonical, "on") ||
		                !strcmp(in->canonical, "true");
	/* Becoming a synonym wins over a canonical box left ticked in the same form. */
	if (req.synonym_of && *req.synonym_of)
		req.canonical = -1;
	req.fandoms = split_names(a, in->fandoms);
	req.metas = split_names(a, in->metas);
	if ((req.fandoms && req.fandoms->n > ARCHIVE_WRANGLE_LIST_MAX) ||
	    (req.metas && req.metas->n > ARCHIVE_WRANGLE_LIST_MAX)) {
		*why = arena_printf(a, "Give at most %d fandoms and %d meta tags.", ARCHIVE_WRANGLE_LIST_MAX,
		                    ARCHIVE_WRANGLE_LIST_MAX);
		return Q_EINVAL;
	}
	if (t->type == TAG_FANDOM) {
		req.fandoms = NULL; /* fandoms have no fandom */
		if (in->media) {
			req.media = archive_media_value(trimmed(a, in->media));
			if (!req.media) {
				*why = arena_printf(a, "\"%s\" is not one of the archive's media.", in->media);
				return Q_EINVAL;
			}
		}
	}
	/* One workflow transaction: a refusal found inside the store (a cycle, a synonym of a synonym) leaves
	 * nothing behind. */
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	rc = store_tag_wrangle(st, a, &req, why);
	return archive_tx_end(st, rc);
}
