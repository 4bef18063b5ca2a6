/* Template engine: templates compiled once at start-up, rendered from a JSON value, escaped by default,
 * into a list of chunks that copies small runs and points at big strings instead of copying them.
 *
 * Syntax (files templates/NAME.html; a template's name is its path under templates/ without ".html"):
 *   {{ path }}               value, HTML-escaped (safe in text and in quoted attributes)
 *   {{ path | url }}         percent-encoded URL component
 *   {{ path | json }}        JSON literal, safe inside HTML
 *   {{ path | num }}         integer with thousands separators (12,345)
 *   {{ RAW path }}           unescaped: ONLY for sanitizer output and already-rendered templates
 *   {{#if path}} .. {{else}} .. {{/if}}      truthy: not missing/null/false/0/""/[]/{}
 *   {{#unless path}} .. {{/unless}}
 *   {{#eq path "literal"}} .. {{else}} .. {{/eq}}   also {{#eq path other.path}}; numbers compare by value
 *   {{#each path}} .. {{else}} .. {{/each}}  arrays; inside: "." is the item, @index (0-based),
 *                                            @number (1-based), @first, @last; names resolve in the item
 *                                            first, then in enclosing scopes
 *   {{> name}}               include another template with the current scope
 *   {{! comment }}
 * Paths: "a.b.c", "." (current item). Missing values render as nothing.
 *
 * Big strings (chapter HTML, a page rendered earlier) never go into jansson: the view model holds a
 * reference made by tpl_ref*() instead, and {{RAW x}} emits it by reference (a chunk pointing at the
 * caller's memory). Escaped output of a reference copies it, escaped; {{#if x}} sees its length.
 */
#ifndef QUIRE_HTML_TPL_H
#define QUIRE_HTML_TPL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "core/arena.h"
#include "core/buf.h"

struct tpl_set;

struct tpl_set *tpl_set_new(void);
void tpl_set_free(struct tpl_set *s);
/* Compiles src as template `name`. On a syntax error returns Q_EINVAL and writes
 * "name:line: message" to err. */
int tpl_set_add(struct tpl_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen);
/* Compiles every embedded templates/ (*.html), then checks that all {{> partials}} exist.
 * Returns Q_EINVAL with the first error in err. */
int tpl_set_load_embedded(struct tpl_set *s, char *err, size_t errlen);
/* Checks that every {{> name}} refers to a known template (Q_EINVAL and err otherwise). */
int tpl_set_check(const struct tpl_set *s, char *err, size_t errlen);
/* Rendered output: runs of copied text (in the arena) and pieces pointing at memory the caller keeps
 * alive at least as long as the output; p NULL marks the slot where a streamed part goes. */
struct tpl_piece {
	const char *p;
	size_t n;
};

struct tpl_out {
	struct arena *arena;   /* pieces and copied text live here */
	struct tpl_piece *v;
	size_t n, cap;
	size_t len;            /* bytes in all pieces */
	size_t slots;          /* pieces with p NULL */
	char *blk;             /* current copy block */
	size_t used, size;
	bool open;             /* v[n - 1] ends at blk + used and may grow */
};

void tpl_out_init(struct tpl_out *o, struct arena *a);
/* Appends a copy of p. */
void tpl_out_text(struct tpl_out *o, const char *p, size_t n);
/* Appends p by reference (short strings are copied); p must outlive o's use. */
void tpl_out_ref(struct tpl_out *o, const char *p, size_t n);
/* Appends a slot: a place the caller fills later (a streamed body). */
void tpl_out_slot(struct tpl_out *o);
/* Appends src's pieces by reference. */
void tpl_out_splice(struct tpl_out *o, const struct tpl_out *src);
/* Appends every byte of o to b (slots contribute nothing). */
void tpl_out_flatten(const struct tpl_out *o, struct buf *b);

/* A per-render side table of references (arena memory). Each tpl_ref* returns a new JSON string that
 * stands for the reference in a view model rendered with this table (the caller owns that JSON value).
 * The marker is recognised by identity, so no data can forge one. */
struct tpl_refs;
struct tpl_refs *tpl_refs_new(struct arena *a);
/* p[0..n) by reference: the memory must outlive the output (request arena or a held cache entry). */
json_t *tpl_ref(struct tpl_refs *r, const char *p, size_t n);
/* A NUL-terminated string by reference (NULL is ""). */
json_t *tpl_ref_str(struct tpl_refs *r, const char *s);
/* An output rendered earlier (e.g. a page inside the layout), spliced in by reference. */
json_t *tpl_ref_out(struct tpl_refs *r, const struct tpl_out *o);
/* A slot (truthy): {{RAW x}} leaves a place for a streamed part. */
json_t *tpl_ref_slot(struct tpl_refs *r);

/* C values a template reads without JSON: a small frame around cached parts, the layout's fields. Names
 * are found by a linear scan (keep them few); strings and outputs are used by reference, so they must
 * outlive the output. */
enum tpl_var_kind { TPL_STR, TPL_INT, TPL_BOOL, TPL_OUT, TPL_VARS };

struct tpl_var {
	const char *name;
	enum tpl_var_kind kind;
	const char *s;              /* TPL_STR (NULL is "") */
	size_t n;                   /* TPL_STR: length; TPL_VARS: count */
	long long i;                /* TPL_INT, TPL_BOOL */
	const struct tpl_out *out;  /* TPL_OUT: spliced by {{RAW x}} */
	const struct tpl_var *vars; /* TPL_VARS: a nested object, as in "user.name" */
};

static inline struct tpl_var tpl_var_strn(const char *name, const char *s, size_t n)
{
	return (struct tpl_var){.name = name, .kind = TPL_STR, .s = s, .n = s ? n : 0};
}
static inline struct tpl_var tpl_var_str(const char *name, const char *s)
{
	return tpl_var_strn(name, s, s ? strlen(s) : 0);
}
static inline struct tpl_var tpl_var_int(const char *name, long long i)
{
	return (struct tpl_var){.name = name, .kind = TPL_INT, .i = i};
}
static inline struct tpl_var tpl_var_bool(const char *name, bool b)
{
	return (struct tpl_var){.name = name, .kind = TPL_BOOL, .i = b};
}
static inline struct tpl_var tpl_var_out(const char *name, const struct tpl_out *o)
{
	return (struct tpl_var){.name = name, .kind = TPL_OUT, .out = o};
}
static inline struct tpl_var tpl_var_obj(const char *name, const struct tpl_var *vars, size_t n)
{
	return (struct tpl_var){.name = name, .kind = TPL_VARS, .vars = vars, .n = n};
}

/* What a template sees, innermost first: vars, then json, then outer (e.g. the layout's fields seen by a
 * page). Any of them may be absent. */
struct tpl_data {
	const json_t *json;
	const struct tpl_var *vars;
	size_t nvars;
	const struct tpl_var *outer;
	size_t nouter;
};

/* Renders template `name` with d appended to out; references in JSON strings resolve through refs (may be
 * NULL). Return values as tpl_render. */
int tpl_render_data(const struct tpl_set *s, const char *name, const struct tpl_data *d,
                    const struct tpl_refs *refs, struct tpl_out *out);
/* The same with JSON data only. */
int tpl_render_out(const struct tpl_set *s, const char *name, const json_t *data, const struct tpl_refs *refs,
                   struct tpl_out *out);

/* Renders template `name` with data appended to out. Q_ENOTFOUND for an unknown name; Q_ETOOBIG when a
 * render runs away (deep recursion, huge output): an HTML comment marks where it stopped.
 * Thread-safe: a compiled set is read-only. */
int tpl_render(const struct tpl_set *s, const char *name, const json_t *data, struct buf *out);
#endif
