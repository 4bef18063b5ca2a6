"""End-to-end: graceful shutdown finishes requests in flight; the guest page cache never serves stale or
personal pages."""
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse

from quire_e2e import Server, check, contains, csrf_from, main, not_contains, redirect, status

PW = "correct horse 42"


def test_sigterm_finishes_a_request_in_flight():
    # "moderate" argon2id takes a good fraction of a second: long enough to signal mid-request.
    with Server(env={"QUIRE_PASSWORD_COST": "moderate"}) as srv:
        c = srv.client()
        page = c.get("/signup").text
        token = csrf_from(page)
        cookie = "; ".join("%s=%s" % kv for kv in c.cookies.items())
        body = urllib.parse.urlencode({"csrf_token": token, "username": "inflight", "email": "in@example.org",
                                       "password": PW, "password_confirmation": PW}).encode()
        req = (b"POST /signup HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + cookie.encode() +
               b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
               str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        result = {}

        def send():
            result["raw"] = srv.raw(req, timeout=30.0)

        t = threading.Thread(target=send)
        t.start()
        time.sleep(0.15)  # the request is being handled (hashing the password)
        srv.proc.send_signal(signal.SIGTERM)
        # While the request in flight finishes, the door is shut: new connections are refused (tried
        # until they are, or until the answer comes: that would be too late).
        refused_in_flight = False
        deadline = time.time() + 10
        while t.is_alive() and time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", srv.port), timeout=5.0).close()
                time.sleep(0.01)
            except (ConnectionRefusedError, ConnectionResetError):
                # reset: the handshake raced the listening socket's close; not served either way
                refused_in_flight = t.is_alive()
                break
        check(refused_in_flight, "a new connection during the graceful stop was refused while the request ran")
        t.join(40)
        raw = result.get("raw", b"")
        check(raw.startswith(b"HTTP/1.1 303"), "the request in flight was answered: %r" % raw[:200])
        srv.proc.wait(20)
        eq_code = srv.proc.returncode
        check(eq_code == 0, "clean exit after SIGTERM, got %r" % eq_code)
        srv.proc = None
        # the acknowledged sign-up is there after a restart
        srv.start()
        status(srv.client().login("inflight", PW), 303)


def test_guest_cache_follows_every_change():
    with Server() as srv:
        author = srv.client()
        redirect(author.signup("cacher", "cacher@example.org", PW), "/account", "/")
        author.get("/works/new")
        r = author.post_form("/works", {
            "title": "First Title", "rating": "General Audiences", "warnings": "No Archive Warnings Apply",
            "fandoms": "Original Work", "chapter_format": "text", "action": "post",
            "chapter_content": "The first version of the chapter text."})
        status(r, 303)
        work = re.sub(r"^https?://[^/]+", "", r.header("Location")).split("?")[0]  # without ?notice=posted
        guest = srv.client()
        first = guest.get(work)
        status(first, 200)
        contains(first.text, "First Title")
        again = guest.get(work)
        check(again.text == first.text, "a guest's second visit gets the same page")
        # the author's own view is personal and must never be served to guests
        mine = author.get(work)
        contains(mine.text, "Log out")
        contains(mine.text, "/edit")
        g = guest.get(work)
        not_contains(g.text, "Log out")
        not_contains(g.text, work + "/edit")
        # an edit shows at once for guests
        edit = author.get(work + "/edit").text
        fields = [("csrf_token", csrf_from(edit)), ("title", "Second Title"), ("rating", "General Audiences"),
                  ("warnings", "No Archive Warnings Apply"), ("fandoms", "Original Work"), ("language", "English")]
        status(author.post_form(work, fields, csrf=False), 303)
        g = guest.get(work)
        contains(g.text, "Second Title")
        not_contains(g.text, "First Title")
        # reading preferences give their own page
        status(guest.post_form("/prefs", {"theme": "dark", "font_size": "l", "return": work}), 303)
        dark = guest.get(work)
        contains(dark.text, "theme-dark")
        status(guest.get(work), 200)
        # deleting the work: guests get 404 at once
        page = author.get(work + "/delete").text
        status(author.post_form(work + "/delete", {"csrf_token": csrf_from(page)}, csrf=False), 303)
        status(guest.get(work), 404)


if __name__ == "__main__":
    sys.exit(main(globals()))
