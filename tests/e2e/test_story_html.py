"""End-to-end: story HTML as AO3 writes it, through the real server: media embeds from the configured hosts and a
Content-Security-Policy that allows exactly those, AO3's paragraphs and scene breaks on the reading page, which
fields keep classes and players, downloads with players as links, and old renderings brought up to date."""
import io
import os
import re
import sqlite3
import sys
import tempfile
import time
import zipfile

from quire_e2e import (Server, check, contains, eq, location_path, main, not_contains, run_cli, sql_rows, status,
                       store_url)
from test_downloads import download_links, epubcheck
from test_html_valid import Checker
from test_http_limits import csp_directives
from test_works import add_chapter, post_work, section, user, work_fields, work_id_from

PODFIC_HOST = "127.0.0.1:9"  # never contacted: these tests read HTML and headers only
MEDIA = {"QUIRE_MEDIA_HOSTS": "ao3, http://%s" % PODFIC_HOST}

EMBED = ('<iframe width="560" height="315" src="//www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0" '
         'allowfullscreen autoplay onload="alert(1)"></iframe>')
PODFIC = ('<audio src="http://%s/podfic.mp3" autoplay controls>'
          '<a href="http://%s/podfic.mp3">Download the podfic</a></audio>' % (PODFIC_HOST, PODFIC_HOST))

# AO3 would render this with 8 paragraphs (two of them blank), 3 rules of half width and no line breaks: it
# leaves <p> and <hr> as written, and a newline inside a <p> shows as a space.
SCENE_BREAKS = (
    "<p>It was late when the call came, and Olivia\nreached for the phone before the second ring.</p>\n"
    "<p>\"Benson,\" she said, and listened.</p>\n"
    "<p>&nbsp;</p>\n<hr width=\"50%\">\n<p>&nbsp;</p>\n"
    "<p>The precinct was quiet,\ntoo quiet for a Tuesday,\nand Elliot knew it.</p>\n"
    "<hr width=\"50%\" />\n"
    "<p>Morning came grey\nover the river.</p>\n"
    "<hr width=\"50%\">\n"
    "<p>She closed the file.</p>\n<p>The end.</p>\n")


def chapter_text(page):
    """The chapter's own HTML on a reading page."""
    return section(page, '<div class="userstuff chapter-text"', '<div class="end notes')


def csp_of(resp):
    return csp_directives(resp.header("Content-Security-Policy", ""))


def test_csp_allows_exactly_the_media_hosts():
    with Server(env={"QUIRE_MEDIA_HOSTS": "youtube.com, *.archive.org, archive.org/embed/, http://127.0.0.1:9"}) as srv:
        d = csp_of(srv.client().get("/"))
        # https sources are written without their scheme (the page's own: https on an https site)
        want = ["youtube.com", "www.youtube.com", "*.archive.org", "archive.org/embed/", "www.archive.org/embed/",
                "http://127.0.0.1:9"]
        eq(d.get("frame-src"), want, "frame-src")
        eq(d.get("media-src"), want, "media-src")
        eq(d.get("object-src"), ["'none'"], "object-src")
        eq(d.get("default-src"), ["'self'"], "default-src")
        eq(d.get("frame-ancestors"), ["'none'"], "frame-ancestors")
    # The default is AO3's list; an empty list allows no frame and no media at all.
    with Server() as srv:
        d = csp_of(srv.client().get("/"))
        for src in ("youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "archive.org/embed/",
                    "http://criticalcommons.org", "w.soundcloud.com"):
            check(src in d.get("frame-src", []), "default frame-src lacks %s: %r" % (src, d.get("frame-src")))
        eq(d.get("frame-src"), d.get("media-src"), "media-src follows the same list")
    with Server(env={"QUIRE_MEDIA_HOSTS": ""}) as srv:
        d = csp_of(srv.client().get("/"))
        eq(d.get("frame-src"), ["'none'"], "frame-src without media hosts")
        eq(d.get("media-src"), ["'none'"], "media-src without media hosts")


def test_bad_media_hosts_stop_the_start():
    data = tempfile.mkdtemp(prefix="quire-e2e-")
    too_many = " ".join("host%d.example.org" % i for i in range(100))  # a CSP longer than proxies pass
    for bad in ("javascript:alert(1)", "youtube.com; script-src *", "host/../path/", "[::1]", too_many):
        p = run_cli(["serve", "--listen", "127.0.0.1:0", "--no-demo"], data=data,
                    env={"QUIRE_MEDIA_HOSTS": bad}, timeout=30)
        eq(p.returncode, 1, "exit status with media_hosts %r" % bad)
        contains(p.stderr, "media_hosts", "the start-up error")


def test_embed_and_podfic_in_a_chapter_and_its_downloads():
    with Server(env=MEDIA) as srv:
        c = user(srv, "podfic_maker")
        content = "<p>A fanvid and a podfic of chapter one.</p>\n%s\n%s\n" % (EMBED, PODFIC)
        wid = post_work(c, title="Kinetic (Podfic)", chapter_format="html", chapter_content=content)
        page = c.get("/works/%d" % wid).text
        checker = Checker("/works/%d" % wid)
        checker.feed(page)
        problems = checker.finish()
        check(not problems, "the page with players: %s" % problems)
        text = chapter_text(page)
        contains(text, '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315" frameborder="0"')
        contains(text, 'sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox '
                       'allow-presentation"')
        contains(text, 'referrerpolicy="strict-origin-when-cross-origin"')
        contains(text, '<audio src="http://%s/podfic.mp3" controls="controls" crossorigin="anonymous" '
                       'preload="metadata">' % PODFIC_HOST)
        for bad in ("autoplay", "onload", "allowfullscreen"):
            not_contains(text, bad, "the chapter text")
        # The page allows these hosts to play and no other.
        d = csp_of(c.get("/works/%d" % wid))
        check("http://%s" % PODFIC_HOST in d["media-src"] and "www.youtube.com" in d["frame-src"],
              "the CSP does not allow the work's players: %r" % d)

        # Downloads play nothing from elsewhere: the players are links to their media; the EPUB is valid.
        links = download_links(page)
        r = srv.client().get(links["epub"])
        status(r, 200)
        z = zipfile.ZipFile(io.BytesIO(r.body))
        raw = z.read("OEBPS/chapter-1.xhtml").decode()
        for tag in ("<iframe", "<audio", "<source"):
            not_contains(raw, tag, "the EPUB's chapter")
        contains(raw, '<a href="https://www.youtube.com/embed/dQw4w9WgXcQ" rel="nofollow">[Embedded media: '
                      'www.youtube.com]</a>')
        contains(raw, '<a href="http://%s/podfic.mp3" rel="nofollow">[Audio: http://%s/podfic.mp3]</a>'
                 % (PODFIC_HOST, PODFIC_HOST))
        contains(raw, "Download the podfic")
        epubcheck(r.body)
        h = srv.client().get(links["html"]).text
        not_contains(h, "<iframe", "the HTML download")
        not_contains(h, "<audio", "the HTML download")
        contains(h, "[Embedded media: www.youtube.com]", "the HTML download")


def test_fields_keep_what_ao3_keeps():
    with Server(env=MEDIA) as srv:
        c = user(srv, "classy_writer")
        wid = post_work(c, summary="<p class='myclass'>Summary %s</p>" % EMBED,
                        notes="<p class='note'>Notes</p>%s" % EMBED, end_notes="<span class='keep-me'>End</span>",
                        chapter_format="html", chapter_content="<p class='size-10'>Chapter text, long enough.</p>")
        page = c.get("/works/%d" % wid).text
        summary = section(page, '<div class="summary module">', "</div>")
        not_contains(summary, "myclass", "summary")
        not_contains(summary, "<iframe", "summary")
        contains(page, '<p class="note">Notes</p>')
        contains(page, '<span class="keep-me">End</span>')
        contains(chapter_text(page), '<p class="size-10">Chapter text, long enough.</p>')
        check(page.count("<iframe") == 0, "an embed outside the chapter text")
        # Comments: no class, no player.
        cid = int(re.search(r'/works/%d/chapters/(\d+)' % wid, page).group(1))
        path = "/works/%d/chapters/%d/comments" % (wid, cid)
        c.get(path + "/new")
        r = c.post_form(path, [("body", "<p class='strip me'>Hi there!</p>%s" % EMBED)])
        status(r, 303)
        page = c.get(location_path(r)).text
        contains(page, "Hi there!")
        not_contains(page, "strip me")
        check(page.count("<iframe") == 0, "an embed in a comment")


def test_scene_breaks_render_as_on_ao3():
    with Server() as srv:
        c = user(srv, "scene_writer")
        wid = post_work(c, chapter_format="html", chapter_content=SCENE_BREAKS)
        text = chapter_text(c.get("/works/%d" % wid).text)
        eq(len(re.findall(r"<p[ >]", text)), 8, "paragraphs")
        eq(text.count('<hr width="50%" />'), 3, "scene breaks")
        eq(text.count("<p>&nbsp;</p>"), 2, "blank paragraphs")
        not_contains(text, "<br", "the chapter text")
        contains(text, "<p>The precinct was quiet,\ntoo quiet for a Tuesday,\nand Elliot knew it.</p>")
        # Typed as plain text with blank lines, AO3's rules give the same shape.
        typed = ("It was late when the call came.\nOlivia reached for the phone.\n\n\n\n"
                 "The precinct was quiet.\n\n\n* * *\n\n\nMorning came grey.")
        wid = post_work(c, title="Typed", chapter_format="text", chapter_content=typed)
        text = chapter_text(c.get("/works/%d" % wid).text)
        eq(len(re.findall(r"<p[ >]", text)), 7, "paragraphs of the typed story")
        eq(text.count("<p>&nbsp;</p>"), 3, "blank paragraphs of the typed story")


def test_media_only_chapter_is_valid_and_an_empty_one_is_not():
    with Server(env=MEDIA) as srv:
        c = user(srv, "vidder")
        wid = post_work(c, chapter_format="html", chapter_content=EMBED)
        page = c.get("/works/%d" % wid).text
        contains(chapter_text(page), "<iframe")
        cid = add_chapter(c, wid, "Podfic", PODFIC, chapter_format="html")
        contains(chapter_text(c.get("/works/%d/chapters/%d" % (wid, cid)).text), "<audio")
        # Nothing of it would show: refused, the text kept in the form.
        c.get("/works/new")
        hidden = '<script>alert("a chapter of nothing but script")</script><iframe src="https://evil.example/x"></iframe>'
        r = c.post_form("/works", work_fields(title="Nothing", chapter_format="html", chapter_content=hidden))
        status(r, 422)
        contains(r.text, "nothing in it would show")
        contains(r.text, "a chapter of nothing but script")


def write_sql(data, statements):
    """Writes to the store of a data dir behind the server's back (as an older version left it)."""
    url = store_url(data)
    if url is None:
        db = sqlite3.connect(os.path.join(data, "quire.db"))
        db.create_function("quire_plain", 1, lambda s: s)  # the search index's triggers call it: a stand-in
        for sql in statements:
            db.execute(sql)
        db.commit()
        db.close()
        return
    import cluster
    for sql in statements:
        cluster.query(url, sql)


def test_old_renderings_are_rendered_again_at_start():
    data = tempfile.mkdtemp(prefix="quire-e2e-")
    srv = Server(data=data)
    with srv:
        c = user(srv, "old_timer")
        wid = post_work(c, chapter_format="html", chapter_content=SCENE_BREAKS, summary="A <b>bold</b> summary")
        new_text = chapter_text(c.get("/works/%d" % wid).text)
        srv.stop()
        # As a version-1 sanitizer left them.
        write_sql(data, ["UPDATE chapters SET content_html = '<p>OLD RENDERING</p>', sanitizer_version = 1",
                         "UPDATE works SET summary_html = '<p>OLD SUMMARY</p>', sanitizer_version = 1"])
        srv.start()
        deadline = time.time() + 30
        while time.time() < deadline:
            page = srv.client().get("/works/%d" % wid).text
            if "OLD" not in page:
                break
            time.sleep(0.2)
        not_contains(page, "OLD RENDERING")
        not_contains(page, "OLD SUMMARY")
        eq(chapter_text(page), new_text, "the chapter rendered again")
        contains(page, "A <b>bold</b> summary")
        eq(sql_rows(data, "SELECT MIN(sanitizer_version) FROM chapters")[0][0], 2, "chapters' sanitizer version")
        # The search index follows the new rendering (on PostgreSQL the documents are written with it).
        r = srv.client().get("/search?q=%22too+quiet+for+a+Tuesday%22")
        status(r, 200)
        contains(r.text, "/works/%d" % wid, "the search results")


if __name__ == "__main__":
    sys.exit(main(globals()))
