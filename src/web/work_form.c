/* Reading the work and chapter forms into the archive layer's input structs. */
#include "web/work_form.h"
#include "archive/text.h"
#include "core/err.h"
#include "web/work_view.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char *work_form_action(struct web_req *w)
{
	const char *a = web_form(w, "action");
	/* The writer's check: "Check", and its Dismiss and Add-to-names buttons (outside the form, form=),
	 * show the preview again: nothing is posted. */
	if (!strcmp(a, "check") || *web_form(w, "check_dismiss") || *web_form(w, "check_name") ||
	    *web_form(w, "check_variant_set"))
		return "preview";
	if (!strcmp(a, "preview") || !strcmp(a, "draft"))
		return a;
	return "post";
}

const char *work_form_raw(struct web_req *w, const char *key)
{
	const char *v = kv_get(&w->req->form, key);
	return v ? v : "";
}

void work_form_chapter(struct web_req *w, struct chapter_input *in)
{
	in->title = web_form(w, "chapter_title");
	in->summary = work_form_raw(w, "chapter_summary");
	in->notes = work_form_raw(w, "chapter_notes");
	in->end_notes = work_form_raw(w, "chapter_end_notes");
	in->content = work_form_raw(w, "chapter_content");
	in->format = web_form(w, "chapter_format");
}

void work_form_list(struct web_req *w, const char *key, struct strlist *out)
{
	/* The raw value: splitting trims each item, and copying a huge field to trim it first is waste. */
	archive_split_list(w->arena, kv_get(&w->req->form, key), ARCHIVE_LIST_MAX + 1, out);
}

int work_form_count(const char *s)
{
	if (!*s)
		return 0;
	size_t n = strlen(s);
	if (strspn(s, "0123456789") != n)
		return -1;
	if (n > 9)
		return INT_MAX; /* a number, just far too large: the rules say so */
	int v = atoi(s);
	return v > 0 ? v : -1;
}

void work_form_failed(struct web_req *w, int rc, const char *what)
{
	if (rc == Q_ENOTFOUND)
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
	else if (rc == Q_EPERM)
		web_error(w, 403, "Only the work's creators can change it. You are not one of them.");
	else if (rc == Q_EBUSY)
		web_error(w, 503, "The archive is busy. Please try again in a few seconds; nothing was saved.");
	else if (rc == Q_EUNAVAIL)
		web_error(w, 503, web_unavailable(w, rc));
	else
		web_error(w, 500, arena_printf(w->arena, "%s could not be saved. Please go back and try again.", what));
}
