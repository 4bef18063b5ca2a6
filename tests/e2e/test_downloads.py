"""End-to-end: downloads. A work's EPUB is a well-formed EPUB 3 package (mimetype first and stored, container,
package, navigation, one XHTML file per chapter in order) with the work's text and metadata; the HTML download
holds the whole work; both follow the work's visibility and its latest text; unknown formats are 404."""
import html
import io
import os
import subprocess
import tempfile
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

from quire_e2e import check, contains, eq, main, not_contains, status, Server
from test_response import api, token_for
from test_works import add_chapter, post_work, user

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TITLE = "Ünïcode & the Lighthouse"
EPUBCHECK = "/usr/share/java/epubcheck.jar"


def download_links(page):
    return {ext: html.unescape(url) for url, ext in re.findall(r'href="(/downloads/\d+/[^"]+\.(epub|html))"', page)}


def epub_of(resp):
    status(resp, 200)
    eq(resp.header("Content-Type"), "application/epub+zip", "content type")
    contains(resp.header("Content-Disposition", ""), "attachment")
    return zipfile.ZipFile(io.BytesIO(resp.body))


def check_package(z, body):
    """The container rules e-readers rely on, and every file well-formed; returns (opf root, {href: xml})."""
    first = z.infolist()[0]
    eq(first.filename, "mimetype", "first entry")
    eq(first.compress_type, zipfile.ZIP_STORED, "mimetype stored")
    eq(body[30:38], b"mimetype", "mimetype's name right after the first local header")
    eq(body[28:30], b"\x00\x00", "no extra field on the mimetype entry")
    eq(body[38:58], b"application/epub+zip", "mimetype's content at byte 38")
    check(z.testzip() is None, "every entry's CRC is right")
    container = ET.fromstring(z.read("META-INF/container.xml"))
    rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    eq(rootfile.get("full-path"), "OEBPS/content.opf", "the package's path")
    opf = ET.fromstring(z.read("OEBPS/content.opf"))
    eq(opf.get("version"), "3.0", "EPUB 3")
    names = set(z.namelist())
    items = {}
    for item in opf.iter(OPF + "item"):
        href = "OEBPS/" + item.get("href")
        check(href in names, "manifest item %s is in the archive" % href)
        items[item.get("id")] = item
        if href.endswith((".xhtml", ".ncx")):
            ET.fromstring(z.read(href))  # well-formed XML, or this raises
    spine = [i.get("idref") for i in opf.iter(OPF + "itemref")]
    check(all(i in items for i in spine), "every spine entry is in the manifest")
    eq(opf.find(OPF + "spine").get("toc"), "ncx", "EPUB 2 table of contents named")
    check(any("nav" in (i.get("properties") or "") for i in items.values()), "an EPUB 3 navigation document")
    modified = [m.text for m in opf.iter(OPF + "meta") if m.get("property") == "dcterms:modified"]
    check(len(modified) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified[0]), "dcterms:modified")
    return opf, items, spine


def epubcheck(body):
    """The W3C's EPUBCheck (Debian's epubcheck, which `make test` installs) finds nothing wrong."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "work.epub")
        with open(path, "wb") as f:
            f.write(body)
        p = subprocess.run(["java", "-jar", EPUBCHECK, path], capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    check(p.returncode == 0 and "No errors or warnings detected" in out, "epubcheck:\n" + out)


def text_of(z, name):
    root = ET.fromstring(z.read(name))
    return " ".join("".join(root.itertext()).split())


def test_epub_and_html_of_a_work():
    with Server() as srv:
        author = user(srv, "lamp_writer")
        wid = post_work(author, title=TITLE, summary="A tale of <em>tides</em> & lamps.", chapter_format="html",
                        chapter_title="The Causeway",
                        chapter_content="<p>First chapter: the causeway at low tide.<br>A second line.</p>"
                                        "<p><img src=\"https://example.org/lamp.png\" alt=\"lamp\"></p>")
        add_chapter(author, wid, "The Lamp", "Second chapter: the lamp is lit every night.")
        page = srv.client().get("/works/%d" % wid).text
        links = download_links(page)
        check("epub" in links and "html" in links, "the work page offers EPUB and HTML: %r" % links)
        contains(links["epub"], "/downloads/%d/" % wid)

        r = srv.client().get(links["epub"])
        z = epub_of(r)
        contains(r.header("Content-Disposition"), "filename*=UTF-8''" + urllib.parse.quote("Ünïcode_the_Lighthouse.epub"))
        opf, items, spine = check_package(z, r.body)
        eq(opf.find(".//" + DC + "title").text, TITLE, "title")
        eq([c.text for c in opf.iter(DC + "creator")], ["lamp_writer"], "creators")
        eq(opf.find(".//" + DC + "language").text, "en", "language code")
        eq(opf.find(".//" + DC + "identifier").text, "%s/works/%d" % (srv.base, wid), "identifier")
        eq(opf.find(".//" + DC + "description").text, "A tale of tides & lamps.", "summary as text")
        subjects = [s.text for s in opf.iter(DC + "subject")]
        check("Harbour Street (TV)" in subjects and "Angst" in subjects, "tags as subjects: %r" % subjects)
        eq(spine, ["preface", "chapter-1", "chapter-2", "afterword"], "reading order")
        # EPUB 3 allows no image from elsewhere, and the server fetches nothing: the image is a link in the EPUB.
        raw = z.read("OEBPS/chapter-1.xhtml").decode()
        contains(raw, '<a href="https://example.org/lamp.png" rel="nofollow">[Image: lamp]</a>')
        not_contains(raw, "<img")
        epubcheck(r.body)

        one, two = text_of(z, "OEBPS/chapter-1.xhtml"), text_of(z, "OEBPS/chapter-2.xhtml")
        contains(one, "Chapter 1: The Causeway")
        contains(one, "First chapter: the causeway at low tide.")
        contains(one, "Chapter one notes: set after season two.")
        contains(two, "Second chapter: the lamp is lit every night.")
        not_contains(one, "the lamp is lit")
        preface = text_of(z, "OEBPS/preface.xhtml")
        for want in (TITLE, "by lamp_writer", "Teen And Up Audiences", "Maya Ortiz/Theo Baptiste", "Words:",
                     "A tale of tides & lamps.", "For the prompt"):
            contains(preface, want, "preface")
        afterword = text_of(z, "OEBPS/afterword.xhtml")
        contains(afterword, "Thanks to my beta, R.")
        contains(afterword, "%s/works/%d" % (srv.base, wid))
        nav = ET.fromstring(z.read("OEBPS/nav.xhtml"))
        eq([a.text for a in nav.iter(XHTML + "a")], ["Preface", "Chapter 1: The Causeway", "Chapter 2: The Lamp",
                                                     "Afterword"], "table of contents")
        ncx = ET.fromstring(z.read("OEBPS/toc.ncx"))
        eq([p.get("playOrder") for p in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}navPoint")],
           ["1", "2", "3", "4"], "EPUB 2 play order")
        # The same work gives the same bytes (dated by the work, not by the clock).
        eq(srv.client().get(links["epub"]).body, r.body, "a second download is identical")

        r = srv.client().get(links["html"])
        status(r, 200)
        contains(r.header("Content-Type"), "text/html")
        for want in ("First chapter: the causeway", "Second chapter: the lamp", "Thanks to my beta", "<style>",
                     'href="#chapter-2"', '<img alt="lamp" src="https://example.org/lamp.png" />'):
            contains(r.text, want, "HTML download")

        # An edit shows in the next download.
        api_token = token_for(srv, "lamp_writer")
        ch2 = int(re.findall(r'href="/works/%d/chapters/(\d+)"' % wid, author.get("/works/%d/navigate" % wid).text)[1])
        status(api(srv, "PATCH", "/api/v1/works/%d/chapters/%d" % (wid, ch2),
                   {"content": "Second chapter, revised: the lamp burns till dawn.", "format": "text"}, api_token), 200)
        z = epub_of(srv.client().get(links["epub"]))
        contains(text_of(z, "OEBPS/chapter-2.xhtml"), "revised: the lamp burns till dawn")
        # The API names the same addresses.
        eq(api(srv, "GET", "/api/v1/works/%d" % wid).json()["downloads"]["epub"], links["epub"], "API download address")


def test_downloads_follow_visibility_and_refuse_other_formats():
    with Server() as srv:
        author = user(srv, "quiet_writer")
        draft = post_work(author, title="A Draft Only Mine", action="draft")
        members = post_work(author, title="For Members", restricted=True)
        reader = user(srv, "a_member")
        guest = srv.client()
        for wid in (draft, members):
            status(guest.get("/downloads/%d/x.epub" % wid), 404)
            status(guest.get("/downloads/%d/x.html" % wid), 404)
            r = author.get("/downloads/%d/x.epub" % wid)
            z = epub_of(r)
            check("OEBPS/chapter-1.xhtml" in z.namelist(), "the creator downloads their own work")
            if wid == draft:
                epubcheck(r.body)  # not published yet: no date, still valid
        status(reader.get("/downloads/%d/x.epub" % draft), 404)
        epub_of(reader.get("/downloads/%d/x.epub" % members))
        status(guest.get("/downloads/%d/x.pdf" % members), 404)
        status(author.get("/downloads/%d/no-extension" % members), 404)
        status(guest.get("/downloads/999999/x.epub"), 404)
        status(guest.get("/downloads/abc/x.epub"), 404)


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
