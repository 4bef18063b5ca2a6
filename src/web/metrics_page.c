/* GET /metrics: Prometheus text from core/metrics.c's sources, shown only to local clients. */
#include "web/metrics_page.h"
#include "core/metrics.h"
#include "store/store.h"
#include <time.h>

void page_metrics(struct web_req *w)
{
	/* The resolved client, not only the peer: a request forwarded by our own proxy from outside has a
	 * trusted peer but an outside client, and is refused. */
	if (!w->req->client_local) {
		web_error(w, 404, "The page you were looking for does not exist, or you are not allowed to see it.");
		return;
	}
	w->resp->status = 200;
	w->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	buf_reset(&w->resp->body);
	metrics_render(&w->resp->body);
	int64_t since = 0;
	enum store_health h = store_health(w->app->store, NULL, &since);
	buf_printf(&w->resp->body,
	           "# HELP quire_store_health How the store is doing: 0 healthy, 1 read-only (writes fail: a full disk, no "
	           "primary database), 2 down (the database does not answer).\n"
	           "# TYPE quire_store_health gauge\nquire_store_health %d\n"
	           "# HELP quire_store_unhealthy_seconds How long the store has been unhealthy (0 while healthy).\n"
	           "# TYPE quire_store_unhealthy_seconds gauge\nquire_store_unhealthy_seconds %lld\n",
	           (int)h, h ? (long long)(time(NULL) - since) : 0LL);
	buf_printf(&w->resp->body,
	           "# HELP quire_store_round_trips_total Round trips to the database server that requests and jobs waited for "
	           "(0 for SQLite, which is in the process).\n"
	           "# TYPE quire_store_round_trips_total counter\nquire_store_round_trips_total %llu\n",
	           (unsigned long long)atomic_load(&w->app->store->round_trips));
	http_response_header(w->resp, w->arena, "Cache-Control", "no-store");
}
