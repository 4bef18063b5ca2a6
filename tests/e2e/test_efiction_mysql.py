"""End-to-end: migrating the sample eFiction archive from a live MariaDB (Debian's mariadb-server, started here on
loopback in a temporary folder, as an unprivileged user when the tests run as root), through an account that may
only SELECT: the report's counts match the source, the result is the same as from the dump, and a second run
changes nothing."""
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import efiction_fixture as fx
from quire_e2e import check, contains, eq, free_port, main, run_cli
from test_efiction import check_report, counts, db, migrate

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
CLIENT = shutil.which("mariadb") or "/usr/bin/mariadb"


class MariaDB:
    """A MariaDB server of our own: its data, socket and log in a temporary folder, listening on 127.0.0.1."""

    def __init__(self):
        for exe in (MARIADBD, INSTALL_DB, CLIENT):
            check(os.access(exe, os.X_OK), "%s is missing: scripts/deps.sh test installs mariadb-server" % exe)
        self.dir = tempfile.mkdtemp(prefix="quire-mariadb-")
        self.data = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "mysqld.sock")
        self.port = free_port()
        self.proc = None
        # mariadbd will not run as root: as nobody, who must own its folder
        self.user = "nobody" if os.getuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
        if os.getuid() == 0:
            pw = pwd.getpwnam(self.user)
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    def client(self, sql=None, db=None, stdin=None):
        cmd = [CLIENT, "--no-defaults", "--protocol=socket", "--socket=" + self.sock, "-uroot",
               "--default-character-set=utf8mb4"]
        if db:
            cmd.append(db)
        if sql:
            cmd += ["-e", sql]
        return subprocess.run(cmd, stdin=stdin, capture_output=True, text=stdin is None, timeout=120)

    def start(self):
        p = subprocess.run([INSTALL_DB, "--no-defaults", "--datadir=" + self.data, "--user=" + self.user,
                            "--auth-root-authentication-method=normal", "--skip-test-db"],
                           capture_output=True, text=True, timeout=180)
        check(p.returncode == 0, "mariadb-install-db failed:\n%s%s" % (p.stdout, p.stderr))
        log = os.path.join(self.dir, "error.log")
        self.proc = subprocess.Popen([MARIADBD, "--no-defaults", "--datadir=" + self.data, "--socket=" + self.sock,
                                      "--port=%d" % self.port, "--bind-address=127.0.0.1", "--skip-name-resolve",
                                      "--log-error=" + log, "--pid-file=" + os.path.join(self.dir, "mysqld.pid"),
                                      "--user=" + self.user, "--innodb-buffer-pool-size=32M"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("mariadbd exited:\n" + open(log).read()[-4000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                if self.client("SELECT 1").returncode == 0:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("mariadbd did not start within 120 s:\n" + open(log).read()[-4000:])
            time.sleep(0.2)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def load(m, db, dump):
    p = m.client("CREATE DATABASE %s CHARACTER SET utf8mb4; CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY "
                 "'s3cret p@ss'; GRANT SELECT ON %s.* TO 'reader'@'127.0.0.1';" % (db, db))
    check(p.returncode == 0, "setting up the database: %s" % p.stderr)
    with open(dump, "rb") as f:
        p = m.client(db=db, stdin=f)
    check(p.returncode == 0, "loading the dump: %s" % p.stderr)


def test_the_sample_migrates_from_a_live_mariadb():
    tables = fx.read_dump()
    live = tempfile.mkdtemp(prefix="quire-efiction-live-")
    dumped = tempfile.mkdtemp(prefix="quire-efiction-dump-")
    try:
        with MariaDB() as m:
            load(m, "efiction_sample", fx.DUMP)
            url = "mysql://reader:s3cret%%20p%%40ss@127.0.0.1:%d/efiction_sample" % m.port
            before = m.client("CHECKSUM TABLE fanfiction_stories, fanfiction_chapters, fanfiction_authors",
                              db="efiction_sample").stdout
            p = migrate(live, "--mysql", url)
            check_report(p.stdout, tables)
            contains(p.stdout, "from mysql://reader@127.0.0.1:%d/efiction_sample" % m.port)
            check("s3cret" not in p.stdout and "s3cret" not in p.stderr, "the password is never printed")
            # read-only: the tables are as they were
            eq(m.client("CHECKSUM TABLE fanfiction_stories, fanfiction_chapters, fanfiction_authors",
                        db="efiction_sample").stdout, before, "the eFiction tables after the import")
            # a second run changes nothing
            rows = counts(live)
            p = migrate(live, "--mysql", url)
            check_report(p.stdout, tables, first_run=False)
            eq(counts(live), rows, "rows after a second run")
            # a wrong password or database: a clear message
            bad = run_cli(["import", "efiction", "--mysql", "mysql://reader:wrong@127.0.0.1:%d/efiction_sample" % m.port],
                          data=live, timeout=60)
            eq(bad.returncode, 1, "a wrong password")
            contains(bad.stderr, "cannot connect")
        # the same archive as from its dump
        migrate(dumped, "--dump", fx.DUMP)
        eq(counts(live), counts(dumped), "rows from the server and from the dump")
        sql = ("SELECT m.legacy_id, c.title, c.content_html, c.notes_html, c.end_notes_html FROM chapters c"
               " JOIN import_map m ON m.kind = 'chapter' AND m.id = c.id ORDER BY m.legacy_id")
        eq(db(live, sql), db(dumped, sql), "chapters from the server and from the dump")
        sql = "SELECT m.legacy_id, w.title, w.summary_html, w.published_at FROM works w JOIN import_map m" \
              " ON m.kind = 'story' AND m.id = w.id ORDER BY m.legacy_id"
        eq(db(live, sql), db(dumped, sql), "works from the server and from the dump")
    finally:
        shutil.rmtree(live, ignore_errors=True)
        shutil.rmtree(dumped, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
