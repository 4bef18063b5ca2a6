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
# Each hostile request costs the server at most this much CPU time (its threads' user + system time, which a
# machine busy with other work does not stretch as it stretches wall time); sanitizer builds run several times
# slower. Anything worse than linear on these 8 MiB bodies would cost minutes, not seconds.
SANITIZER = os.environ.get("QUIRE_SANITIZER", "")
SECONDS = {"": 2.0, "asan": 6.0, "tsan": 20.0}.get(SANITIZER, 2.0)
WALL_SECONDS = 60.0  # and it is answered at all, however busy the machine
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


def cpu_seconds(srv):
    """The server process's CPU time so far (all threads, user + system), in seconds."""
    with open("/proc/%d/stat" % srv.proc.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    cpu0 = cpu_seconds(srv)
    r, took = timed(lambda: c.post("/works", body))
    cpu = cpu_seconds(srv) - cpu0
    status(r, 413, 422)
    if r.status == 422:
        check('href="#%s"' % field in r.text, "%s: the answer does not name the %s field" % (what, field))
    check(cpu < SECONDS, "%s cost the server %.1f s of CPU (want < %.0f s)" % (what, cpu, SECONDS))
    check(took < WALL_SECONDS, "%s took %.1f s to answer (want < %.0f s)" % (what, took, WALL_SECONDS))
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
    """The answer and the server's CPU time for it (checked against SECONDS), answered within WALL_SECONDS."""
    c = srv.client()
    c.timeout = 60
    cpu0 = cpu_seconds(srv)
    r, took = timed(lambda: c.request("POST", "/api/v1/works", body=body, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"}))
    check(took < WALL_SECONDS, "a request took %.1f s to answer (want < %.0f s)" % (took, WALL_SECONDS))
    return r, cpu_seconds(srv) - cpu0


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
        check(took < SECONDS, "100,000-deep nesting cost %.1f s of CPU" % took)
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
        check(took < SECONDS, "a 1,000,000-item array cost %.1f s of CPU" % took)
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
