/* Parsers for outside data in requests: urlencoded forms and query strings, percent-decoding, cookies. */
#ifndef QUIRE_HTTP_FORM_H
#define QUIRE_HTTP_FORM_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

#define FORM_MAX_FIELDS 1000

struct kv {
	const char *key;   /* NUL-terminated, valid UTF-8 */
	const char *value; /* NUL-terminated, valid UTF-8 */
	size_t value_len;
};

struct kvlist {
	struct kv *items; /* arena memory */
	size_t n, cap;
};

/* Percent-decodes s[0..n) into the arena (plus_is_space: '+' means ' ', as in forms).
 * Q_EINVAL for a broken escape (%4, %zz) or a result that is not valid UTF-8 or holds NUL. */
int url_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out, size_t *outlen);
/* application/x-www-form-urlencoded or a query string ("a=1&b=2&b=3"), decoded into the arena.
 * Empty pairs are skipped; a key without '=' has value "" and "=x" is checked but not kept. Q_EINVAL on
 * bad encoding, Q_ETOOBIG as soon as pair FORM_MAX_FIELDS + 1 (empty ones aside) begins: nothing past it
 * is decoded. On error *out holds nothing usable. */
int form_parse(struct arena *a, const char *data, size_t len, struct kvlist *out);
/* A Cookie header ("a=1; b=2"); values are not percent-decoded. Malformed pairs are skipped. */
int cookie_parse(struct arena *a, const char *header, struct kvlist *out);
/* The first value for key, or NULL. */
const char *kv_get(const struct kvlist *l, const char *key);
/* Calls fn(ctx, name, value) for each name in declared (space-separated, e.g. a route's query list) that
 * l holds, in declared order: the canonical selection of a query (cache keys, return addresses). */
void kv_each_declared(const struct kvlist *l, const char *declared,
                      void (*fn)(void *ctx, const char *name, const char *value), void *ctx);
/* All values for key, in order, as a NULL-terminated arena array; *count set when count != NULL. */
const char **kv_get_all(struct arena *a, const struct kvlist *l, const char *key, size_t *count);
/* Appends a pair (both copied into the arena). */
void kv_add(struct arena *a, struct kvlist *l, const char *key, const char *value);
#endif
