/* GET /metrics: every registered metrics source in Prometheus text format, for local scrapers only. */
#ifndef QUIRE_WEB_METRICS_PAGE_H
#define QUIRE_WEB_METRICS_PAGE_H
#include "web/web.h"

/* Answers 404 (as for any missing page) unless the client is loopback or a trusted proxy. */
void page_metrics(struct web_req *w);
#endif
