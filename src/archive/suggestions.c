/* Readers' suggestions on a passage: the setting, who may suggest, validation and limits, the writer's
 * accept (through the chapter's edit workflow), dismiss and reply, and finding a passage again by its text. */
#include "archive/suggestions.h"
#include "archive/blocks.h"
#include "archive/chapter.h"
#include "archive/work.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/utf8.h"
#include "html/format.h"
#include <string.h>
#include <time.h>

const char *archive_suggestion_state_name(int state)
{
	return state == SUGGESTION_ACCEPTED ? "accepted" : state == SUGGESTION_DISMISSED ? "dismissed" : "open";
}

bool archive_suggestions_enabled(struct store *st, int64_t work_id)
{
	bool on = false;
	return store_suggestions_enabled(st, work_id, &on) == 0 && on;
}

const char *archive_suggestion_refusal(struct store *st, const struct user *u, const struct work *w, int *rc)
{
	*rc = 0;
	if (!u)
		return "Log in to suggest a change.";
	if (work_is_creator(w, u))
		return "This is your own work: edit the chapter to change it.";
	if (w->draft)
		return "Suggestions open once the work is posted.";
	if (w->hidden || w->removed) /* moderators see it; nobody suggests on it meanwhile */
		return "This work is hidden by the site's moderators.";
	if (!archive_suggestions_enabled(st, w->id))
		return "The creator does not take suggestions on this work.";
	return archive_block_refusal(st, u, w->id, 0, rc);
}

/* Encoding, length in characters, required-ness; an error on field. */
static bool text_ok(struct field_errors *e, const char *field, const char *label, const char *s, size_t max,
                    bool required)
{
	size_t n = s ? strlen(s) : 0;
	if (n && !utf8_valid(s, n)) {
		field_error(e, field, "This text is not valid UTF-8.");
		return false;
	}
	if (required && (!n || utf8_is_blank(s, n))) {
		field_error(e, field, required ? "Select or paste the passage your suggestion is about." : label);
		return false;
	}
	if (n && utf8_length(s, n) > max) {
		field_error(e, field, max == SUGGESTION_QUOTE_MAX ? "The passage is over 1,000 characters: select less."
		                                                   : "This is over 2,000 characters.");
		return false;
	}
	return true;
}

/* The plain text of a chapter (one line per block), as readers select it. */
static const char *chapter_text(struct arena *a, const struct chapter *c)
{
	struct buf b = BUF_INIT;
	if (c->content_html)
		html_text(c->content_html, strlen(c->content_html), &b);
	const char *s = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* Trailing part of s of at most max characters (UTF-8 safe). */
static const char *tail(struct arena *a, const char *s, size_t max)
{
	if (!s)
		return "";
	size_t n = strlen(s), start = n, chars = 0;
	while (start > 0 && chars < max) {
		start--;
		if (((unsigned char)s[start] & 0xC0) != 0x80)
			chars++;
	}
	return arena_strdup(a, s + start);
}

static const char *head(struct arena *a, const char *s, size_t max)
{
	if (!s)
		return "";
	size_t end = 0, chars = 0;
	while (s[end] && chars < max) {
		end++;
		while (((unsigned char)s[end] & 0xC0) == 0x80)
			end++;
		chars++;
	}
	return arena_strndup(a, s, end);
}

/* Whitespace as the page shows it: runs of spaces, tabs and line breaks are one space. */
static char *squeeze(struct arena *a, const char *s)
{
	char *o = arena_alloc(a, strlen(s ? s : "") + 1);
	size_t k = 0;
	bool space = false;
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = k > 0;
			continue;
		}
		if (space)
			o[k++] = ' ';
		space = false;
		o[k++] = *p;
	}
	o[k] = 0;
	return o;
}

long archive_suggestion_anchor(const char *text, const struct reader_suggestion *s)
{
	if (!text || !s->quote || !*s->quote)
		return -1;
	size_t qn = strlen(s->quote), pn = s->prefix ? strlen(s->prefix) : 0, sn = s->suffix ? strlen(s->suffix) : 0;
	long best = -1;
	size_t best_score = 0;
	for (const char *p = strstr(text, s->quote); p; p = strstr(p + 1, s->quote)) {
		size_t score = 1, at = (size_t)(p - text);
		/* How much of the saved text before and after still surrounds it. */
		for (size_t k = 0; k < pn && k < at && text[at - 1 - k] == s->prefix[pn - 1 - k]; k++)
			score++;
		for (size_t k = 0; k < sn && p[qn + k] && p[qn + k] == s->suffix[k]; k++)
			score++;
		if (score > best_score) {
			best_score = score;
			best = (long)at;
		}
	}
	return best;
}

int archive_suggestion_create(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                              int64_t chapter_id, const struct suggestion_input *in, int64_t *id,
                              struct field_errors *errors, const char **why)
{
	*why = NULL;
	struct work wk;
	int rc = archive_work_load(st, a, u, work_id, false, &wk);
	struct chapter c;
	if (rc == 0)
		rc = store_chapter_get(st, a, work_id, chapter_id, &c);
	if (rc == 0 && c.work_id != work_id)
		rc = Q_ENOTFOUND;
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "No such chapter, or you are not allowed to see it."
		                         : "The suggestion could not be saved. Please try again in a moment.";
		return rc;
	}
	int brc = 0;
	if ((*why = archive_suggestion_refusal(st, u, &wk, &brc)))
		return brc ? brc : Q_EPERM;
	const char *quote = squeeze(a, in->quote), *replacement = in->replacement ? in->replacement : "",
	           *note = in->note ? in->note : "";
	bool ok = text_ok(errors, "quote", "The passage", quote, SUGGESTION_QUOTE_MAX, true);
	ok &= text_ok(errors, "replacement", "", replacement, SUGGESTION_TEXT_MAX, false);
	ok &= text_ok(errors, "note", "", note, SUGGESTION_TEXT_MAX, false);
	ok &= text_ok(errors, "prefix", "", in->prefix, 4 * SUGGESTION_CONTEXT_MAX, false);
	ok &= text_ok(errors, "suffix", "", in->suffix, 4 * SUGGESTION_CONTEXT_MAX, false);
	if (ok && utf8_is_blank(replacement, strlen(replacement)) && utf8_is_blank(note, strlen(note))) {
		field_error(errors, "replacement", "Give a replacement for the passage, a note, or both.");
		ok = false;
	}
	if (ok && !strcmp(replacement, quote)) {
		field_error(errors, "replacement", "The replacement is the passage as it is.");
		ok = false;
	}
	struct reader_suggestion s = {.work_id = work_id, .chapter_id = chapter_id, .user_id = u->id, .quote = quote,
	                              .prefix = tail(a, squeeze(a, in->prefix), SUGGESTION_CONTEXT_MAX),
	                              .suffix = head(a, squeeze(a, in->suffix), SUGGESTION_CONTEXT_MAX),
	                              .replacement = *replacement ? replacement : NULL, .note = *note ? note : NULL};
	if (ok && archive_suggestion_anchor(squeeze(a, chapter_text(a, &c)), &s) < 0) {
		field_error(errors, "quote", "That passage is not in this chapter (as it reads now).");
		ok = false;
	}
	if (!ok)
		return Q_EINVAL;
	rc = store_suggestion_create(st, &s, (int64_t)time(NULL) - SUGGESTION_WINDOW, SUGGESTION_USER_LIMIT,
	                             SUGGESTION_OPEN_MAX, id);
	if (rc == Q_EBUSY)
		*why = "You have made 30 suggestions in the last 15 minutes, the most an account may. Yours was not "
		       "saved; it is still in the form.";
	else if (rc == Q_ETOOBIG)
		*why = "You have 50 open suggestions on this chapter already: wait for the writer to answer some.";
	else if (rc)
		*why = "The suggestion could not be saved. Please try again in a moment.";
	return rc;
}

int archive_suggestion_load(struct store *st, struct arena *a, const struct user *u, int64_t id,
                            struct reader_suggestion *out, struct work *wk)
{
	if (!u || id <= 0)
		return Q_ENOTFOUND;
	int rc = store_suggestion_get(st, a, id, out);
	if (rc == 0)
		rc = store_work_get(st, a, out->work_id, wk);
	if (rc == 0 && !(out->user_id == u->id || work_is_creator(wk, u)))
		rc = Q_ENOTFOUND; /* a suggestion is private: others learn nothing, not even that it exists */
	return rc;
}

/* Loads an open suggestion for an answer by one of its work's creators. */
static int load_for_writer(struct store *st, struct arena *a, const struct user *u, int64_t id,
                           struct reader_suggestion *s, struct work *wk, const char **why)
{
	int rc = archive_suggestion_load(st, a, u, id, s, wk);
	if (rc == 0 && !work_is_creator(wk, u))
		rc = Q_EPERM;
	if (rc == 0 && s->state != SUGGESTION_OPEN)
		rc = Q_EINVAL;
	*why = rc == 0 ? NULL
	       : rc == Q_ENOTFOUND ? "No such suggestion, or you are not allowed to see it."
	       : rc == Q_EPERM     ? "Only the work's creators answer its suggestions."
	       : rc == Q_EINVAL    ? "This suggestion has been answered already."
	                           : "The suggestion could not be loaded. Please try again in a moment.";
	return rc;
}

/* ---- Accepting: the reader's change, made in the chapter's source ---- */

/* The squeezed plain text source renders to in format fmt (NULL when it does not render). */
static const char *rendered_plain(struct arena *a, enum text_format fmt, const char *source)
{
	struct buf b = BUF_INIT;
	const char *plain = NULL;
	if (format_render(fmt, source, strlen(source), &b) == 0) {
		struct buf t = BUF_INIT;
		html_text(buf_cstr(&b), b.len, &t);
		plain = squeeze(a, buf_cstr(&t));
		buf_free(&t);
	}
	buf_free(&b);
	return plain;
}

/* s as it is written in a source of format fmt so that it renders as its own text: HTML's special characters
 * as entities, Markdown's as backslash escapes (plain text renders as it is). */
static const char *as_source(struct arena *a, enum text_format fmt, const char *s)
{
	if (fmt == FORMAT_TEXT)
		return s;
	struct buf b = BUF_INIT;
	for (const char *p = s; *p; p++) {
		if (fmt == FORMAT_HTML && (*p == '&' || *p == '<' || *p == '>'))
			buf_puts(&b, *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : "&gt;");
		else if (fmt == FORMAT_MARKDOWN && strchr("\\`*_[]<>", *p))
			buf_printf(&b, "\\%c", *p);
		else
			buf_putc(&b, *p);
	}
	const char *out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* Occurrences of needle in text starting before end (overlapping ones count). */
static size_t occurrences_before(const char *text, const char *needle, size_t end)
{
	size_t k = 0;
	for (const char *p = strstr(text, needle); p && (size_t)(p - text) < end; p = strstr(p + 1, needle))
		k++;
	return k;
}

#define ACCEPT_TRIES 6 /* places in the source tried (each rendered and compared) */

/* The chapter's source with suggestion s made in it, or NULL when that cannot be done without touching its
 * formatting. Only the words that change are replaced (the quote and the replacement share the rest), found
 * as written in the source, so markup around and between them stays as it was; a place is taken only when
 * the source then renders to exactly the text the reader proposed (the chapter as it reads with the passage
 * replaced). A change whose words are split by markup (a replacement of "could of" in "<em>could</em> of"
 * from "could" on) is left to the writer. */
static const char *apply_to_source(struct arena *a, const struct chapter *c, const struct reader_suggestion *s)
{
	enum text_format fmt;
	const char *src = c->content ? c->content : "", *q = s->quote, *r = s->replacement;
	const char *now = format_parse(c->content_format, &fmt) == 0 ? rendered_plain(a, fmt, src) : NULL;
	long at = now ? archive_suggestion_anchor(now, s) : -1;
	if (at < 0)
		return NULL;
	size_t qn = strlen(q), rn = strlen(r);
	const char *want = squeeze(a, arena_printf(a, "%.*s%s%s", (int)at, now, r, now + at + qn));
	/* The words that change: past the common beginning and end (whole characters), widened to whole words. */
	size_t pre = 0, suf = 0;
	while (pre < qn && pre < rn && q[pre] == r[pre])
		pre++;
	while (pre > 0 && ((unsigned char)q[pre] & 0xC0) == 0x80)
		pre--;
	while (suf < qn - pre && suf < rn - pre && q[qn - 1 - suf] == r[rn - 1 - suf])
		suf++;
	while (suf > 0 && ((unsigned char)q[qn - suf] & 0xC0) == 0x80)
		suf--;
	size_t start = pre, end = qn - suf;
	while (start > 0 && q[start - 1] != ' ')
		start--;
	while (end < qn && q[end] != ' ')
		end++;
	const char *old = arena_strndup(a, q + start, end - start);
	const char *new = as_source(a, fmt, arena_strndup(a, r + start, rn - (qn - end) - start));
	if (!*old)
		return NULL;
	/* The source's occurrences of the old words, as written there (entities for HTML when they need them),
	 * tried from the one that is as many occurrences in as in the text the reader saw, then its neighbours. */
	const char *forms[2] = {old, fmt == FORMAT_HTML ? as_source(a, fmt, old) : NULL};
	size_t k = occurrences_before(now, old, (size_t)at + start);
	int tries = 0;
	for (size_t f = 0; f < 2 && forms[f] && (f == 0 || strcmp(forms[0], forms[1])); f++) {
		size_t total = occurrences_before(src, forms[f], strlen(src)), on = strlen(forms[f]);
		for (size_t d = 0; d < 2 * total && tries < ACCEPT_TRIES; d++) {
			/* k, k + 1, k - 1, k + 2, ... within [0, total) */
			size_t off = (d + 1) / 2;
			if (d % 2 ? k + off >= total : off > k)
				continue;
			size_t idx = d % 2 ? k + off : k - off, i = 0;
			const char *p = strstr(src, forms[f]);
			while (p && i++ < idx)
				p = strstr(p + 1, forms[f]);
			if (!p)
				continue;
			tries++;
			const char *edited = arena_printf(a, "%.*s%s%s", (int)(p - src), src, new, p + on);
			const char *got = rendered_plain(a, fmt, edited);
			if (got && !strcmp(got, want))
				return edited;
		}
	}
	return NULL;
}

int archive_suggestion_accept(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why)
{
	struct reader_suggestion s;
	struct work wk;
	int rc = load_for_writer(st, a, u, id, &s, &wk, why);
	if (rc)
		return rc;
	if (!s.replacement) {
		*why = "This suggestion is a note without a replacement: answer or dismiss it.";
		return Q_EINVAL;
	}
	struct chapter c;
	if ((rc = store_chapter_get(st, a, s.work_id, s.chapter_id, &c)) != 0) {
		*why = "The chapter could not be loaded. Please try again in a moment.";
		return rc;
	}
	const char *content = apply_to_source(a, &c, &s);
	if (!content) {
		*why = "The passage is not in the chapter as it reads now, or the words it changes are split by formatting: "
		       "edit the chapter by hand, then dismiss the suggestion.";
		return Q_EINVAL;
	}
	struct chapter_input in = {.title = c.title, .summary = c.summary.src, .notes = c.notes.src,
	                           .end_notes = c.end_notes.src, .content = content, .format = c.content_format};
	struct archive_result res;
	struct field_errors errors = {0};
	rc = archive_chapter_edit(st, a, u, s.work_id, s.chapter_id, &in, false, &res, &errors);
	if (rc) {
		*why = rc == Q_EINVAL && errors.n ? errors.items[0].message
		                                  : "The chapter could not be changed. Please try again in a moment.";
		return rc;
	}
	rc = store_suggestion_set_state(st, id, SUGGESTION_OPEN, SUGGESTION_ACCEPTED, NULL, u->id);
	*why = rc == 0 ? "Suggestion accepted: the chapter is changed." : "The chapter is changed, but the suggestion "
	                                                                  "could not be marked accepted.";
	return rc;
}

int archive_suggestion_dismiss(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why)
{
	struct reader_suggestion s;
	struct work wk;
	int rc = load_for_writer(st, a, u, id, &s, &wk, why);
	if (rc == 0 && (rc = store_suggestion_set_state(st, id, SUGGESTION_OPEN, SUGGESTION_DISMISSED, NULL, u->id)) != 0)
		*why = rc == Q_ENOTFOUND ? "This suggestion has been answered already."
		                         : "The suggestion could not be dismissed. Please try again in a moment.";
	return rc;
}

int archive_suggestion_reply(struct store *st, struct arena *a, const struct user *u, int64_t id, const char *reply,
                             struct field_errors *errors, const char **why)
{
	struct reader_suggestion s;
	struct work wk;
	int rc = load_for_writer(st, a, u, id, &s, &wk, why);
	if (rc)
		return rc;
	if (!text_ok(errors, "reply", "", reply, SUGGESTION_TEXT_MAX, false) || !reply || utf8_is_blank(reply, strlen(reply))) {
		if (!errors->n)
			field_error(errors, "reply", "Write your answer first.");
		return Q_EINVAL;
	}
	if ((rc = store_suggestion_set_state(st, id, SUGGESTION_OPEN, SUGGESTION_OPEN, reply, u->id)) != 0)
		*why = "The answer could not be saved. Please try again in a moment.";
	return rc;
}
