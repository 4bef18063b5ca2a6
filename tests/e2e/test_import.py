"""End-to-end: importing works from files. The sample chapter keeps its 27 story paragraphs, ellipses and quotes with
its disclaimer proposed as the beginning note and its request for reviews as the end note; every format (.docx,
.odt, Word, LibreOffice and Google Docs HTML, Markdown, Windows-1252 text, EPUB) keeps paragraphs, italics and
scene breaks; several files make chapters in name order; AO3 downloads (HTML and EPUB) and Quire's own downloads
round-trip every field; ZIP bombs, damaged and binary files are refused with a clear message and nothing made."""
import base64
import html
import io
import os
import re
import sys
import zipfile

import import_fixtures as fx
from quire_e2e import check, contains, eq, main, not_contains, status, Server
from test_response import api, token_for
from test_works import user

SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "..", "shared",
                      "samples", "svu-chapter-1.txt")
if not os.path.exists(SAMPLE):
    SAMPLE = "/work/shared/samples/svu-chapter-1.txt"


def sample():
    with open(SAMPLE, "rb") as f:
        return f.read()


def multipart(fields, files):
    """A multipart/form-data body: fields [(name, value)], files [(name, filename, bytes)]."""
    b = "----quire-import-test-7f3a"
    out = []
    for k, v in fields:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
    for k, fn, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n" % (b, k, fn)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return b"".join(out), "multipart/form-data; boundary=" + b


def csrf_of(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def upload(c, files, split=True, notes=True):
    csrf = csrf_of(c.get("/works/import").text)
    fields = [("csrf_token", csrf)] + ([("split", "1")] if split else []) + ([("notes", "1")] if notes else [])
    body, ct = multipart(fields, [("files", fn, data) for fn, data in files])
    return c.post("/works/import", body, content_type=ct)


def form_of(page):
    """The import form's fields as the page holds them: inputs, selected options, checked boxes, textareas."""
    fields = []
    form = page[page.find('id="work-form"') - 200:]
    for m in re.finditer(r'<input([^>]*)>', page):
        a = m.group(1)
        name = re.search(r'name="([^"]+)"', a)
        if not name:
            continue
        t = re.search(r'type="([^"]+)"', a)
        t = t.group(1) if t else "text"
        v = re.search(r'value="([^"]*)"', a)
        v = html.unescape(v.group(1)) if v else ""
        if t in ("checkbox", "radio") and "checked" not in a:
            continue
        if t == "file":
            continue
        fields.append((name.group(1), v))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        sel = re.search(r'<option value="([^"]*)"[^>]*selected', m.group(2))
        fields.append((m.group(1), html.unescape(sel.group(1)) if sel else ""))
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        fields.append((m.group(1), html.unescape(m.group(2))))
    del form
    return fields


def replace(fields, **over):
    out = [(k, v) for k, v in fields if k not in over]
    for k, v in over.items():
        for x in (v if isinstance(v, list) else [v]):
            out.append((k, x))
    return out


def selected(page, field):
    m = re.search(r'<select[^>]*name="%s"[^>]*>(.*?)</select>' % re.escape(field), page, re.S)
    check(m is not None, "a choice for %s" % field)
    sel = re.search(r'<option value="([^"]*)"[^>]*selected', m.group(1))
    return sel.group(1) if sel else None


def paragraphs(fragment):
    return re.findall(r"<p[^>]*>(.*?)</p>", fragment, re.S)


def section_html(page, cls):
    m = re.search(r'<div class="%s"[^>]*>(.*?)</div>' % cls, page, re.S)
    return m.group(1) if m else ""


def test_the_sample_chapter_imports_with_its_notes_proposed():
    with Server() as srv:
        c = user(srv, "svu_writer")
        r = upload(c, [("svu-chapter-1.txt", sample())])
        status(r, 200)
        page = r.text
        contains(page, "Check the import")
        # the disclaimer is proposed as the beginning note, the request for reviews as the end note
        eq(selected(page, "place_1_1"), "notes", "the disclaimer's place")
        eq(selected(page, "place_1_3"), "end_notes", "the request's place")
        contains(page, "Disclaimer: All recognizable SVU Characters belong to Dick Wolf")
        # nothing is posted before the writer confirms
        eq(api(srv, "GET", "/api/v1/works?creator=svu_writer").json()["total"], 0, "works before posting")
        fields = replace(form_of(page), title="Temporary", fandoms="Law & Order: SVU", rating="Mature",
                         warnings="No Archive Warnings Apply", relationships="Olivia Benson/Alex Cabot",
                         action="post")
        r = c.post_form("/works/import/post", fields, csrf=False)
        status(r, 303)
        wid = int(re.search(r"/works/(\d+)", r.header("Location")).group(1))
        tok = token_for(srv, "svu_writer")
        w = api(srv, "GET", "/api/v1/works/%d" % wid, None, tok).json()
        eq(w["title"], "Temporary", "title")
        eq(w["fandoms"], ["Law & Order: SVU"], "fandom")
        eq(w["rating"], "Mature", "rating")
        ch = api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, w["chapters"][0]["id"]), None, tok).json()
        contains(ch["notes_html"], "Disclaimer: All recognizable SVU Characters belong to Dick Wolf")
        contains(ch["end_notes_html"], "Please Review and/or leave suggestions if you would like the next chapter.")
        story = paragraphs(ch["content_html"])
        eq(len(story), 27, "the story's paragraphs (the file's 29 less the disclaimer and the note)")
        text = html.unescape(ch["content_html"])
        not_contains(text, "Disclaimer")
        not_contains(text, "Please Review")
        eq(text.count("\u2026"), 11, "ellipses kept")
        contains(text, '"It was always temporary\u2026"')
        contains(text, "\u2026 I'm fine, El\" The attractive brunette")
        contains(text, "\"\u2026 Upper East\" She said without thinking.")
        # the reading page shows it that way too
        page = srv.client().get("/works/%d" % wid).text
        contains(page, "Disclaimer: All recognizable SVU Characters")


def test_parts_move_back_into_the_text_and_the_preview_follows():
    with Server() as srv:
        c = user(srv, "mover")
        page = upload(c, [("svu-chapter-1.txt", sample())]).text
        fields = replace(form_of(page), fandoms="Law & Order: SVU", rating="Mature",
                         warnings="No Archive Warnings Apply", place_1_1="text", place_1_3="drop", action="preview")
        r = c.post_form("/works/import/post", fields, csrf=False)
        status(r, 200)
        eq(selected(r.text, "place_1_1"), "text", "the choice is kept")
        eq(selected(r.text, "place_1_3"), "drop", "the choice is kept")
        r = c.post_form("/works/import/post", replace(form_of(r.text), action="post"), csrf=False)
        status(r, 303)
        wid = int(re.search(r"/works/(\d+)", r.header("Location")).group(1))
        tok = token_for(srv, "mover")
        w = api(srv, "GET", "/api/v1/works/%d" % wid, None, tok).json()
        ch = api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, w["chapters"][0]["id"]), None, tok).json()
        eq(ch["notes_html"], "", "no beginning notes")
        eq(ch["end_notes_html"], "", "the dropped note is gone")
        eq(len(paragraphs(ch["content_html"])), 28, "the disclaimer opens the text")
        check(paragraphs(ch["content_html"])[0].startswith("Disclaimer:"), "first paragraph")
        # a refused post shows the form again with everything chosen, and posts nothing
        r = c.post_form("/works/import/post", replace(fields, fandoms="", action="post"), csrf=False)
        status(r, 422)
        contains(r.text, "Add at least one fandom")
        eq(selected(r.text, "place_1_1"), "text", "the choice survives an error")


def import_api(srv, tok, files, **over):
    body = {"files": [{"name": n, "content_base64": base64.b64encode(d).decode()} for n, d in files]}
    body.update(over)
    return api(srv, "POST", "/api/v1/works/import", body, tok)


def check_lamplighter(imp, what, italics=True, disclaimer=True, titles=True, end_note=True):
    chs = imp["chapters"]
    eq(len(chs), 2, what + ": two chapters")
    if titles:
        eq([c["title"] for c in chs], ["The Longest Night", "Morning Tide"], what + ": chapter titles")
    one = "".join(p["html"] for p in chs[0]["parts"] if p["place"] == "text")
    contains(one, "\u201cYou\u2019re late,\u201d said the ferryman\u2026", what + ": quotes and ellipses")
    contains(one, "* * *", what + ": the scene break")
    eq(len(paragraphs(one)), 4, what + ": chapter one's paragraphs")
    if italics:
        contains(one, "<em>harbour</em>", what + ": italics")
    if disclaimer:
        first = chs[0]["parts"][0]
        eq((first.get("label"), first["place"]), ("Disclaimer", "notes"), what + ": the disclaimer proposed")
    if end_note:
        last = chs[1]["parts"][-1]
        eq((last.get("label"), last["place"]), ("Request for reviews", "end_notes"), what + ": the end note proposed")


def test_every_format_keeps_paragraphs_italics_and_scene_breaks():
    with Server() as srv:
        user(srv, "formats")
        tok = token_for(srv, "formats")
        cases = [
            ("story.docx", fx.make_docx(), {}), ("story.odt", fx.make_odt(), {}),
            ("word.html", fx.make_word_html().encode(), {}), ("gdocs.html", fx.make_gdocs_html().encode(), {}),
            ("libreoffice.htm", fx.make_libreoffice_html().encode(), {}),
            ("story.md", fx.make_markdown().encode(), {"disclaimer": True}),
            ("cp1252.txt", fx.make_cp1252_text(), {"italics": False, "titles": False}),
            ("book.epub", fx.make_epub(), {"italics": False, "disclaimer": False, "end_note": False}),
        ]
        for name, data, opts in cases:
            r = import_api(srv, tok, [(name, data)], preview=True)
            status(r, 200)
            imp = r.json()["import"]
            check_lamplighter(imp, name, **opts)
            if name.endswith((".docx", ".odt", ".epub", ".md")) or name == "word.html" or name == "libreoffice.htm":
                eq(imp["title"], fx.TITLE, name + ": the work's title")
        r = import_api(srv, tok, [("cp1252.txt", fx.make_cp1252_text())], preview=True)
        contains(" ".join(r.json()["import"]["messages"]), "Windows-1252")
        epub = import_api(srv, tok, [("book.epub", fx.make_epub())], preview=True).json()["import"]
        contains(epub["summary_html"], fx.SUMMARY)
        eq(epub["language"], "English", "language from the package")
        eq(epub["freeforms"], ["Lighthouses"], "subjects")


def test_several_files_are_chapters_in_name_order_and_post_together():
    with Server() as srv:
        user(srv, "chapters")
        tok = token_for(srv, "chapters")
        files = [("part 10.txt", b"Chapter 10\n\nThe last of the story, long enough."),
                 ("part 2.txt", b"The middle of the story, long enough."),
                 ("part 1.txt", "Chapter 1: The Start\n\nThe start, with \u201cquotes\u201d.".encode())]
        r = import_api(srv, tok, files, work={"rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
                                              "fandoms": ["Original Work"], "title": "Three Parts"})
        status(r, 201)
        w = r.json()
        eq(w["chapter_count"], 3, "chapters")
        texts = [api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (w["id"], c["id"]), None, tok).json()["content"]
                 for c in w["chapters"]]
        check("start" in texts[0] and "middle" in texts[1] and "last" in texts[2], "name order: %r" % texts)
        eq([c["title"] for c in w["chapters"]], ["The Start", "", ""], "a heading at a file's start titles its chapter")


def test_bad_files_are_refused_and_nothing_is_made():
    with Server() as srv:
        c = user(srv, "refused")
        tok = token_for(srv, "refused")
        # a ZIP bomb: a small .docx whose document inflates past every cap
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/document.xml", b"<w:document>" + b"\0" * (200 << 20))
        bomb = buf.getvalue()
        check(len(bomb) < 1 << 20, "the bomb is small (%d bytes)" % len(bomb))
        r = import_api(srv, tok, [("bomb.docx", bomb)])
        status(r, 413)
        contains(r.json()["error"]["message"], "ZIP bomb")
        r = upload(c, [("bomb.docx", bomb)])
        status(r, 413)
        contains(r.text, "ZIP bomb")
        # damaged, binary, and formats Quire does not read
        r = import_api(srv, tok, [("cut.docx", fx.make_docx()[:300])])
        status(r, 422)
        r = import_api(srv, tok, [("noise.txt", bytes(range(256)) * 20)])
        status(r, 422)
        contains(r.json()["error"]["message"], "binary")
        r = import_api(srv, tok, [("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100)])
        status(r, 422)
        contains(r.json()["error"]["message"], ".docx")
        r = upload(c, [("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100)])
        status(r, 422)
        contains(r.text, "Nothing was imported")
        # a chapter that breaks a rule fails the whole import: no half-made work
        files = [("1.txt", b"A first chapter, long enough to post."), ("2.txt", b"Tiny."),
                 ("3.html", b"<p>A third, long enough to post.</p>")]
        r = import_api(srv, tok, files, work={"rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
                                              "fandoms": ["Original Work"]})
        status(r, 422)
        check("chapters.2.content" in r.json()["error"]["fields"], "the failing chapter is named")
        eq(api(srv, "GET", "/api/v1/works?creator=refused").json()["total"], 0, "nothing was posted")


def api_chapters(srv, tok, w):
    return [api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (w["id"], c["id"]), None, tok).json() for c in w["chapters"]]


def check_ao3_fields(srv, tok, w, what):
    a = fx.AO3_WORK
    eq(w["title"], a["title"], what + ": title")
    eq(w["rating"], a["rating"], what + ": rating")
    for key in ("warnings", "categories", "fandoms", "relationships", "characters", "freeforms"):
        eq(w[key], a[key], what + ": " + key)
    eq(w["language"], a["language"], what + ": language")
    eq((w["series"]["title"], w["series"]["position"]), (a["series"][0], a["series"][2]), what + ": series")
    eq(w["published_at"][:10], a["published"], what + ": published")
    eq(w["updated_at"][:10], a["updated"], what + ": updated")
    eq(w["complete"], a["complete"], what + ": complete")
    eq(w["expected_chapters"], a["expected"], what + ": expected chapters")
    for key, want in (("summary_html", a["summary"]), ("notes_html", a["notes"]), ("end_notes_html", a["end_notes"])):
        for p in want:
            contains(html.unescape(w[key]), p, what + ": " + key)
    eq(w["source"]["url"], a["url"], what + ": original URL")
    eq(w["source"]["site"], "AO3", what + ": site")
    eq([(c["name"], c["url"]) for c in w["source"]["creators"]], a["creators"], what + ": creators")
    chs = api_chapters(srv, tok, w)
    eq(len(chs), len(a["chapters"]), what + ": chapters")
    for got, want in zip(chs, a["chapters"]):
        eq(got["title"], want["title"], what + ": chapter title")
        for key in ("summary", "notes", "end_notes"):
            if want[key]:
                contains(got[key + "_html"], want[key], what + ": chapter " + key)
            else:
                eq(got[key + "_html"], "", what + ": no chapter " + key)
        for p in want["text"]:
            contains(html.unescape(got["content_html"]), p, what + ": chapter text")
    return chs


def test_ao3_downloads_round_trip_every_field():
    with Server() as srv:
        user(srv, "ao3_fan")
        tok = token_for(srv, "ao3_fan")
        for name, data in (("Salt_Lamplight.html", fx.make_ao3_html().encode()),
                           ("Salt_Lamplight.epub", fx.make_ao3_epub())):
            r = import_api(srv, tok, [(name, data)])
            status(r, 201)
            w = r.json()
            check_ao3_fields(srv, tok, w, name)
            page = srv.client().get("/works/%d" % w["id"]).text
            contains(page, "harbourwren")
            contains(page, " on AO3")
            contains(page, fx.AO3_WORK["url"])


def test_quire_downloads_import_back_to_the_same_work():
    with Server() as srv:
        user(srv, "roundtrip")
        tok = token_for(srv, "roundtrip")
        src = api(srv, "POST", "/api/v1/works", {
            "title": "Out & Back Again", "rating": "Mature", "warnings": ["Graphic Depictions Of Violence"],
            "categories": ["M/M"], "fandoms": ["Harbour Lights (TV)"], "relationships": ["Wren/Teo"],
            "characters": ["Wren", "Teo"], "freeforms": ["Angst", "Happy Ending"], "language": "English",
            "summary": "<p>A summary with <em>style</em>.</p>", "notes": "<p>Work notes.</p>",
            "end_notes": "<p>Work end notes.</p>", "series": {"title": "Tides", "position": 1},
            "expected_chapters": 2, "complete": True,
            "chapter": {"title": "Going Out", "content": "<p>The first \u201cchapter\u201d\u2026 goes out.</p>",
                        "notes": "<p>Chapter notes.</p>", "end_notes": "<p>Chapter end notes.</p>",
                        "summary": "<p>Chapter summary.</p>"}}, tok).json()
        status(api(srv, "POST", "/api/v1/works/%d/chapters" % src["id"],
                   {"title": "Coming Back", "content": "<p>The second chapter <em>comes back</em>.</p>"}, tok), 201)
        orig = api(srv, "GET", "/api/v1/works/%d" % src["id"], None, tok).json()
        orig_chs = api_chapters(srv, tok, orig)
        for ext in ("epub", "html"):
            d = srv.client().get(orig["downloads"][ext])
            status(d, 200)
            r = import_api(srv, tok, [("work." + ext, d.body)])
            status(r, 201)
            w = r.json()
            for key in ("title", "rating", "warnings", "categories", "fandoms", "relationships", "characters",
                        "freeforms", "language", "summary_html", "notes_html", "end_notes_html", "expected_chapters",
                        "complete", "word_count", "chapter_count"):
                eq(w[key], orig[key], ext + ": " + key)
            eq(w["series"]["title"], "Tides", ext + ": series")
            eq(w["published_at"][:10], orig["published_at"][:10], ext + ": published")
            for got, want in zip(api_chapters(srv, tok, w), orig_chs):
                for key in ("title", "summary_html", "notes_html", "end_notes_html", "content_html", "word_count"):
                    eq(got[key], want[key], "%s: chapter %s" % (ext, key))


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
