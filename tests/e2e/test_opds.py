"""End-to-end: the e-reader catalog (OPDS 1.2). The start feed leads to acquisition feeds of works, each with its
EPUB; they follow the listing's filters, search, paging and visibility; OpenSearch describes the search; guest
feeds are cached and follow new works."""
import html
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

from quire_e2e import check, contains, eq, main, status, Server
from test_response import api, token_for
from test_works import user

ATOM = "{http://www.w3.org/2005/Atom}"
ACQUISITION = "http://opds-spec.org/acquisition/open-access"


def post(srv, token, title, text, **over):
    body = {"title": title, "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
            "fandoms": ["Catalog Fandom"], "summary": "About " + title + ".",
            "chapter": {"content": text, "format": "text"}}
    body.update(over)
    r = api(srv, "POST", "/api/v1/works", body, token)
    status(r, 201)
    return r.json()["id"]


def feed(resp, kind):
    status(resp, 200)
    eq(resp.header("Content-Type"), "application/atom+xml;profile=opds-catalog;kind=" + kind, "feed type")
    root = ET.fromstring(resp.body)
    eq(root.tag, ATOM + "feed", "an Atom feed")
    for need in ("id", "title", "updated", "author"):
        check(root.find(ATOM + need) is not None, "the feed has <%s>" % need)
    return root


def links(node):
    return {l.get("rel"): l for l in node.findall(ATOM + "link")}


def local(href, srv):
    check(href.startswith(srv.base + "/"), "absolute address on this site: %r" % href)
    return href[len(srv.base):]


def entries(root):
    return [(e.find(ATOM + "title").text, e) for e in root.findall(ATOM + "entry")]


def test_catalog_start_search_and_works():
    with Server() as srv:
        user(srv, "feed_writer")
        token = token_for(srv, "feed_writer")
        lamp = post(srv, token, "The Lamp Room", "A keeper climbs the stair to the lamp room every night.")
        post(srv, token, "Harbour Lights", "Boats come home under the harbour lights.")
        post(srv, token, "Members Only Tale", "Only members read this one.", restricted=True)
        post(srv, token, "Unfinished Draft", "Not posted yet.", draft=True)
        guest = srv.client()

        root = feed(guest.get("/opds"), "navigation")
        ls = links(root)
        eq(local(ls["start"].get("href"), srv), "/opds", "start link")
        search = local(ls["search"].get("href"), srv)
        sections = [(t, local(links(e)[next(iter(links(e)))].get("href"), srv)) for t, e in entries(root)]
        eq([t for t, _ in sections], ["Recently updated", "Most kudos", "Complete works"], "sections")
        contains(guest.get("/").text, 'href="/opds"')  # the site points e-readers at it

        osd = ET.fromstring(guest.get(search).body)
        template = osd.find("{http://a9.com/-/spec/opensearch/1.1/}Url").get("template")
        eq(local(template, srv), "/opds/works?q={searchTerms}", "OpenSearch template")

        works = feed(guest.get(sections[0][1]), "acquisition")
        titles = [t for t, _ in entries(works)]
        eq(sorted(titles), ["Harbour Lights", "The Lamp Room"], "a guest's catalog: public and posted only")
        lamp_entry = dict(entries(works))["The Lamp Room"]
        eq(lamp_entry.find(ATOM + "id").text, "%s/works/%d" % (srv.base, lamp), "entry id")
        eq(lamp_entry.find(ATOM + "author/" + ATOM + "name").text, "feed_writer", "author")
        eq(lamp_entry.find(ATOM + "summary").text, "About The Lamp Room.", "summary")
        check("Catalog Fandom" in [c.get("term") for c in lamp_entry.findall(ATOM + "category")], "tags")
        acq = links(lamp_entry)[ACQUISITION]
        eq(acq.get("type"), "application/epub+zip", "acquisition type")
        r = guest.get(local(acq.get("href"), srv))
        status(r, 200)
        eq(r.header("Content-Type"), "application/epub+zip", "the EPUB itself")
        eq(local(links(lamp_entry)["alternate"].get("href"), srv), "/works/%d" % lamp, "the work's page")

        # A member sees the members-only work; nobody sees the draft.
        member = user(srv, "a_reader")
        eq(sorted(t for t, _ in entries(feed(member.get("/opds/works"), "acquisition"))),
           ["Harbour Lights", "Members Only Tale", "The Lamp Room"], "a member's catalog")

        # Search and filters are the listing's.
        found = feed(guest.get("/opds/works?q=" + urllib.parse.quote("stair lamp")), "acquisition")
        eq([t for t, _ in entries(found)], ["The Lamp Room"], "search inside the text")
        eq([t for t, _ in entries(feed(guest.get("/opds/works?tags=Nowhere+Fandom"), "acquisition"))], [],
           "a tag with no works")
        status(guest.get("/opds/works?complete=maybe"), 400)

        # A tag's page offers its works as a feed.
        tag_page = guest.get("/tags/Catalog%20Fandom").text
        m = re.search(r'href="(/opds/works\?tags=[^"]+)"', tag_page)
        check(m is not None, "the tag page links to its feed")
        eq(sorted(t for t, _ in entries(feed(guest.get(html.unescape(m.group(1))), "acquisition"))),
           ["Harbour Lights", "The Lamp Room"], "the tag's feed")


def test_paging_and_cache():
    with Server() as srv:
        user(srv, "prolific")
        token = token_for(srv, "prolific")
        for i in range(27):
            post(srv, token, "Drabble %02d" % i, "A short piece, number %d, for the catalog." % i)
        guest = srv.client()
        first = guest.get("/opds/works")
        page1 = feed(first, "acquisition")
        eq(len(entries(page1)), 25, "a page of 25")
        nxt = local(links(page1)["next"].get("href"), srv)
        check("previous" not in links(page1), "no previous page before the first")
        page2 = feed(guest.get(nxt), "acquisition")
        eq(len(entries(page2)), 2, "the rest on page 2")
        check("next" not in links(page2), "no page after the last")
        eq(local(links(page2)["previous"].get("href"), srv), "/opds/works", "back to the first page")
        seen = {t for t, _ in entries(page1)} | {t for t, _ in entries(page2)}
        eq(len(seen), 27, "every work once")

        # Guests share a cached feed, and a new work shows at once.
        eq(guest.get("/opds/works").header("X-Cache"), "hit", "cached for guests")
        post(srv, token, "Brand New", "Posted after the feed was cached.")
        fresh = guest.get("/opds/works")
        eq(fresh.header("X-Cache"), "miss", "a new work drops the cached feed")
        eq(entries(feed(fresh, "acquisition"))[0][0], "Brand New", "newest first")


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
