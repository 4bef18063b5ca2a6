/* Growable byte buffer on the heap, always NUL-terminated; for response bodies and rendering. */
#ifndef QUIRE_CORE_BUF_H
#define QUIRE_CORE_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated when non-NULL; owned by the buf */
	size_t len, cap;
};

#define BUF_INIT {0, 0, 0}

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps memory */
void buf_grow(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hands the heap string to the caller (free with free()); the buf is left empty. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
/* The contents as a C string ("" when empty); valid until the next change. */
const char *buf_cstr(const struct buf *b);
#endif
