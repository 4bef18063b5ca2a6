/* Template engine: templates compiled once at start-up, rendered from a JSON value, escaped by default.
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
 */
#ifndef QUIRE_HTML_TPL_H
#define QUIRE_HTML_TPL_H
#include <jansson.h>
#include <stddef.h>
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
/* Renders template `name` with data appended to out. Q_ENOTFOUND for an unknown name; Q_ETOOBIG when a
 * render runs away (deep recursion, huge output): an HTML comment marks where it stopped.
 * Thread-safe: a compiled set is read-only. */
int tpl_render(const struct tpl_set *s, const char *name, const json_t *data, struct buf *out);
#endif
