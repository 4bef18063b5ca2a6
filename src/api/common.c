/* Shared by the API handlers: JSON answers, bodies, permission-checked loads, errors with stable codes. */
#include "api/api_int.h"
#include "api/json_scan.h"
#include "api/json_work.h"
#include "archive/work.h"
#include "archive/account_mail.h"
#include "core/err.h"
#include "core/log.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool api_auth_failed(const struct web_req *w)
{
	/* Handlers start from the default 200: anything else was written by api_authenticate. */
	return w->resp->status != 200;
}

int64_t api_param_id(struct web_req *w, int index)
{
	const char *s = w->params[index];
	if (!s || !*s || strlen(s) > 18 || s[0] == '0')
		return 0;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return strtoll(s, NULL, 10);
}

static bool is_json_type(const char *ct)
{
	if (!ct)
		return false;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	size_t n = strcspn(ct, ";");
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return n == strlen("application/json") && strncasecmp(ct, "application/json", n) == 0;
}

void api_bad_json(struct web_req *w, const char *message)
{
	web_json_error(w, 400, "bad_json", message, NULL);
}

json_t *api_body(struct web_req *w)
{
	if (!is_json_type(http_header_get(w->req, "Content-Type"))) {
		web_json_error(w, 415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.",
		          NULL);
		return NULL;
	}
	if (w->req->body_len == 0) {
		api_bad_json(w, "The body is empty; send a JSON object.");
		return NULL;
	}
	/* The shape first, in one pass: the parser's memory then stays proportional to what we accept. */
	const char *shape = api_json_scan(w->req->body, w->req->body_len);
	if (shape) {
		api_bad_json(w, shape);
		return NULL;
	}
	json_error_t err;
	/* Duplicate keys are refused: which one wins would be a guess. */
	json_t *v = json_loadb(w->req->body, w->req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!v) {
		api_bad_json(w, arena_printf(w->arena, "The body is not valid JSON: %s (line %d, column %d).", err.text,
		                             err.line, err.column));
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		api_bad_json(w, "The body must be a JSON object.");
		return NULL;
	}
	return v;
}

static void not_found(struct web_req *w)
{
	web_json_error(w, 404, "not_found", "No such work or chapter, or you are not allowed to see it.", NULL);
}

static void forbidden(struct web_req *w)
{
	web_json_error(w, 403, "forbidden", "Only the work's creators may change it.", NULL);
}

int api_load_work(struct web_req *w, bool for_edit, struct work *out)
{
	int rc = archive_work_load(w->app->store, w->arena, w->user, api_param_id(w, 0), for_edit, out);
	if (rc != 0)
		api_fail(w, rc, NULL);
	return rc;
}

void api_fail(struct web_req *w, int rc, const struct field_errors *e)
{
	if (rc == Q_EINVAL && e && e->n)
		api_invalid(w, e);
	else if (rc == Q_ENOTFOUND)
		not_found(w);
	else if (rc == Q_EPERM)
		forbidden(w);
	else
		api_store_error(w, rc);
}

bool api_may_post(struct web_req *w)
{
	if (account_mail_may_post(w->app->store, w->arena, w->app->cfg->require_email_confirmation, w->user))
		return true;
	web_json_error(w, 403, "email_unconfirmed",
	          "This archive asks you to confirm your e-mail address before you post.", NULL);
	return false;
}

void api_invalid(struct web_req *w, const struct field_errors *e)
{
	web_json_error(w, 422, "invalid", "Some fields need fixing; see \"fields\".", api_field_errors_json(e));
}

void api_store_error(struct web_req *w, int rc)
{
	switch (rc) {
	case Q_ENOTFOUND:
		not_found(w);
		break;
	case Q_EINVAL:
		web_json_error(w, 422, "invalid", "The archive refused this change.", NULL);
		break;
	case Q_ETOOBIG:
		web_json_error(w, 413, "too_large", "That is over a limit of this archive.", NULL);
		break;
	case Q_EBUSY:
		http_response_header(w->resp, w->arena, "Retry-After", "5");
		web_json_error(w, 503, "unavailable", "The archive is busy; try again in a few seconds.", NULL);
		break;
	case Q_EUNAVAIL:
		web_json_error(w, 503, "unavailable", web_unavailable(w, rc), NULL);
		break;
	default:
		if (store_health(w->app->store, NULL, NULL) != STORE_HEALTHY) {
			web_json_error(w, 503, "unavailable", web_unavailable(w, rc), NULL);
			break;
		}
		log_error("api: %s %s: store error %d (%s)", w->req->method, w->req->path, rc, err_str(rc));
		web_json_error(w, 500, "internal", "Something went wrong on our side.", NULL);
		break;
	}
}

void api_no_content(struct web_req *w)
{
	buf_reset(&w->resp->body);
	w->resp->status = 204;
	w->resp->content_type = "application/json; charset=utf-8";
}

void api_location(struct web_req *w, const char *path)
{
	http_response_header(w->resp, w->arena, "Location", path);
}
