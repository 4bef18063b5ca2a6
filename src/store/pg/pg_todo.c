/* PostgreSQL backend: the operations not yet ported (each logs and fails); this list shrinks family by family. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/log.h"

static int not_yet(const char *op)
{
	log_error("store: %s is not available on PostgreSQL yet", op);
	return Q_ERR;
}

int pgs_tag_find(struct store *st, struct arena *a, const char *name, struct tag **out, size_t *n)
{
	(void)st;
	return not_yet("tag_find");
}

int pgs_tag_detail(struct store *st, struct arena *a, int64_t id, struct tag_detail *out)
{
	(void)st;
	return not_yet("tag_detail");
}

int pgs_tag_autocomplete(struct store *st, struct arena *a, int type, const char *match, int limit, struct tag **out, size_t *n)
{
	(void)st;
	return not_yet("tag_autocomplete");
}

int pgs_tag_wrangle(struct store *st, struct arena *a, const struct tag_wrangle *req, const char **why)
{
	(void)st;
	return not_yet("tag_wrangle");
}

int pgs_wrangling_fandoms(struct store *st, struct arena *a, struct queue_fandom **out, size_t *n)
{
	(void)st;
	return not_yet("wrangling_fandoms");
}

int pgs_wrangling_queue(struct store *st, struct arena *a, int64_t fandom_id, int limit, int offset, struct tag **out, size_t *n)
{
	(void)st;
	return not_yet("wrangling_queue");
}

int pgs_media_directory(struct store *st, struct arena *a, const char *const *media, size_t nmedia, int top, bool member, struct media_entry **out)
{
	(void)st;
	return not_yet("media_directory");
}

int pgs_media_fandoms(struct store *st, struct arena *a, const char *media, int limit, int offset, struct tag **out, size_t *n, int64_t *total)
{
	(void)st;
	return not_yet("media_fandoms");
}

int pgs_work_find(struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out)
{
	(void)st;
	return not_yet("work_find");
}

int pgs_series_neighbors(struct store *st, struct arena *a, int64_t work_id, bool member, struct series_neighbors *out)
{
	(void)st;
	return not_yet("series_neighbors");
}
