"""End-to-end: mail through a real SMTP server on loopback (aiosmtpd): subscriptions and their notification
mail, one-click unsubscribe links, delivery across SMTP outages and restarts, password resets, address
confirmation, the subscriptions API and `quire user password`."""
import email
import email.policy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

from quire_e2e import (Server, check, contains, eq, free_port, main, not_contains, redirect, run_cli, sql_exec,
                       sql_rows, status)

PW = "correct horse 42"

# A tiny SMTP sink: aiosmtpd's Controller writing each delivered message to a directory.
SINK = r'''
import os, signal, sys
from aiosmtpd.controller import Controller

class Store:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        d = sys.argv[2]
        tmp = os.path.join(d, ".tmp")
        with open(tmp, "wb") as f:
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        n = len([x for x in os.listdir(d) if x.endswith(".eml")])
        os.rename(tmp, os.path.join(d, "%05d.eml" % n))
        return "250 OK"

signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
c = Controller(Store(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
signal.sigwait([signal.SIGTERM, signal.SIGINT])
c.stop()
'''


def aiosmtpd_python():
    """An interpreter that has aiosmtpd (Debian's python3-aiosmtpd is for /usr/bin/python3)."""
    for exe in (sys.executable, "/usr/bin/python3"):
        if exe and subprocess.run([exe, "-c", "import aiosmtpd"], capture_output=True).returncode == 0:
            return exe
    raise AssertionError("aiosmtpd is not installed: scripts/deps.sh test installs python3-aiosmtpd")


def wait_for(fn, timeout=30.0, what="condition"):
    """Polls fn until it returns something truthy; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(0.05)


class Sink:
    """A real SMTP server on a fixed loopback port that can be stopped and started again."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="quire-smtp-")
        self.script = os.path.join(self.dir, "sink.py")
        self.maildir = os.path.join(self.dir, "mail")
        os.mkdir(self.maildir)
        with open(self.script, "w") as f:
            f.write(SINK)
        self.python = aiosmtpd_python()
        self.proc = None

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def start(self):
        self.proc = subprocess.Popen([self.python, self.script, str(self.port), self.maildir],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()  # Controller.start() returns once it accepts connections
        check(line.strip() == "ready", "the SMTP sink did not start: %r" % line)

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
            self.proc = None

    def messages(self):
        out = []
        for name in sorted(os.listdir(self.maildir)):
            if name.endswith(".eml"):
                with open(os.path.join(self.maildir, name), "rb") as f:
                    raw = f.read()
                m = email.message_from_bytes(raw, policy=email.policy.default)
                m.raw = raw
                out.append(m)
        return out

    def wait(self, pred, what, timeout=30.0):
        """The first delivered message for which pred(message) holds."""
        def find():
            for m in self.messages():
                if pred(m):
                    return m
            return None
        return wait_for(find, timeout, what)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


def to(m):
    return m["X-Envelope-To"]


def body(m):
    return m.get_content()


def mail_env(sink, **extra):
    env = {"QUIRE_SMTP_URL": sink.url, "QUIRE_MAIL_FROM": "Quire Archive <archive@example.org>"}
    env.update(extra)
    return env


def db_rows(srv, sql, *args):
    """Rows of sql on the live database, whichever backend (read-only, beside the server)."""
    return sql_rows(srv.data, sql, *args)


def add_user(srv, name, role="user"):
    """NAME with a password and a fresh API token (the CLI)."""
    p = run_cli(["user", "add", name, "%s@example.org" % name, "--role", role], data=srv.data, stdin=PW + "\n")
    eq(p.returncode, 0, "user add %s (stderr: %s)" % (name, p.stderr))
    p = run_cli(["token", "add", name], data=srv.data)
    eq(p.returncode, 0, "token add %s (stderr: %s)" % (name, p.stderr))
    return p.stdout.strip()


def api(srv, method, path, body=None, token=None, raw=None, content_type="application/json", headers=None):
    h = {"Accept": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None and content_type:
        h["Content-Type"] = content_type
    if headers:
        h.update(headers)
    return srv.client().request(method, path, body=data, headers=h)


def post_work(srv, token, title="The Long Way Home", **over):
    b = {"title": title, "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
         "fandoms": ["Original Work"], "chapter": {"title": "Setting Out", "format": "text",
                                                   "content": "They left at dawn, and the road was long."}}
    b.update(over)
    r = api(srv, "POST", "/api/v1/works", b, token)
    status(r, 201)
    return r.json()["id"]


def post_chapter(srv, token, work_id, title):
    r = api(srv, "POST", "/api/v1/works/%d/chapters" % work_id,
            {"title": title, "format": "text", "content": "The story goes on, a little further each day."}, token)
    status(r, 201)
    return r.json()["id"]


def subscribe(srv, token, type_, id_, **extra):
    b = {"type": type_, "id": id_}
    b.update(extra)
    return api(srv, "POST", "/api/v1/subscriptions", b, token)


def local(url):
    """The path and query of an absolute link from a mail."""
    u = urllib.parse.urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def link(text, path):
    m = re.search(r"(http://\S+%s\S*)" % re.escape(path), text)
    check(m, "no %s link in:\n%s" % (path, text))
    return m.group(1)


# -- tests --

def test_new_chapter_mail_and_one_click_unsubscribe():
    with Sink() as sink, Server(env=mail_env(sink)) as srv:
        ta = add_user(srv, "author")
        add_user(srv, "reader")
        tb = add_user(srv, "second")
        wid = post_work(srv, ta, title="Harbour Street \u00e9t\u00e9")

        # The reader subscribes with the button on the work page.
        c = srv.client()
        c.login("reader", PW)
        page = c.get("/works/%d" % wid)
        contains(page.text, 'action="/subscriptions"')
        r = c.post_form("/subscriptions", [("type", "work"), ("id", str(wid)), ("return", "/works/%d" % wid)])
        redirect(r, "/works/%d" % wid)
        contains(c.get("/works/%d" % wid).text, "Unsubscribe")
        contains(c.get("/subscriptions").text, "Harbour Street")
        # Twice: a clear answer, nothing changes.
        r = subscribe(srv, add_user(srv, "third"), "work", wid)
        status(r, 201)
        status(subscribe(srv, tb, "work", wid), 201)
        again = subscribe(srv, tb, "work", wid)
        status(again, 409)
        eq(again.json()["error"]["code"], "already_subscribed", "error code")
        eq(len(db_rows(srv, "SELECT id FROM subscriptions WHERE work_id = ?", wid)), 3, "subscriptions")

        cid = post_chapter(srv, ta, wid, "The Lighthouse")
        m = sink.wait(lambda m: to(m) == "reader@example.org", "the reader's new-chapter mail")
        eq(m["To"], "reader@example.org", "To")
        check(b"\r\nTo: reader@example.org\r\n" in m.raw, "the raw To header")
        contains(m["From"], "archive@example.org", "From")
        contains(m["Subject"], "Chapter 2 of Harbour Street \u00e9t\u00e9", "Subject")
        check(b"=?UTF-8?B?" in m.raw.split(b"\r\n\r\n", 1)[0], "a non-ASCII subject is RFC 2047 encoded")
        check(m["Date"] and m["Message-ID"] and m["MIME-Version"] == "1.0", "Date, Message-ID, MIME-Version")
        eq(m.get_content_type(), "text/plain", "content type")
        eq(m.get_content_charset(), "utf-8", "charset")
        eq(m["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", "List-Unsubscribe-Post")
        unsub = m["List-Unsubscribe"].strip("<>")
        check(unsub.startswith(srv.base + "/unsubscribe?token="), "List-Unsubscribe %r" % unsub)
        text = body(m)
        contains(text, "%s/works/%d/chapters/%d" % (srv.base, wid, cid), "mail body")
        eq(link(text, "/unsubscribe"), unsub, "the body's unsubscribe link")
        for line in m.raw.split(b"\r\n"):
            check(len(line) <= 998, "line over 998 octets")
        other = sink.wait(lambda m: to(m) == "second@example.org", "the second subscriber's mail")
        check(other["List-Unsubscribe"] != m["List-Unsubscribe"], "each subscriber has their own link")

        # The link works without logging in; GET only asks.
        guest = srv.client()
        r = guest.get(local(unsub))
        status(r, 200)
        contains(r.text, "Harbour Street")
        contains(r.text, "<form")
        eq(len(db_rows(srv, "SELECT id FROM subscriptions WHERE work_id = ?", wid)), 3, "GET changes nothing")
        # A tampered token is refused and changes nothing.
        bad = unsub[:-1] + ("0" if unsub[-1] != "0" else "1")
        status(guest.post(local(bad), "List-Unsubscribe=One-Click"), 400)
        eq(len(db_rows(srv, "SELECT id FROM subscriptions WHERE work_id = ?", wid)), 3, "bad token")
        # RFC 8058 one-click: a POST with no cookies and no CSRF token.
        r = srv.client().post(local(unsub), "List-Unsubscribe=One-Click")
        status(r, 200)
        contains(r.text, "Unsubscribed")
        eq(len(db_rows(srv, "SELECT id FROM subscriptions WHERE work_id = ?", wid)), 2, "after one-click")
        status(srv.client().post(local(unsub), "List-Unsubscribe=One-Click"), 200)  # again: same result
        contains(c.get("/works/%d" % wid).text, ">Subscribe<")
        # The second subscriber's mail program sends multipart/form-data (RFC 8058's SHOULD).
        unsub2 = other["List-Unsubscribe"].strip("<>")
        boundary = "----quire"
        mp = ("--%s\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--%s--\r\n"
              % (boundary, boundary))
        r = srv.client().post(local(unsub2), mp, content_type="multipart/form-data; boundary=" + boundary)
        status(r, 200)

        # Further chapters send them nothing; the third subscriber's mail shows the batch went out.
        cid3 = post_chapter(srv, ta, wid, "Low Tide")
        sink.wait(lambda m: to(m) == "third@example.org" and "Chapter 3" in m["Subject"], "the third's mail")
        wait_for(lambda: not db_rows(srv, "SELECT id FROM outbox WHERE chapter_id = ? AND status != 'sent'", cid3),
                 what="chapter 3's mail to be sent")
        for m in sink.messages():
            if "Chapter 3" in m["Subject"]:
                eq(to(m), "third@example.org", "only the remaining subscriber gets chapter 3")
        eq(db_rows(srv, "SELECT COUNT(*) FROM inbox WHERE chapter_id = ?", cid3)[0][0], 1, "inbox rows")


def test_mail_survives_smtp_outage_and_restart():
    with Sink() as sink:
        sink.stop()  # the mail server is down from the start
        with Server(env=mail_env(sink, QUIRE_MAIL_RETRY_MIN_SECONDS="1")) as srv:
            ta = add_user(srv, "author")
            tr = add_user(srv, "reader")
            wid = post_work(srv, ta)
            status(subscribe(srv, tr, "work", wid), 201)

            # Down while the server runs: the attempt fails, is recorded, and is retried.
            cid = post_chapter(srv, ta, wid, "Two")
            row = wait_for(lambda: db_rows(srv, "SELECT status, attempts, last_error FROM outbox WHERE chapter_id = ?"
                                                " AND attempts >= 1 AND last_error IS NOT NULL", cid),
                           what="a failed attempt recorded")[0]
            eq(row[0], "queued", "status after a failed attempt")
            sink.start()
            sink.wait(lambda m: "Chapter 2" in m["Subject"], "the chapter 2 mail after the outage")
            wait_for(lambda: db_rows(srv, "SELECT 1 FROM outbox WHERE chapter_id = ? AND status = 'sent'", cid),
                     what="the row marked sent")

            # Down again, and Quire restarts meanwhile: the queue survives and delivery resumes.
            sink.stop()
            cid3 = post_chapter(srv, ta, wid, "Three")
            wait_for(lambda: db_rows(srv, "SELECT 1 FROM outbox WHERE chapter_id = ? AND attempts >= 1 AND "
                                          "last_error IS NOT NULL", cid3), what="a failed attempt for chapter 3")
            srv.stop()
            sink.start()
            srv.start()
            sink.wait(lambda m: "Chapter 3" in m["Subject"], "the chapter 3 mail after the restart")
            eq(len([m for m in sink.messages() if "Chapter 3" in m["Subject"]]), 1, "chapter 3 mails")


def test_refused_and_expired_mail_is_recorded_as_failed():
    with Sink() as sink, Server(env=mail_env(sink, QUIRE_MAIL_RETRY_MIN_SECONDS="1")) as srv:
        ta = add_user(srv, "author")
        tb = add_user(srv, "bounce")  # the relay refuses this mailbox for good (550)
        tr = add_user(srv, "reader")
        wid = post_work(srv, ta)
        status(subscribe(srv, tb, "work", wid), 201)
        status(subscribe(srv, tr, "work", wid), 201)
        cid = post_chapter(srv, ta, wid, "Two")
        row = wait_for(lambda: db_rows(srv, "SELECT status, attempts, last_error FROM outbox WHERE chapter_id = ?"
                                            " AND user_id = (SELECT id FROM users WHERE name = 'bounce')"
                                            " AND status NOT IN ('queued', 'sending')", cid),
                       what="the refused mail recorded")[0]
        eq(row[:2], ("failed", 1), "a 5xx answer fails at once, without retries")
        contains(row[2], "550", "the relay's answer is kept")
        sink.wait(lambda m: to(m) == "reader@example.org", "the other subscriber's mail")

        # Undelivered for 3 days: given up, with the last error kept.
        sink.stop()
        cid3 = post_chapter(srv, ta, wid, "Three")
        mine = "chapter_id = %d AND user_id = (SELECT id FROM users WHERE name = 'reader')" % cid3
        wait_for(lambda: db_rows(srv, "SELECT 1 FROM outbox WHERE %s AND attempts >= 1 AND last_error IS NOT NULL"
                                      % mine), what="a failed attempt")
        sql_exec(srv.data, "UPDATE outbox SET created_at = created_at - 4 * 86400 WHERE " + mine)
        row = wait_for(lambda: db_rows(srv, "SELECT status, last_error FROM outbox WHERE %s AND status = 'failed'"
                                            % mine), what="the old mail given up")[0]
        contains(row[1], "gave up after", "the reason")


def test_with_mail_dir_off_mail_stays_queued():
    with Sink() as sink:
        data = tempfile.mkdtemp(prefix="quire-e2e-")
        try:
            with Server(data=data, env={"QUIRE_MAIL_DIR": "off"}) as srv:
                ta = add_user(srv, "author")
                tr = add_user(srv, "reader")
                wid = post_work(srv, ta)
                status(subscribe(srv, tr, "work", wid), 201)
                cid = post_chapter(srv, ta, wid, "Two")
                eq(db_rows(srv, "SELECT status, attempts FROM outbox WHERE chapter_id = ?", cid), [("queued", 0)],
                   "queued, never attempted")
                contains(srv.log_text(), "smtp_url is not set and mail_dir is off", "log")
                check(not os.path.exists(os.path.join(data, "mail")), "no mail folder with mail_dir = off")
            # Configured later: nothing was lost.
            with Server(data=data, env=mail_env(sink)) as srv:
                sink.wait(lambda m: "Chapter 2" in m["Subject"], "the queued mail once smtp_url is set")
        finally:
            shutil.rmtree(data, ignore_errors=True)


def folder_messages(d):
    out = []
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if name.endswith(".eml"):
            with open(os.path.join(d, name), "rb") as f:
                m = email.message_from_bytes(f.read(), policy=email.policy.default)
            m.file = name
            out.append(m)
    return out


def test_without_smtp_url_mail_is_written_to_mail_dir():
    # The default folder, <data>/mail/: a new self-hoster follows a password-reset link from it.
    with Server() as srv:
        add_user(srv, "boss", role="admin")
        add_user(srv, "forgetful")
        folder = os.path.join(srv.data, "mail")
        contains(srv.log_text(), "mail is written to %s" % folder, "the log says where")
        c = srv.client()
        c.get("/password/forgot")
        status(c.post_form("/password/forgot", [("email", "forgetful@example.org")]), 200)
        m = wait_for(lambda: [m for m in folder_messages(folder) if "Reset your password" in m["Subject"]],
                     what="the reset mail in the folder")[0]
        check(re.fullmatch(r"\d{8}-\d{6}-\d+\.eml", m.file), "file name sorts by time: %s" % m.file)
        eq(m["To"], "forgetful@example.org", "To")
        eq(oct(os.stat(folder).st_mode & 0o777), "0o700", "the folder's mode")
        eq(oct(os.stat(os.path.join(folder, m.file)).st_mode & 0o777), "0o600", "the file's mode")
        check(not [n for n in os.listdir(folder) if n.startswith(".")], "no temporary file left")
        url = link(body(m), "/password/reset?token=")
        guest = srv.client()
        status(guest.get(local(url)), 200)
        r = guest.post_form("/password/reset", [("token", url.rsplit("=", 1)[1]), ("password", "brand new pass"),
                                                ("password_confirmation", "brand new pass")])
        status(r, 200)
        status(srv.client().login("forgetful", "brand new pass"), 303)
        wait_for(lambda: db_rows(srv, "SELECT 1 FROM outbox WHERE to_addr = 'forgetful@example.org'"
                                      " AND status = 'sent'"), what="the row recorded as sent")
        # The dashboard says the same: where, and the newest files.
        boss = srv.client()
        redirect(boss.login("boss", PW), "/")
        page = boss.get("/admin").text
        contains(page, folder, "the dashboard names the folder")
        contains(page, m.file, "the dashboard lists the newest file")
    # A folder of one's own, made with its parents.
    top = tempfile.mkdtemp(prefix="quire-maildir-")
    try:
        folder = os.path.join(top, "a", "b")
        with Server(env={"QUIRE_MAIL_DIR": folder}) as srv:
            add_user(srv, "forgetful")
            c = srv.client()
            c.get("/password/forgot")
            status(c.post_form("/password/forgot", [("email", "forgetful@example.org")]), 200)
            wait_for(lambda: folder_messages(folder), what="the mail in QUIRE_MAIL_DIR")
            check(not os.path.exists(os.path.join(srv.data, "mail")), "nothing in <data>/mail")
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_password_reset_through_mail():
    with Sink() as sink, Server(env=mail_env(sink)) as srv:
        add_user(srv, "forgetful")
        logged_in = srv.client()
        redirect(logged_in.login("forgetful", PW), "/")
        status(logged_in.get("/account"), 200)

        c = srv.client()
        contains(c.get("/login").text, "/password/forgot")
        c.get("/password/forgot")
        unknown = c.post_form("/password/forgot", [("email", "nobody@example.org")])
        known = c.post_form("/password/forgot", [("email", "Forgetful@Example.org")])
        status(unknown, 200)
        status(known, 200)
        # The same answer either way.
        eq(unknown.text.replace("nobody@example.org", "X"), known.text.replace("Forgetful@Example.org", "X"),
           "answers for a known and an unknown address")
        m = sink.wait(lambda m: "Reset your password" in m["Subject"], "the reset mail")
        eq(to(m), "forgetful@example.org", "sent to the account's address")
        check(m["List-Unsubscribe"] is None, "account mail has no unsubscribe header")
        url = link(body(m), "/password/reset?token=")
        wait_for(lambda: db_rows(srv, "SELECT status, last_error FROM outbox WHERE to_addr = 'nobody@example.org'"
                                      " AND status = 'dropped'"), what="the unknown address's request dropped")
        check(all(to(m) != "nobody@example.org" for m in sink.messages()), "no mail to an unknown address")
        check(not db_rows(srv, "SELECT 1 FROM mail_tokens WHERE token_hash = ?", url.rsplit("=", 1)[1]),
              "only the token's hash is stored")

        guest = srv.client()
        r = guest.get(local(url))
        status(r, 200)
        contains(r.text, 'name="password"')
        r = guest.post_form("/password/reset", [("token", url.rsplit("=", 1)[1]), ("password", "brand new pass"),
                                                ("password_confirmation", "another pass")])
        status(r, 422)
        r = guest.post_form("/password/reset", [("token", url.rsplit("=", 1)[1]), ("password", "brand new pass"),
                                                ("password_confirmation", "brand new pass")])
        status(r, 200)
        contains(r.text, "Password changed")
        # Every session ended; the new password works, the old one not; the link works once.
        redirect(logged_in.get("/account"), "/login")
        status(srv.client().login("forgetful", PW), 401)
        redirect(srv.client().login("forgetful", "brand new pass"), "/")
        status(srv.client().get(local(url)), 404)
        guest.get("/password/forgot")  # a page with a form, for the CSRF token
        status(guest.post_form("/password/reset", [("token", url.rsplit("=", 1)[1]), ("password", "third pass x"),
                                                   ("password_confirmation", "third pass x")]), 404)
        status(srv.client().get("/password/reset?token=" + "a" * 64), 404)
        # Rate limited per address: a clear 429, nothing queued.
        queued = db_rows(srv, "SELECT COUNT(*) FROM outbox")[0][0]
        for _ in range(2):
            status(c.post_form("/password/forgot", [("email", "forgetful@example.org")]), 200)
        r = c.post_form("/password/forgot", [("email", "forgetful@example.org")])
        status(r, 429)
        check(r.header("Retry-After"), "Retry-After")
        eq(db_rows(srv, "SELECT COUNT(*) FROM outbox")[0][0], queued + 2, "queued after the limit")


def test_required_confirmation_and_address_change():
    with Sink() as sink, Server(env=mail_env(sink, QUIRE_REQUIRE_EMAIL_CONFIRMATION="true")) as srv:
        c = srv.client()
        redirect(c.signup("newbie", "newbie@example.org", PW), "/account")
        first = sink.wait(lambda m: "Confirm your e-mail" in m["Subject"], "the confirmation mail at sign-up")
        eq(to(first), "newbie@example.org", "confirmation recipient")
        # Posting is refused with a clear message and a button to send the link again.
        r = c.get("/works/new")
        status(r, 403)
        contains(r.text, "confirm your e-mail address")
        contains(r.text, 'action="/account/email/resend"')
        token = run_cli(["token", "add", "newbie"], data=srv.data).stdout.strip()
        r = api(srv, "POST", "/api/v1/works", {"title": "x"}, token)
        status(r, 403)
        eq(r.json()["error"]["code"], "email_unconfirmed", "API error code")
        r = c.post_form("/account/email/resend", [])
        redirect(r, "/account")
        second = sink.wait(lambda m: "Confirm your e-mail" in m["Subject"] and m["Message-ID"] != first["Message-ID"],
                           "the second confirmation mail")
        url = link(body(second), "/account/email/confirm?token=")
        r = c.get(local(url))
        status(r, 200)
        contains(r.text, "newbie@example.org")
        r = c.post_form("/account/email/confirm", [("token", url.rsplit("=", 1)[1])])
        redirect(r, "/account")
        contains(c.get("/account").text, "(confirmed)")
        post_work(srv, token, title="Finally Posted")

        # Changing the address: confirmed by a link to the new one; nothing changes until then.
        c.get("/account/email")
        status(c.post_form("/account/email", [("email", "new@example.org"), ("password", "wrong password")]), 401)
        redirect(c.post_form("/account/email", [("email", "new@example.org"), ("password", PW)]), "/account")
        contains(c.get("/account").text, "newbie@example.org")
        m = sink.wait(lambda m: to(m) == "new@example.org", "the mail to the new address")
        url = link(body(m), "/account/email/confirm?token=")
        status(srv.client().get(local(url)), 200)  # works from any browser
        redirect(c.post_form("/account/email/confirm", [("token", url.rsplit("=", 1)[1])]), "/account")
        page = c.get("/account").text
        contains(page, "new@example.org")
        contains(page, "(confirmed)")
        status(c.post_form("/account/email/confirm", [("token", url.rsplit("=", 1)[1])]), 404)


def test_subscriptions_api_and_mail_choices():
    with Sink() as sink, Server(env=mail_env(sink)) as srv:
        ta = add_user(srv, "author")
        tr = add_user(srv, "reader")
        wid = post_work(srv, ta, title="Saga One", series={"title": "The Saga"})
        draft = post_work(srv, ta, title="Secret Draft", draft=True)
        author_id = db_rows(srv, "SELECT id FROM users WHERE name = 'author'")[0][0]
        series_id = db_rows(srv, "SELECT series_id FROM work_series WHERE work_id = ?", wid)[0][0]

        status(api(srv, "GET", "/api/v1/subscriptions"), 401)
        status(subscribe(srv, tr, "tag", wid), 422)
        status(subscribe(srv, tr, "work", "1"), 422)
        status(subscribe(srv, tr, "work", wid, mail="often"), 422)
        status(subscribe(srv, tr, "work", 999999), 404)
        status(subscribe(srv, tr, "work", draft), 404)  # a draft is hidden: the same answer as nothing
        status(subscribe(srv, ta, "user", author_id), 422)  # yourself
        status(api(srv, "POST", "/api/v1/subscriptions", raw=b"{", token=tr), 400)
        eq(db_rows(srv, "SELECT COUNT(*) FROM subscriptions")[0][0], 0, "nothing stored by bad input")

        w = subscribe(srv, tr, "work", wid, mail="inbox")
        status(w, 201)
        eq(w.header("Location"), "/api/v1/subscriptions/%d" % w.json()["id"], "Location")
        eq(w.json()["mail"], "inbox", "mail choice")
        u = subscribe(srv, tr, "user", author_id)
        s = subscribe(srv, tr, "series", series_id)
        status(u, 201)
        status(s, 201)
        eq(s.json()["title"], "The Saga", "series title")
        eq(s.json()["url"], None, "series url")
        eq(u.json()["url"], "/users/author", "author url")

        r = api(srv, "GET", "/api/v1/subscriptions?per_page=2", token=tr)
        status(r, 200)
        eq([x["type"] for x in r.json()["subscriptions"]], ["work", "user"], "first page")
        r = api(srv, "GET", r.json()["next"], token=tr)
        eq([x["type"] for x in r.json()["subscriptions"]], ["series"], "second page")
        eq(r.json()["next"], None, "no third page")
        status(api(srv, "GET", "/api/v1/subscriptions?after=x", token=tr), 422)
        # Someone else's subscription is not there for you.
        status(api(srv, "GET", "/api/v1/subscriptions/%d" % w.json()["id"], token=ta), 404)
        status(api(srv, "DELETE", "/api/v1/subscriptions/%d" % w.json()["id"], token=ta), 404)

        # Mail choices: the work is inbox only; author and series follow the account (e-mail).
        w2 = post_work(srv, ta, title="Saga Two", series={"title": "The Saga"})
        sink.wait(lambda m: "New part of The Saga" in m["Subject"], "the series mail")
        sink.wait(lambda m: "posted a new work: Saga Two" in m["Subject"], "the author mail")
        c2 = post_chapter(srv, ta, wid, "Inbox Only")
        eq(db_rows(srv, "SELECT COUNT(*) FROM inbox WHERE chapter_id = ?", c2)[0][0], 1, "inbox row")
        eq(db_rows(srv, "SELECT COUNT(*) FROM outbox WHERE chapter_id = ?", c2)[0][0], 0, "no mail queued")
        r = api(srv, "PATCH", "/api/v1/subscriptions/%d" % w.json()["id"], {"mail": "email"}, tr)
        status(r, 200)
        eq(r.json()["mail"], "email", "changed choice")
        # The account-wide choice: inbox only (the work's own choice still says e-mail).
        c = srv.client()
        c.login("reader", PW)
        contains(c.get("/account").text, 'name="notify"')
        redirect(c.post_form("/account/mail", [("notify", "inbox")]), "/account")
        post_work(srv, ta, title="Saga Three", series={"title": "The Saga"})
        c4 = post_chapter(srv, ta, wid, "By Mail Again")
        eq(db_rows(srv, "SELECT kind FROM outbox WHERE work_id IN (SELECT id FROM works WHERE title = 'Saga Three')"),
           [], "the account says inbox only")
        sink.wait(lambda m: "By Mail Again" in body(m), "the work's own choice still mails")
        eq(db_rows(srv, "SELECT COUNT(*) FROM inbox WHERE user_id = (SELECT id FROM users WHERE name = 'reader')"
                        " AND work_id IN (SELECT id FROM works WHERE title = 'Saga Three')")[0][0], 2,
           "inbox still told of the new work and the new part")
        check(c4 > c2 and w2 > wid, "ids")

        # The subscriptions page lists them with their choices, and unsubscribes.
        page = c.get("/subscriptions").text
        for t in ("Saga One", "author", "The Saga"):
            contains(page, t, "subscriptions page")
        status(api(srv, "DELETE", "/api/v1/subscriptions/%d" % u.json()["id"], token=tr), 204)
        status(api(srv, "DELETE", "/api/v1/subscriptions/%d" % u.json()["id"], token=tr), 404)
        not_contains(c.get("/subscriptions").text, "/users/author")


def test_cli_user_password():
    with Server() as srv:
        add_user(srv, "admin_me")
        c = srv.client()
        redirect(c.login("admin_me", PW), "/")
        p = run_cli(["user", "password", "admin_me"], data=srv.data, stdin="short\n")
        eq(p.returncode, 1, "a too-short password is refused")
        p = run_cli(["user", "password", "nobody_here"], data=srv.data, stdin="long enough pw\n")
        eq(p.returncode, 1, "unknown user")
        p = run_cli(["user", "password", "admin_me"], data=srv.data, stdin="long enough pw\n")
        eq(p.returncode, 0, "user password (stderr: %s)" % p.stderr)
        redirect(c.get("/account"), "/login")
        redirect(srv.client().login("admin_me", "long enough pw"), "/")
        status(srv.client().login("admin_me", PW), 401)


def test_mail_settings_from_flags_and_env():
    p = run_cli(["serve", "--smtp-url", "http://example.org"], data=tempfile.gettempdir())
    eq(p.returncode, 2, "a non-SMTP URL is refused")
    contains(p.stderr, "smtp_url")
    p = run_cli(["serve", "--base-url", "ftp://x"], data=tempfile.gettempdir())
    eq(p.returncode, 2, "a non-HTTP base URL is refused")
    p = run_cli(["serve"], data=tempfile.gettempdir(), env={"QUIRE_MAIL_FROM": "no-at-sign"})
    eq(p.returncode, 2, "mail_from without an address is refused")
    p = run_cli(["serve"], data=tempfile.gettempdir(), env={"QUIRE_SMTP_PASSWORD": "bad\x01secret"})
    eq(p.returncode, 2, "a control character is refused")
    not_contains(p.stderr, "secret", "the password is never echoed")
    with Sink() as sink, Server(args=["--smtp-url", sink.url, "--base-url", "https://fics.example.org/",
                                      "--mail-from", "fics@example.org"]) as srv:
        ta = add_user(srv, "author")
        tr = add_user(srv, "reader")
        wid = post_work(srv, ta)
        status(subscribe(srv, tr, "work", wid), 201)
        post_chapter(srv, ta, wid, "Two")
        m = sink.wait(lambda m: True, "a mail")
        contains(body(m), "https://fics.example.org/works/%d/chapters/" % wid, "links use base_url")
        contains(m["From"], "<fics@example.org>", "From from --mail-from")


def test_mail_pages_are_well_formed():
    from test_html_valid import check_page
    with Server(env={"QUIRE_REQUIRE_EMAIL_CONFIRMATION": "true"}) as srv:
        ta = add_user(srv, "author", role="admin")  # admins are exempt from require_email_confirmation
        tr = add_user(srv, "reader")
        wid = post_work(srv, ta, title="Saga One", series={"title": "The Saga"})
        guest = srv.client()
        for path, want in [("/password/forgot", 200), ("/password/reset?token=" + "a" * 64, 404),
                           ("/password/reset", 404), ("/unsubscribe?token=1.2.x", 400),
                           ("/account/email/confirm?token=x", 404), ("/works/%d" % wid, 200),
                           ("/users/author", 200)]:
            check_page(guest, path, (want,))
        contains(guest.get("/works/%d" % wid).text, "Log in to subscribe")
        c = srv.client()
        c.login("reader", PW)
        for type_, id_ in [("work", wid), ("user", db_rows(srv, "SELECT id FROM users WHERE name = 'author'")[0][0]),
                           ("series", db_rows(srv, "SELECT series_id FROM work_series WHERE work_id = ?", wid)[0][0])]:
            status(subscribe(srv, tr, type_, id_), 201)
        text, links = check_page(c, "/works/%d" % wid)
        eq(text.count("Unsubscribe"), 2, "unsubscribe buttons for the work and its series")
        check_page(c, "/users/author")
        for path in ["/subscriptions", "/account", "/account/email", "/subscriptions?after=1"]:
            check_page(c, path)
        check_page(c, "/works/new", (403,))
        key = db_rows(srv, "SELECT value FROM settings WHERE key = 'unsubscribe_key'")
        check(key, "the unsubscribe key is kept in the settings table")


if __name__ == "__main__":
    sys.exit(main(globals()))
