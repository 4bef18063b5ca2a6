"""End-to-end: the command line (version, help, user add, token add, backup) alongside a running server."""
import os
import shutil
import re
import sqlite3
import sys
import tempfile
import time

from quire_e2e import STORE_KIND, Server, check, contains, eq, main, not_contains, run_cli, status


def test_version():
    p = run_cli(["--version"])
    eq(p.returncode, 0, "exit status of --version")
    check(re.match(r"^quire \d+\.\d+(\.\d+)?\S*\s*$", p.stdout), "--version printed %r" % p.stdout)


def test_help_lists_commands():
    p = run_cli(["--help"])
    eq(p.returncode, 0, "exit status of --help")
    for cmd in ("serve", "user add", "token add", "backup"):
        contains(p.stdout, cmd, "--help output")


def test_unknown_command_fails():
    p = run_cli(["no-such-command"])
    check(p.returncode != 0, "unknown command exited 0")
    check(p.stderr.strip(), "unknown command printed nothing on stderr")


def test_user_add_then_login_over_http():
    with Server() as srv:
        p = run_cli(["user", "add", "alice", "alice@example.org"], data=srv.data, stdin="pw12345678\n")
        eq(p.returncode, 0, "user add exit status (stderr: %s)" % p.stderr)
        p = run_cli(["user", "add", "root_admin", "root@example.org", "--role", "admin"], data=srv.data,
                    stdin="admin pw 12345\n")
        eq(p.returncode, 0, "user add --role admin exit status (stderr: %s)" % p.stderr)
        c = srv.client()
        status(c.login("alice", "pw12345678"), 303)
        r = c.get("/account")
        status(r, 200)
        contains(r.text, "alice", "account page")
        status(srv.client().login("root_admin", "admin pw 12345"), 303)
        # The same rules as the sign-up form.
        p = run_cli(["user", "add", "ALICE", "other@example.org"], data=srv.data, stdin="pw12345678\n")
        check(p.returncode != 0, "user add of a taken name (other case) exited 0")
        p = run_cli(["user", "add", "bad name", "bad@example.org"], data=srv.data, stdin="pw12345678\n")
        check(p.returncode != 0, "user add of an invalid name exited 0")
        p = run_cli(["user", "add", "shortpw", "short@example.org"], data=srv.data, stdin="pw1234\n")
        check(p.returncode != 0, "user add with a 6-character password exited 0")
        p = run_cli(["user", "add", "badrole", "badrole@example.org", "--role", "emperor"], data=srv.data,
                    stdin="pw12345678\n")
        check(p.returncode != 0, "user add --role emperor exited 0")
        status(srv.client().login("shortpw", "pw1234"), 401)


def test_a_demo_author_gets_a_password_and_a_role_as_the_readme_says():
    with Server(demo=True) as srv:
        author = re.search(r'href="/users/([^"/?]+)"', srv.client().get("/").text).group(1)
        p = run_cli(["user", "password", author], data=srv.data, stdin="a long password\n")
        eq(p.returncode, 0, "user password exit status (stderr: %s)" % p.stderr)
        p = run_cli(["user", "role", author, "admin"], data=srv.data)
        eq(p.returncode, 0, "user role exit status (stderr: %s)" % p.stderr)
        c = srv.client()
        status(c.login(author, "a long password"), 303)
        contains(c.get("/account").text, author, "the demo author's account page")
        p = run_cli(["user", "role", author, "emperor"], data=srv.data)
        check(p.returncode != 0, "user role emperor exited 0")
        p = run_cli(["user", "role", "orphan_account", "admin"], data=srv.data)
        check(p.returncode != 0, "the orphan account was given a role")
        p = run_cli(["user", "role", "nobody_here", "admin"], data=srv.data)
        check(p.returncode != 0, "a missing user was given a role")


def test_access_log_can_be_turned_off():
    # The line is written once the answer is sent: wait for it (and, below, for the stop, which is after).
    with Server() as srv:
        srv.client().get("/works")
        for _ in range(100):
            if '"GET /works" 200' in srv.log_text():
                break
            time.sleep(0.02)
        contains(srv.log_text(), '"GET /works" 200')
    with Server(env={"QUIRE_ACCESS_LOG": "false"}) as srv:
        status(srv.client().get("/works"), 200)
        status(srv.client().get("/no-such-page"), 404)
        srv.stop()
        log = srv.log_text()
        contains(log, "listening on")
        not_contains(log, "access ")


def test_token_add_prints_a_token():
    with Server() as srv:
        p = run_cli(["user", "add", "tok", "tok@example.org"], data=srv.data, stdin="pw12345678\n")
        eq(p.returncode, 0, "user add exit status (stderr: %s)" % p.stderr)
        p = run_cli(["token", "add", "tok"], data=srv.data)
        eq(p.returncode, 0, "token add exit status (stderr: %s)" % p.stderr)
        token = p.stdout.strip()
        check(re.fullmatch(r"\S{32,}", token), "token add printed %r" % p.stdout)
        p2 = run_cli(["token", "add", "tok"], data=srv.data)
        check(p2.stdout.strip() != token, "two tokens are the same")
        p = run_cli(["token", "add", "nobody_at_all"], data=srv.data)
        check(p.returncode != 0, "token add for an unknown user exited 0")


def test_backup_while_serving():
    with Server() as srv:
        for i in range(3):
            srv.client().signup("backer%d" % i, "backer%d@example.org" % i, "backup pw 123")
        tmp = tempfile.mkdtemp(prefix="quire-backup-")
        if STORE_KIND == "postgres":
            # A database server is backed up with its own tools: a clear sentence, no file.
            p = run_cli(["backup", os.path.join(tmp, "copy.db")], data=srv.data)
            check(p.returncode == 1, "backup of a PostgreSQL store exited %d" % p.returncode)
            contains(p.stderr, "pg_dump")
            check(not os.path.exists(os.path.join(tmp, "copy.db")), "a file was written")
            shutil.rmtree(tmp, ignore_errors=True)
            return
        try:
            backup_and_check(srv, os.path.join(tmp, "copy.db"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def backup_and_check(srv, out):
    """`quire backup OUT` while srv serves: a sound copy holding what was signed up."""
    p = run_cli(["backup", out], data=srv.data)
    eq(p.returncode, 0, "backup exit status (stderr: %s)" % p.stderr)
    check(os.path.isfile(out) and os.path.getsize(out) > 0, "backup file missing or empty")
    with open(out, "rb") as f:
        eq(f.read(16), b"SQLite format 3\0", "backup file header")
    db = sqlite3.connect("file:%s?mode=ro" % out, uri=True)
    try:
        eq(db.execute("PRAGMA integrity_check").fetchone()[0], "ok", "integrity_check of the backup")
        dump = "\n".join(db.iterdump())
    finally:
        db.close()
    contains(dump, "backer2", "backup contents")
    status(srv.client().login("backer0", "backup pw 123"), 303)


if __name__ == "__main__":
    sys.exit(main(globals()))
