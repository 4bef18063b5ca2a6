/* Internal to the API handlers: request bodies, loading a work with its permission check, error answers. */
#ifndef QUIRE_API_API_INT_H
#define QUIRE_API_API_INT_H
#include <jansson.h>
#include <stdbool.h>
#include "web/web.h"
#include "web/work_rules.h"

/* True when api_authenticate already answered (a bad token): the handler must not answer again. The
 * dispatcher runs handlers of routes open to guests even then, so those handlers ask first. */
bool api_auth_failed(const struct web_req *w);

/* The request body as a JSON object (a new reference), or NULL after answering 415 (not
 * application/json) or 400 bad_json (empty, malformed, duplicate keys, not an object). */
json_t *api_body(struct web_req *w);

enum api_need {
	API_VIEW, /* read: drafts for creators, restricted works for logged-in readers */
	API_EDIT, /* change or delete: creators only */
};
/* Loads the work whose id is path parameter 0 into out (w->arena) and checks the caller's rights. Answers
 * 404 (missing, or hidden from the caller: the same answer, so hidden works cannot be probed), or 403
 * (visible but not the caller's), or 500 itself and returns non-zero. */
int api_load_work(struct web_req *w, enum api_need need, struct work *out);

/* 422 invalid with {"fields": ...}. */
void api_invalid(struct web_req *w, const struct field_errors *e);
/* 400 bad_json with message. */
void api_bad_json(struct web_req *w, const char *message);
/* Answers for a failed store call (Q_ENOTFOUND 404, Q_EINVAL 422, Q_ETOOBIG 413, Q_EBUSY 503, else 500). */
void api_store_error(struct web_req *w, int rc);
/* 204 No Content. */
void api_no_content(struct web_req *w);
/* Sets Location to a path (arena copy). */
void api_location(struct web_req *w, const char *path);
#endif
