"""End-to-end: control characters never reach what readers get. Every text field repairs them (C0 controls go,
C1 controls become the Windows-1252 punctuation they stand for), every XML document Quire writes (the OPDS
feeds, OpenSearch, each file of an EPUB) stays well-formed even for rows stored before the repair, a chapter
whose HTML shows nothing is refused, and a Markdown preview names the raw HTML it leaves out."""
import html
import sys
import io
import os
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile

from quire_e2e import check, contains, eq, main, not_contains, status, store_url, Server
from test_response import api, token_for
from test_works import post_work, user, work_fields

BELL = "\u0001"
C1_QUOTES = ("\u0093", "\u0094")  # Windows-1252 curly quotes read as Latin-1


def work_body(**over):
    body = {"title": "Con" + BELL + "trol " + C1_QUOTES[0] + "Room" + C1_QUOTES[1],
            "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
            "fandoms": ["Bell" + BELL + " Fandom"], "freeforms": ["Fluff\u007f"],
            "summary": "A summary\u0002 with a bell" + BELL + ".", "notes": "Notes\u001b.",
            "end_notes": "End\u0085", "series": {"title": "Se" + BELL + "ries"},
            "chapter": {"title": "One" + BELL, "notes": "Chapter" + BELL + " notes",
                        "content": "The text\u000c of the chapter" + BELL + ", long enough.", "format": "text"}}
    body.update(over)
    return body


def every_xml(srv, guest, wid):
    """Fetches every XML document the archive serves about work wid and parses each (raising if one is not
    well-formed); returns how many were checked."""
    docs = 0
    for path in ("/opds", "/opds/works", "/opds/works?sort=kudos", "/opds/works?q=chapter", "/opds/search.xml"):
        r = guest.get(path)
        status(r, 200)
        ET.fromstring(r.body)
        docs += 1
    r = guest.get("/downloads/%d/work.epub" % wid)
    status(r, 200)
    z = zipfile.ZipFile(io.BytesIO(r.body))
    for name in z.namelist():
        if name.endswith((".xml", ".opf", ".ncx", ".xhtml")):
            data = z.read(name)
            check(b"\x01" not in data and b"\x1b" not in data, "no control characters in %s" % name)
            ET.fromstring(data)
            docs += 1
    r = guest.get("/downloads/%d/work.html" % wid)
    status(r, 200)
    check(b"\x01" not in r.body, "no control characters in the HTML download")
    return docs


def test_control_characters_are_repaired_in_every_field():
    with Server() as srv:
        user(srv, "bell_writer")
        tok = token_for(srv, "bell_writer")
        r = api(srv, "POST", "/api/v1/works", work_body(), tok)
        status(r, 201)
        w = r.json()
        eq(w["title"], "Control \u201cRoom\u201d", "title: C0 gone, C1 quotes read as Windows-1252")
        eq(w["fandoms"], ["Bell Fandom"], "tag")
        eq(w["freeforms"], ["Fluff"], "additional tag")
        eq(w["summary"], "A summary with a bell.", "summary")
        eq(w["notes"], "Notes.", "notes")
        eq(w["end_notes"], "End\u2026", "end notes: U+0085 is an ellipsis in Windows-1252")
        eq(w["series"]["title"], "Series", "series title")
        ch = api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (w["id"], w["chapters"][0]["id"]), None, tok).json()
        eq(ch["title"], "One", "chapter title")
        eq(ch["notes"], "Chapter notes", "chapter notes")
        eq(ch["content"], "The text of the chapter, long enough.", "chapter text")

        # Comments too.
        r = api(srv, "POST", "/api/v1/works/%d/comments" % w["id"], {"body": "Lovely\u0001 work\u0092s end"}, tok)
        status(r, 201)
        eq(r.json()["body"], "Lovely work\u2019s end", "comment")

        # The form repairs as the API does.
        form = user(srv, "bell_former")
        wid = post_work(form, title="Form" + BELL + " Title", chapter_content="Form text" + BELL + " here, long enough.")
        page = form.get("/works/%d" % wid).text
        contains(page, "Form Title")
        not_contains(page, BELL)
        check(every_xml(srv, srv.client(), w["id"]) >= 10, "the feeds and the EPUB's files were checked")


def test_xml_stays_well_formed_for_rows_stored_before_the_repair():
    """Rows written before this release may hold control characters: the escapers drop them on the way out."""
    with Server() as srv:
        user(srv, "old_rows")
        tok = token_for(srv, "old_rows")
        r = api(srv, "POST", "/api/v1/works", work_body(title="Old Title", fandoms=["Old Fandom"]), tok)
        status(r, 201)
        wid = r.json()["id"]
        srv.stop()
        url = store_url(srv.data)
        if url is None:
            db = sqlite3.connect(os.path.join(srv.data, "quire.db"))
            # The schema's triggers call the server's SQL functions; stand-ins do for derived columns here.
            for name in ("quire_plain", "quire_tag_norm", "quire_tag_skeleton"):
                db.create_function(name, 1, lambda s: (s or "").lower())
            db.create_function("quire_tag_mixed", 1, lambda s: 0)
            db.execute("UPDATE works SET title = 'Old\x01Ti\x1btle\uffff', summary_html = '<p>Sum\x02mary</p>',"
                       " language = 'Eng\x01lish' WHERE id = ?", (wid,))
            db.execute("UPDATE chapters SET title = 'Chap\x01ter', content_html = '<p>Raw\x01 text\x0c here.</p>'"
                       " WHERE work_id = ?", (wid,))
            db.execute("UPDATE tags SET name = 'Old\x01Fandom' WHERE name = 'Old Fandom'")
            db.execute("UPDATE users SET name = 'old\x01rows' WHERE name = 'old_rows'")
            db.commit()
            db.close()
        else:  # the same rows on PostgreSQL (E'' strings spell the control characters)
            import cluster
            sql = ("UPDATE works SET title = E'Old\\x01Ti\\x1btle\\uFFFF', summary_html = E'<p>Sum\\x02mary</p>',"
                   " language = E'Eng\\x01lish' WHERE id = %d;"
                   "UPDATE chapters SET title = E'Chap\\x01ter', content_html = E'<p>Raw\\x01 text\\x0c here.</p>'"
                   " WHERE work_id = %d;"
                   "UPDATE tags SET name = E'Old\\x01Fandom' WHERE name = 'Old Fandom';"
                   "UPDATE users SET name = E'old\\x01rows' WHERE name = 'old_rows'" % (wid, wid))
            r = subprocess.run([cluster._bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                               capture_output=True, text=True)
            eq(r.returncode, 0, "psql: %s" % r.stderr)
        srv.start()
        guest = srv.client()
        check(every_xml(srv, guest, wid) >= 10, "the feeds and the EPUB's files were checked")
        feed = guest.get("/opds/works").text
        contains(feed, "OldTitle")  # the title is there, without its control characters


def test_a_chapter_that_shows_nothing_is_refused():
    with Server() as srv:
        c = user(srv, "empty_writer")
        tok = token_for(srv, "empty_writer")
        r = api(srv, "POST", "/api/v1/works",
                work_body(chapter={"content": "<script>alert('a long enough script')</script>", "format": "html"}), tok)
        status(r, 422)
        contains(r.text, "nothing in it would show")
        c.get("/works/new")
        r = c.post_form("/works", work_fields(chapter_content="<script>x</script><style>p{}</style>",
                                              chapter_format="html"))
        status(r, 422)
        contains(r.text, "nothing in it would show")
        # a picture alone is a chapter
        r = api(srv, "POST", "/api/v1/works",
                work_body(chapter={"content": '<p><img src="https://example.org/art.png" alt="Art"></p>',
                                   "format": "html"}), tok)
        status(r, 201)
        # a comment that shows nothing is refused too
        r = api(srv, "POST", "/api/v1/works/%d/comments" % r.json()["id"], {"body": "<script>x()</script>"}, tok)
        status(r, 422)


def test_markdown_preview_names_the_raw_html_it_leaves_out():
    with Server() as srv:
        c = user(srv, "md_writer")
        c.get("/works/new")
        r = c.post_form("/works", work_fields(
            chapter_format="markdown", action="preview",
            chapter_content='Some *Markdown* with <span style="color:red">red words</span> in it.\n\n'
                            '<div class="box">\nA box.\n</div>\n'))
        status(r, 200)
        contains(r.text, "HTML left out")
        contains(r.text, html.escape('<span style="color:red">'))
        contains(r.text, html.escape('<div class="box"> A box. </div>'))
        contains(r.text, "3 pieces")
        # nothing to say for Markdown without HTML, or for other formats
        r = c.post_form("/works", work_fields(chapter_format="markdown", action="preview",
                                              chapter_content="Just *Markdown* here, long enough."))
        not_contains(r.text, "HTML left out")
        r = c.post_form("/works", work_fields(chapter_format="html", action="preview",
                                              chapter_content="<p>Just <span>HTML</span> here.</p>"))
        not_contains(r.text, "HTML left out")


if __name__ == "__main__":
    sys.exit(main(globals()))
