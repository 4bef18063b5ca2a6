"""quire store copy: the demo archive from SQLite to PostgreSQL and back, every row kept with its id; a crash in the
middle resumes; a target that holds an archive is refused without --force; a half-copied target is not served; a
crawl of the pages and API answers is byte-identical on the three archives; the search documents the copy writes are
the operations' own.
Needs the PostgreSQL cluster of the pg/start fixture (ctest runs it as e2e-pg/test_store_copy)."""

import os
import io
import json
import re
import sqlite3
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quire_e2e  # noqa: E402
import efiction_fixture as fx  # noqa: E402
from quire_e2e import Server, check, contains, eq, main, redirect, run_cli, status  # noqa: E402

# The demo archive starts on SQLite here whatever the run's backend; the test names its PostgreSQL databases.
quire_e2e.STORE_KIND = "sqlite"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pg"))
import cluster  # noqa: E402
from admin_helpers import add_user, api, login, post_work, settings  # noqa: E402

# Tables a person's archive is made of (the search index is derived and rebuilt by the copy).
TABLES = ["settings", "users", "sessions", "api_tokens", "works", "tags", "work_tags", "work_creators", "series",
          "work_series", "chapters", "subscriptions", "mail_settings", "mail_tokens", "outbox", "inbox", "comments",
          "kudos", "bookmarks", "readings", "stats_daily", "tag_parents", "meta_tags", "filter_taggings", "counters",
          "work_sync_queue", "user_blocks",
          # running a community (issue 14)
          "mod_log", "work_moderation", "reports", "report_notes", "outbox_notices", "rate_counts", "user_sanctions",
          "comment_quarantine", "bookmark_quarantine", "site_pages", "site_page_versions", "user_policy", "site_news", "site_news_comments",
          "invitations", "invite_requests", "spam_queue", "spam_addresses", "spam_blocklist", "mutes",
          # imports (#15): the sample eFiction archive migrated into the demo archive fills them
          "work_sources", "work_source_creators", "import_map", "user_profiles"]
# Of those, the ones community_rows must have filled (the rest may be empty: the copy is then shown on no rows).
COMMUNITY_FILLED = ["mod_log", "work_moderation", "reports", "report_notes", "outbox_notices", "rate_counts",
                    "user_sanctions", "comment_quarantine", "bookmark_quarantine", "site_pages", "site_page_versions",
                    "user_policy", "site_news", "site_news_comments", "invitations", "invite_requests", "spam_queue",
                    "spam_blocklist", "mutes"]
IMPORT_TABLES = ["work_sources", "import_map", "user_profiles"]


def base():
    state = os.environ.get("QUIRE_PG_STATE")
    check(state, "QUIRE_PG_STATE names the cluster (run through ctest: e2e-pg/test_store_copy)")
    return cluster.base_url(state)


def demo_archive():
    """A data dir whose SQLite file holds the demo archive (seeded by a first start), plus a member's session, and
    the sample eFiction archive migrated into it (what imports keep: old ids, sources, moved members' profiles)."""
    data = tempfile.mkdtemp(prefix="quire-copy-")
    with Server(demo=True, data=data) as srv:
        c = srv.client()
        c.signup("reader", "reader@example.org", "a long password")
        eq(c.get("/works").status, 200)
        community_rows(srv)
    r = run_cli(["import", "efiction", "--dump", fx.DUMP], data=data, timeout=300)
    check(r.returncode == 0, "import efiction: %s" % r.stderr)
    for t in IMPORT_TABLES:
        _, rows = rows_sqlite(os.path.join(data, "quire.db"), t)
        check(rows, "the migration left rows in %s" % t)
    return data


def community_rows(srv):
    """Rows in the tables of running a community (issue 14): a report with a note, a hidden work, a deleted
    comment, a suspension, a mute, a site page, terms accepted, news with a comment, invitations, held spam."""
    author = add_user(srv, "copy_author")
    mod = add_user(srv, "copy_admin", role="admin")
    reader = add_user(srv, "copy_reader")
    work = post_work(srv, author, title="Copied With Care")
    wid = work["id"]
    status(api(srv, "PUT", "/api/v1/mutes/users/copy_author", token=reader), 204)
    r = api(srv, "POST", "/api/v1/reports", {"kind": "work", "id": wid, "category": "spam", "body": "A shop."}, reader)
    status(r, 201)
    rid = r.json()["id"]
    status(api(srv, "PATCH", "/api/v1/admin/reports/%d" % rid, {"status": "in_progress", "note": "Looking."}, mod), 200)
    status(api(srv, "POST", "/api/v1/admin/works/%d/hide" % wid, {"reason": "Spam.", "report_id": rid}, mod), 200)
    adm = login(srv, "copy_admin")
    other = post_work(srv, author, title="Still Up")
    chapter = "/works/%d/chapters/%d" % (other["id"], other["chapters"][0]["id"])
    r = api(srv, "POST", "/api/v1/chapters/%d/comments" % other["chapters"][0]["id"],
            {"body": "A thoughtful comment about the ending."}, reader)
    status(r, 201)
    status(api(srv, "POST", "/api/v1/admin/comments/%d/delete" % r.json()["id"], {"reason": "Rude."}, mod), 200)
    r = api(srv, "POST", "/api/v1/bookmarks", {"work_id": other["id"], "notes": "Advertising."}, reader)
    status(r, 201)
    status(api(srv, "POST", "/api/v1/admin/bookmarks/%d/remove" % r.json()["id"], {"reason": "Spam."}, mod), 200)
    guest = srv.client()
    guest.get(chapter + "/comments/new")
    status(guest.post_form(chapter + "/comments", [("body", "Buy now http://a.example http://b.example http://c.example"
                                                            " http://d.example"), ("guest_name", "Seller"),
                                                   ("guest_email", "seller@example.org")]), 202)
    redirect(adm.post_form("/admin/pages/tos", [("title", "Terms"), ("body", "Be kind.")]), "/pages/tos")
    version = re.search(r'name="version" value="(\d+)"', adm.get("/accept").text).group(1)
    redirect(adm.post_form("/accept", [("version", version), ("return", "/")]), "/")
    r = adm.post_form("/admin/news", [("title", "Copied"), ("comments_open", "1"), ("body", "News.")])
    status(r, 303)
    news = r.headers["Location"]
    adm.get(news)
    redirect(adm.post_form(news + "/comments", [("body", "First!")]), news)
    redirect(adm.post_form("/admin/spam/blocklist", [("action", "add"), ("pattern", "spam.example")]),
             "/admin/spam/blocklist")
    redirect(settings(adm, signup_mode="invitation"), "/admin/settings")
    redirect(adm.post_form("/invitations", []), "/invitations")
    asker = srv.client()
    asker.get("/invitations/request")
    status(asker.post_form("/invitations/request", [("email", "asker@example.org")]), 200)
    status(api(srv, "POST", "/api/v1/admin/users/copy_reader/suspend",
               {"days": 3, "reason": "Cooling off.", "hide_works": False}, mod), 200)


def rows_sqlite(path, table):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        cols = [r[1] for r in db.execute("PRAGMA table_info(%s)" % table)]
        key = ", ".join(cols[:1])
        return cols, [tuple(None if v is None else str(v) for v in r)
                      for r in db.execute("SELECT * FROM %s ORDER BY %s" % (table, key))]
    finally:
        db.close()


def sorted_rows(rows):
    return sorted(rows, key=lambda r: tuple("" if v is None else v for v in r))


def copy(args, env=None, check_ok=True):
    r = run_cli(["store", "copy"] + args, env=env, timeout=300)
    if check_ok:
        check(r.returncode == 0, "store copy failed: %s %s" % (r.stdout, r.stderr))
    return r


def test_round_trip_keeps_every_row_and_id():
    data = demo_archive()
    src = os.path.join(data, "quire.db")
    url = cluster.create_database(base(), "quire_copy")
    back = os.path.join(data, "back.db")
    try:
        r = copy(["--from", "sqlite:" + src, "--to", url])
        contains(r.stdout, "holds the same archive")
        contains(r.stdout, "works")
        r = copy(["--from", url, "--to", "sqlite:" + back])
        contains(r.stdout, "holds the same archive")
        for t in COMMUNITY_FILLED:
            check(rows_sqlite(src, t)[1], "the archive to copy has rows in %s" % t)
        for t in TABLES:
            cols, want = rows_sqlite(src, t)
            cols2, got = rows_sqlite(back, t)
            eq(cols2, cols, "columns of %s" % t)
            eq(sorted_rows(got), sorted_rows(want), "rows of %s after SQLite -> PostgreSQL -> SQLite" % t)
        # Ids never come back: the next work on either side gets an id above every id the source gave out.
        high = int(cluster.query(url, "SELECT last_value FROM works_id_seq")[0][0])
        check(high >= max(int(r[0]) for r in rows_sqlite(src, "works")[1]), "the work ids' high-water mark moved")
        # The account the demo made logs in on the PostgreSQL copy (family A on the copied rows).
        r = run_cli(["user", "password", "reader", "--store", url], stdin="another long password\n")
        eq(r.returncode, 0, "quire user password on the copy: %s" % r.stderr)
    finally:
        cluster.drop_database(url)


# The tables of collections and gifts, gift exchanges, prompt memes and related works.
COLLECTION_TABLES = ["collections", "collection_members", "collection_items", "gifts", "exchanges", "exchange_tags",
                     "signups", "signup_items", "signup_item_tags", "assignments", "prompts", "prompt_tags",
                     "prompt_claims", "prompt_fills", "work_relations"]


def collections_archive():
    """A data dir with a row in every table of collections, gifts, exchanges, prompt memes and related works."""
    from test_mail import add_user, api
    data = tempfile.mkdtemp(prefix="quire-copy-")
    with Server(data=data) as srv:
        mod, fan, writer = add_user(srv, "cp_mod"), add_user(srv, "cp_fan"), add_user(srv, "cp_writer")

        def ok(r, want=(200, 201, 204)):
            check(r.status in want, "%s: %s" % (r.status, r.text))
            return r.json() if r.text else None
        work = {"title": "Copied", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
                "fandoms": ["Copyland"], "chapter": {"format": "text", "content": "Words enough to be a chapter."}}
        ok(api(srv, "POST", "/api/v1/collections", {"name": "cp_top", "title": "Top", "anonymous": True}, mod))
        ok(api(srv, "POST", "/api/v1/collections", {"name": "cp_sub", "title": "Sub", "parent": "cp_top"}, mod))
        first = ok(api(srv, "POST", "/api/v1/works", dict(work, collections=["cp_top"], gifts=["cp_fan", "Someone"]),
                       writer))
        ok(api(srv, "POST", "/api/v1/works", dict(work, title="Remix", related=[
            {"kind": "inspired", "work_id": first["id"]},
            {"kind": "podfic", "url": "https://example.org/x", "title": "X", "author": "Y"}]), fan))
        ok(api(srv, "POST", "/api/v1/collections", {"name": "cp_swap", "title": "Swap", "challenge": "gift_exchange"},
               mod))
        ok(api(srv, "PUT", "/api/v1/collections/cp_swap/exchange",
               {"opened": True, "tags": {"fandoms": {"tag_set": ["Copyland"]}}}, mod))
        for t in (fan, writer):
            ok(api(srv, "PUT", "/api/v1/collections/cp_swap/signup",
                   {"requests": [{"fandoms": ["Copyland"]}], "offers": [{"fandoms": ["Copyland"]}]}, t))
        ok(api(srv, "POST", "/api/v1/collections/cp_swap/matching", None, mod))
        ok(api(srv, "POST", "/api/v1/collections", {"name": "cp_meme", "title": "Meme", "challenge": "prompt_meme"},
               mod))
        p = ok(api(srv, "POST", "/api/v1/collections/cp_meme/prompts",
                   {"title": "A prompt", "tags": {"fandoms": ["Copyland"]}}, fan))
        ok(api(srv, "POST", "/api/v1/prompts/%d/claim" % p["id"], None, writer))
        ok(api(srv, "POST", "/api/v1/works", dict(work, title="Fill", prompt=p["id"]), writer))
    return data


def test_collections_exchanges_prompts_and_related_works_copy():
    data = collections_archive()
    src = os.path.join(data, "quire.db")
    url = cluster.create_database(base(), "quire_copy")
    back = os.path.join(data, "back.db")
    try:
        for t in COLLECTION_TABLES:
            check(rows_sqlite(src, t)[1], "the archive has rows in %s" % t)
        r = copy(["--from", "sqlite:" + src, "--to", url])
        contains(r.stdout, "holds the same archive")
        r = copy(["--from", url, "--to", "sqlite:" + back])
        contains(r.stdout, "holds the same archive")
        for t in COLLECTION_TABLES + ["works", "inbox", "outbox"]:
            cols, want = rows_sqlite(src, t)
            cols2, got = rows_sqlite(back, t)
            eq(cols2, cols, "columns of %s" % t)
            eq(sorted_rows(got), sorted_rows(want), "rows of %s after SQLite -> PostgreSQL -> SQLite" % t)
    finally:
        cluster.drop_database(url)


def test_refuses_a_target_that_holds_an_archive():
    data = demo_archive()
    src = os.path.join(data, "quire.db")
    url = cluster.create_database(base(), "quire_copy")
    try:
        copy(["--from", "sqlite:" + src, "--to", url])
        r = copy(["--from", "sqlite:" + src, "--to", url], check_ok=False)
        eq(r.returncode, 1)
        contains(r.stderr, "--force")
        r = copy(["--from", url, "--to", "sqlite:" + src], check_ok=False)
        eq(r.returncode, 1)
        contains(r.stderr, "already holds an archive")
        r = copy(["--from", "sqlite:" + src, "--to", url, "--force"])
        contains(r.stdout, "holds the same archive")
    finally:
        cluster.drop_database(url)


def test_a_crashed_copy_resumes_and_is_not_served_meanwhile():
    data = demo_archive()
    src = os.path.join(data, "quire.db")
    url = cluster.create_database(base(), "quire_copy")
    try:
        r = copy(["--from", "sqlite:" + src, "--to", url], env={"QUIRE_COPY_BATCH": "7", "QUIRE_COPY_CRASH_AFTER": "60"},
                 check_ok=False)
        eq(r.returncode, 3, "the copy crashed on purpose: %s" % r.stderr)
        copied = int(cluster.query(url, "SELECT COUNT(*) FROM tags")[0][0]) + \
            int(cluster.query(url, "SELECT COUNT(*) FROM users")[0][0])
        check(copied > 0, "some rows were there before the crash")
        # Half an archive is not served.
        r = run_cli(["user", "role", "reader", "admin", "--store", url])
        eq(r.returncode, 1)
        contains(r.stderr, "has not finished")
        r = copy(["--from", "sqlite:" + src, "--to", url], env={"QUIRE_COPY_BATCH": "7"})
        contains(r.stdout, "resuming")
        contains(r.stdout, "holds the same archive")
        # The same into SQLite: the target file only appears when the copy is whole.
        dest = os.path.join(data, "dest.db")
        r = copy(["--from", url, "--to", "sqlite:" + dest], env={"QUIRE_COPY_BATCH": "5", "QUIRE_COPY_CRASH_AFTER": "40"},
                 check_ok=False)
        eq(r.returncode, 3)
        check(not os.path.exists(dest), "no half-copied %s" % dest)
        check(os.path.exists(dest + ".copying"), "the copy in progress is kept to resume")
        r = copy(["--from", url, "--to", "sqlite:" + dest], env={"QUIRE_COPY_BATCH": "5"})
        contains(r.stdout, "resuming")
        for t in TABLES:
            eq(sorted_rows(rows_sqlite(dest, t)[1]), sorted_rows(rows_sqlite(src, t)[1]), "rows of %s" % t)
    finally:
        cluster.drop_database(url)


def test_copied_search_documents_are_the_operations_own():
    """The copy writes every work's and chapter's search document itself (COPY, no operation runs): they must be what
    the operations write, or a search finds other works on a copied archive. The demo archive made on PostgreSQL by
    the operations, copied to SQLite and back, keeps its ids: the documents compare row by row."""
    native = cluster.create_database(base(), "quire_copy")
    back = cluster.create_database(base(), "quire_copy")
    data = tempfile.mkdtemp(prefix="quire-copy-")
    mid = os.path.join(data, "mid.db")
    try:
        with Server(demo=True, data=data, args=["--store", native]) as srv:
            eq(srv.client().get("/works").status, 200)
        copy(["--from", native, "--to", "sqlite:" + mid])
        copy(["--from", "sqlite:" + mid, "--to", back])
        for sql in ("SELECT id, search::text, search_meta::text FROM works ORDER BY id",
                    "SELECT id, search::text FROM chapters ORDER BY id"):
            want, got = cluster.query(native, sql), cluster.query(back, sql)
            check(len(want) > 0, "the demo archive has rows for: %s" % sql)
            eq(got, want, "search documents after the copy (%s)" % sql)
        # The indexes and constraints set aside during the copy are all back.
        defs = "SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid" \
               " WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1"
        eq(cluster.query(back, defs), cluster.query(native, defs), "the indexes after the copy")
        cons = "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint" \
               " WHERE connamespace = 'public'::regnamespace ORDER BY 1"
        eq(cluster.query(back, cons), cluster.query(native, cons), "the constraints after the copy")
    finally:
        cluster.drop_database(native)
        cluster.drop_database(back)
# What legitimately differs between three servers answering the same archive: their own address, the CSRF token a
# form carries (per visitor), hit counts (each server writes its counted views when its hits job runs), and the
# words a search snippet shows.
NORMALIZE = [
    (re.compile(rb"127\.0\.0\.1:\d+"), b"HOST"),
    (re.compile(rb'(name="csrf_token" value=")[^"]*'), rb"\1TOKEN"),
    (re.compile(rb'(<dt[^>]*>Hits:</dt>\s*<dd[^>]*>)[\d,]*'), rb"\1N"),
    (re.compile(rb'("hits(?:_count)?":\s*)\d+'), rb"\1N"),
    (re.compile(rb'(<dd class="hits">)[\d,]*'), rb"\1N"),
    # A search's snippets: FTS5's snippet() and PostgreSQL's ts_headline choose their words each their own way
    # (README, "PostgreSQL"); the works found and their order are compared.
    (re.compile(rb'(<blockquote class="snippet"[^>]*>).*?</blockquote>', re.S), rb"\1SNIPPET</blockquote>"),
    (re.compile(rb'("snippet":\s*)"(?:[^"\\]|\\.)*"'), rb'\1"SNIPPET"'),
]
FEED_UPDATED = re.compile(rb"(<feed\b(?:(?!<entry\b).)*?<updated>)[^<]*", re.S)
LINK = re.compile(rb'href="(/[^"#]*)"')
WORK_ID = re.compile(rb'id="work_(\d+)"|"id":\s*(\d+)')
# Links a crawl does not follow: they change state, or are per visitor.
SKIP = re.compile(r"^/(logout|login|signup|static/)|/(new|edit|delete)$|[?&]return=")
LISTING_COUNT = re.compile(rb'<h2 class="listing-count">\s*([\d,]+)\s*\S+\s*([\d,]+)\s*of\s*([\d,]+)(.*?)</h2>', re.S)


def found(body):
    """What a search ranked by relevance finds: the works on its page, and its count. When the works found fill
    more than one page (the sample eFiction archive's stories match "the" too), which of close scores make the
    first page is each ranking's own: then the count and how many are shown are compared, not which."""
    if body.lstrip().startswith(b"{"):  # the API's listing
        j = json.loads(body)
        ids = sorted(w["id"] for w in j["works"])
        if j["page"] != 1 or j["total"] > len(ids):
            return (j["total"], j["total_capped"], len(ids))
        return ids
    ids = sorted(set(WORK_ID.findall(body)))
    m = LISTING_COUNT.search(body)
    if m and (m.group(1) != b"1" or m.group(2) != m.group(3)):
        return (m.group(0), len(ids))
    return ids



def normalized(body):
    if body.startswith(b"PK\x03\x04"):
        # A download (EPUB): its files, each compared as a page is (the zip's own dates aside).
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return b"\n".join(b"== %s\n%s" % (i.filename.encode(), normalized(z.read(i))) for i in z.infolist())
    for pat, rep in NORMALIZE:
        body = pat.sub(rep, body)
    # A feed's own <updated> (before its first entry) is when the answer was made; the entries' are stored dates.
    return FEED_UPDATED.sub(rb"\1NOW", body, count=1)


def test_a_crawl_is_byte_identical_across_the_copies():
    """The demo archive on SQLite, its copy on PostgreSQL and the copy of that back on SQLite, each served by a
    quire of its own: every page and API answer a guest's crawl reaches is the same bytes on the three."""
    data = demo_archive()
    url = cluster.create_database(base(), "quire_crawl")
    pg_data = tempfile.mkdtemp(prefix="quire-copy-pg-")
    back_data = tempfile.mkdtemp(prefix="quire-copy-back-")
    try:
        copy(["--from", "sqlite:" + os.path.join(data, "quire.db"), "--to", url])
        copy(["--from", url, "--to", "sqlite:" + os.path.join(back_data, "quire.db")])
        with Server(data=data) as a, Server(data=pg_data, args=["--store", url]) as b, Server(data=back_data) as c:
            clients = [s.client() for s in (a, b, c)]
            todo = ["/", "/works", "/search?q=the", "/search?q=the&sort=updated", "/api/v1/works",
                    "/api/v1/works?q=door", "/opds"]
            seen = set(todo)
            compared = 0
            while todo and compared < 400:
                path = todo.pop(0)
                answers = [cl.get(path) for cl in clients]
                st = [r.status for r in answers]
                eq(st[1:], [st[0], st[0]], "status of %s (SQLite, PostgreSQL, SQLite again)" % path)
                ctype = [r.headers.get("Content-Type") for r in answers]
                eq(ctype[1:], [ctype[0], ctype[0]], "Content-Type of %s" % path)
                bodies = [normalized(r.body) for r in answers]
                if "q=" in path and not re.search(r"sort=(?!relevance)", path):
                    # Ranked by relevance: FTS5's bm25 and PostgreSQL's ts_rank weigh alike but not to the byte, so
                    # works of close scores may swap; the works found are the same.
                    bodies = [found(r.body) for r in answers]
                for name, got in (("PostgreSQL", bodies[1]), ("SQLite again", bodies[2])):
                    if got != bodies[0]:
                        if not isinstance(got, bytes):
                            raise AssertionError("%s finds other works on %s: %r, not %r" % (path, name, got, bodies[0]))
                        at = next(i for i in range(min(len(got), len(bodies[0])) + 1)
                                  if i >= min(len(got), len(bodies[0])) or got[i] != bodies[0][i])
                        raise AssertionError("%s differs on %s at byte %d:\n  SQLite: %r\n  %s: %r" % (
                            path, name, at, bodies[0][max(0, at - 120):at + 120], name, got[max(0, at - 120):at + 120]))
                compared += 1
                if st[0] != 200 or not re.search(r"html|xml", ctype[0] or ""):
                    continue
                for m in LINK.finditer(answers[0].body):
                    link = m.group(1).decode("utf-8", "replace").replace("&amp;", "&")
                    if link not in seen and not SKIP.search(link):
                        seen.add(link)
                        todo.append(link)
            check(compared >= 100, "the crawl reached only %d pages" % compared)
            print("crawled %d pages and API answers, the same on the three" % compared)
    finally:
        cluster.drop_database(url)


def test_bad_urls_say_so():
    r = copy(["--from", "postgres://a:secret@[bad/x", "--to", "sqlite:/tmp/never.db"], check_ok=False)
    eq(r.returncode, 1)
    contains(r.stderr, "not a valid PostgreSQL URL")
    check("secret" not in r.stderr, "the password is not echoed")
    r = run_cli(["store", "copy", "--from", "sqlite:/tmp/x.db"])
    eq(r.returncode, 2)


if __name__ == "__main__":
    sys.exit(main(globals()))
