"""The scale-out test (issue 13, "Done when"): a PostgreSQL primary and a synchronous streaming standby, three
`quire serve` processes started as contrib/quire.service starts them with contrib/quire-cluster.conf, and Debian's
haproxy with contrib/haproxy.cfg, all on loopback. A mixed load of readers, commenters and a writer runs through
haproxy while one Quire server is killed with -9 (the one leading the mail job) and then the primary is stopped
and the standby promoted. Checked: no acknowledged write is lost; clients see errors only for requests in flight
at each fault; a comment posted through one server shows on a guest page of another within a second; every
subscription mail is delivered exactly once (a real SMTP server, aiosmtpd); rate limits and hit counts are shared
by the servers, not tripled.

Faults are timed between two mails: a mail whose relay accepted it in the instant its server died can go again
(docs/deploy.md), and this test checks everything else exactly."""
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from quire_e2e import (QUIRE_BIN, ROOT, STORE_KIND, Server, base_env, check, contains, eq, free_port, main,
                       not_contains, status)
from test_mail import Sink, body, to

sys.path.insert(0, os.path.join(ROOT, "tests", "pg"))
import cluster  # noqa: E402

PW = "scale out pw 1"
SUBSCRIBERS = 5
SLOW = os.environ.get("QUIRE_SANITIZER", "") != ""  # sanitizer builds run several times slower
PACE = 3.0 if SLOW else 1.0


# ---- the sample files, as an operator would use them ----

def contrib(name):
    with open(os.path.join(ROOT, "contrib", name)) as f:
        return f.read()


def set_keys(conf, values):
    """The config text with the values of keys replaced (every key must be in the sample already)."""
    out, seen = [], set()
    for line in conf.splitlines():
        m = re.match(r"^([a-z_]+)\s*=", line)
        if m and m.group(1) in values:
            line = "%s = %s" % (m.group(1), values[m.group(1)])
            seen.add(m.group(1))
        out.append(line)
    check(seen == set(values), "keys missing from contrib/quire-cluster.conf: %s" % (set(values) - seen))
    return "\n".join(out) + "\n"


def exec_start_args():
    """The arguments contrib/quire.service gives `quire` (ExecStart), without the binary."""
    m = re.search(r"^ExecStart=(\S+) (.*)$", contrib("quire.service"), re.M)
    check(m is not None, "no ExecStart in contrib/quire.service")
    args = m.group(2).split()
    eq(args[:2], ["serve", "--config"], "the unit's command")
    return args


def haproxy_config(port, servers):
    conf = contrib("haproxy.cfg")
    check("bind 10.0.0.5:80" in conf, "the sample's bind line")
    conf = conf.replace("bind 10.0.0.5:80", "bind 127.0.0.1:%d" % port)
    for i, p in enumerate(servers):
        sample = "server quire%d 10.0.0.1%d:8080" % (i + 1, i + 1)
        check(sample in conf, "the sample's %r" % sample)
        conf = conf.replace(sample, "server quire%d 127.0.0.1:%d" % (i + 1, p))
    return conf


# ---- HTTP with a record of every request ----

class Log:
    """Every request of the load: (start, end, what, status or error)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def add(self, t0, what, result):
        with self.lock:
            self.rows.append((t0, time.monotonic(), what, result))


def request(port, method, path, body=None, headers=None, timeout=30):
    """(status, headers, body bytes), or raises."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


def api(port, method, path, token=None, payload=None, headers=None):
    h = {"Accept": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    if payload is not None:
        h["Content-Type"] = "application/json"
    if headers:
        h.update(headers)
    st, hd, b = request(port, method, path, json.dumps(payload).encode() if payload is not None else None, h)
    try:
        return st, json.loads(b.decode() or "null")
    except ValueError:
        return st, None


def cli(conf, *args, stdin=None):
    p = subprocess.run([QUIRE_BIN] + list(args) + ["--config", conf], input=stdin, capture_output=True, text=True,
                       env=base_env(), timeout=60)
    eq(p.returncode, 0, "quire %s (stderr: %s)" % (" ".join(args), p.stderr))
    return p.stdout.strip()


def wait_for(fn, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        check(time.monotonic() < deadline, "timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(0.05)


def fnv1a_job_key(name):
    """The advisory lock key of a job (pg_shared.c: FNV-1a 64 of the name, low 31 bits)."""
    h = 14695981039346656037
    for c in name.encode():
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h & 0x7FFFFFFF


def job_holder(url, job):
    """The application_name of the server holding job's lease (an advisory lock), or None."""
    rows = cluster.query(url, "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                              " WHERE l.locktype = 'advisory' AND l.classid = %d AND l.objid = %d AND l.granted"
                         % (0x7175696a, fnv1a_job_key(job)))
    return rows[0][0] if rows else None


def test_three_servers_haproxy_kill_and_failover():
    if STORE_KIND != "sqlite":
        print("(runs once, with clusters of its own)")
        return
    tmp = tempfile.mkdtemp(prefix="quire-scale-")
    p_state, r_state = os.path.join(tmp, "primary"), os.path.join(tmp, "standby")
    servers, haproxy = [], None
    sink = Sink()
    try:
        # The database: a primary, the archive's database, a synchronous standby.
        primary = cluster.start(p_state)
        dburl = cluster.create_database(primary, prefix="quire_scale")
        dbname = dburl.rsplit("/", 1)[1]
        standby = cluster.start_replica(p_state, r_state, synchronous=True)
        p_port = urllib.parse.urlsplit(primary).port
        s_port = urllib.parse.urlsplit(standby).port
        sink.start()

        # Three Quire servers: contrib/quire-cluster.conf with this machine's addresses, started as the unit does.
        ha_port = free_port()
        args = exec_start_args()
        confs = []
        for i in range(3):
            data = os.path.join(tmp, "data%d" % (i + 1))
            os.mkdir(data)
            conf = os.path.join(tmp, "quire%d.conf" % (i + 1))
            with open(conf, "w") as f:
                f.write(set_keys(contrib("quire-cluster.conf"), {
                    "listen": "127.0.0.1:0",
                    # Both hosts, the primary first; each server names itself (pg_stat_activity).
                    "store": "postgresql://quire@127.0.0.1:%d,127.0.0.1:%d/%s?target_session_attrs=read-write"
                             "&connect_timeout=3&application_name=quire%d" % (p_port, s_port, dbname, i + 1),
                    "store_read": "postgresql://quire@127.0.0.1:%d/%s?connect_timeout=3&application_name=quire%d"
                                  % (s_port, dbname, i + 1),
                    "data": data,
                    "base_url": "http://127.0.0.1:%d" % ha_port,
                    "trusted_proxies": "127.0.0.1",
                    "secure_cookies": "false",
                    "smtp_url": sink.url,
                }))
            confs.append(conf)
            srv = Server(data=data, args=args[1:2] + [conf],
                         env={"QUIRE_MAIL_RETRY_MIN_SECONDS": "1", "QUIRE_THREADS": "8"})
            srv.__enter__()
            servers.append(srv)
        ports = [s.port for s in servers]

        # haproxy with contrib/haproxy.cfg, in front of them.
        hacfg = os.path.join(tmp, "haproxy.cfg")
        with open(hacfg, "w") as f:
            f.write(haproxy_config(ha_port, ports))
        halog = open(os.path.join(tmp, "haproxy.log"), "wb")
        haproxy = subprocess.Popen([shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", hacfg],
                                   stdout=halog, stderr=subprocess.STDOUT)
        wait_for(lambda: _healthy(ha_port), 30, "haproxy to answer")

        # The archive: a writer with two works (one under load, one quiet), readers subscribed by mail, commenters.
        conf = confs[0]
        cli(conf, "user", "add", "author", "author@example.org", stdin=PW + "\n")
        author = cli(conf, "token", "add", "author")
        work = {"title": "Under Load", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
                "fandoms": ["Original Work"], "chapter": {"title": "One", "format": "text",
                                                         "content": "The first chapter, before the load."}}
        st, w1 = api(ha_port, "POST", "/api/v1/works", author, work)
        eq(st, 201, "the first work")
        wid = w1["id"]
        chapter_one = w1["chapters"][0]["id"]
        quiet = []
        for title in ("Guest Limit", "Quiet Before", "Quiet After", "Counted Once"):
            st, w = api(ha_port, "POST", "/api/v1/works", author, dict(work, title=title))
            eq(st, 201, "a quiet work")
            quiet.append((w["id"], w["chapters"][0]["id"]))
        subscribers = []
        for i in range(SUBSCRIBERS):
            name = "sub%d" % i
            cli(conf, "user", "add", name, "%s@example.org" % name, stdin=PW + "\n")
            tok = cli(conf, "token", "add", name)
            st, _ = api(ha_port, "POST", "/api/v1/subscriptions", tok, {"type": "work", "id": wid, "mail": "email"})
            eq(st, 201, "subscription of %s" % name)
            subscribers.append("%s@example.org" % name)
        commenters = []
        for i in range(2):
            name = "fan%d" % i
            cli(conf, "user", "add", name, "%s@example.org" % name, "--role", "admin", stdin=PW + "\n")
            commenters.append(cli(conf, "token", "add", name))

        # Shared rate limits: a guest may post 3 comments in 15 minutes, whichever servers answer.
        _guest_limit(ha_port, quiet[0])
        # A comment through one server shows on another server's cached guest page within a second.
        _propagation(ports[0], ports[1], quiet[1], commenters[0])
        # Hits: one visitor is one hit a day, whichever servers counted them.
        _hits_once(ha_port, quiet[3])
        # Reads go to the standby (store_read), and a reader who just wrote sees it on the next page, whichever
        # server answers: the comment posted through one server is on the page the next one builds at once.
        _read_your_writes(ports[0], ports[2], quiet[1])
        standby_readers = cluster.query(standby + "postgres", "SELECT COUNT(*) FROM pg_stat_activity"
                                                              " WHERE application_name LIKE 'quire%'")
        check(int(standby_readers[0][0]) > 0, "no server reads from the standby")

        # ---- The load ----
        log = Log()
        stop = threading.Event()
        acked_comments, acked_chapters = [], []
        quiet_for_mail = threading.Event()  # set while no chapter's mail is being sent
        quiet_for_mail.set()

        def reader(n):
            paths = ["/works/%d" % wid, "/works/%d/chapters/%d" % (wid, chapter_one), "/works", "/"]
            i = 0
            while not stop.is_set():
                path = paths[(i + n) % len(paths)]
                i += 1
                t0 = time.monotonic()
                try:
                    st, _, _ = request(ha_port, "GET", path)
                    log.add(t0, "GET " + path, st)
                except Exception as e:  # noqa: BLE001 - every failure is recorded
                    log.add(t0, "GET " + path, repr(e))
                time.sleep(0.02)

        def commenter(n):
            k = 0
            while not stop.is_set():
                k += 1
                text = "Load comment %d-%d." % (n, k)
                t0 = time.monotonic()
                try:
                    st, _ = api(ha_port, "POST", "/api/v1/chapters/%d/comments" % chapter_one, commenters[n],
                                {"body": text})
                    log.add(t0, "POST comment", st)
                    if st == 201:
                        acked_comments.append(text)
                except Exception as e:  # noqa: BLE001
                    log.add(t0, "POST comment", repr(e))
                time.sleep(0.05)

        def writer():
            k = 1
            while not stop.is_set():
                k += 1
                quiet_for_mail.clear()
                t0 = time.monotonic()
                cid = None
                try:
                    st, c = api(ha_port, "POST", "/api/v1/works/%d/chapters" % wid, author,
                                {"title": "Part %d" % k, "format": "text",
                                 "content": "Chapter %d, written under load." % k})
                    log.add(t0, "POST chapter", st)
                    if st == 201:
                        cid = c["id"]
                        acked_chapters.append(cid)
                except Exception as e:  # noqa: BLE001
                    log.add(t0, "POST chapter", repr(e))
                if cid:
                    # Every subscriber's mail for it, before the next fault may come.
                    deadline = time.monotonic() + 60
                    while time.monotonic() < deadline and len(_mails_for(sink, cid)) < SUBSCRIBERS:
                        time.sleep(0.02)
                quiet_for_mail.set()
                stop.wait(PACE)

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
        threads += [threading.Thread(target=commenter, args=(n,)) for n in range(2)]
        threads.append(threading.Thread(target=writer))
        for t in threads:
            t.start()
        faults = []
        try:
            time.sleep(3 * PACE)
            # Fault 1: kill -9 the Quire server leading the mail job, between two mails.
            leader = wait_for(lambda: job_holder(primary + dbname, "outbox"), 30, "a server to lead the mail job")
            victim = servers[int(leader[len("quire"):]) - 1]
            _between_mails(quiet_for_mail)
            t_kill = time.monotonic()
            victim.kill9()
            faults.append((t_kill, t_kill + 0.5))
            # The job moves to another server at once.
            moved = wait_for(lambda: (job_holder(primary + dbname, "outbox") or leader) != leader, 30,
                             "the mail job to move to another server")
            check(moved != leader, "the mail job stayed with the dead server")
            print("kill -9 of the mail job's server: the job moved in %.2f s" % (time.monotonic() - t_kill))
            time.sleep(3 * PACE)

            # Fault 2: the primary stops; the standby is promoted; the servers follow it.
            _between_mails(quiet_for_mail)
            t_stop = time.monotonic()
            cluster.halt(p_state)
            cluster.promote(r_state)
            t_promoted = time.monotonic()
            # Service comes back by itself: a write through haproxy works again.
            wait_for(lambda: api(ha_port, "POST", "/api/v1/chapters/%d/comments" % chapter_one, commenters[0],
                                 {"body": "After the failover."})[0] == 201, 30, "writes to work again")
            t_back = time.monotonic()
            print("primary halted, standby promoted: writes through haproxy again %.2f s after the promotion"
                  % (t_back - t_promoted))
            faults.append((t_stop, t_back))
            time.sleep(3 * PACE)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)

        # ---- What must hold ----
        # Errors only for requests in flight at a fault (a request that overlaps its window).
        bad = [r for r in log.rows if r[3] not in (200, 201, 303)
               and not any(r[0] <= end and r[1] >= start for start, end in faults)]
        eq(bad, [], "requests that failed outside the faults %r" % faults)
        ok = [r for r in log.rows if r[3] in (200, 201, 303)]
        check(len(ok) > 50, "the load ran (%d answered requests)" % len(ok))

        # No acknowledged write lost: on the promoted standby, every comment and chapter acknowledged.
        new_primary = standby + dbname
        stored = {r[0] for r in cluster.query(new_primary, "SELECT body FROM comments")}
        lost = [c for c in acked_comments if c not in stored]
        eq(lost, [], "acknowledged comments lost")
        check(len(acked_comments) > 5, "comments were acknowledged (%d)" % len(acked_comments))
        chapters = {int(r[0]) for r in cluster.query(new_primary, "SELECT id FROM chapters WHERE work_id = %d" % wid)}
        eq([c for c in acked_chapters if c not in chapters], [], "acknowledged chapters lost")
        check(len(acked_chapters) >= 3, "chapters were acknowledged (%d)" % len(acked_chapters))

        # Every subscription mail exactly once: every chapter posted (acknowledged or not) reached every subscriber.
        for cid in sorted(chapters - {chapter_one}):
            wait_for(lambda: len(_mails_for(sink, cid)) >= SUBSCRIBERS, 60, "chapter %d's mail" % cid)
        time.sleep(2)  # anything sent twice arrives by now
        for cid in sorted(chapters - {chapter_one}):
            got = sorted(_mails_for(sink, cid))
            eq(got, sorted(subscribers), "chapter %d's mail, one per subscriber" % cid)

        # After the failover too, a comment through one server shows on another's guest page within a second.
        alive = [s for s in servers if s.alive()]
        _propagation(alive[0].port, alive[1].port, quiet[2], commenters[1])
        # Nothing crashed; every server still running says its store is healthy.
        for s in alive:
            st, _, b = request(s.port, "GET", "/healthz")
            eq((st, b), (200, b"ok\n"), "/healthz of %s" % s.base)
        text = "\n".join(s.log_text(10 ** 7) for s in alive)
        check(text.count("pages that need the database answer 503") <= 2 * len(alive),
              "more than one outage line per server:\n%s" % text[-5000:])
        not_contains(text, "internal error")
    finally:
        if haproxy:
            haproxy.terminate()
            haproxy.wait(timeout=10)
        for s in servers:
            if s.alive():
                s.stop(check=False)
        sink.stop()
        cluster.stop(p_state, quiet=True)
        cluster.stop(r_state, quiet=True)
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(sink.dir, ignore_errors=True)


def _healthy(port):
    try:
        return request(port, "GET", "/healthz", timeout=2)[0] == 200
    except OSError:
        return False


def _between_mails(quiet_event):
    check(quiet_event.wait(120), "the mail of the last chapter did not go out")


def _mails_for(sink, cid):
    out = []
    for m in sink.messages():
        if re.search(r"/chapters/%d\b" % cid, body(m)):
            out.append(to(m))
    return out


def _form_post(port, path, fields, cookies, headers, page=None):
    """A browser's form POST: the form's page first (PATH/new, or page: its CSRF token and cookie), then the form."""
    h = dict(headers)
    if cookies:
        h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
    st, hd, b = request(port, "GET", page or path + "/new", headers=h)
    for v in hd.get_all("Set-Cookie") or []:
        k, _, rest = v.partition("=")
        cookies[k.strip()] = rest.split(";", 1)[0]
    m = re.search(r'name="csrf_token" value="([0-9a-f]+)"', b.decode("utf-8", "replace"))
    check(m is not None, "no CSRF token on %s" % path)
    h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
    h["Content-Type"] = "application/x-www-form-urlencoded"
    return request(port, "POST", path, urllib.parse.urlencode(list(fields) + [("csrf_token", m.group(1))]).encode(), h)


def _guest_limit(ha_port, target):
    """Four guest comments from one address through haproxy (each to the next server): the fourth is refused."""
    wid, cid = target
    headers = {"X-Forwarded-For": "203.0.113.9"}
    cookies = {}
    path = "/works/%d/chapters/%d/comments" % (wid, cid)
    answers = []
    for i in range(4):
        st, hd, _ = _form_post(ha_port, path, [("body", "Guest comment %d." % i), ("guest_name", "Passer-by"),
                                               ("guest_email", "passer@example.net")], cookies, headers)
        answers.append(st)
    eq(answers, [303, 303, 303, 429], "a guest's four comments through three servers")


def _propagation(port_a, port_b, target, token):
    """A comment posted through server A shows on server B's cached guest page within a second."""
    wid, cid = target
    page = "/works/%d/chapters/%d" % (wid, cid)
    for _ in range(2):  # B caches the guest page
        st, hd, b = request(port_b, "GET", page)
        eq(st, 200, "the guest page on B")
    eq(hd.get("X-Cache"), "hit", "B's guest page came from its cache")
    text = "Heard on the other server %d." % int(time.time() * 1000)
    st, _ = api(port_a, "POST", "/api/v1/chapters/%d/comments" % cid, token, {"body": text})
    eq(st, 201, "the comment through A")
    t0 = time.monotonic()
    wait_for(lambda: text in request(port_b, "GET", page)[2].decode("utf-8", "replace"), 5,
             "the comment on B's guest page")
    elapsed = time.monotonic() - t0
    check(elapsed < 1.0, "the comment took %.2f s to show on the other server" % elapsed)


def _read_your_writes(port_a, port_b, target):
    """A reader logged in through server A comments through A (a form, as a browser does) and at once reads the
    chapter through server B, whose reads go to the standby: the comment is there."""
    wid, cid = target
    cookies = {}
    st, hd, _ = _form_post(port_a, "/login", [("username", "author"), ("password", PW)], cookies, {}, page="/login")
    eq(st, 303, "log-in")
    for v in hd.get_all("Set-Cookie") or []:
        k, _, rest = v.partition("=")
        cookies[k.strip()] = rest.split(";", 1)[0]
    text = "Read at once %d." % int(time.time() * 1000)
    path = "/works/%d/chapters/%d/comments" % (wid, cid)
    st, hd, _ = _form_post(port_a, path, [("body", text)], cookies, {})
    eq(st, 303, "the comment through A")
    for v in hd.get_all("Set-Cookie") or []:
        k, _, rest = v.partition("=")
        cookies[k.strip()] = rest.split(";", 1)[0]
    check("quire_w" in cookies, "no write mark after the comment: %r" % sorted(cookies))
    h = {"Cookie": "; ".join("%s=%s" % kv for kv in cookies.items())}
    st, _, b = request(port_b, "GET", "/works/%d/chapters/%d" % (wid, cid), headers=h)
    eq(st, 200, "the chapter through B")
    contains(b.decode("utf-8", "replace"), text, "the page B built right after the comment")


def _hits_once(ha_port, target):
    """One visitor reading a work six times through haproxy (each view to the next server) is one hit."""
    wid, cid = target
    before = api(ha_port, "GET", "/api/v1/works/%d" % wid)[1]["hits_count"]
    for _ in range(6):
        eq(request(ha_port, "GET", "/works/%d" % wid, headers={"X-Forwarded-For": "198.51.100.4"})[0], 200, "a view")
    # Counted hits are written every few seconds.
    wait_for(lambda: api(ha_port, "GET", "/api/v1/works/%d" % wid)[1]["hits_count"] > before, 30, "the hit")
    time.sleep(6)  # every server's flush has run
    eq(api(ha_port, "GET", "/api/v1/works/%d" % wid)[1]["hits_count"], before + 1, "hits of one visitor")


if __name__ == "__main__":
    sys.exit(main(globals()))
