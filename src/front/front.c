/* What both front ends share (front.h): the application's address, JSON answers, path ids, and what a page
 * records for the page cache. */
#include "front/front.h"
#include "core/buf.h"
#include "core/err.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

void web_set_port(struct web *app, unsigned port)
{
	atomic_store(&app->bound_port, port);
}

const char *web_base_url(const struct web *app, char *buf, size_t len)
{
	struct config c = *app->cfg;
	unsigned port = atomic_load(&app->bound_port);
	if (port)
		c.listen_port = port;
	return config_base_url(&c, buf, len);
}

void web_json(struct web_req *w, int status, json_t *value)
{
	char *s = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(value);
	buf_reset(&w->resp->body);
	if (s) {
		buf_puts(&w->resp->body, s);
		buf_putc(&w->resp->body, '\n');
		free(s);
	}
	w->resp->status = status;
	w->resp->content_type = "application/json; charset=utf-8";
}

void web_json_error(struct web_req *w, int status, const char *code, const char *message, json_t *fields)
{
	json_t *e = json_object();
	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "message", json_string(message));
	if (fields)
		json_object_set_new(e, "fields", fields);
	json_t *root = json_object();
	json_object_set_new(root, "error", e);
	web_json(w, status, root);
}

int64_t web_path_id(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0)
		return 0;
	const char *p = path + n;
	int64_t id = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (id > (INT64_MAX - 9) / 10)
			return 0;
		id = id * 10 + (*p - '0');
	}
	if (rest)
		*rest = p;
	return id;
}

void web_cache_depends(struct web_req *w, enum page_dep_kind kind, int64_t id)
{
	for (size_t i = 0; i < w->ndeps; i++)
		if (w->deps[i].kind == kind && w->deps[i].id == id)
			return;
	if (w->ndeps == WEB_DEPS_MAX) {
		w->deps[0] = (struct page_dep){PAGE_DEP_ANY, 0}; /* too many to list: any change drops it */
		return;
	}
	w->deps[w->ndeps++] = (struct page_dep){kind, id};
}

void web_cache_shows_counts(struct web_req *w, int64_t work_id)
{
	page_counts_add(&w->counts, work_id);
}

void web_cache_immutable(struct web_req *w)
{
	w->cache_immutable = true;
}

const char *web_unavailable(struct web_req *w, int rc)
{
	enum store_health h = store_health(w->app->store, NULL, NULL);
	if (h == STORE_HEALTHY && rc != Q_EUNAVAIL)
		return NULL;
	http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", STORE_RETRY_AFTER));
	if (h == STORE_DOWN)
		return "The archive's database is not answering right now, so this page cannot be shown or saved. "
		       "Please try again in a moment: it comes back by itself.";
	return "The archive is read-only for now: reading works, but nothing can be saved at the moment. "
	       "Please try again in a little while.";
}
