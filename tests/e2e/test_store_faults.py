"""End-to-end: the store's own faults. An SQLite file that can no longer grow (the disk is full: here a file
size limit, RLIMIT_FSIZE, set on the running server with prlimit, which works unprivileged) makes the archive
read-only for a while: reads keep working, every write answers 503 with Retry-After and a sentence saying so,
forms keep what was typed, /healthz and /metrics tell, the log says it once; once there is room again the next
write works by itself, and nothing acknowledged is lost."""
import os
import re
import resource
import sys
import time

from quire_e2e import STORE_KIND, Server, check, contains, eq, main, not_contains, redirect, status
from test_comments import chapter_ids, post_comment
from test_works import post_work, user, work_fields


def files_of(srv):
    return [os.path.join(srv.data, n) for n in os.listdir(srv.data) if n.startswith("quire.db")]


def log_of(srv):
    return srv.log_text(limit=10 ** 7)


def wait_for(fn, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        check(time.monotonic() < deadline, "timed out waiting for %s" % what)
        time.sleep(0.05)


def test_full_disk_makes_the_archive_read_only_until_there_is_room():
    if STORE_KIND != "sqlite":
        print("(SQLite's own faults: nothing to do on %s)" % STORE_KIND)
        return
    with Server(env={"QUIRE_ACCESS_LOG": "false"}) as srv:
        creator = user(srv, "fault_writer")
        wid = post_work(creator)
        cid = chapter_ids(srv, creator, wid)[0]
        reader = user(srv, "fault_reader")
        first = post_comment(reader, wid, cid, "Written before the disk filled up.")
        status(first, 303)

        # The disk is full: no file of the server may grow past its current size (the log may: it is smaller).
        largest = max(os.path.getsize(p) for p in files_of(srv))
        check(os.path.getsize(srv.logs[-1]) + 65536 < largest, "the log is larger than the database")
        resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (largest, resource.RLIM_INFINITY))
        try:
            # Writes are refused with 503, Retry-After and the sentence; the form keeps the text.
            typed = "A long comment the reader does not want to lose, typed while the disk was full."
            for _ in range(3):
                r = post_comment(reader, wid, cid, typed)
                status(r, 503)
                check(r.headers.get("Retry-After", "").isdigit(), "no Retry-After on the 503")
                contains(r.text, "read-only for now")
                contains(r.text, typed)
            # Every other kind of write answers the same way: a new work (its form keeps what was typed).
            creator.get("/works/new")
            r = creator.post_form("/works", work_fields(title="Typed While Full"))
            status(r, 503)
            contains(r.text, "read-only for now")
            contains(r.text, "Typed While Full")
            # Reads keep working.
            status(srv.client().get("/works/%d" % wid), 200)
            status(reader.get("/works/%d/chapters/%d" % (wid, cid)), 200)
            # /healthz answers (the server runs) and says what is wrong; /metrics too.
            h = srv.client().get("/healthz")
            status(h, 200)
            contains(h.text, "read-only")
            m = srv.client().get("/metrics")
            status(m, 200)
            contains(m.text, "quire_store_health 1")
            # Said once in the log, however many requests failed.
            lines = [l for l in log_of(srv).splitlines() if "read-only" in l and "store:" in l]
            eq(len(lines), 1, "outage lines in the log: %r" % lines)
            not_contains(log_of(srv), "internal error")
        finally:
            # Room again.
            resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        r = post_comment(reader, wid, cid, "Written once there was room again.")
        status(r, 303)
        wait_for(lambda: "works again" in log_of(srv), what="the recovery line")
        h = srv.client().get("/healthz")
        eq(h.text, "ok\n", "/healthz after recovery")
        contains(srv.client().get("/metrics").text, "quire_store_health 0")
        # What was acknowledged is there; what was refused is not.
        srv.restart()
        page = reader.get("/works/%d/chapters/%d" % (wid, cid)).text
        contains(page, "Written before the disk filled up.")
        contains(page, "Written once there was room again.")
        not_contains(page, "typed while the disk was full")


if __name__ == "__main__":
    sys.exit(main(globals()))
