"""End-to-end: GET /metrics in Prometheus text format, labelled by route pattern, for local clients only."""
import re
import sys

from quire_e2e import Server, check, contains, eq, main, not_contains, status

SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? [-+0-9.eE]+(Inf)?$')


def samples(text):
    """{name{labels}: value} of every sample line; fails on a line that is not Prometheus text."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        check(SAMPLE.match(line), "not a Prometheus sample line: %r" % line)
        key, _, value = line.rpartition(" ")
        out[key] = float(value)
    return out


def test_metrics_count_requests_by_route_pattern_and_status():
    with Server() as srv:
        c = srv.client()
        status(c.get("/healthz"), 200)
        status(c.get("/healthz"), 200)
        status(c.get("/users/nobody-by-this-name"), 404)
        status(c.get("/works"), 200)
        for i in range(50):  # distinct raw paths must not make distinct series
            status(c.get("/no/such/page/%d" % i), 404)
        r = c.get("/metrics")
        status(r, 200)
        check(r.header("Content-Type", "").startswith("text/plain"), "Content-Type %r" % r.header("Content-Type"))
        text = r.text
        m = samples(text)
        eq(m.get('quire_http_requests_total{route="/healthz",method="GET",status="200"}'), 2.0, "healthz count")
        eq(m.get('quire_http_requests_total{route="/users/:name",method="GET",status="404"}'), 1.0,
           "a missing user counts under its route pattern")
        eq(m.get('quire_http_requests_total{route="none",method="",status="404"}'), 50.0, "unrouted 404s")
        not_contains(text, "nobody-by-this-name", "/metrics")
        not_contains(text, "/no/such/page", "/metrics")
        eq(m.get('quire_http_request_duration_seconds_count{route="/works",method="GET"}'), 1.0, "latency count")
        check('quire_http_request_duration_seconds_bucket{route="/works",method="GET",le="+Inf"}' in m,
              "no +Inf bucket for /works")
        contains(text, "# TYPE quire_http_request_duration_seconds histogram")
        contains(text, "# TYPE quire_http_requests_total counter")
        for gauge in ("quire_workpool_queue_depth", "quire_workpool_busy_workers", "quire_workpool_threads"):
            contains(text, "# TYPE %s gauge" % gauge)
            check(gauge in m, "no %s sample" % gauge)
        eq(m["quire_workpool_queue_depth"], 0.0, "queue depth at rest")
        eq(m["quire_workpool_busy_workers"], 0.0, "busy workers at rest")


def test_slow_requests_show_in_the_worker_pool_counters():
    with Server() as srv:
        c = srv.client()
        c.signup("metered", "metered@example.org", "correct horse 42")
        m = samples(c.get("/metrics").text)
        check(m.get("quire_workpool_jobs_accepted_total", 0) >= 1, "sign-up did not run on the worker pool: %r"
              % m.get("quire_workpool_jobs_accepted_total"))
        check(m.get('quire_http_requests_total{route="/signup",method="POST",status="303"}') == 1.0,
              "sign-up not counted as POST /signup 303")


def test_metrics_show_the_page_cache_and_store_operations():
    with Server() as srv:
        c = srv.client()
        status(c.get("/works"), 200)  # a guest's cacheable page: a miss, then a hit
        status(c.get("/works"), 200)
        m = samples(c.get("/metrics").text)
        check(m.get('quire_cache_hits_total{kind="page"}', 0) >= 1, "no page cache hit counted")
        check(m.get('quire_cache_misses_total{kind="page"}', 0) >= 1, "no page cache miss counted")
        check(m.get("quire_cache_bytes", 0) > 0, "the cache holds no bytes after a cached page")
        check(m.get('quire_store_operation_duration_seconds_count{op="work_find"}', 0) >= 1,
              "the listing's store operation was not timed")
        check('quire_store_operation_duration_seconds_bucket{op="work_find",le="+Inf"}' in m,
              "no +Inf bucket for store operation work_find")


def test_metrics_are_not_shown_to_outside_clients():
    # Behind a trusted proxy, an outside client (its address in X-Forwarded-For) gets the ordinary 404.
    with Server(args=["--trusted-proxies", "127.0.0.1"]) as srv:
        c = srv.client()
        r = c.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        status(r, 404)
        not_contains(r.text, "quire_http_requests_total")
        # A spoofed loopback entry left of the real client changes nothing.
        r = c.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.9"})
        status(r, 404)
        status(c.get("/metrics"), 200)  # the proxy host itself may scrape
    # Without trusted proxies the header is the client's own claim and is ignored.
    with Server() as srv:
        status(srv.client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}), 200)


if __name__ == "__main__":
    sys.exit(main(globals()))
