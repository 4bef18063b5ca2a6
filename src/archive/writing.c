/* The writer's check in the rules layer: its inputs for a work (names, dismissals, language, the rest of
 * the work) and the remembering of accepted names, dismissals and the picked dictionary. */
#include "archive/writing.h"
#include "archive/downloads.h"
#include "archive/work.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/utf8.h"
#include <string.h>

const char *archive_writing_lang(const char *language)
{
	if (language) {
		size_t n = strlen(language);
		/* A code: "en", "pt_BR". */
		bool code = (n == 2 || n == 3 || n == 5) && language[0] >= 'a' && language[0] <= 'z' &&
		            language[1] >= 'a' && language[1] <= 'z';
		if (code && n == 3)
			code = language[2] >= 'a' && language[2] <= 'z';
		if (code && n == 5)
			code = language[2] == '_' && language[3] >= 'A' && language[3] <= 'Z' && language[4] >= 'A' &&
			       language[4] <= 'Z';
		if (code)
			return language;
	}
	return download_language_code(language);
}

int archive_writing_setup(struct store *st, struct arena *a, const struct user *u, const struct work *wk,
                          int64_t skip_chapter_id, bool context, struct writing_setup *out)
{
	memset(out, 0, sizeof *out);
	out->lang = archive_writing_lang(wk ? wk->language : "English");
	struct buf names = BUF_INIT;
	if (wk) {
		for (int t = 0; t < TAG_TYPE_COUNT; t++)
			for (size_t i = 0; i < wk->tags[t].n; i++) {
				buf_puts(&names, wk->tags[t].items[i]);
				buf_puts(&names, ", ");
			}
		for (size_t i = 0; i < wk->ncreators; i++) {
			buf_puts(&names, wk->creators[i].name ? wk->creators[i].name : "");
			buf_puts(&names, ", ");
		}
	}
	if (u) {
		buf_puts(&names, u->name);
		buf_puts(&names, ", ");
	}
	struct writing_word *words = NULL;
	size_t n = 0;
	int rc = store_writing_words_list(st, a, wk ? wk->id : 0, u ? u->id : 0, 2 * ARCHIVE_WRITING_WORDS_MAX, &words, &n);
	if (rc) {
		buf_free(&names);
		return rc;
	}
	out->dismissed = arena_calloc(a, n + 1, sizeof *out->dismissed);
	const char *variant_work = NULL, *variant_user = NULL;
	for (size_t i = 0; i < n; i++) {
		if (words[i].kind == WRITING_WORD_NAME) {
			buf_puts(&names, words[i].word);
			buf_puts(&names, ", ");
		} else if (words[i].kind == WRITING_WORD_DISMISSED) {
			out->dismissed[out->ndismissed++] = words[i].word;
		} else if (words[i].kind == WRITING_WORD_VARIANT) {
			*(words[i].work_id ? &variant_work : &variant_user) = words[i].word;
		}
	}
	out->variant = variant_work ? variant_work : variant_user;
	/* A picked dictionary of the work's language ("en_GB" for "en") narrows the check to it. */
	if (out->variant && !strncmp(out->variant, out->lang, strlen(out->lang)) && out->variant[strlen(out->lang)] == '_')
		out->lang = out->variant;
	out->names = arena_strdup(a, buf_cstr(&names));
	buf_free(&names);
	if (context && wk && wk->id) {
		struct chapter *list = NULL;
		size_t nc = 0;
		if ((rc = store_chapter_list(st, a, wk->id, true, &list, &nc)) != 0)
			return rc;
		struct buf text = BUF_INIT;
		for (size_t i = 0; i < nc && text.len < ARCHIVE_WRITING_CONTEXT_MAX; i++)
			if (list[i].id != skip_chapter_id && list[i].content_html) {
				html_text(list[i].content_html, strlen(list[i].content_html), &text);
				buf_putc(&text, '\n');
			}
		out->context = arena_strdup(a, buf_cstr(&text));
		buf_free(&text);
	}
	return 0;
}

int archive_writing_word(struct store *st, struct arena *a, const struct user *u, int64_t work_id, bool all_works,
                         int kind, const char *word, bool on, struct field_errors *e)
{
	if (!u)
		return Q_EPERM;
	size_t n = word ? strlen(word) : 0;
	if (n == 0 || n > ARCHIVE_WRITING_WORD_BYTES || !utf8_valid(word, n)) {
		field_error(e, "word", "Give a word of at most 200 bytes.");
		return Q_EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)word[i] < 0x20 || word[i] == 0x7f) {
			field_error(e, "word", "A word cannot hold control characters.");
			return Q_EINVAL;
		}
	if (kind == WRITING_WORD_VARIANT && !on)
		word = "all";
	else if (kind == WRITING_WORD_VARIANT && !(n == 5 && word[2] == '_')) {
		field_error(e, "word", "Pick a dictionary by its name, such as en_GB.");
		return Q_EINVAL;
	}
	if (kind < WRITING_WORD_NAME || kind > WRITING_WORD_VARIANT) {
		field_error(e, "kind", "Unknown kind of word.");
		return Q_EINVAL;
	}
	if (work_id && !all_works) {
		struct work wk;
		int rc = archive_work_load(st, a, u, work_id, true, &wk);
		if (rc)
			return rc;
		return store_writing_word_set(st, work_id, 0, kind, word, on, ARCHIVE_WRITING_WORDS_MAX);
	}
	return store_writing_word_set(st, 0, u->id, kind, word, on, ARCHIVE_WRITING_WORDS_MAX);
}
