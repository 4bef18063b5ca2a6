/* SQL functions the schema's views and triggers call: tag name forms and the plain text of stored HTML. */
#include "store/sqlite/int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/tagname.h"
#include <stdlib.h>

/* quire_tag_norm(name): the comparison form (core/tagname.h); NULL for NULL or invalid text. */
static void fn_tag_norm(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	struct arena *a = arena_new();
	char *out = NULL;
	if (tagname_norm(a, s, (size_t)sqlite3_value_bytes(argv[0]), &out) == 0)
		sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
	arena_free(a);
}

/* quire_tag_skeleton(norm): the TR39 skeleton, '' when ICU cannot make one. */
static void fn_tag_skeleton(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	struct arena *a = arena_new();
	const char *sk = tagname_skeleton(a, s);
	sqlite3_result_text(ctx, sk ? sk : "", -1, SQLITE_TRANSIENT);
	arena_free(a);
}

/* quire_tag_mixed(name): 1 when the name mixes scripts suspiciously. */
static void fn_tag_mixed(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int(ctx, s && tagname_mixed_script(s));
}

/* quire_plain(html): the text of sanitized HTML for the search index and its snippets (core/html_text.h). */
static void fn_plain(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	struct buf b = BUF_INIT;
	html_text(s, (size_t)sqlite3_value_bytes(argv[0]), &b);
	size_t len = 0;
	char *text = buf_detach(&b, &len);
	sqlite3_result_text(ctx, text, (int)len, free);
}

int sqls_functions_register(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function(db, "quire_tag_norm", 1, flags, NULL, fn_tag_norm, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "quire_tag_skeleton", 1, flags, NULL, fn_tag_skeleton, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "quire_tag_mixed", 1, flags, NULL, fn_tag_mixed, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "quire_plain", 1, flags, NULL, fn_plain, NULL, NULL) != SQLITE_OK)
		return Q_ERR;
	return 0;
}
