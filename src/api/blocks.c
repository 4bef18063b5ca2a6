/* API: the caller's blocked users. GET /api/v1/blocks lists them; PUT and DELETE /api/v1/blocks/NAME block and
 * unblock, through the same workflow as the pages (archive/blocks.h). */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/blocks.h"
#include "core/err.h"

void api_blocks_list(struct web_req *w)
{
	struct user_block *list;
	size_t n;
	int rc = store_user_blocks_list(w->app->store, w->arena, w->user->id, BLOCKS_MAX, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:{s:I, s:s}, s:o}", "user", "id", (json_int_t)list[i].user_id,
		                                       "name", list[i].name, "blocked_at", api_time_json(list[i].created_at)));
	web_json(w, 200, json_pack("{s:o, s:i}", "blocks", items, "max", BLOCKS_MAX));
}

static void set_block(struct web_req *w, bool on)
{
	const char *why = NULL;
	int rc = archive_block(w->app->store, w->arena, w->user, w->params[0], on, &why);
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", why, NULL);
	else if (rc == Q_EINVAL)
		web_json_error(w, 422, "invalid", why, NULL);
	else if (rc == Q_ETOOBIG)
		web_json_error(w, 422, "too_many_blocks", why, NULL);
	else if (rc)
		api_store_error(w, rc);
	else
		api_no_content(w);
}

void api_block_put(struct web_req *w)
{
	set_block(w, true);
}

void api_block_delete(struct web_req *w)
{
	set_block(w, false);
}
