/* Chapters from blocks: split at chapter headings ("Chapter 2", "Ch. 3: Title", "Part Two", "Prologue", or a
 * document's own headings such as <h2>), a title heading before them naming the work, and each chapter's
 * parts with the notes around its text proposed as notes. */
#include "import/import_int.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

#define HEADING_TEXT_MAX 120

static const char *const small_numbers[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                                            "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
                                            "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred"};

/* Length of the number word at s ("Two", "twenty"), or 0. */
static size_t one_word(const char *s)
{
	size_t best = 0;
	for (size_t i = 0; i < sizeof small_numbers / sizeof small_numbers[0]; i++) {
		size_t k = strlen(small_numbers[i]);
		if (k > best && !strncasecmp(s, small_numbers[i], k) && !isalpha((unsigned char)s[k]))
			best = k;
	}
	return best;
}

/* Length of a number in words ("Two", "twenty-one", "twenty one"), or 0. */
static size_t number_word(const char *s)
{
	size_t k = one_word(s);
	if (k && (s[k] == '-' || s[k] == ' ')) {
		size_t m = one_word(s + k + 1);
		if (m)
			return k + 1 + m;
	}
	return k;
}

/* Length of the chapter number at s: digits, a Roman numeral, or number words; 0 when none. */
static size_t chapter_number(const char *s)
{
	size_t k = 0;
	while (isdigit((unsigned char)s[k]))
		k++;
	if (k && !isalpha((unsigned char)s[k]))
		return k;
	k = 0;
	while (s[k] && strchr("ivxlcIVXLC", s[k]))
		k++;
	if (k && k <= 8 && !isalpha((unsigned char)s[k]))
		return k;
	return number_word(s);
}

/* Skips separators between a chapter's number and its title: ":", ".", "-", "–", "—", ")" and spaces. */
static const char *after_separator(const char *s)
{
	for (;;) {
		if (*s == ' ' || *s == ':' || *s == '.' || *s == '-' || *s == ')' || *s == ']' || *s == '|' || *s == '~')
			s++;
		else if (!strncmp(s, "\xe2\x80\x93", 3) || !strncmp(s, "\xe2\x80\x94", 3))
			s += 3;
		else
			return s;
	}
}

bool import_chapter_heading(struct arena *a, const char *text, const char **title)
{
	static const char *const numbered[] = {"chapter", "chap.", "chap", "ch.", "ch", "capítulo", "capitulo",
	                                       "chapitre", "kapitel", "capitolo"};
	static const char *const whole[] = {"prologue", "epilogue", "interlude", "part", "book", "afterword",
	                                    "foreword", "prolog", "epilog"};
	*title = "";
	size_t n = strlen(text);
	if (!n || n > HEADING_TEXT_MAX)
		return false;
	const char *s = text;
	while (*s && strchr("*~=#-_[( ", *s))
		s++;
	for (size_t i = 0; i < sizeof numbered / sizeof numbered[0]; i++) {
		size_t k = strlen(numbered[i]);
		if (strncasecmp(s, numbered[i], k) != 0)
			continue;
		const char *p = s + k;
		if (isalpha((unsigned char)*p))
			continue; /* "Chapters", "Change" */
		while (*p == ' ')
			p++;
		size_t num = chapter_number(p);
		if (!num)
			continue;
		const char *t = after_separator(p + num);
		size_t tn = strlen(t);
		while (tn && strchr("*~=#-_]) ", t[tn - 1]))
			tn--;
		*title = arena_strndup(a, t, tn);
		return true;
	}
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
		size_t k = strlen(whole[i]);
		if (strncasecmp(s, whole[i], k) != 0 || isalpha((unsigned char)s[k]))
			continue;
		const char *p = s + k;
		while (*p == ' ')
			p++;
		/* parts and books are numbered; prologues need not be */
		if ((!strcasecmp(whole[i], "part") || !strcasecmp(whole[i], "book")) && !chapter_number(p))
			continue;
		size_t tn = strlen(s);
		while (tn && strchr("*~=#-_]) ", s[tn - 1]))
			tn--;
		*title = arena_strndup(a, s, tn);
		return true;
	}
	return false;
}

/* ---- One chapter ---- */

struct import_chapter *import_chapter_add(struct arena *a, struct import_work *w, const char *title,
                                          const struct import_block *b, size_t n, bool detect_notes)
{
	if (w->nchapters % 16 == 0) {
		struct import_chapter *more = arena_calloc(a, w->nchapters + 16, sizeof *more);
		if (w->nchapters)
			memcpy(more, w->chapters, w->nchapters * sizeof *more);
		w->chapters = more;
	}
	struct import_chapter *c = &w->chapters[w->nchapters++];
	memset(c, 0, sizeof *c);
	c->title = title ? title : "";
	c->summary_html = c->notes_html = c->end_notes_html = "";
	const char **labels = arena_calloc(a, n + 1, sizeof *labels);
	enum import_place *places = arena_calloc(a, n + 1, sizeof *places);
	if (detect_notes)
		import_notes_detect(b, n, labels, places);
	c->parts = arena_calloc(a, n + 1, sizeof *c->parts);
	struct buf text = BUF_INIT;
	for (size_t i = 0; i <= n; i++) {
		bool note = i < n && labels[i];
		if ((i == n || note) && text.len) {
			c->parts[c->nparts++] = (struct import_part){arena_strndup(a, buf_cstr(&text), text.len), NULL, IMPORT_TEXT};
			buf_reset(&text);
		}
		if (i == n)
			break;
		if (note) {
			c->parts[c->nparts++] = (struct import_part){b[i].html, labels[i], places[i]};
		} else {
			buf_puts(&text, b[i].html);
			buf_putc(&text, '\n');
		}
	}
	buf_free(&text);
	return c;
}

/* ---- Splitting ---- */

/* A line that reads as a title, not a sentence: short, and not ending as sentences and notes do. */
static bool title_like(const struct import_block *b)
{
	size_t n = strlen(b->text);
	if (b->kind != BLOCK_PARAGRAPH || n == 0 || n > 100 || strchr(b->text, ':'))
		return false;
	const char *end = b->text + n;
	static const char *const enders[] = {".", "!", "?", ",", ";", "\"", "\xe2\x80\x9d", "\xe2\x80\xa6"};
	for (size_t i = 0; i < sizeof enders / sizeof enders[0]; i++) {
		size_t k = strlen(enders[i]);
		if (n >= k && !memcmp(end - k, enders[i], k))
			return false;
	}
	return true;
}

/* Whether block i is a heading (a document's own, or a short paragraph naming a chapter). */
static bool chapter_mark(struct arena *a, const struct import_block *b, const char **title)
{
	if (b->kind != BLOCK_HEADING && b->kind != BLOCK_PARAGRAPH)
		return false;
	return import_chapter_heading(a, b->text, title);
}

void import_chapters(struct arena *a, const struct import_blocks *blocks, bool split, bool detect_notes,
                     struct import_work *w)
{
	const struct import_block *b = blocks->items;
	size_t n = blocks->n;
	if (n == 0) /* nothing to read: the caller says so */
		return;
	bool *cut = arena_calloc(a, n + 1, sizeof *cut);
	const char **titles = arena_calloc(a, n + 1, sizeof *titles);
	size_t marks = 0;
	for (size_t i = 0; i < n; i++)
		if (chapter_mark(a, &b[i], &titles[i]))
			cut[i] = true, marks++;
	if (split && marks < 2) {
		/* No "Chapter N" lines: the document's own headings, at the first level used more than once. */
		memset(cut, 0, (n + 1) * sizeof *cut);
		marks = 0;
		size_t count[7] = {0};
		for (size_t i = 0; i < n; i++)
			if (b[i].kind == BLOCK_HEADING && b[i].level >= 1 && b[i].level <= 6)
				count[b[i].level]++;
		int level = 0;
		for (int l = 1; l <= 6 && !level; l++)
			if (count[l] >= 2)
				level = l;
		for (size_t i = 0; level && i < n; i++)
			if (b[i].kind == BLOCK_HEADING && b[i].level == level) {
				cut[i] = true;
				marks++;
				if (!import_chapter_heading(a, b[i].text, &titles[i]))
					titles[i] = b[i].text;
			}
	}
	if (!split || marks < 2) {
		/* One chapter. A heading first names it: a chapter heading the chapter, another the work. */
		size_t start = 0;
		const char *title = "";
		/* (a heading with nothing after it is the text itself) */
		while (start + 1 < n && (b[start].kind == BLOCK_HEADING || cut[start]) && start < 2) {
			const char *t;
			if (import_chapter_heading(a, b[start].text, &t))
				title = t;
			else if (!*w->title)
				w->title = b[start].text;
			else if (!*title)
				title = b[start].text;
			else
				break;
			start++;
		}
		import_chapter_add(a, w, title, b + start, n - start, detect_notes);
		return;
	}
	/* Before the first chapter: a heading names the work, the rest opens chapter one. */
	size_t first = 0;
	while (first < n && !cut[first])
		first++;
	size_t front = 0;
	if (first > 0 && (b[0].kind == BLOCK_HEADING || title_like(&b[0])) && !*w->title) {
		w->title = b[0].text;
		front = 1;
	}
	for (size_t i = first; i < n && w->nchapters < IMPORT_CHAPTERS_MAX;) {
		size_t j = i + 1;
		while (j < n && !cut[j])
			j++;
		if (i == first && first > front) {
			/* front matter (a disclaimer for the whole work, say) joins chapter one's start */
			size_t m = (first - front) + (j - i - 1);
			struct import_block *joined = arena_alloc(a, (m + 1) * sizeof *joined);
			memcpy(joined, b + front, (first - front) * sizeof *joined);
			memcpy(joined + (first - front), b + i + 1, (j - i - 1) * sizeof *joined);
			import_chapter_add(a, w, titles[i], joined, m, detect_notes);
		} else {
			import_chapter_add(a, w, titles[i], b + i + 1, j - i - 1, detect_notes);
		}
		i = j;
	}
}

void import_chapter_whole(struct arena *a, struct import_work *w, const struct import_blocks *b, bool detect_notes)
{
	size_t start = 0;
	const char *title = "";
	if (b->n > 1 && (b->items[0].kind == BLOCK_HEADING || import_chapter_heading(a, b->items[0].text, &title))) {
		if (!import_chapter_heading(a, b->items[0].text, &title))
			title = b->items[0].text;
		start = 1;
	}
	if (w->nchapters < IMPORT_CHAPTERS_MAX && b->n > start)
		import_chapter_add(a, w, title, b->items + start, b->n - start, detect_notes);
}
