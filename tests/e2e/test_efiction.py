"""End-to-end: migrating the sample eFiction 3.5 archive from its mysqldump (and from its stories folder). Every
count in the report matches the source (what was imported, already there or skipped adds up to it, each skip with
its reason); stories, chapters, categories, characters, classes, series, co-authors, reviews (author responses as
replies) and favourites land where they belong; every old address redirects to its page; a member claims an account
by mail (real SMTP) and finds their stories, reviews and favourites; a second run changes nothing; an interrupted run
resumes; the mapping file is written, edited and used; bad dumps are refused with a clear message."""
import html
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import efiction_fixture as fx
from quire_e2e import check, contains, eq, main, not_contains, redirect, run_cli, sql_rows, status, store_url, Server
from test_mail import Sink, body, link, local, mail_env, to, wait_for

PW = "a claimed password"
REPORT_ROWS = ["members", "categories (fandoms)", "characters", "stories", "chapters", "series", "co-authors",
               "reviews", "authors' responses", "favourites"]


def migrate(data, *args, env=None, check_ok=True):
    p = run_cli(["import", "efiction"] + list(args), data=data, env=env, timeout=300)
    if check_ok:
        eq(p.returncode, 0, "import efiction %s (stderr: %s)" % (" ".join(args), p.stderr))
    return p


def report_table(out):
    """{row: (in eFiction, imported, already here, skipped)} from a report."""
    table = {}
    for name in REPORT_ROWS:
        m = re.search(r"^%s\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$" % re.escape(name), out, re.M)
        check(m is not None, "the report has a row for %s:\n%s" % (name, out))
        table[name] = tuple(int(x) for x in m.groups())
    return table


def source_counts(tables):
    """What the report's "in eFiction" column must say, counted from the dump by the tests' own reader."""
    reviews = fx.rows(tables, "reviews")
    return {
        "members": len(tables["authors"]["rows"]), "categories (fandoms)": len(tables["categories"]["rows"]),
        "characters": len(tables["characters"]["rows"]), "stories": len(tables["stories"]["rows"]),
        "chapters": len(tables["chapters"]["rows"]), "series": len(tables["series"]["rows"]),
        "co-authors": len(tables["coauthors"]["rows"]), "reviews": len(reviews),
        "authors' responses": sum(1 for r in reviews if r["respond"] == "1"),
        "favourites": len(tables["favorites"]["rows"]),
    }


def check_report(out, tables, first_run=True):
    table = report_table(out)
    want = source_counts(tables)
    for name, (src, imported, already, skipped) in table.items():
        eq(src, want[name], "the report's count of %s in eFiction" % name)
        eq(imported + already + skipped, src, "%s: imported + already here + skipped" % name)
        if first_run:
            eq(already, 0, "%s already here on a first run" % name)
        else:
            eq(imported, 0, "%s imported by a second run" % name)
    if first_run:  # what the favourites became, by kind (a dry run too)
        favs = [f["type"] for f in fx.rows(tables, "favorites")]
        contains(out, "Favourites became %d bookmarks, %d author subscriptions and %d series subscriptions."
                 % (favs.count("ST"), favs.count("AU"), favs.count("SE")))
    return table


def _literal(v):
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def _value(v):
    """Integers as int: psql's text here, and quire_e2e's sql_rows gives them as int already."""
    return int(v) if isinstance(v, str) and re.fullmatch(r"-?[0-9]+", v) else v


def _pg_rows(url, sql):
    """Rows of a query on PostgreSQL as tuples of strings, values holding newlines too (a record separator
    that no text here holds, where quire_e2e's sql_rows splits at lines)."""
    import cluster
    r = subprocess.run([cluster._bin("psql"), "-X", "-q", "-A", "-t", "-F", "\x1f", "-R", "\x1d", "-P", "null=\x1e",
                        "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], capture_output=True, text=True)
    check(r.returncode == 0, "psql: %s" % r.stderr.strip())
    out = r.stdout[:-1] if r.stdout.endswith("\n") else r.stdout
    return [tuple(None if v == "\x1e" else v for v in rec.split("\x1f")) for rec in out.split("\x1d") if rec]


def db(data, sql, *args):
    """Rows of sql (? for each of args) on the store of a data dir, on either backend (e2e-pg runs this test on
    PostgreSQL); integers come back as ints."""
    parts = sql.split("?")
    check(len(parts) == len(args) + 1, "one argument per ? in %s" % sql)
    text = parts[0] + "".join(_literal(a) + p for a, p in zip(args, parts[1:]))
    url = store_url(data)
    rows = _pg_rows(url, text) if url else sql_rows(data, text)
    return [tuple(_value(v) for v in row) for row in rows]


def has_store(data):
    """Whether anything made the archive's schema (a refused import opens no store)."""
    if store_url(data) is None:
        return os.path.exists(os.path.join(data, "quire.db"))
    return db(data, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'works'")[0][0] > 0


def mapped(data, kind, legacy):
    r = db(data, "SELECT id FROM import_map WHERE kind = ? AND legacy_id = ?", kind, legacy)
    return r[0][0] if r else None


def counts(data):
    return {t: db(data, "SELECT COUNT(*) FROM %s" % t)[0][0]
            for t in ("users", "works", "chapters", "comments", "bookmarks", "subscriptions", "tags", "series",
                      "import_map", "work_creators", "work_sources", "user_profiles")}


def test_the_sample_migrates_from_its_dump():
    tables = fx.read_dump()
    data = tempfile.mkdtemp(prefix="quire-efiction-")
    try:
        p = migrate(data, "--dump", fx.DUMP)
        table = check_report(p.stdout, tables)
        eq(table["stories"][1], 60, "stories imported")
        eq(table["members"][1], 26, "members imported")
        contains(p.stdout, "not validated in eFiction")  # the three unvalidated chapters, with their reason
        contains(p.stdout, "Quire has no comments on series")  # the eight series reviews
        saved = [f for f in os.listdir(data) if f.startswith("import-efiction-") and f.endswith(".txt")]
        eq(len(saved), 1, "the report saved in the data folder")
        with open(os.path.join(data, saved[0])) as f:
            contains(f.read(), "in eFiction")
        # what is in the store matches the source
        stories = fx.rows(tables, "stories")
        eq(db(data, "SELECT COUNT(*) FROM works WHERE draft = 1")[0][0],
           sum(1 for s in stories if s["validated"] != "1"), "unvalidated stories are drafts")
        chapters = fx.rows(tables, "chapters")
        valid = {s["sid"] for s in stories if s["validated"] == "1"}
        want_chapters = sum(1 for c in chapters if c["validated"] == "1" or c["sid"] not in valid)
        eq(db(data, "SELECT COUNT(*) FROM chapters")[0][0], want_chapters, "chapters")
        reviews = fx.rows(tables, "reviews")
        story_reviews = [r for r in reviews if r["type"] == "ST"]
        eq(db(data, "SELECT COUNT(*) FROM comments WHERE parent_id IS NULL")[0][0], len(story_reviews), "reviews")
        eq(db(data, "SELECT COUNT(*) FROM comments WHERE parent_id IS NOT NULL")[0][0],
           sum(1 for r in story_reviews if r["respond"] == "1"), "author responses as replies")
        guests = [r for r in story_reviews if r["uid"] == 0]
        eq(db(data, "SELECT COUNT(*) FROM comments WHERE user_id IS NULL")[0][0], len(guests), "guest reviews")
        favs = fx.rows(tables, "favorites")
        eq(db(data, "SELECT COUNT(*) FROM bookmarks")[0][0], sum(1 for f in favs if f["type"] == "ST"), "bookmarks")
        eq(db(data, "SELECT COUNT(*) FROM subscriptions WHERE author_id IS NOT NULL")[0][0],
           sum(1 for f in favs if f["type"] == "AU"), "author subscriptions")
        eq(db(data, "SELECT COUNT(*) FROM subscriptions WHERE series_id IS NOT NULL")[0][0],
           sum(1 for f in favs if f["type"] == "SE"), "series subscriptions")
        eq(db(data, "SELECT COUNT(*) FROM users WHERE pwhash = '' AND role = 'user'")[0][0], 26,
           "members' accounts wait to be claimed")
        # co-authors credited and accepted
        for co in fx.rows(tables, "coauthors"):
            wid = mapped(data, "story", co["sid"])
            uid = mapped(data, "user", co["uid"])
            eq(db(data, "SELECT accepted FROM work_creators WHERE work_id = ? AND user_id = ?", wid, uid), [(1,)],
               "co-author %d of story %d" % (co["uid"], co["sid"]))
        # no double encoding and no C1 controls left in any chapter
        for (h,) in db(data, "SELECT content_html FROM chapters"):
            check(not re.search("[\u0080-\u009f]|â€|Ã©", h), "repaired text: %r" % h[:200])

        with Server(data=data) as srv:
            check_old_links(srv, tables)
            check_a_story(srv, tables)
        # a second run changes nothing
        before = counts(data)
        p = migrate(data, "--dump", fx.DUMP)
        check_report(p.stdout, tables, first_run=False)
        eq(counts(data), before, "rows after a second run")
    finally:
        shutil.rmtree(data, ignore_errors=True)


def check_a_story(srv, tables):
    """Story 3 on its page: title, fandom, characters, rating and classes as the mapping says, chapters in order."""
    story = next(s for s in fx.rows(tables, "stories") if s["sid"] == 3)
    wid = mapped(srv.data, "story", 3)
    page = srv.client().get("/works/%d?view_full_work=true" % wid).text
    contains(page, html.escape(story["title"], quote=False))
    cats = {c["catid"]: c for c in fx.rows(tables, "categories")}
    cat = cats[int(story["catid"])]
    name = cat["category"] if cat["parentcatid"] <= 0 else "%s: %s" % (cats[cat["parentcatid"]]["category"],
                                                                      cat["category"])
    contains(page, html.escape(name, quote=False))
    chars = {c["charid"]: c["charname"] for c in fx.rows(tables, "characters")}
    for cid in story["charid"].split(","):
        contains(page, html.escape(chars[int(cid)], quote=False))
    ratings = {r["rid"]: r["rating"] for r in fx.rows(tables, "ratings")}
    want_rating = {"General Audiences": "General Audiences", "Teen": "Teen And Up Audiences", "Mature": "Mature",
                   "Explicit": "Explicit"}[ratings[int(story["rid"])]]
    contains(page, want_rating)
    titles = [c["title"] for c in sorted(fx.rows(tables, "chapters"), key=lambda c: c["inorder"])
              if c["sid"] == 3 and c["validated"] == "1"]
    pos = [page.find(html.escape(t, quote=False)) for t in titles]
    check(all(p >= 0 for p in pos) and pos == sorted(pos), "chapters in order: %r" % titles)
    contains(page, "Imported from")


def check_old_links(srv, tables):
    c = srv.client()
    redirect_to = lambda r: (status(r, 301), r.header("Location"))[1]
    eq(redirect_to(c.get("/index.php")), "/", "index.php")
    for s in fx.rows(tables, "stories"):
        wid = mapped(srv.data, "story", s["sid"])
        eq(redirect_to(c.get("/viewstory.php?sid=%d" % s["sid"])), "/works/%d" % wid, "story %d" % s["sid"])
        if s["validated"] == "1":
            status(c.get("/works/%d" % wid), 200)
    # chapter=M is eFiction's place of the chapter in its story
    for ch in fx.rows(tables, "chapters"):
        cid = mapped(srv.data, "chapter", ch["chapid"])
        if cid is None:
            continue
        wid = mapped(srv.data, "story", ch["sid"])
        eq(redirect_to(c.get("/viewstory.php?sid=%d&chapter=%d&textsize=0" % (ch["sid"], ch["inorder"]))),
           "/works/%d/chapters/%d" % (wid, cid), "chapter %d" % ch["chapid"])
    eq(redirect_to(c.get("/viewstory.php?sid=3&chapter=all")), "/works/%d?view_full_work=true" % mapped(srv.data, "story", 3),
       "the whole story")
    eq(redirect_to(c.get("/viewstory.php?sid=3&i=1")), "/works/%d/navigate" % mapped(srv.data, "story", 3), "its index")
    for a in fx.rows(tables, "authors"):
        uid = mapped(srv.data, "user", a["uid"])
        name = db(srv.data, "SELECT name FROM users WHERE id = ?", uid)[0][0]
        loc = redirect_to(c.get("/viewuser.php?uid=%d" % a["uid"]))
        eq(loc, "/users/%s" % name, "member %d" % a["uid"])
        status(c.get(loc), 200)
    for cat in fx.rows(tables, "categories"):
        loc = redirect_to(c.get("/browse.php?type=categories&catid=%d" % cat["catid"]))
        check(loc.startswith("/tags/"), "category %d went to %s" % (cat["catid"], loc))
        contains(c.get(loc).text, html.escape(cat["category"], quote=False))
    for ch in fx.rows(tables, "characters"):
        loc = redirect_to(c.get("/browse.php?type=characters&charid=%d" % ch["charid"]))
        contains(c.get(loc).text, html.escape(ch["charname"], quote=False))
    for se in fx.rows(tables, "series"):
        loc = redirect_to(c.get("/viewseries.php?seriesid=%d" % se["seriesid"]))
        check(re.fullmatch(r"/series/\d+", loc), "series %d went to %s" % (se["seriesid"], loc))
        status(c.get(loc), 200)
    for r in fx.rows(tables, "reviews")[:20]:
        loc = redirect_to(c.get("/reviews.php?type=%s&item=%d" % (r["type"], r["item"])))
        check(loc.startswith("/series/" if r["type"] == "SE" else "/works/"), "reviews of %s %d: %s" % (r["type"], r["item"], loc))
    status(c.get("/viewstory.php?sid=99999"), 404)
    status(c.get("/viewuser.php?uid=abc"), 404)


def test_a_member_claims_the_account_by_mail():
    tables = fx.read_dump()
    data = tempfile.mkdtemp(prefix="quire-efiction-")
    try:
        migrate(data, "--dump", fx.DUMP)
        # the member with the most stories, reviews and favourites to find
        a = next(a for a in fx.rows(tables, "authors") if a["penname"] == "inkwellwitch")
        with Sink() as sink, Server(data=data, env=mail_env(sink)) as srv:
            c = srv.client()
            contains(c.get("/login").text, "/claim")
            status(c.login("inkwellwitch", "anything at all"), 401)  # no password until claimed
            contains(c.get("/users/inkwellwitch").text, "Claim it")
            c.get("/claim")
            status(c.post_form("/claim", [("email", a["email"].upper())]), 200)
            m = sink.wait(lambda m: "Claim your account" in m["Subject"], "the claim mail")
            eq(to(m), a["email"], "sent to the old address")
            contains(body(m), "inkwellwitch")
            url = link(body(m), "/password/reset?token=")
            token = url.rsplit("=", 1)[1]
            guest = srv.client()
            status(guest.get(local(url)), 200)
            r = guest.post_form("/password/reset", [("token", token), ("password", PW), ("password_confirmation", PW)])
            status(r, 200)
            me = srv.client()
            redirect(me.login("inkwellwitch", PW), "/")
            # their stories
            mine = [s for s in fx.rows(tables, "stories") if s["uid"] == a["uid"]]
            page = me.get("/users/inkwellwitch/works").text
            for s in mine:
                contains(page, html.escape(s["title"], quote=False))
            # reviews of their stories, and the responses they wrote
            sid = next(s["sid"] for s in mine if any(r["item"] == s["sid"] and r["type"] == "ST" and r["respond"] == "1"
                                                     for r in fx.rows(tables, "reviews")))
            r = next(r for r in fx.rows(tables, "reviews") if r["item"] == sid and r["type"] == "ST" and r["respond"] == "1")
            wid = mapped(data, "story", sid)
            page = me.get("/works/%d/chapters/%d" % (wid, mapped(data, "chapter", r["chapid"])) if r["chapid"]
                          else "/works/%d?view_full_work=true" % wid).text
            reply = r["review"].split("Author's Response:", 1)[1].replace("</i>", "").strip()
            contains(html.unescape(page), html.unescape(reply)[:40])
            # their favourites: bookmarks and subscriptions
            favs = [f for f in fx.rows(tables, "favorites") if f["uid"] == a["uid"]]
            bm = me.get("/users/inkwellwitch/bookmarks").text
            titles = {s["sid"]: s["title"] for s in fx.rows(tables, "stories")}
            for f in favs:
                if f["type"] == "ST":
                    contains(bm, html.escape(titles[f["item"]], quote=False))
            subs = me.get("/subscriptions").text
            names = {x["uid"]: x["penname"] for x in fx.rows(tables, "authors")}
            for f in favs:
                if f["type"] == "AU":
                    contains(subs, re.sub(r"[^A-Za-z0-9_]+", "_", names[f["item"]]).strip("_"))
            # the claim link works once; claiming again sends nothing
            sent = len(sink.messages())
            c.post_form("/claim", [("email", a["email"])])
            # (the second claim was typed as stored, the first in capitals: no kind number written here)
            wait_for(lambda: db(srv.data, "SELECT 1 FROM outbox WHERE to_addr = ? AND status = 'dropped'", a["email"]),
                     what="a second claim dropped")
            eq(len(sink.messages()), sent, "no second claim mail for a claimed account")
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_chapter_texts_from_the_stories_folder():
    a = tempfile.mkdtemp(prefix="quire-efiction-")
    b = tempfile.mkdtemp(prefix="quire-efiction-files-")
    files = tempfile.mkdtemp(prefix="quire-efiction-stories-")
    try:
        with tarfile.open(fx.STORIES_TAR) as t:
            t.extractall(files)
        migrate(a, "--dump", fx.DUMP)
        p = migrate(b, "--dump", fx.DUMP_FILES, "--files", files)
        check_report(p.stdout, fx.read_dump(fx.DUMP_FILES))
        left = db(a, "SELECT m.legacy_id, c.content_html FROM chapters c JOIN import_map m ON m.kind = 'chapter'"
                     " AND m.id = c.id ORDER BY m.legacy_id")
        right = db(b, "SELECT m.legacy_id, c.content_html FROM chapters c JOIN import_map m ON m.kind = 'chapter'"
                      " AND m.id = c.id ORDER BY m.legacy_id")
        eq(len(right), len(left), "chapters from files")
        eq(right, left, "the same texts from the files as from the database")
        # without the folder, chapters of a files archive cannot be read: said, not crashed on
        c = tempfile.mkdtemp(prefix="quire-efiction-nofiles-")
        p = migrate(c, "--dump", fx.DUMP_FILES)
        contains(p.stdout, "give --files")
        shutil.rmtree(c, ignore_errors=True)
    finally:
        for d in (a, b, files):
            shutil.rmtree(d, ignore_errors=True)


def test_an_interrupted_run_resumes():
    data = tempfile.mkdtemp(prefix="quire-efiction-")
    clean = tempfile.mkdtemp(prefix="quire-efiction-clean-")
    try:
        p = migrate(data, "--dump", fx.DUMP, env={"QUIRE_IMPORT_BATCH": "5", "QUIRE_IMPORT_KILL_AFTER": "4"},
                    check_ok=False)
        eq(p.returncode, -9, "the run was killed")
        done = db(data, "SELECT COUNT(*) FROM import_map WHERE kind = 'story'")[0][0]
        eq(done, 20, "four batches of five stories kept")
        eq(db(data, "SELECT COUNT(*) FROM works")[0][0], 20, "nothing half-made")
        p = migrate(data, "--dump", fx.DUMP)
        table = report_table(p.stdout)
        eq(table["stories"][1:3], (40, 20), "the second run imports the rest")
        migrate(clean, "--dump", fx.DUMP)
        a, b = counts(data), counts(clean)
        eq(a, b, "an interrupted and resumed run ends as a clean one")
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(clean, ignore_errors=True)


def test_dry_run_and_the_mapping_file():
    data = tempfile.mkdtemp(prefix="quire-efiction-")
    try:
        p = migrate(data, "--dump", fx.DUMP, "--dry-run")
        contains(p.stdout, "dry run")
        check_report(p.stdout, fx.read_dump())
        eq(db(data, "SELECT COUNT(*) FROM works")[0][0], 0, "a dry run writes nothing")
        check(not [f for f in os.listdir(data) if f.startswith("import-efiction-")], "a dry run saves no report")
        ini = os.path.join(data, "map.ini")
        p = migrate(data, "--dump", fx.DUMP, "--write-mapping", ini)
        contains(p.stdout, "wrote the mapping")
        with open(ini) as f:
            text = f.read()
        contains(text, "[ratings]")
        contains(text, "Teen = Teen And Up Audiences")
        contains(text, "Character Death = warning: Major Character Death")
        contains(text, "First Year = Starfall Academy: First Year")
        text = text.replace("Teen = Teen And Up Audiences", "Teen = Mature")
        text = text.replace("Adventure = tag: Adventure", "Adventure = drop")
        text = text.replace("Romance = tag: Romance", "Romance = category: F/M")
        text = text.replace("ratings = keep", "ratings = drop")
        with open(ini, "w") as f:
            f.write(text)
        eq(db(data, "SELECT COUNT(*) FROM works")[0][0], 0, "writing the mapping imports nothing")
        migrate(data, "--dump", fx.DUMP, "--mapping", ini)
        tables = fx.read_dump()
        teen = next(r["rid"] for r in fx.rows(tables, "ratings") if r["rating"] == "Teen")
        sid = next(s["sid"] for s in fx.rows(tables, "stories") if s["rid"] == str(teen))
        wid = mapped(data, "story", sid)
        rating = db(data, "SELECT t.name FROM work_tags wt JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = ?"
                          " AND t.type = 0", wid)
        eq(rating, [("Mature",)], "the mapping's rating")
        eq(db(data, "SELECT COUNT(*) FROM tags WHERE name = 'Adventure'")[0][0], 0, "a dropped class")
        check(db(data, "SELECT COUNT(*) FROM work_tags wt JOIN tags t ON t.id = wt.tag_id WHERE t.name = 'F/M'")[0][0] > 0,
              "a class as a category")
        # a mapping naming something the archive does not have is refused, nothing imported
        bad = os.path.join(data, "bad.ini")
        with open(bad, "w") as f:
            f.write("[ratings]\nNo Such Rating = Mature\n")
        p = migrate(data, "--dump", fx.DUMP, "--mapping", bad, check_ok=False)
        eq(p.returncode, 1, "a bad mapping")
        contains(p.stderr, "No Such Rating")
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_bad_dumps_are_reported_not_crashed_on():
    d = tempfile.mkdtemp(prefix="quire-efiction-bad-")
    try:
        with open(fx.DUMP, "rb") as f:
            dump = f.read()
        cut = os.path.join(d, "cut.sql")
        with open(cut, "wb") as f:  # cut inside a string of the chapters' INSERT
            f.write(dump[:dump.index(b"INSERT INTO `fanfiction_chapters`") + 5000])
        p = migrate(d, "--dump", cut, check_ok=False)
        eq(p.returncode, 1, "a truncated dump")
        contains(p.stderr, "not a dump Quire can read: a value that does not end (near byte")
        eq(db(d, "SELECT COUNT(*) FROM works")[0][0] if has_store(d) else 0, 0,
           "nothing written")
        other = os.path.join(d, "other.sql")
        with open(other, "w") as f:
            f.write("CREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1),(2);\n")
        p = migrate(d, "--dump", other, check_ok=False)
        eq(p.returncode, 1, "a dump of something else")
        contains(p.stderr, "no eFiction tables")
        p = migrate(d, "--dump", os.path.join(d, "missing.sql"), check_ok=False)
        eq(p.returncode, 1, "a missing file")
        # missing tables, an unknown version and a row in Windows-1252 are reported; the rest migrates
        odd = dump.replace(b"'3.5.8'", b"'2.0.1'")
        odd = re.sub(rb"DROP TABLE IF EXISTS `fanfiction_favorites`;.*?UNLOCK TABLES;", b"", odd, flags=re.S)
        odd = odd.replace("Quiet Comet for Two".encode(), "Qui\xe9t Comet for Two".encode("latin-1"))
        path = os.path.join(d, "odd.sql")
        with open(path, "wb") as f:
            f.write(odd)
        p = migrate(d, "--dump", path)
        contains(p.stdout, 'Unknown eFiction version "2.0.1"')
        contains(p.stdout, "fanfiction_favorites is missing")
        eq(db(d, "SELECT COUNT(*) FROM works WHERE title = 'Quiét Comet for Two'")[0][0], 1, "Windows-1252 converted")
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
