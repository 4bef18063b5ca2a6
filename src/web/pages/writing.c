/* The writer's check's buttons for scripts: POST /writing/words remembers an accepted name, a dismissed
 * suggestion or a picked dictionary for one work or all the writer's works (the same as the check buttons of
 * the work and chapter forms, which need no script). Answers JSON; a plain form is sent back to "return". */
#include "web/pages/pages.h"
#include "archive/writing.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

void page_writing_word(struct web_req *w)
{
	const char *kind_s = web_form(w, "kind"), *word = web_form(w, "word"), *work_s = web_form(w, "work_id");
	int kind = !strcmp(kind_s, "name") ? WRITING_WORD_NAME : !strcmp(kind_s, "dismiss") ? WRITING_WORD_DISMISSED
	           : !strcmp(kind_s, "variant")                                               ? WRITING_WORD_VARIANT
	                                                                                      : 0;
	char *end = NULL;
	long long work_id = *work_s ? strtoll(work_s, &end, 10) : 0;
	bool on = strcmp(web_form(w, "on"), "0") != 0, all = *web_form(w, "all") != 0;
	struct field_errors e = {0};
	int rc = (*work_s && (*end || work_id <= 0)) ? Q_ENOTFOUND : kind ? 0 : Q_EINVAL;
	if (rc == Q_EINVAL)
		field_error(&e, "kind", "kind is one of name, dismiss, variant.");
	if (rc == 0)
		rc = archive_writing_word(w->app->store, w->arena, w->user, work_id, all, kind, word, on, &e);
	const char *ret = web_form(w, "return");
	bool back = !w->wants_json && ret[0] == '/' && ret[1] != '/' && ret[1] != '\\';
	if (rc == 0) {
		if (back)
			web_redirect(w, ret);
		else
			web_json(w, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	int status = rc == Q_EINVAL ? 422 : rc == Q_ENOTFOUND ? 404 : rc == Q_EPERM ? 403 : rc == Q_ETOOBIG ? 413 : 500;
	const char *msg = rc == Q_EINVAL && e.n   ? e.items[0].message
	                  : rc == Q_ENOTFOUND     ? "No such work, or you are not allowed to see it."
	                  : rc == Q_EPERM         ? "Only the work's creators may change its check."
	                  : rc == Q_ETOOBIG       ? "You have remembered 2,000 words already; forget some first."
	                                          : "The word could not be saved. Please try again in a moment.";
	if (w->wants_json)
		web_json_error(w, status, status == 422 ? "invalid" : "refused", msg, NULL);
	else
		web_error(w, status, msg);
}
