/* Related works: rules, resolution, approval. */
#include "archive/related.h"
#include "archive/collections.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/utf8.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const keys[RELATION_KINDS] = {"inspired", "translation", "podfic"};
static const char *const labels[RELATION_KINDS] = {"Inspired by", "A translation of", "A podfic of"};
static const char *const back_labels[RELATION_KINDS] = {"Works inspired by this one", "Translations of this work",
                                                         "Podfics of this work"};

const char *relation_kind_key(int kind)
{
	return kind >= 0 && kind < RELATION_KINDS ? keys[kind] : "";
}

const char *relation_kind_label(int kind)
{
	return kind >= 0 && kind < RELATION_KINDS ? labels[kind] : "";
}

const char *relation_kind_back_label(int kind)
{
	return kind >= 0 && kind < RELATION_KINDS ? back_labels[kind] : "";
}

/* The id of a work on this site named by url ("/works/ID...", or site + that); 0 when it names none. */
static int64_t local_work(const char *url, const char *site)
{
	size_t sl = site ? strlen(site) : 0;
	if (sl && !strncasecmp(url, site, sl) && url[sl] == '/')
		url += sl;
	if (strncmp(url, "/works/", 7) != 0)
		return 0;
	char *end;
	long long id = strtoll(url + 7, &end, 10);
	if (end == url + 7 || id <= 0 || (*end && *end != '/' && *end != '?' && *end != '#'))
		return 0;
	return (int64_t)id;
}

/* An address elsewhere: http(s), a host, nothing that is not printable ASCII. */
static bool url_ok(const char *url)
{
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return false;
	const char *host = strstr(url, "//") + 2;
	if (!*host || *host == '/')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '"' || *p == '<' || *p == '>')
			return false;
	return true;
}

int archive_relations_resolve(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                              const char *site, const struct relation_input *in, size_t n,
                              struct work_relation **out, size_t *nout, struct field_errors *e)
{
	*out = arena_calloc(a, n + 1, sizeof **out);
	*nout = 0;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		const struct relation_input *ri = &in[i];
		const char *field = arena_printf(a, "related_%zu", i + 1);
		const char *url = ri->url ? archive_trim(a, ri->url) : "";
		const char *title = ri->title ? archive_clean_line(a, ri->title) : "";
		const char *author = ri->author ? archive_clean_line(a, ri->author) : "";
		if (!ri->work_id && !*url && !*title && !*author)
			continue; /* a blank row */
		if (++kept > RELATIONS_PER_WORK_MAX) {
			field_error(e, "related", arena_printf(a, "At most %d related works, please.", RELATIONS_PER_WORK_MAX));
			return 0;
		}
		struct work_relation r = {.kind = -1};
		const char *k = ri->kind && *ri->kind ? ri->kind : "inspired";
		for (int x = 0; x < RELATION_KINDS; x++)
			if (!strcmp(k, keys[x]))
				r.kind = x;
		if (r.kind < 0) {
			field_error(e, field, "A related work is inspired, a translation or a podfic.");
			continue;
		}
		if (!utf8_valid(url, strlen(url)) || !utf8_valid(title, strlen(title)) || !utf8_valid(author, strlen(author))) {
			field_error(e, field, "The related work contains invalid UTF-8.");
			continue;
		}
		int64_t parent = ri->work_id > 0 ? ri->work_id : ri->work_id < 0 ? -1 : local_work(url, site);
		if (parent) {
			struct work p;
			int rc = parent > 0 ? archive_work_load(st, a, u, parent, false, &p) : Q_ENOTFOUND;
			if (rc == Q_ENOTFOUND) {
				field_error(e, field, "There is no work at that address here.");
				continue;
			}
			if (rc)
				return rc;
			if (parent == work_id) {
				field_error(e, field, "A work cannot be related to itself.");
				continue;
			}
			bool twice = false;
			for (size_t j = 0; j < *nout; j++)
				twice |= (*out)[j].parent_id == parent;
			if (twice)
				continue;
			r.parent_id = parent;
		} else {
			if (strlen(url) > RELATION_URL_MAX || !url_ok(url)) {
				field_error(e, field, "Give the related work's address, starting with https:// (or a work here).");
				continue;
			}
			if (!*title) {
				field_error(e, field, "Give the title of the related work elsewhere.");
				continue;
			}
			if (utf8_length(title, strlen(title)) > RELATION_TITLE_MAX ||
			    utf8_length(author, strlen(author)) > RELATION_AUTHOR_MAX) {
				field_error(e, field, arena_printf(a, "A related work's title is at most %d characters, its author "
				                                      "at most %d.", RELATION_TITLE_MAX, RELATION_AUTHOR_MAX));
				continue;
			}
			r.url = url;
			r.title = title;
			r.author = author;
		}
		(*out)[(*nout)++] = r;
	}
	return 0;
}

const char *archive_relation_other(const struct work_relation *r, const char **creator)
{
	*creator = NULL;
	if (!r->parent_id) {
		*creator = r->author && *r->author ? r->author : NULL; /* elsewhere */
		return r->title;
	}
	if (!r->other_listed || !r->other_title)
		return NULL;
	if (r->other_restricted)
		return "A work for members only";
	*creator = r->other_anonymous ? ANONYMOUS_NAME : r->other_creator;
	return r->other_title;
}

int archive_relation_approve(struct store *st, struct arena *a, const struct user *u, int64_t parent_id, int64_t id,
                             bool approved)
{
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct work p;
	rc = archive_work_load(st, a, u, parent_id, true, &p);
	if (rc == 0)
		rc = store_relation_approve(st, id, parent_id, approved);
	return archive_tx_end(st, rc);
}
