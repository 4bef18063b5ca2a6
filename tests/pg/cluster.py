#!/usr/bin/env python3
"""Private PostgreSQL 15 clusters for the tests: initdb in a temporary folder, a free loopback port, run as an
unprivileged user when the tests run as root, fsync on as in production, stopped by PID; never a system cluster.

  cluster.py start STATE    starts a cluster and writes STATE/url (postgresql://quire@127.0.0.1:PORT/),
                            STATE/pid and STATE/data; a cluster left there by an interrupted run is stopped first
  cluster.py start STATE --data DIR
                            the same on the data directory DIR (made when missing), which stop leaves in place
  cluster.py stop STATE     stops the cluster recorded in STATE (by its postmaster's PID) and removes it
  cluster.py with-db STATE -- CMD...
                            creates a fresh database, runs CMD with QUIRE_TEST_STORE=URL-of-it, drops it
QUIRE_PG_SETTINGS adds server settings ("-c shared_buffers=2GB ..."; the benchmarks size the server for the machine).
Python importers use start(), stop(), create_database(), drop_database() and base_url(); start_replica(),
promote() and halt() make and fail over a primary with a streaming standby (the scale-out test).
Standard library only, like the e2e harness."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

PG_BIN = os.environ.get("QUIRE_PG_BIN", "/usr/lib/postgresql/15/bin")
SUPERUSER = "quire"


def _bin(name):
    path = os.path.join(PG_BIN, name)
    if not os.access(path, os.X_OK):
        raise SystemExit("cluster: no %s (install Debian's postgresql-15: scripts/deps.sh test)" % path)
    return path


def _runas():
    """The command prefix and uid that run the server: ourselves, or Debian's postgres account when we are root
    (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return [], os.geteuid(), os.getegid()
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        raise SystemExit("cluster: running as root needs the 'postgres' account (Debian's postgresql-common)")
    return ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid, "--clear-groups", "--"], \
        pw.pw_uid, pw.pw_gid


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_our_postmaster(pid, data):
    """True when pid is a postgres process serving data (a recycled PID is never signalled)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            args = f.read().split(b"\0")
    except OSError:
        return False
    return any(a.endswith(b"postgres") for a in args[:1]) and data.encode() in args


def base_url(state):
    url = _read(os.path.join(state, "url"))
    if not url:
        raise SystemExit("cluster: no cluster recorded in %s (is the pg/start fixture missing?)" % state)
    return url


def _new_root():
    """A temporary folder for one cluster, owned by the account that runs the server."""
    prefix, uid, gid = _runas()
    root = tempfile.mkdtemp(prefix="quire-pg-")
    os.chmod(root, 0o755)
    os.chown(root, uid, gid)
    return root, prefix, uid, gid


def _launch(state, root, data, prefix, settings=""):
    """Starts the server on data on a free loopback port (tried again if another process takes it first) and
    records it in state; returns its base URL."""
    log = os.path.join(root, "server.log")
    last = ""
    for _ in range(5):
        port = _free_port()
        opts = ("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=on"
                " -c synchronous_commit=on -c max_connections=400 -c shared_buffers=64MB"
                " -c max_locks_per_transaction=256 -c log_min_messages=warning %s %s"
                % (port, root, settings, os.environ.get("QUIRE_PG_SETTINGS", "")))
        r = subprocess.run(prefix + [_bin("pg_ctl"), "-D", data, "-l", log, "-o", opts, "-w", "-t", "60", "start"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            break
        last = "%s%s%s" % (r.stdout, r.stderr, _read(log) or "")
    else:
        shutil.rmtree(root, ignore_errors=True)
        raise SystemExit("cluster: the server did not start:\n%s" % last)
    pid = int(_read(os.path.join(data, "postmaster.pid")).splitlines()[0])
    url = "postgresql://%s@127.0.0.1:%d/" % (SUPERUSER, port)
    for name, value in (("data", data), ("root", root), ("pid", str(pid)), ("url", url), ("port", str(port))):
        with open(os.path.join(state, name), "w") as f:
            f.write(value + "\n")
    return url


def start_existing(state, data):
    """Starts the server on an existing data directory (a benchmark's cached archive), kept when it stops; returns
    its base URL."""
    os.makedirs(state, exist_ok=True)
    stop(state, quiet=True)
    prefix, _, _ = _runas()
    # Its sockets live in a temporary folder of their own (removed at stop), the data stays where it is.
    root, prefix, uid, gid = _new_root()
    return _launch(state, root, os.path.abspath(data), prefix)


def initdb_only(data):
    """An empty, stopped cluster in data (made here, owned by the server's account): a benchmark's cache."""
    prefix, uid, gid = _runas()
    os.makedirs(data, 0o700)
    os.chown(data, uid, gid)
    r = subprocess.run(prefix + [_bin("initdb"), "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                                 "--locale=C.UTF-8", "--lc-collate=C"], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("cluster: initdb failed:\n%s%s" % (r.stdout, r.stderr))


def start(state):
    """Starts a cluster recorded in state (a directory, made when missing); returns its base URL."""
    os.makedirs(state, exist_ok=True)
    stop(state, quiet=True)
    root, prefix, uid, gid = _new_root()
    data = os.path.join(root, "data")
    os.mkdir(data, 0o700)
    os.chown(data, uid, gid)
    # Trust on loopback only: the cluster listens on 127.0.0.1 and its own socket folder, nowhere else (its
    # replication connections too: initdb's trust lines cover them).
    r = subprocess.run(prefix + [_bin("initdb"), "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                                 "--locale=C.UTF-8", "--lc-collate=C"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise SystemExit("cluster: initdb failed:\n%s%s" % (r.stdout, r.stderr))
    return _launch(state, root, data, prefix)


def start_replica(primary_state, state, name="replica1", synchronous=True):
    """A streaming standby of the cluster in primary_state (pg_basebackup, then hot standby), recorded in state;
    with synchronous, the primary waits for it at every commit (synchronous_standby_names), so an acknowledged
    write is on both. Returns the standby's base URL."""
    os.makedirs(state, exist_ok=True)
    stop(state, quiet=True)
    primary = base_url(primary_state)
    port = _read(os.path.join(primary_state, "port"))
    root, prefix, uid, gid = _new_root()
    data = os.path.join(root, "data")
    conninfo = "host=127.0.0.1 port=%s user=%s application_name=%s" % (port, SUPERUSER, name)
    r = subprocess.run(prefix + [_bin("pg_basebackup"), "-D", data, "-d", conninfo, "-X", "stream", "-c", "fast",
                                 "-R"], capture_output=True, text=True)
    if r.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise SystemExit("cluster: pg_basebackup failed:\n%s%s" % (r.stdout, r.stderr))
    url = _launch(state, root, data, prefix, "-c hot_standby=on -c hot_standby_feedback=on")
    if synchronous:
        _psql(primary, "postgres", "ALTER SYSTEM SET synchronous_standby_names = '%s'" % name)
        _psql(primary, "postgres", "SELECT pg_reload_conf()")
        deadline = time.time() + 60
        while time.time() < deadline:
            rows = query(primary + "postgres", "SELECT sync_state FROM pg_stat_replication WHERE application_name = '%s'"
                         % name)
            if rows and rows[0][0] == "sync":
                break
            time.sleep(0.1)
        else:
            raise SystemExit("cluster: the standby %s did not become synchronous" % name)
    return url


def promote(state):
    """Promotes the standby recorded in state to a primary (pg_ctl promote, waiting until it accepts writes)."""
    prefix, _, _ = _runas()
    data = _read(os.path.join(state, "data"))
    r = subprocess.run(prefix + [_bin("pg_ctl"), "-D", data, "-w", "-t", "60", "promote"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SystemExit("cluster: promote failed:\n%s%s" % (r.stdout, r.stderr))


def halt(state):
    """Stops the cluster in state as a crash would (immediate shutdown: no checkpoint), keeping its folder and its
    record, so it can be looked at or started again."""
    pid = _read(os.path.join(state, "pid"))
    data = _read(os.path.join(state, "data"))
    if pid and data and _alive(int(pid)) and _is_our_postmaster(int(pid), data):
        os.kill(int(pid), signal.SIGQUIT)
        deadline = time.time() + 60
        while _alive(int(pid)) and time.time() < deadline:
            time.sleep(0.05)


def stop(state, quiet=False):
    """Stops the cluster recorded in state by its postmaster's PID (fast shutdown) and removes its folder."""
    pid, data, root = _read(os.path.join(state, "pid")), _read(os.path.join(state, "data")), \
        _read(os.path.join(state, "root"))
    for name in ("url", "pid", "data", "root", "port", "template"):
        try:
            os.unlink(os.path.join(state, name))
        except OSError:
            pass
    if not pid or not data:
        if not quiet:
            print("cluster: nothing recorded in %s" % state)
        return
    pid = int(pid)
    if _alive(pid) and _is_our_postmaster(pid, data):
        os.kill(pid, signal.SIGINT)  # fast shutdown: ends sessions, checkpoints, exits
        deadline = time.time() + 60
        while _alive(pid) and time.time() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGQUIT)
            while _alive(pid) and time.time() < deadline + 10:
                time.sleep(0.05)
    if root and root.startswith(tempfile.gettempdir()) and os.path.basename(root).startswith("quire-pg-"):
        shutil.rmtree(root, ignore_errors=True)


def _psql(base, db, sql):
    r = subprocess.run([_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", base + db, "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("psql: %s" % r.stderr.strip())


def create_database(base, prefix="quire_test", template=None):
    """A fresh database on the cluster at base (empty, or a copy of database template); returns its URL."""
    name = "%s_%s" % (prefix, uuid.uuid4().hex[:12])
    _psql(base, "postgres", 'CREATE DATABASE "%s"%s' % (name, ' TEMPLATE "%s"' % template if template else ""))
    return base + name


def query(url, sql):
    """Rows of a read-only query as tuples of strings (None for NULL)."""
    r = subprocess.run([_bin("psql"), "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", "null=\x1e", "-v",
                        "ON_ERROR_STOP=1", "-d", url, "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("psql: %s" % r.stderr.strip())
    rows = []
    for line in r.stdout.split("\n"):
        if line:
            rows.append(tuple(None if v == "\x1e" else v for v in line.split("\x1f")))
    return rows


def execute(url, sql):
    """Runs a statement (tests that change rows beside a server)."""
    r = subprocess.run([_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("psql: %s" % r.stderr.strip())


def drop_database(url):
    base, _, name = url.rpartition("/")
    # WITH (FORCE): a server killed with -9 may leave sessions the cluster has not noticed yet.
    _psql(base + "/", "postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def with_db(state, cmd):
    url = create_database(base_url(state))
    env = dict(os.environ, QUIRE_TEST_STORE=url)
    try:
        return subprocess.call(cmd, env=env)
    finally:
        try:
            drop_database(url)
        except RuntimeError as e:
            print("cluster: %s" % e, file=sys.stderr)


def main(argv):
    if len(argv) >= 5 and argv[1] == "start" and argv[3] == "--data":
        if not os.path.isdir(argv[4]):
            initdb_only(argv[4])
        print(start_existing(argv[2], argv[4]))
        return 0
    if len(argv) >= 3 and argv[1] == "start":
        print(start(argv[2]))
        return 0
    if len(argv) >= 3 and argv[1] == "stop":
        stop(argv[2])
        return 0
    if len(argv) >= 5 and argv[1] == "with-db" and argv[3] == "--":
        return with_db(argv[2], argv[4:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
