/* Internal to the API handlers: request bodies, loading a work with its permission check, JSON answers. */
#ifndef QUIRE_API_API_INT_H
#define QUIRE_API_API_INT_H
#include <jansson.h>
#include <stdbool.h>
#include "archive/errors.h"
#include "front/front.h"

/* True when api_authenticate already answered (a bad token): the handler must not answer again. The
 * dispatcher runs handlers of routes open to guests even then, so those handlers ask first. */
bool api_auth_failed(const struct web_req *w);

/* Answers are web_json and web_json_error (web/web.h), shared with the pages' JSON answers. */
/* Path parameter index as a positive id; 0 when it is not one. */
int64_t api_param_id(struct web_req *w, int index);

/* The request body as a JSON object (a new reference), or NULL after answering 415 (not
 * application/json) or 400 bad_json (empty, nested or long beyond the limits of api/json_scan.h,
 * malformed, duplicate keys, not an object). */
json_t *api_body(struct web_req *w);

/* Loads the work whose id is path parameter 0 into out (w->arena), as archive_work_load does, and answers
 * 404 (missing, or hidden from the caller: the same answer, so hidden works cannot be probed), 403
 * (visible but not the caller's, with for_edit) or 500 itself, returning non-zero. */
int api_load_work(struct web_req *w, bool for_edit, struct work *out);

/* The answer for a failed archive workflow: Q_EINVAL 422 invalid with the field errors, Q_ENOTFOUND 404,
 * Q_EPERM 403, and the store's failures (see api_store_error). */
void api_fail(struct web_req *w, int rc, const struct field_errors *e);
/* False (after answering 403 email_unconfirmed) when the site asks for a confirmed e-mail address before
 * posting and the user has none. */
bool api_may_post(struct web_req *w);
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
