/* GET /metrics: Prometheus text from core/metrics.c's sources, shown only to local clients. */
#include "web/metrics_page.h"
#include "core/metrics.h"

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
	http_response_header(w->resp, w->arena, "Cache-Control", "no-store");
}
