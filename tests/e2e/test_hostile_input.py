"""End-to-end: hostile lists cost time and memory linear in their size and get a clear 4xx, through the work
form (co-creator names, tags) and the JSON API (deep nesting, huge arrays)."""

import json
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quire_e2e import Server, check, csrf_from, main, run_cli, status  # noqa: E402

BODY_MAX = 8 * 1024 * 1024
SECONDS = 2.0      # each hostile request is answered within this
# and the server's peak memory stays under this. Sanitizer builds (tests/CMakeLists.txt sets QUIRE_SANITIZER)
# carry shadow memory: ThreadSanitizer's roughly quadruples what the same request holds in a release build.
PEAK_MB = {"": 200, "asan": 400, "tsan": 800}.get(os.environ.get("QUIRE_SANITIZER", ""), 200)


def peak_rss_mb(srv):
    """The server process's peak resident memory (VmHWM) in MiB."""
    with open("/proc/%d/status" % srv.proc.pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise AssertionError("no VmHWM in /proc/%d/status" % srv.proc.pid)


def timed(fn):
    t0 = time.monotonic()
    r = fn()
    return r, time.monotonic() - t0


def writer(srv, name="hostile"):
    """A logged-in browser client with the CSRF token of its session."""
    c = srv.client()
    c.timeout = 60
    status(c.signup(name, name + "@example.org", "correct horse battery"), 303)
    token = csrf_from(c.get("/works/new").text)
    check(token, "no csrf token on /works/new")
    return c, token


def work_form(token, **extra):
    fields = [("csrf_token", token), ("title", "A Hostile Work"), ("rating", "General Audiences"),
              ("warnings", "No Archive Warnings Apply"), ("fandoms", "Original Work"),
              ("chapter_content", "A chapter long enough to be posted.")]
    fields += list(extra.items())
    return urllib.parse.urlencode(fields)


def filled_form(token, field, item):
    """A work form whose `field` is a comma-separated list of item(i) as long as the body limit allows."""
    base = len(work_form(token, **{field: ""}))
    room = BODY_MAX - base - 64
    parts, size, i = [], 0, 0
    while True:
        p = item(i)
        step = len(p) + 3  # the comma is %2C once encoded
        if size + step > room:
            break
        parts.append(p)
        size += step
        i += 1
    body = work_form(token, **{field: ",".join(parts)})
    check(len(body) <= BODY_MAX, "form of %d bytes is over the body limit" % len(body))
    return body, len(parts)


def post_bounded(srv, c, body, field, what):
    r, took = timed(lambda: c.post("/works", body))
    status(r, 413, 422)
    if r.status == 422:
        check('href="#%s"' % field in r.text, "%s: the answer does not name the %s field" % (what, field))
    check(took < SECONDS, "%s took %.1f s (want < %.0f s)" % (what, took, SECONDS))
    peak = peak_rss_mb(srv)
    check(peak < PEAK_MB, "%s: server peak memory %.0f MiB (want < %d)" % (what, peak, PEAK_MB))
    return r


def test_eight_mib_of_coauthor_names_is_refused_fast():
    with Server() as srv:
        c, token = writer(srv)
        body, n = filled_form(token, "coauthors", lambda i: "nobody%07d" % i)
        check(n > 400000, "only %d names fit" % n)
        r = post_bounded(srv, c, body, "coauthors", "%d co-creator names" % n)
        if r.status == 422:
            check("at most 10 co-creators" in r.text, "the answer does not give the cap")
        # The server still answers, and nothing was posted.
        status(c.get("/healthz"), 200)
        check("A Hostile Work" not in c.get("/users/hostile").text, "a work was posted")


def test_eight_mib_of_tags_is_refused_fast():
    with Server() as srv:
        c, token = writer(srv)
        body, n = filled_form(token, "freeforms", lambda i: "tag %07d" % i)
        check(n > 400000, "only %d tags fit" % n)
        post_bounded(srv, c, body, "freeforms", "%d additional tags" % n)
        status(c.get("/healthz"), 200)


def test_forty_thousand_tags_answer_fast():
    with Server() as srv:
        c, token = writer(srv)
        body = work_form(token, freeforms=",".join("Tag number %d" % i for i in range(40000)))
        r = post_bounded(srv, c, body, "freeforms", "40,000 tags")
        check("at most 75" in r.text, "the answer does not give the cap of 75")
        # The same tag 40,000 times is still 40,000 tags: the cap comes before de-duplication.
        body = work_form(token, characters=",".join(["Same Character"] * 40000))
        post_bounded(srv, c, body, "characters", "one tag 40,000 times")


def api_writer(srv):
    c, _ = writer(srv, "apiwriter")
    r = run_cli(["token", "add", "apiwriter"], data=srv.data)
    check(r.returncode == 0, "token add failed: %s" % r.stderr)
    return r.stdout.strip()


def api_post(srv, token, body):
    c = srv.client()
    c.timeout = 60
    return timed(lambda: c.request("POST", "/api/v1/works", body=body, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"}))


def valid_work(**extra):
    w = {"title": "Shapes", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
         "fandoms": ["Original Work"], "chapter": {"content": "A chapter long enough to be posted."}}
    w.update(extra)
    return w


def test_json_nesting_is_capped():
    with Server() as srv:
        token = api_writer(srv)
        deep = b"[" * 100000 + b"]" * 100000
        r, took = api_post(srv, token, b'{"title": ' + deep + b"}")
        status(r, 400, 422)
        check(took < SECONDS, "100,000-deep nesting took %.1f s" % took)
        # The documented cap is 32 levels: an unknown field nested 33 deep is refused, 32 is fine.
        for depth, want in ((33, 400), (32, 201)):
            extra = json.loads("[" * (depth - 1) + "]" * (depth - 1))
            r, took = api_post(srv, token, json.dumps(valid_work(x=extra)).encode())
            status(r, want)
            if want == 400:
                check("32 levels" in r.json()["error"]["message"], "the answer does not give the cap")


def test_json_million_item_array_is_refused_fast():
    with Server() as srv:
        token = api_writer(srv)
        # A million distinct tags (about 8 MB): refused before anything is built from them.
        tags = ",".join('"%05x"' % i for i in range(1000000))
        body = json.dumps(valid_work()).encode()[:-1] + b', "freeforms": [' + tags.encode() + b"]}"
        check(len(body) <= BODY_MAX, "body of %d bytes is over the limit" % len(body))
        r, took = api_post(srv, token, body)
        status(r, 400, 422)
        check(took < SECONDS, "a 1,000,000-item array took %.1f s" % took)
        peak = peak_rss_mb(srv)
        check(peak < PEAK_MB, "server peak memory %.0f MiB (want < %d)" % (peak, PEAK_MB))
        # A list over a cap but within the array limit is a field error, not a parse error.
        r, _ = api_post(srv, token, json.dumps(valid_work(freeforms=["t%d" % i for i in range(500)])).encode())
        status(r, 422)
        check("freeforms" in r.json()["error"]["fields"], "freeforms not named: %s" % r.text)
        r, _ = api_post(srv, token, json.dumps(valid_work(coauthors=["n%d" % i for i in range(11)])).encode())
        status(r, 422)
        check("coauthors" in r.json()["error"]["fields"], "coauthors not named: %s" % r.text)


if __name__ == "__main__":
    sys.exit(main(globals()))
