/* Tag name normalization (utf8proc NFKC_Casefold) and look-alike detection (ICU uspoof, Unicode TR39). */
#include "core/tagname.h"
#include "core/err.h"
#include "core/utf8.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uspoof.h>
#include <utf8proc.h>

int tagname_norm(struct arena *a, const char *name, size_t len, char **out)
{
	*out = NULL;
	if (!name || !utf8_valid(name, len) || memchr(name, 0, len))
		return Q_EINVAL;
	utf8proc_uint8_t *folded = NULL;
	/* NFKC_Casefold = COMPOSE | COMPAT | CASEFOLD | IGNORE, and NULLTERM off: len bytes exactly. */
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, (utf8proc_ssize_t)len, &folded,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	                                          UTF8PROC_IGNORE);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? Q_ERR : Q_EINVAL;
	/* White space of any kind (Zs, tabs, line breaks) becomes single spaces; none at the ends. */
	char *dst = arena_alloc(a, (size_t)n + 1);
	size_t o = 0;
	bool space = false;
	for (utf8proc_ssize_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(folded + i, n - i, &cp);
		if (k <= 0) {
			free(folded);
			return Q_EINVAL;
		}
		utf8proc_category_t cat = utf8proc_category(cp);
		bool ws = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
		          cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
		if (ws) {
			space = o > 0;
		} else if (cat != UTF8PROC_CATEGORY_CC) {
			if (space)
				dst[o++] = ' ';
			space = false;
			memcpy(dst + o, folded + i, (size_t)k);
			o += (size_t)k;
		}
		i += k;
	}
	dst[o] = '\0';
	free(folded);
	*out = dst;
	return 0;
}

/* One checker for the process: ICU documents checks and skeletons as safe from many threads once the
 * checker is configured, which happens once here. */
static USpoofChecker *checker;
static pthread_once_t checker_once = PTHREAD_ONCE_INIT;

static void checker_open(void)
{
	UErrorCode st = U_ZERO_ERROR;
	USpoofChecker *sc = uspoof_open(&st);
	if (U_FAILURE(st))
		return;
	uspoof_setChecks(sc, USPOOF_RESTRICTION_LEVEL | USPOOF_INVISIBLE | USPOOF_MIXED_NUMBERS, &st);
	uspoof_setRestrictionLevel(sc, USPOOF_MODERATELY_RESTRICTIVE);
	if (U_FAILURE(st)) {
		uspoof_close(sc);
		return;
	}
	checker = sc;
}

static const USpoofChecker *get_checker(void)
{
	pthread_once(&checker_once, checker_open);
	return checker;
}

char *tagname_skeleton(struct arena *a, const char *norm)
{
	const USpoofChecker *sc = get_checker();
	if (!sc || !norm)
		return NULL;
	size_t len = strlen(norm);
	if (len > INT32_MAX / 8)
		return NULL;
	/* Skeletons rarely grow much; one retry with the exact size covers the rest. */
	int32_t cap = (int32_t)len * 2 + 16;
	for (int attempt = 0; attempt < 2; attempt++) {
		char *buf = arena_alloc(a, (size_t)cap + 1);
		UErrorCode st = U_ZERO_ERROR;
		int32_t n = uspoof_getSkeletonUTF8(sc, 0, norm, (int32_t)len, buf, cap, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			cap = n + 1;
			continue;
		}
		if (U_FAILURE(st) || n < 0 || n > cap)
			return NULL;
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

bool tagname_mixed_script(const char *name)
{
	const USpoofChecker *sc = get_checker();
	if (!sc || !name)
		return false;
	size_t len = strlen(name);
	if (len > INT32_MAX)
		return false;
	UErrorCode st = U_ZERO_ERROR;
	int32_t r = uspoof_check2UTF8(sc, name, (int32_t)len, NULL, &st);
	return U_SUCCESS(st) && r != 0;
}
