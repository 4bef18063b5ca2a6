"""End-to-end: muting (issue 14). A reader who mutes an author and a tag no longer sees them in /works, tag pages,
search, OPDS or the API, nor the author's comments, while another reader's pages and guests' cached pages are
unchanged."""
import sys

from admin_helpers import add_user, api, login, post_work, qs, tag_path, text_of
from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, status

SEARCH = "/search?" + qs({"q": "lighthouse"})
OPDS = "/opds/works?sort=updated"


def pages(c):
    return {p: c.get(p).text for p in ("/works", tag_path("Shared Harbour"), SEARCH, OPDS, "/")}


def test_mutes_hide_an_author_and_a_tag_for_one_reader_only():
    with Server() as srv:
        loud = add_user(srv, "loud_author")
        other = add_user(srv, "other_author")
        calm = add_user(srv, "calm_author")
        muter_token = add_user(srv, "muting_reader")
        add_user(srv, "plain_reader")
        post_work(srv, loud, title="Loud Author's Lighthouse", freeforms=["Shared Harbour"])
        post_work(srv, other, title="Noisy Tagged Lighthouse", freeforms=["Shared Harbour", "Noisy Tag"])
        calm_work = post_work(srv, calm, title="Calm Lighthouse", freeforms=["Shared Harbour"])
        cid = calm_work["chapters"][0]["id"]
        status(api(srv, "POST", "/api/v1/chapters/%d/comments" % cid, {"body": "A loud remark here."}, loud), 201)
        titles = ("Loud Author's Lighthouse", "Noisy Tagged Lighthouse", "Calm Lighthouse")

        guest = srv.client()
        before = pages(guest)
        for p, text in before.items():
            if p != "/":
                for t in titles:
                    contains(text_of(text), t, "%s before muting" % p)
        for p in before:
            eq(guest.get(p).headers.get("X-Cache"), "hit", "%s cached for guests" % p)

        muter = login(srv, "muting_reader")
        muter.get("/users/loud_author")
        redirect(muter.post_form("/users/loud_author/mute", []), "/users/loud_author")
        muter.get("/tags/Noisy%20Tag")
        redirect(muter.post_form("/tags/Noisy%20Tag/mute", [("type", "freeforms")]), "/tags/Noisy%20Tag")
        contains(muter.get("/users/loud_author").text, "You have muted")
        listed = muter.get("/users/muting_reader/muted").text
        contains(listed, "loud_author")
        contains(listed, "Noisy Tag")

        # The muter no longer sees them: /works, the tag page, search, OPDS and the API.
        for p, text in pages(muter).items():
            text = text_of(text)
            not_contains(text, "Loud Author's Lighthouse", p)
            not_contains(text, "Noisy Tagged Lighthouse", p)
            if p != "/":
                contains(text, "Calm Lighthouse", p)
        works = api(srv, "GET", "/api/v1/works?" + qs({"q": "lighthouse"}), token=muter_token).json()["works"]
        eq([w["title"] for w in works], ["Calm Lighthouse"], "the API's list for the muter")
        # Nor the muted author's comments.
        not_contains(muter.get("/works/%d/chapters/%d" % (calm_work["id"], cid)).text, "A loud remark here.")
        comments = api(srv, "GET", "/api/v1/chapters/%d/comments" % cid, token=muter_token).json()["comments"]
        eq(comments, [], "the API's comments for the muter")
        # The muted author's own page still lists their works: the reader went there on purpose.
        contains(muter.get("/users/loud_author/works").text, "Loud Author&#39;s Lighthouse")

        # Everyone else sees what they saw; guests' cached pages were not even dropped.
        for p, text in pages(guest).items():
            eq(guest.get(p).headers.get("X-Cache"), "hit", "%s still cached for guests" % p)
            for t in titles:
                if p != "/":
                    contains(text_of(text), t, "%s for a guest after the mute" % p)
        plain = login(srv, "plain_reader")
        for p, text in pages(plain).items():
            if p != "/":
                for t in titles:
                    contains(text_of(text), t, "%s for another reader" % p)
        contains(plain.get("/works/%d/chapters/%d" % (calm_work["id"], cid)).text, "A loud remark here.")

        # The API keeps the same list.
        muted = api(srv, "GET", "/api/v1/mutes", token=muter_token).json()
        eq(([u["name"] for u in muted["users"]], [t["name"] for t in muted["tags"]]), (["loud_author"], ["Noisy Tag"]),
           "the API's list of mutes")
        status(api(srv, "PUT", "/api/v1/mutes/users/other_author", token=muter_token), 204)
        status(api(srv, "DELETE", "/api/v1/mutes/users/other_author", token=muter_token), 204)
        status(api(srv, "PUT", "/api/v1/mutes/tags/No%20Such", token=muter_token), 404)
        status(api(srv, "GET", "/api/v1/mutes"), 401)
        # Unmuting brings them back; the rules refuse the odd cases.
        redirect(muter.post_form("/users/loud_author/unmute", []), "/users/loud_author")
        redirect(muter.post_form("/tags/Noisy%20Tag/unmute", [("type", "freeforms")]), "/tags/Noisy%20Tag")
        for t in titles:
            contains(text_of(muter.get("/works").text), t)
        status(muter.post_form("/users/muting_reader/mute", []), 422)
        status(muter.post_form("/users/nobody_at_all/mute", []), 404)
        status(muter.post_form("/tags/No%20Such%20Tag/mute", []), 404)
        status(muter.get("/users/plain_reader/muted"), 403)
        r = srv.client()
        r.get("/login")
        redirect(r.post_form("/users/loud_author/mute", []), "/login")


if __name__ == "__main__":
    sys.exit(main(globals()))
