"""End-to-end: posting, reading, editing, drafts, restricted works, chapters (add, reorder, delete), deleting works."""
import html
import os
import re
import sys

from quire_e2e import (Server, check, contains, eq, has_input, input_value, location_path, main, not_contains,
                       redirect, status)

HERE = os.path.dirname(os.path.abspath(__file__))
PW = "correct horse 42"
NOT_FOUND = "The page you were looking for does not exist, or you are not allowed to see it."


# -- helpers --

def text_of(page):
    """The visible text of an HTML page: tags dropped, entities decoded, white space folded."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).replace(" ,", ",").strip()


def textarea_value(page, name):
    """What a browser would put in <textarea name=NAME> (one leading newline is dropped, as HTML says)."""
    m = re.search(r"""<textarea\b[^>]*\bname=["']?%s["'\s>][^>]*>(.*?)</textarea>""" % re.escape(name), page,
                  re.S | re.I)
    check(m is not None, "no textarea %s" % name)
    v = m.group(1)
    if v.startswith("\r\n"):
        v = v[2:]
    elif v.startswith("\n"):
        v = v[1:]
    return html.unescape(v)


def selected_option(page, name):
    m = re.search(r"""<select\b[^>]*\bname=["']?%s["'\s>].*?</select>""" % re.escape(name), page, re.S | re.I)
    check(m is not None, "no select %s" % name)
    opt = re.search(r"""<option\b[^>]*\bvalue="([^"]*)"[^>]*\bselected""", m.group(0))
    return html.unescape(opt.group(1)) if opt else None


def checked_values(page, name):
    out = []
    for tag in re.findall(r"<input\b[^>]*>", page, re.I):
        if re.search(r"""\bname="%s\"""" % re.escape(name), tag) and re.search(r"\bchecked\b", tag):
            out.append(html.unescape(re.search(r'\bvalue="([^"]*)"', tag).group(1)))
    return out


def section(page, start_marker, end_marker=None):
    i = page.find(start_marker)
    check(i >= 0, "page lacks %r" % start_marker)
    j = page.find(end_marker, i + len(start_marker)) if end_marker else -1
    return page[i:j if j >= 0 else len(page)]


def meta_text(page):
    return text_of(section(page, '<dl class="work-meta">', '<article'))


def work_id_from(resp):
    p = redirect(resp)
    m = re.fullmatch(r"/works/(\d+)", p)
    check(m is not None, "redirect to %r, want /works/ID" % p)
    return int(m.group(1))


def chapter_id_from(resp, wid):
    p = redirect(resp)
    m = re.fullmatch(r"/works/%d/chapters/(\d+)" % wid, p)
    check(m is not None, "redirect to %r, want /works/%d/chapters/ID" % (p, wid))
    return int(m.group(1))


def user(srv, name):
    c = srv.client()
    r = c.signup(name, "%s@example.org" % name, PW)
    status(r, 303)
    return c


def work_fields(**over):
    """A complete new-work form as a list of pairs (checkboxes repeat their name)."""
    f = {
        "title": "The Long Way Home",
        "summary": "Maya lets go of a case.\n\nTheo does not let go of Maya.",
        "notes": "For the prompt \u201ctemporary\u201d.",
        "end_notes": "Thanks to my beta, R.",
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/M", "Gen"],
        "fandoms": "Harbour Street (TV)",
        "relationships": "Maya Ortiz/Theo Baptiste",
        "characters": "Maya Ortiz, Theo Baptiste, maya ortiz",
        "freeforms": "Angst, Hurt/Comfort, ,Angst",
        "language": "English",
        "expected_chapters": "",
        "series_title": "",
        "series_position": "",
        "coauthors": "",
        "chapter_title": "Temporary",
        "chapter_summary": "",
        "chapter_notes": "Chapter one notes: set after season two.",
        "chapter_end_notes": "Chapter one end notes: more soon.",
        "chapter_content": "The first chapter begins here.\n\nIt has a second paragraph, too.",
        "chapter_format": "text",
        "action": "post",
    }
    f.update(over)
    pairs = []
    for k, v in f.items():
        if v is None:
            continue
        if isinstance(v, list):
            pairs += [(k, x) for x in v]
        elif isinstance(v, bool):
            if v:
                pairs.append((k, "1"))
        else:
            pairs.append((k, v))
    return pairs


def post_work(c, **over):
    c.get("/works/new")
    return work_id_from(c.post_form("/works", work_fields(**over)))


def add_chapter(c, wid, title, content, **over):
    c.get("/works/%d/chapters/new" % wid)
    f = {"chapter_title": title, "chapter_content": content, "chapter_format": "text", "chapter_notes": "",
         "chapter_end_notes": "", "chapter_summary": "", "action": "post"}
    f.update(over)
    return chapter_id_from(c.post_form("/works/%d/chapters" % wid, list(f.items())), wid)


def chapter_links(page, wid):
    """Chapter ids in the order the chapter index lists them."""
    return [int(x) for x in re.findall(r'<li><a href="/works/%d/chapters/(\d+)">' % wid, page)]


# -- tests --

def test_post_two_chapter_work_read_by_chapter_and_entire():
    with Server() as srv:
        c = user(srv, "maya_writes")
        r = c.get("/works/new")
        status(r, 200)
        for f in ("title", "fandoms", "relationships", "characters", "freeforms", "language", "expected_chapters",
                  "series_title", "series_position", "coauthors", "chapter_title", "complete", "restricted"):
            check(has_input(r.text, f), "work form lacks input %s" % f)
        for f in ("summary", "notes", "end_notes", "chapter_notes", "chapter_end_notes", "chapter_content"):
            textarea_value(r.text, f)
        check(has_input(r.text, "csrf_token", "hidden"), "work form lacks csrf_token")
        contains(r.text, 'value="preview"')
        contains(r.text, 'value="draft"')

        wid = post_work(c)
        r = c.get("/works/%d" % wid)
        status(r, 200)
        meta = meta_text(r.text)
        for want in ("Rating: Teen And Up Audiences", "Archive Warning: No Archive Warnings Apply",
                     "Category: F/M, Gen", "Fandom: Harbour Street (TV)", "Relationship: Maya Ortiz/Theo Baptiste",
                     "Characters: Maya Ortiz, Theo Baptiste", "Additional Tags: Angst, Hurt/Comfort",
                     "Language: English", "Words: 11", "Chapters: 1/?"):
            contains(meta, want, "meta block")
        not_contains(meta, "maya ortiz", "meta block (case-insensitive duplicate tag)")
        t = text_of(r.text)
        contains(t, "The Long Way Home")
        contains(t, "by maya_writes")
        contains(t, "Summary: Maya lets go of a case.")
        contains(t, "Notes: For the prompt \u201ctemporary\u201d.")
        contains(t, "See the end of the work for more notes")
        contains(t, "Chapter 1: Temporary")
        contains(t, "Chapter one notes: set after season two.")
        contains(t, "The first chapter begins here.")
        contains(t, "Chapter one end notes: more soon.")
        contains(t, "Thanks to my beta, R.")
        eq(r.text.count('id="work_endnotes"'), 1, "work end notes blocks")
        # Tools for the creator.
        for tool in ("/works/%d/edit" % wid, "/works/%d/chapters/new" % wid, "/works/%d/chapters/manage" % wid,
                     "/works/%d/delete" % wid):
            contains(r.text, 'href="%s"' % tool)
        not_contains(r.text, "Next Chapter")

        cid2 = add_chapter(c, wid, "Going Home", "Second chapter text, quite different.\n\nAnother paragraph.",
                           chapter_notes="Chapter two begins.", chapter_end_notes="Chapter two ends.")
        # The work opens at chapter 1, with a way to chapter 2.
        r = c.get("/works/%d" % wid)
        status(r, 200)
        contains(meta_text(r.text), "Chapters: 2/?")
        contains(meta_text(r.text), "Words: 18")
        contains(r.text, 'href="/works/%d/chapters/%d" rel="next">Next Chapter' % (wid, cid2))
        contains(r.text, 'href="/works/%d?view_full_work=true">Entire Work' % wid)
        contains(r.text, 'href="/works/%d/navigate">Chapter Index' % wid)
        t = text_of(r.text)
        contains(t, "The first chapter begins here.")
        not_contains(t, "Second chapter text")
        # The work's end notes close its last chapter, and the preface points there.
        not_contains(t, "Thanks to my beta, R.")
        contains(r.text, 'href="/works/%d/chapters/%d#work_endnotes"' % (wid, cid2))

        # Chapter 2 on its own page.
        r = c.get("/works/%d/chapters/%d" % (wid, cid2))
        status(r, 200)
        t = text_of(r.text)
        contains(t, "Chapter 2: Going Home")
        contains(t, "Chapter two begins. ")
        contains(t, "Second chapter text, quite different.")
        contains(t, "Chapter two ends.")
        contains(t, "Thanks to my beta, R.")
        not_contains(t, "The first chapter begins here.")
        contains(r.text, "Previous Chapter")
        not_contains(r.text, "Next Chapter")
        contains(r.text, '<form class="chapter-select" method="get" action="/works/%d/navigate">' % wid)
        contains(r.text, '<option value="%d" selected>2. Going Home</option>' % cid2)
        contains(meta_text(r.text), "Chapters: 2/?")
        contains(r.text, 'href="/works/%d/chapters/%d/edit"' % (wid, cid2))
        cid1 = int(re.search(r'<option value="(\d+)">1\. Temporary</option>', r.text).group(1))

        # The chapter menu works without JavaScript.
        r = c.get("/works/%d/navigate?chapter=%d" % (wid, cid1))
        redirect(r, "/works/%d/chapters/%d" % (wid, cid1))
        status(c.get("/works/%d/navigate?chapter=999999" % wid), 404)
        r = c.get("/works/%d/navigate" % wid)
        status(r, 200)
        eq(chapter_links(r.text, wid), [cid1, cid2], "chapter index")

        # The entire work: every chapter in order, the end notes once, at the end.
        r = c.get("/works/%d?view_full_work=true" % wid)
        status(r, 200)
        t = text_of(r.text)
        i1, i2 = t.find("Chapter 1: Temporary"), t.find("Chapter 2: Going Home")
        check(0 <= i1 < i2, "entire work: chapter headings out of order (%d, %d)" % (i1, i2))
        check(t.find("The first chapter begins here.") < t.find("Second chapter text") < t.find("Thanks to my beta"),
              "entire work: text out of order")
        contains(t, "Chapter by Chapter")
        eq(r.text.count('id="work_endnotes"'), 1, "work end notes blocks")

        # A guest reads the same pages, without the creator's tools.
        g = srv.client()
        for path in ("/works/%d" % wid, "/works/%d/chapters/%d" % (wid, cid2), "/works/%d?view_full_work=true" % wid):
            r = g.get(path)
            status(r, 200)
            not_contains(r.text, "/edit\"", "guest page %s" % path)
            not_contains(r.text, "csrf_token", "guest page %s" % path)
        r = g.get("/works/%d/chapters/%d" % (wid, cid2))
        contains(text_of(r.text), "Second chapter text, quite different.")
        # Listed on /works and on the author's page.
        r = g.get("/works")
        status(r, 200)
        contains(r.text, 'href="/works/%d"><bdi>The Long Way Home</bdi></a>' % wid)
        contains(text_of(r.text), "Chapters: 2/?")
        r = g.get("/users/maya_writes")
        status(r, 200)
        contains(r.text, 'href="/works/%d"><bdi>The Long Way Home</bdi></a>' % wid)
        status(g.get("/users/maya_writes/works"), 200)
        status(g.get("/users/nobody_here"), 404)


def test_plain_text_fixture_keeps_paragraphs_quotes_and_notes():
    with open(os.path.join(HERE, "fixtures", "harbour-street-chapter-1.txt"), encoding="utf-8") as f:
        raw = f.read()
    lines = raw.strip().split("\n")
    disclaimer = lines[0]
    author_note = lines[-1]
    body = "\n".join(lines[1:-1]).strip()
    check(disclaimer.startswith("Disclaimer:") and author_note.startswith("A/N:"), "fixture shape changed")
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    with Server() as srv:
        c = user(srv, "harbour_fan")
        wid = post_work(c, title="Nothing Stays Put", notes=disclaimer, end_notes=author_note, chapter_title="",
                        chapter_notes="", chapter_end_notes="", chapter_content=body, chapter_format="text",
                        categories=[], relationships="", characters="", freeforms="")
        r = srv.client().get("/works/%d" % wid)
        status(r, 200)
        chapter = section(r.text, '<div class="userstuff chapter-text"', "</section>")
        eq(chapter.count("<p>"), len(paragraphs), "paragraphs in the chapter text")
        for needle in ("\u201cNothing stays put around here\u2026\u201d", "\u201c\u2026 I\u2019m fine, Theo.\u201d",
                       "judge\u2019s signature", "slid shut on his reply\u2026 and she"):
            contains(chapter, needle, "chapter text")
        not_contains(chapter, "Disclaimer")
        not_contains(chapter, "A/N")
        notes = section(r.text, '<div class="notes module">', "</div>")
        contains(notes, disclaimer)
        end = section(r.text, 'id="work_endnotes"', "</div>")
        contains(end, "A/N: Thank you for reading! This is my first story here, so please be kind\u2026")
        # A one-chapter, untitled work reads like a one-shot.
        not_contains(text_of(r.text), "Chapter 1")
        words = len(re.findall(r"[\w\u2019'-]+", body))
        m = re.search(r"Words: ([\d,]+)", meta_text(r.text))
        check(m is not None, "no word count")
        got = int(m.group(1).replace(",", ""))
        check(abs(got - words) <= 3, "word count %d, about %d expected" % (got, words))


def test_validation_errors_keep_every_field():
    long_text = " ".join("word%d" % i for i in range(5000)) + "\n\n\u201cEnd\u2026\u201d <b>&amp;</b>"
    with Server() as srv:
        c = user(srv, "typist")
        c.get("/works/new")
        fields = work_fields(title="   ", fandoms="", freeforms="Fine, bad*tag", chapter_content=long_text,
                             summary="A summary & <more>", expected_chapters="two", series_title="My Series",
                             series_position="3", complete=True, restricted=True,
                             warnings=["Major Character Death", "Underage Sex"], categories=["M/M"],
                             rating="Explicit", chapter_format="markdown", coauthors="nobody_by_this_name")
        r = c.post_form("/works", fields)
        status(r, 422)
        p = r.text
        contains(p, 'class="errors"')
        for field, msg in (("title", "Title is required."), ("fandoms", "Add at least one fandom."),
                           ("freeforms", "cannot contain"), ("expected_chapters", "whole number"),
                           ("coauthors", "nobody_by_this_name")):
            contains(p, 'id="%s-error">' % field, "error next to %s" % field)
            contains(text_of(section(p, 'id="%s-error">' % field, "</p>")), msg, "error for %s" % field)
            contains(p, 'href="#%s"' % field, "summary link for %s" % field)
        eq(textarea_value(p, "chapter_content"), long_text, "chapter content")
        eq(textarea_value(p, "summary"), "A summary & <more>", "summary")
        eq(textarea_value(p, "notes"), "For the prompt \u201ctemporary\u201d.", "notes")
        eq(textarea_value(p, "end_notes"), "Thanks to my beta, R.", "end notes")
        eq(textarea_value(p, "chapter_notes"), "Chapter one notes: set after season two.", "chapter notes")
        eq(textarea_value(p, "chapter_end_notes"), "Chapter one end notes: more soon.", "chapter end notes")
        eq(input_value(p, "title"), "", "title")
        eq(input_value(p, "freeforms"), "Fine, bad*tag", "freeforms")
        eq(input_value(p, "relationships"), "Maya Ortiz/Theo Baptiste", "relationships")
        eq(input_value(p, "characters"), "Maya Ortiz, Theo Baptiste, maya ortiz", "characters")
        eq(input_value(p, "expected_chapters"), "two", "expected chapters")
        eq(input_value(p, "series_title"), "My Series", "series")
        eq(input_value(p, "series_position"), "3", "series position")
        eq(input_value(p, "coauthors"), "nobody_by_this_name", "co-creators")
        eq(input_value(p, "chapter_title"), "Temporary", "chapter title")
        eq(input_value(p, "language"), "English", "language")
        eq(selected_option(p, "rating"), "Explicit", "rating")
        eq(selected_option(p, "chapter_format"), "markdown", "format")
        eq(sorted(checked_values(p, "warnings")), ["Major Character Death", "Underage Sex"], "warnings")
        eq(checked_values(p, "categories"), ["M/M"], "categories")
        eq(checked_values(p, "complete"), ["1"], "complete")
        eq(checked_values(p, "restricted"), ["1"], "restricted")
        check(has_input(p, "csrf_token", "hidden"), "re-rendered form lacks csrf_token")
        # Nothing was saved.
        contains(c.get("/users/typist").text, "(0)")
        # A rating that is not one of the five, and too little chapter text.
        r = c.post_form("/works", work_fields(rating="PG-13", chapter_content="Too short"))
        status(r, 422)
        contains(section(r.text, 'id="rating-error">', "</p>"), "Rating must be one of")
        contains(section(r.text, 'id="chapter_content-error">', "</p>"), "at least 10")
        eq(textarea_value(r.text, "chapter_content"), "Too short", "short content")
        r = c.post_form("/works", work_fields(warnings=[]))
        status(r, 422)
        contains(r.text, 'id="warnings-error">')


def test_preview_saves_nothing():
    with Server() as srv:
        c = user(srv, "previewer")
        c.get("/works/new")
        r = c.post_form("/works", work_fields(action="preview", title="Preview <Me>",
                                              chapter_content="Preview text here.\n\nSecond preview paragraph."))
        status(r, 200)
        contains(r.text, "This is a preview: nothing has been saved yet.")
        contains(r.text, "Preview &lt;Me&gt;")
        not_contains(r.text, "Preview <Me>")
        contains(r.text, "<p>Preview text here.</p>")
        contains(meta_text(r.text), "Chapters: 1/?")
        eq(input_value(r.text, "title"), "Preview <Me>", "title kept")
        eq(textarea_value(r.text, "chapter_content"), "Preview text here.\n\nSecond preview paragraph.", "content kept")
        contains(c.get("/users/previewer").text, "(0)")
        r = srv.client().get("/works")
        not_contains(r.text, "Preview")


def test_hostile_input_is_escaped():
    with Server() as srv:
        c = user(srv, "mallory")
        wid = post_work(c, title="<script>alert(1)</script>", summary="<img src=x onerror=alert(1)> sum",
                        chapter_format="html",
                        chapter_content="<p onmouseover=\"alert(1)\">Hi there, reader.</p><script>alert(2)</script>"
                                        "<a href=\"javascript:alert(3)\">link</a>",
                        chapter_title="\"><svg onload=alert(4)>", characters="Bob \"Quotes\" O'Neil")
        r = srv.client().get("/works/%d" % wid)
        status(r, 200)
        not_contains(r.text, "<script>alert")
        not_contains(r.text, "onerror")
        not_contains(r.text, "onmouseover")
        not_contains(r.text, "javascript:")
        not_contains(r.text, "<svg")
        contains(r.text, "&lt;script&gt;alert(1)&lt;/script&gt;")
        contains(r.text, "Hi there, reader.")
        r = srv.client().get("/works")
        not_contains(r.text, "<script>alert")
        not_contains(r.text, "onerror")
        c.get("/works/%d/edit" % wid)
        eq(input_value(c.last.text, "title"), "<script>alert(1)</script>", "edit form title")
        eq(input_value(c.last.text, "characters"), "Bob \"Quotes\" O'Neil", "edit form characters")


def test_edit_work_and_chapter_and_other_users_get_403():
    with Server() as srv:
        author = user(srv, "author_one")
        wid = post_work(author, expected_chapters="3")
        r = author.get("/works/%d/edit" % wid)
        status(r, 200)
        eq(input_value(r.text, "title"), "The Long Way Home", "edit form title")
        eq(input_value(r.text, "fandoms"), "Harbour Street (TV)", "edit form fandoms")
        eq(input_value(r.text, "expected_chapters"), "3", "edit form expected chapters")
        eq(textarea_value(r.text, "summary"), "Maya lets go of a case.\n\nTheo does not let go of Maya.", "summary")
        eq(selected_option(r.text, "rating"), "Teen And Up Audiences", "rating")
        check(not has_input(r.text, "chapter_title"), "the edit form has chapter fields")
        # An edit with an error keeps what was typed.
        fields = [(k, v) for k, v in work_fields(title="Renamed", rating="") if not k.startswith("chapter_")]
        r = author.post_form("/works/%d" % wid, fields)
        status(r, 422)
        eq(input_value(r.text, "title"), "Renamed", "title kept")
        contains(r.text, 'id="rating-error">')
        # A good edit.
        fields = [(k, v) for k, v in work_fields(title="Renamed Work", freeforms="Fluff", complete=True,
                                                 expected_chapters="1")
                  if not k.startswith("chapter_")]
        redirect(author.post_form("/works/%d" % wid, fields), "/works/%d" % wid)
        r = author.get("/works/%d" % wid)
        contains(text_of(r.text), "Renamed Work")
        meta = meta_text(r.text)
        contains(meta, "Additional Tags: Fluff")
        not_contains(meta, "Angst")
        contains(meta, "Chapters: 1/1")

        # Someone else: 403 with a clear message on every creator action; nothing changes.
        other = user(srv, "someone_else")
        cid = int(re.search(r'/works/%d/chapters/(\d+)/edit' % wid, author.get("/works/%d" % wid).text).group(1))
        for path in ("/works/%d/edit" % wid, "/works/%d/delete" % wid, "/works/%d/chapters/new" % wid,
                     "/works/%d/chapters/manage" % wid, "/works/%d/chapters/%d/edit" % (wid, cid)):
            r = other.get(path)
            status(r, 403)
            contains(text_of(r.text), "Only the work's creators can change it", path)
        for path, data in (("/works/%d" % wid, fields), ("/works/%d/delete" % wid, []),
                           ("/works/%d/post" % wid, []),
                           ("/works/%d/chapters" % wid, [("chapter_content", "Hijacked chapter text.")]),
                           ("/works/%d/chapters/%d" % (wid, cid), [("chapter_content", "Hijacked chapter text.")]),
                           ("/works/%d/chapters/%d/delete" % (wid, cid), []),
                           ("/works/%d/chapters/reorder" % wid, [])):
            other.get("/works/%d" % wid)
            r = other.post_form(path, data)
            status(r, 403)
        r = srv.client().get("/works/%d" % wid)
        status(r, 200)
        contains(text_of(r.text), "Renamed Work")
        not_contains(r.text, "Hijacked")
        # The reading page shows no tools to others.
        not_contains(other.get("/works/%d" % wid).text, "/works/%d/edit" % wid)
        # A guest is sent to log in.
        r = srv.client().get("/works/%d/edit" % wid)
        status(r, 303)
        check(location_path(r).startswith("/login"), "guest edit goes to %s" % location_path(r))

        # Editing a chapter.
        r = author.get("/works/%d/chapters/%d/edit" % (wid, cid))
        status(r, 200)
        eq(textarea_value(r.text, "chapter_content"), "The first chapter begins here.\n\nIt has a second paragraph, too.",
           "chapter content in edit form")
        eq(selected_option(r.text, "chapter_format"), "text", "chapter format")
        r = author.post_form("/works/%d/chapters/%d" % (wid, cid),
                             [("chapter_title", "Retitled"), ("chapter_content", "short"), ("chapter_format", "text")])
        status(r, 422)
        eq(input_value(r.text, "chapter_title"), "Retitled", "chapter title kept")
        r = author.post_form("/works/%d/chapters/%d" % (wid, cid),
                             [("chapter_title", "Retitled"), ("chapter_content", "Brand *new* chapter text."),
                              ("chapter_format", "markdown"), ("action", "post")])
        redirect(r, "/works/%d/chapters/%d" % (wid, cid))
        r = srv.client().get("/works/%d" % wid)
        contains(r.text, "Brand <em>new</em> chapter text.")
        contains(meta_text(r.text), "Words: 4")


def test_drafts_and_restricted_works_are_hidden():
    with Server() as srv:
        author = user(srv, "drafty")
        reader = user(srv, "reader_two")
        guest = srv.client()

        draft = post_work(author, title="Secret Draft", action="draft")
        r = author.get("/works/%d" % draft)
        status(r, 200)
        contains(r.text, "This work is a draft and is only visible to you")
        contains(r.text, 'action="/works/%d/post"' % draft)
        contains(meta_text(r.text), "Published: not yet (draft)")
        cid = int(re.search(r'/works/%d/chapters/(\d+)/edit' % draft, r.text).group(1))
        for who in (guest, reader):
            missing = who.get("/works/987654")
            status(missing, 404)
            for path in ("/works/%d" % draft, "/works/%d/chapters/%d" % (draft, cid), "/works/%d/navigate" % draft,
                         "/works/%d?view_full_work=true" % draft):
                r = who.get(path)
                status(r, 404)
                contains(r.text, NOT_FOUND)
                not_contains(r.text, "Secret Draft")
                eq(text_of(r.text), text_of(missing.text), "404 page for a draft differs from a missing work's")
            not_contains(who.get("/works").text, "Secret Draft")
            not_contains(who.get("/users/drafty").text, "Secret Draft")
        contains(author.get("/users/drafty").text, "Secret Draft")
        not_contains(author.get("/works").text, "Secret Draft")
        # Another user cannot post it either (404: they cannot know it exists).
        reader.get("/works")
        status(reader.post_form("/works/%d/post" % draft, []), 404)

        restricted = post_work(author, title="Members Only Story", restricted=True)
        r = guest.get("/works/%d" % restricted)
        status(r, 404)
        not_contains(r.text, "Members Only Story")
        not_contains(guest.get("/works").text, "Members Only Story")
        not_contains(guest.get("/users/drafty").text, "Members Only Story")
        status(reader.get("/works/%d" % restricted), 200)
        contains(reader.get("/works").text, "Members Only Story")
        contains(reader.get("/users/drafty").text, "Members Only Story")

        # Posting the draft makes it public.
        author.get("/works/%d" % draft)
        redirect(author.post_form("/works/%d/post" % draft, []), "/works/%d" % draft)
        r = guest.get("/works/%d" % draft)
        status(r, 200)
        contains(text_of(r.text), "Secret Draft")
        not_contains(r.text, "This work is a draft")
        check("Published: not yet" not in meta_text(r.text), "posted draft shows no publication date")
        contains(guest.get("/works").text, "Secret Draft")

        # A draft saved from the edit form stays a draft until posted there.
        d2 = post_work(author, title="Second Draft", action="draft")
        fields = [(k, v) for k, v in work_fields(title="Second Draft, edited", action="draft")
                  if not k.startswith("chapter_")]
        redirect(author.post_form("/works/%d" % d2, fields), "/works/%d" % d2)
        status(guest.get("/works/%d" % d2), 404)
        fields = [(k, v) for k, v in work_fields(title="Second Draft, posted", action="post")
                  if not k.startswith("chapter_")]
        redirect(author.post_form("/works/%d" % d2, fields), "/works/%d" % d2)
        status(guest.get("/works/%d" % d2), 200)


def test_add_reorder_and_delete_chapters_then_the_work():
    with Server() as srv:
        c = user(srv, "chaptered")
        wid = post_work(c, chapter_title="One", chapter_content="Text of chapter one.")
        contains(meta_text(c.get("/works/%d" % wid).text), "Chapters: 1/?")
        # Preview of a new chapter saves nothing.
        c.get("/works/%d/chapters/new" % wid)
        r = c.post_form("/works/%d/chapters" % wid, [("chapter_title", "Peek"), ("chapter_format", "text"),
                                                      ("chapter_content", "Only a preview of this one."),
                                                      ("action", "preview")])
        status(r, 200)
        contains(r.text, "<p>Only a preview of this one.</p>")
        contains(meta_text(c.get("/works/%d" % wid).text), "Chapters: 1/?")
        # An invalid chapter keeps what was typed.
        r = c.post_form("/works/%d/chapters" % wid, [("chapter_title", "Bad"), ("chapter_content", "tiny")])
        status(r, 422)
        eq(textarea_value(r.text, "chapter_content"), "tiny", "chapter content kept")

        c2 = add_chapter(c, wid, "Two", "Text of chapter two.")
        contains(meta_text(c.get("/works/%d" % wid).text), "Chapters: 2/?")
        c3 = add_chapter(c, wid, "Three", "Text of chapter three.")
        contains(meta_text(c.get("/works/%d" % wid).text), "Chapters: 3/?")
        # The planned count cannot fall below the chapters there are.
        fields = [(k, v) for k, v in work_fields(title="Three chapters", expected_chapters="2")
                  if not k.startswith("chapter_")]
        r = c.post_form("/works/%d" % wid, fields)
        status(r, 422)
        contains(text_of(section(r.text, 'id="expected_chapters-error">', "</p>")), "already has 3 chapters")
        r = c.get("/works/%d/navigate" % wid)
        c1 = chapter_links(r.text, wid)[0]
        eq(chapter_links(r.text, wid), [c1, c2, c3], "order before")

        r = c.get("/works/%d/chapters/manage" % wid)
        status(r, 200)
        for cid, pos in ((c1, "1"), (c2, "2"), (c3, "3")):
            eq(input_value(r.text, "position_%d" % cid), pos, "position of chapter %d" % cid)
        r = c.post_form("/works/%d/chapters/reorder" % wid,
                        [("position_%d" % c1, "3"), ("position_%d" % c2, "1"), ("position_%d" % c3, "2")])
        status(r, 303)
        r = c.get("/works/%d/navigate" % wid)
        eq(chapter_links(r.text, wid), [c2, c3, c1], "order after reordering")
        contains(text_of(r.text), "Chapter 1: Two")
        r = c.get("/works/%d?view_full_work=true" % wid)
        t = text_of(r.text)
        check(t.find("Text of chapter two.") < t.find("Text of chapter three.") < t.find("Text of chapter one."),
              "entire work not in the new order")
        # The work now opens at "Two".
        contains(text_of(c.get("/works/%d" % wid).text), "Text of chapter two.")

        # Deleting a chapter.
        c.get("/works/%d/chapters/%d" % (wid, c3))
        redirect(c.post_form("/works/%d/chapters/%d/delete" % (wid, c3), []), "/works/%d" % wid)
        status(c.get("/works/%d/chapters/%d" % (wid, c3)), 404)
        r = c.get("/works/%d/navigate" % wid)
        eq(chapter_links(r.text, wid), [c2, c1], "order after deleting")
        contains(meta_text(c.get("/works/%d" % wid).text), "Chapters: 2/?")
        c.get("/works/%d" % wid)
        redirect(c.post_form("/works/%d/chapters/%d/delete" % (wid, c2), []), "/works/%d" % wid)
        # The last chapter cannot go.
        c.get("/works/%d" % wid)
        r = c.post_form("/works/%d/chapters/%d/delete" % (wid, c1), [])
        status(r, 422)
        contains(r.text, "only chapter")
        status(c.get("/works/%d/chapters/%d" % (wid, c1)), 200)
        # A chapter of another work is not found through this one.
        other = post_work(c, title="Another")
        status(c.get("/works/%d/chapters/%d" % (other, c1)), 404)

        # Deleting the work: a confirmation page, then gone.
        r = c.get("/works/%d/delete" % wid)
        status(r, 200)
        contains(r.text, "Are you sure")
        redirect(c.post_form("/works/%d/delete" % wid, []), "/users/chaptered")
        status(c.get("/works/%d" % wid), 404)
        status(c.get("/works/%d/chapters/%d" % (wid, c1)), 404)
        not_contains(c.get("/users/chaptered").text, 'href="/works/%d"' % wid)


def test_forms_need_csrf_and_login():
    with Server() as srv:
        c = user(srv, "csrf_check")
        c.get("/works/new")
        r = c.post_form("/works", work_fields() + [("csrf_token", "forged")], csrf=False)
        status(r, 403)
        contains(c.get("/users/csrf_check").text, "(0)")
        g = srv.client()
        r = g.get("/works/new")
        status(r, 303)
        check(location_path(r).startswith("/login"), "guest /works/new goes to %s" % location_path(r))


def test_works_listing_pages():
    with Server() as srv:
        c = user(srv, "prolific")
        ids = [post_work(c, title="Work number %02d" % i) for i in range(23)]
        g = srv.client()
        r = g.get("/works")
        status(r, 200)
        eq(r.text.count('class="work blurb"'), 20, "blurbs on page 1")
        contains(r.text, 'href="/works?page=2"')
        contains(r.text, "Work number 22")
        r = g.get("/works?page=2")
        status(r, 200)
        eq(r.text.count('class="work blurb"'), 3, "blurbs on page 2")
        contains(r.text, "Work number 00")
        contains(r.text, 'rel="prev" href="/works"')  # page 1 is the listing's own address
        status(g.get("/works?page=abc"), 400)  # malformed filters answer a clear 400 (issue 9)
        status(g.get("/works?page=99"), 200)
        # Blurb shape: required-tag squares and stats.
        r = g.get("/works")
        blurb = section(r.text, 'id="work_%d"' % ids[-1], "</li>\n")
        for want in ('class="badge rating-teen"', 'class="badge warning-no"', 'class="badge category-multi"',
                     'class="badge complete-no"'):
            contains(blurb, want, "blurb")
        t = text_of(section(r.text, 'id="work_%d"' % ids[-1], '<dl class="blurb-stats">'))
        contains(t, "Work number 22 by prolific")
        contains(t, "Harbour Street (TV)")
        contains(t, "No Archive Warnings Apply, Maya Ortiz/Theo Baptiste, Maya Ortiz, Theo Baptiste, Angst, Hurt/Comfort")


if __name__ == "__main__":
    sys.exit(main(globals()))
