"""End-to-end: related works. A work inspired by another here (named by its address), a translation of one
elsewhere; the other work's creator is told, and approves the link back on their work's related-works page
(until then only the new work names it); hiding it again; the form's refusals; an anonymous work's link back names
nobody; the same through the API."""
from quire_e2e import check, contains, eq, main, not_contains, status, Server
from test_collections import new_collection
from test_response import api, token_for
from test_works import post_work, user, work_fields, work_id_from


def related(*rows):
    """Form pairs for related rows (kind, url, title, author)."""
    pairs = []
    for i, (kind, url, title, author) in enumerate(rows, 1):
        pairs += [("related_%d_kind" % i, kind), ("related_%d_url" % i, url), ("related_%d_title" % i, title),
                  ("related_%d_author" % i, author)]
    return pairs


def post_related(c, title, *rows, **over):
    c.get("/works/new")
    return c.post_form("/works", work_fields(title=title, **over) + related(*rows))


def test_inspired_by_with_approval_of_the_link_back():
    with Server() as srv:
        author, fan, guest = user(srv, "rel_author"), user(srv, "rel_fan"), srv.client()
        orig = post_work(author, title="The Original")
        # Refusals: an address that is no work here, a link to nowhere, a title missing for a work elsewhere.
        r = post_related(fan, "Bad Remix", ("inspired", "/works/999999", "", ""))
        status(r, 422)
        contains(r.text, "There is no work at that address here.")
        r = post_related(fan, "Bad Remix", ("translation", "ftp://example.org/x", "X", ""))
        status(r, 422)
        contains(r.text, "starting with https://")
        r = post_related(fan, "Bad Remix", ("podfic", "https://example.org/x", "", ""))
        status(r, 422)
        contains(r.text, "Give the title of the related work elsewhere.")
        contains(r.text, 'value="https://example.org/x"')  # kept

        # Inspired by the original (by its full address here) and translating a work elsewhere.
        full = "http://127.0.0.1:%d/works/%d" % (srv.port, orig)
        remix = work_id_from(post_related(fan, "The Remix", ("inspired", full, "", ""),
                                          ("translation", "https://example.org/story", "Elsewhere", "Someone")))
        page = guest.get("/works/%d" % remix).text
        contains(page, 'Inspired by <a href="/works/%d"><bdi>The Original</bdi></a> by <bdi>rel_author</bdi>' % orig)
        contains(page, 'A translation of <a href="https://example.org/story" rel="nofollow ugc"><bdi>Elsewhere</bdi></a>'
                       ' by <bdi>Someone</bdi> (elsewhere)')
        # The original does not link back until its creator approves; they are told.
        not_contains(guest.get("/works/%d" % orig).text, "The Remix")
        contains(author.get("/inbox").text, "A work inspired by The Original: The Remix")
        status(fan.get("/works/%d/related" % orig), 403)
        contains(guest.get("/works/%d/related" % orig).header("Location") or "", "/login")
        page = author.get("/works/%d/related" % orig).text
        contains(page, "The Remix")
        contains(page, "Waiting")
        rid = int(__import__("re").search(r'/works/%d/related/(\d+)' % orig, page).group(1))
        status(fan.post_form("/works/%d/related/%d" % (orig, rid), {"action": "approve"}), 403)
        r = author.post_form("/works/%d/related/%d" % (orig, rid), {"action": "approve"})
        status(r, 303)
        contains(author.get(r.header("Location")).text, "The link back is shown on your work.")
        page = guest.get("/works/%d" % orig).text
        contains(page, "Works inspired by this one:")
        contains(page, '<a href="/works/%d"><bdi>The Remix</bdi></a> by <bdi>rel_fan</bdi>' % remix)
        # The edit form keeps the rows; editing keeps the approval.
        form = fan.get("/works/%d/edit" % remix).text
        contains(form, 'value="/works/%d"' % orig)
        contains(form, 'value="https://example.org/story"')
        r = fan.post_form("/works/%d" % remix, work_fields(title="The Remix", chapter_content=None) +
                          related(("inspired", "/works/%d" % orig, "", "")))
        status(r, 303)
        contains(guest.get("/works/%d" % orig).text, "Works inspired by this one:")
        not_contains(guest.get("/works/%d" % remix).text, "Elsewhere")
        r = fan.post_form("/works/%d" % remix, work_fields(title="The Remix", chapter_content=None) +
                          related(("inspired", "/works/%d" % remix, "", "")))
        status(r, 422)
        contains(r.text, "A work cannot be related to itself.")
        # Hidden again.
        status(author.post_form("/works/%d/related/%d" % (orig, rid), {"action": "hide"}), 303)
        not_contains(guest.get("/works/%d" % orig).text, "The Remix")

        # An anonymous work inspired by the original: its link back names nobody.
        mod = user(srv, "rel_mod")
        status(new_collection(mod, "rel_anon", "Anon Fest", anonymous="1"), 303)
        ghost = user(srv, "rel_ghost")
        anon = work_id_from(post_related(ghost, "Ghost Remix", ("podfic", "/works/%d" % orig, "", ""),
                                         collections="rel_anon"))
        page = author.get("/works/%d/related" % orig).text
        contains(page, "Ghost Remix")
        not_contains(page, "rel_ghost")
        rid2 = int(__import__("re").search(r'/works/%d/related/(\d+)"><input type="hidden" name="csrf_token" '
                                           r'value="[^"]*">Waiting' % orig, page).group(1))
        status(author.post_form("/works/%d/related/%d" % (orig, rid2), {"action": "approve"}), 303)
        page = guest.get("/works/%d" % orig).text
        contains(page, "Podfics of this work:")
        contains(page, "Ghost Remix</bdi></a> by <bdi>Anonymous</bdi>")
        not_contains(page, "rel_ghost")


def test_related_works_api():
    with Server() as srv:
        user(srv, "relapi_author")
        user(srv, "relapi_fan")
        at, ft = token_for(srv, "relapi_author"), token_for(srv, "relapi_fan")
        body = {"title": "API Original", "fandoms": ["Harbour Street (TV)"], "rating": "General Audiences",
                "warnings": ["No Archive Warnings Apply"], "language": "English",
                "chapter": {"content": "Once upon a time.", "format": "text"}}
        r = api(srv, "POST", "/api/v1/works", body, at)
        status(r, 201)
        orig = r.json()["id"]
        child = dict(body, title="API Podfic", related=[{"kind": "podfic", "work_id": orig},
                                                         {"kind": "inspired", "url": "https://example.org/a",
                                                          "title": "Far Away", "author": "Them"}])
        r = api(srv, "POST", "/api/v1/works", child, ft)
        status(r, 201)
        work = r.json()
        eq([(x["kind"], x["work_id"], x["title"]) for x in work["related"]],
           [("podfic", orig, "API Original"), ("inspired", None, "Far Away")])
        eq(work["related"][0]["author"], "relapi_author")
        eq(work["related"][1]["url"], "https://example.org/a")
        status(api(srv, "POST", "/api/v1/works", dict(body, related=[{"kind": "remix", "work_id": orig}]), ft), 422)
        status(api(srv, "POST", "/api/v1/works", dict(body, related=[{"kind": "inspired"}]), ft), 400)
        status(api(srv, "POST", "/api/v1/works", dict(body, related="x"), ft), 400)
        status(api(srv, "GET", "/api/v1/works/%d/related" % orig, token=ft), 403)
        mine = api(srv, "GET", "/api/v1/works/%d/related" % orig, token=at).json()
        eq([(x["work_id"], x["approved"]) for x in mine["related_back"]], [(work["id"], False)])
        eq(api(srv, "GET", "/api/v1/works/%d" % orig).json()["related_back"], [])
        rid = mine["related_back"][0]["id"]
        status(api(srv, "POST", "/api/v1/works/%d/related/%d" % (orig, rid), {"approved": True}, ft), 403)
        status(api(srv, "POST", "/api/v1/works/%d/related/%d" % (orig, rid), {"approved": "yes"}, at), 400)
        status(api(srv, "POST", "/api/v1/works/%d/related/%d" % (orig, rid), {"approved": True}, at), 204)
        back = api(srv, "GET", "/api/v1/works/%d" % orig).json()["related_back"]
        eq([(x["kind"], x["work_id"], x["creator"]) for x in back], [("podfic", work["id"], "relapi_fan")])
        # A PATCH without "related" keeps them; with an empty list drops them.
        status(api(srv, "PATCH", "/api/v1/works/%d" % work["id"], {"summary": "Read aloud."}, ft), 200)
        eq(len(api(srv, "GET", "/api/v1/works/%d" % work["id"]).json()["related"]), 2)
        status(api(srv, "PATCH", "/api/v1/works/%d" % work["id"], {"related": []}, ft), 200)
        eq(api(srv, "GET", "/api/v1/works/%d" % work["id"]).json()["related"], [])
        eq(api(srv, "GET", "/api/v1/works/%d" % orig).json()["related_back"], [])


if __name__ == "__main__":
    main(globals())
