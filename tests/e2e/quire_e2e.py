"""End-to-end harness: runs the real quire binary on a port of its choosing with a temp data dir and talks HTTP to it."""
# Standard library only: these tests must run wherever python3 does.

import atexit
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
QUIRE_BIN = os.environ.get("QUIRE_BIN") or os.path.join(ROOT, "build", "quire")
# The backend every server and command of a test uses: "sqlite" (a file in the data dir) or "postgres" (ctest's
# e2e-pg/NAME: a fresh database on the cluster tests/pg/cluster.py started, recorded in QUIRE_PG_STATE).
STORE_KIND = os.environ.get("QUIRE_E2E_STORE", "sqlite")
sys.path.insert(0, os.path.join(ROOT, "tests", "pg"))

# Servers started during the current test; their logs are printed when it fails.
_live_servers = []


LISTENING = re.compile(rb"^listening on http://(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d+)/$")


def free_port():
    """A loopback port nobody listens on right now, for helper servers that must keep one port across
    restarts and cannot report the one they got (the SMTP sink). quire itself listens on port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_pg_databases = {}  # data dir -> the database made for it


def _drop_pg_databases():
    import cluster
    for url in _pg_databases.values():
        try:
            cluster.drop_database(url)
        except Exception as e:  # noqa: BLE001 - cleanup reports and goes on
            print("e2e: dropping %s: %s" % (url, e))


def _template(state):
    """A database with the schema of this build already migrated, made once per cluster (under a lock shared by the
    tests running at once), which each data dir's database copies: CREATE DATABASE ... TEMPLATE is a file copy,
    where migrating a new database takes seconds."""
    import cluster
    import fcntl
    with open(os.path.join(state, "template.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = os.path.join(state, "template")
        try:
            with open(path) as f:
                name, binary = f.read().split("\n")[:2]
            if binary == "%s %d" % (QUIRE_BIN, os.path.getmtime(QUIRE_BIN)) and cluster.query(
                    cluster.base_url(state) + "postgres", "SELECT 1 FROM pg_database WHERE datname = '%s'" % name):
                return name
        except (OSError, ValueError):
            pass
        url = cluster.create_database(cluster.base_url(state), prefix="quire_template")
        # Any command that opens the store migrates it (this one then finds no such account).
        subprocess.run([QUIRE_BIN, "token", "add", "nobody-at-all", "--store", url], capture_output=True,
                       env=base_env(), timeout=120)
        if not cluster.query(url, "SELECT version FROM quire_schema"):
            raise RuntimeError("the template database was not migrated")
        name = url.rsplit("/", 1)[1]
        with open(path, "w") as f:
            f.write("%s\n%s %d\n" % (name, QUIRE_BIN, os.path.getmtime(QUIRE_BIN)))
        return name


def store_url(data):
    """The --store of a data dir: None for SQLite (the file in it); with QUIRE_E2E_STORE=postgres, a fresh
    database made the first time the dir is used (servers restarted on the same dir find the same data),
    dropped when the test ends."""
    if STORE_KIND != "postgres" or data is None:
        return None
    url = _pg_databases.get(data)
    if url is None:
        import cluster
        state = os.environ.get("QUIRE_PG_STATE")
        if not state:
            raise RuntimeError("QUIRE_E2E_STORE=postgres needs QUIRE_PG_STATE (the pg/start fixture's folder)")
        if not _pg_databases:
            atexit.register(_drop_pg_databases)
        url = cluster.create_database(cluster.base_url(state), prefix="quire_e2e", template=_template(state))
        _pg_databases[data] = url
    return url


def _literal(v):
    """A parameter as an SQL literal both backends read alike (tests only: values of our own)."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    return "'%s'" % str(v).replace("'", "''")


def _bind(sql, args):
    parts = sql.split("?")
    if len(parts) - 1 != len(args):
        raise ValueError("%d parameters for %d placeholders in %s" % (len(args), len(parts) - 1, sql))
    return parts[0] + "".join(_literal(a) + p for a, p in zip(args, parts[1:]))


def _typed(v):
    """Integers back as int (SQLite's and PostgreSQL's text alike), the rest as text."""
    if v is None:
        return None
    s = str(v)
    if s.lstrip("-").isdigit():
        return int(s)
    return s


def sql_rows(data, sql, *args):
    """The rows of a read-only query on the store of a data dir, whichever backend: '?' placeholders take args
    (as literals), integers come back as int, everything else as text, NULL as None."""
    sql = _bind(sql, args)
    url = store_url(data)
    if url is None:
        import sqlite3
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data, "quire.db"), uri=True, timeout=10)
        try:
            return [tuple(_typed(v) for v in row) for row in db.execute(sql)]
        finally:
            db.close()
    import cluster
    return [tuple(_typed(v) for v in row) for row in cluster.query(url, sql)]


def sql_exec(data, sql, *args):
    """Runs a write on the store of a data dir beside the server (tests that age rows, say)."""
    sql = _bind(sql, args)
    url = store_url(data)
    if url is None:
        import sqlite3
        db = sqlite3.connect(os.path.join(data, "quire.db"), timeout=10)
        try:
            db.execute(sql)
            db.commit()
        finally:
            db.close()
        return
    import cluster
    cluster.execute(url, sql)


def base_env(extra=None):
    """The environment for the binary: fast password hashing, plus what the test adds."""
    env = dict(os.environ)
    env["QUIRE_PASSWORD_COST"] = "min"
    if extra:
        env.update(extra)
    return env


def run_cli(args, data=None, stdin=None, env=None, timeout=60):
    """Runs `quire ARGS [--data DIR]`; returns CompletedProcess with text stdout/stderr."""
    cmd = [QUIRE_BIN] + list(args)
    if data is not None:
        cmd += ["--data", data]
        url = store_url(data)
        if url and "--store" not in args:
            cmd += ["--store", url]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                          env=base_env(env), timeout=timeout)


class ServerError(Exception):
    pass


class Server:
    """`with Server() as srv:` a quire process on 127.0.0.1:<free port> over a fresh data dir.

    demo=True leaves out --no-demo; env adds environment variables (e.g. QUIRE_TIMEOUT);
    args adds command-line options. Stops with SIGTERM and expects a clean exit (status 0),
    which is also when a sanitizer build reports leaks."""

    def __init__(self, demo=False, env=None, args=None, data=None, check_exit=True):
        self.demo = demo
        self.extra_env = env or {}
        self.extra_args = list(args or [])
        self.own_data = data is None
        self.data = data or tempfile.mkdtemp(prefix="quire-e2e-")
        self.logdir = tempfile.mkdtemp(prefix="quire-e2e-log-")
        self.check_exit = check_exit
        self.proc = None
        self.port = None
        self.starts = 0
        self.logs = []  # one log file per start

    # -- lifecycle --
    def __enter__(self):
        _live_servers.append(self)
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.proc is not None:
            # A failed stop raises with the log; the files stay for the runner to print.
            self.stop(check=self.check_exit and exc_type is None)
        if exc_type is None:
            self.cleanup()
        return False

    def cleanup(self):
        if self.own_data:
            shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.logdir, ignore_errors=True)

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=90.0):
        """Starts `quire serve --listen 127.0.0.1:0` and waits for its `listening on` line, which tells the
        port the kernel gave it (no guessed ports, no fixed sleeps). The budget is generous: filling the demo
        archive on PostgreSQL took 14 s on a loaded machine; a server that dies ends the wait at once."""
        if self.proc is not None:
            raise ServerError("already running")
        self.port = None
        self.starts += 1
        log = os.path.join(self.logdir, "stderr.%d.log" % self.starts)
        self.logs.append(log)
        cmd = [QUIRE_BIN, "serve", "--listen", "127.0.0.1:0", "--data", self.data]
        url = store_url(self.data)
        if url and "--store" not in self.extra_args:
            cmd += ["--store", url]
        if not self.demo:
            cmd.append("--no-demo")
        cmd += self.extra_args
        if not os.access(QUIRE_BIN, os.X_OK):
            raise ServerError("no quire binary at %s (set QUIRE_BIN or build first)" % QUIRE_BIN)
        with open(log, "ab") as f:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=f,
                                         env=base_env(self.extra_env))
        listening = threading.Event()
        found = {}

        def pump(out, path):
            # Copies standard output into the log (appending, like stderr) until the process closes it.
            with open(path, "ab", buffering=0) as f:
                for line in iter(out.readline, b""):
                    f.write(line)
                    m = LISTENING.match(line.rstrip(b"\r\n"))
                    if m and not listening.is_set():
                        found["port"] = int(m.group(3))
                        listening.set()
            out.close()
            listening.set()  # EOF: the process is gone; start() sees that below

        threading.Thread(target=pump, args=(self.proc.stdout, log), daemon=True).start()
        listening.wait(timeout)
        if "port" in found:
            self.port = found["port"]
            return
        if self.proc.poll() is None:
            try:
                self.proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is not None:
            code = self.proc.returncode
            self.proc = None
            raise ServerError("quire exited with status %s during start-up:\n%s" % (code, self.log_text()))
        self.kill9()
        raise ServerError("quire printed no `listening on` line within %.0f s:\n%s" % (timeout, self.log_text()))

    def stop(self, check=True, grace=10.0):
        """SIGTERM, wait up to grace seconds, then SIGKILL. With check, anything but exit status 0 fails."""
        p = self.proc
        if p is None:
            return None
        self.proc = None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                if check:
                    raise ServerError("quire did not exit within %.0f s of SIGTERM:\n%s" % (grace, self.log_text()))
                return p.returncode
        if check and p.returncode != 0:
            raise ServerError("quire exited with status %s (expected 0 after SIGTERM):\n%s"
                              % (p.returncode, self.log_text()))
        return p.returncode

    def kill9(self):
        """Kills the process with SIGKILL, as a power cut would."""
        p = self.proc
        self.proc = None
        if p is not None and p.poll() is None:
            p.kill()
            p.wait()

    def restart(self, check=True):
        """Stops (if running) and starts again on the same data dir (the port may change)."""
        if self.proc is not None:
            self.stop(check=check)
        self.start()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_text(self, limit=20000):
        out = []
        for path in self.logs:
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            text = data.decode("utf-8", "replace")
            if len(text) > limit:
                text = "...\n" + text[-limit:]
            out.append("--- %s ---\n%s" % (os.path.basename(path), text))
        return "\n".join(out) if out else "(no log)"

    def wait_for_log(self, text, timeout=10.0):
        """Waits until the log holds text (access lines are written in batches, at most 0.1 s late);
        fails with the log when it never does."""
        deadline = time.time() + timeout
        while text not in self.log_text():
            if time.time() > deadline:
                raise AssertionError("%r never reached the log:\n%s" % (text, self.log_text()))
            time.sleep(0.02)

    def client(self):
        return Client(self)

    def raw(self, data, timeout=5.0):
        return raw(self.port, data, timeout)


# -- HTTP --

class Response:
    """status, headers (case-insensitive .get / .get_all), body (bytes); unpacks as (status, headers, body)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def set_cookies(self):
        """{name: full Set-Cookie value} from this response."""
        out = {}
        for v in self.headers.get_all("Set-Cookie") or []:
            name = v.split("=", 1)[0].strip()
            out[name] = v
        return out

    def __repr__(self):
        return "<Response %d %s %d bytes>" % (self.status, self.headers.get("Content-Type"), len(self.body))


def _cookie_expired(attrs):
    for a in attrs:
        k, _, v = a.partition("=")
        k = k.strip().lower()
        v = v.strip()
        if k == "max-age":
            try:
                if int(v) <= 0:
                    return True
            except ValueError:
                pass
        if k == "expires":
            try:
                import email.utils
                t = email.utils.parsedate_to_datetime(v)
                if t.timestamp() < time.time():
                    return True
            except (TypeError, ValueError):
                pass
    return False


class Client:
    """A browser-ish client: a cookie jar (dict), no redirect following, remembers the last HTML page."""

    def __init__(self, server, timeout=30.0):
        self.server = server
        self.cookies = {}
        self.timeout = timeout
        self.last = None  # last Response

    def request(self, method, path, body=None, headers=None):
        h = {"Host": "127.0.0.1:%d" % self.server.port, "User-Agent": "quire-e2e"}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if headers:
            h.update(headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
        finally:
            conn.close()
        for v in r.headers.get_all("Set-Cookie") or []:
            parts = v.split(";")
            name, _, value = parts[0].partition("=")
            name = name.strip()
            if not value or _cookie_expired(parts[1:]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value.strip()
        resp = Response(r.status, r.headers, data)
        self.last = resp
        return resp

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, body, content_type="application/x-www-form-urlencoded", headers=None):
        h = {"Content-Type": content_type}
        if headers:
            h.update(headers)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return self.request("POST", path, body=body, headers=h)

    def csrf_token(self, path=None):
        """The csrf_token of the last page; failing that, of GET path, then of GET /."""
        if self.last is not None:
            t = csrf_from(self.last.text)
            if t:
                return t
        for p in ([path] if path else []) + ["/"]:
            r = self.get(p)
            t = csrf_from(r.text)
            if t:
                return t
        raise AssertionError("no csrf_token found on the last page, %s or /" % (path or "-"))

    def post_form(self, path, fields=None, csrf=True, headers=None):
        """POSTs urlencoded fields (dict or list of pairs); csrf=True fills csrf_token when absent."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields or [])
        if csrf and not any(k == "csrf_token" for k, _ in pairs):
            pairs.append(("csrf_token", self.csrf_token(path)))
        return self.post(path, urllib.parse.urlencode(pairs), headers=headers)

    def signup(self, name, email, password, confirmation=None):
        self.get("/signup")
        return self.post_form("/signup", [("username", name), ("email", email), ("password", password),
                                          ("password_confirmation", password if confirmation is None
                                           else confirmation)])

    def login(self, name, password):
        self.get("/login")
        return self.post_form("/login", [("username", name), ("password", password)])

    def logout(self):
        self.get("/account")
        return self.post_form("/logout", [])


def csrf_from(page):
    """The value of the hidden csrf_token input in an HTML page, or None."""
    if isinstance(page, bytes):
        page = page.decode("utf-8", "replace")
    for tag in re.findall(r"<input\b[^>]*>", page, re.I):
        if re.search(r"""\bname\s*=\s*["']?csrf_token["'\s/>]""", tag, re.I):
            m = re.search(r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.I)
            if m:
                return html.unescape(next(g for g in m.groups() if g is not None))
    return None


def input_value(page, name):
    """The value attribute of the first <input name=NAME>, unescaped; None when absent."""
    for tag in re.findall(r"<input\b[^>]*>", page, re.I):
        if re.search(r"""\bname\s*=\s*["']?%s["'\s/>]""" % re.escape(name), tag, re.I):
            m = re.search(r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.I)
            return html.unescape(next(g for g in m.groups() if g is not None)) if m else ""
    return None


def has_input(page, name, type_=None):
    for tag in re.findall(r"<input\b[^>]*>", page, re.I):
        if re.search(r"""\bname\s*=\s*["']?%s["'\s/>]""" % re.escape(name), tag, re.I):
            if type_ is None or re.search(r"""\btype\s*=\s*["']?%s\b""" % re.escape(type_), tag, re.I):
                return True
    return False


def raw(port, data, timeout=5.0):
    """Sends exact bytes to 127.0.0.1:port; returns the raw response bytes (one response when it has a
    Content-Length, else everything until the server closes or goes quiet for `timeout`)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    buf = b""
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            buf += chunk
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                head = buf[:end].decode("latin-1")
                m = re.search(r"(?im)^content-length:\s*(\d+)\s*$", head)
                if m and len(buf) >= end + 4 + int(m.group(1)):
                    break
    finally:
        s.close()
    return buf


def parse_raw(data):
    """(status, {lower-case header: value}, body) from raw response bytes; status 0 when there is none."""
    end = data.find(b"\r\n\r\n")
    if not data.startswith(b"HTTP/") or end < 0:
        return 0, {}, data
    lines = data[:end].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, data[end + 4:]


# -- assertions --

def check(cond, msg="check failed"):
    if not cond:
        raise AssertionError(msg)


def eq(got, want, what="value"):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def status(resp, *want):
    if resp.status not in want:
        raise AssertionError("status %d, want %s; body:\n%s" % (resp.status, " or ".join(map(str, want)),
                                                              resp.text[:1500]))


def contains(text, needle, what="body"):
    if needle not in text:
        raise AssertionError("%s does not contain %r:\n%s" % (what, needle, text[:1500]))


def not_contains(text, needle, what="body"):
    if needle in text:
        i = text.find(needle)
        raise AssertionError("%s contains %r: ...%s..." % (what, needle, text[max(0, i - 200):i + 200]))


def location_path(resp):
    """The path of the Location header (absolute URLs reduced to their path and query)."""
    loc = resp.headers.get("Location")
    check(loc is not None, "no Location header on %d response" % resp.status)
    u = urllib.parse.urlsplit(loc)
    return u.path + ("?" + u.query if u.query else "")


def redirect(resp, *paths):
    """Asserts a 303 whose Location path (without query) is one of paths."""
    status(resp, 303)
    p = location_path(resp).split("?", 1)[0]
    if paths and p not in paths:
        raise AssertionError("redirect to %r, want one of %r" % (p, paths))
    return p


# -- runner --

def main(namespace, argv=None):
    """Runs test_* functions of namespace in definition order; argv filters by substring."""
    argv = sys.argv[1:] if argv is None else argv
    tests = [(name, fn) for name, fn in namespace.items()
             if name.startswith("test_") and callable(fn) and getattr(fn, "__code__", None)]
    tests.sort(key=lambda t: t[1].__code__.co_firstlineno)
    if argv:
        tests = [t for t in tests if any(a in t[0] for a in argv)]
    passed = failed = 0
    for name, fn in tests:
        del _live_servers[:]
        t0 = time.monotonic()
        try:
            fn()
        except Exception:  # noqa: BLE001 - a test runner reports every failure
            failed += 1
            print("FAIL %s (%.1fs)" % (name, time.monotonic() - t0))
            traceback.print_exc(file=sys.stdout)
            for srv in _live_servers:
                if srv.proc is not None:
                    srv.kill9()
                print("server log (%s):\n%s" % (srv.data, srv.log_text()))
                srv.cleanup()
        else:
            passed += 1
            print("ok   %s (%.1fs)" % (name, time.monotonic() - t0))
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not tests else 0
