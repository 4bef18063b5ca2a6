"""End-to-end: a draft's existence, title and tags reach nobody but its creators, whatever their role; a tag only
members-only works carry is not shown to guests. Autocomplete, tag pages, the fandom directory, the wrangling
queue and another creator's statistics (issue 14, "Bad input and safety")."""
import sys

from admin_helpers import add_user, api, login, post_work, qs, tag_path
from quire_e2e import Server, check, contains, eq, main, not_contains, status


def names(resp):
    status(resp, 200)
    return [t["name"] for t in resp.json()["tags"]]


def test_tags_of_drafts_and_members_only_works_stay_hidden():
    with Server() as srv:
        author = add_user(srv, "quiet_author")
        reader = add_user(srv, "plain_reader")
        wrangler = add_user(srv, "tag_keeper", role="wrangler")
        admin = add_user(srv, "site_admin", role="admin")
        draft = post_work(srv, author, title="Nobody Knows This Title", draft=True,
                  fandoms=["Hushed Fandom Zeta"], relationships=["Secret A/Secret B"],
                  freeforms=["Whispered Tag"])
        post_work(srv, author, title="For Members", restricted=True, fandoms=["Members Fandom Kappa"],
                  freeforms=["Member Tag Only"])
        post_work(srv, author, title="Open Story", fandoms=["Open Fandom"], freeforms=["Open Tag"])

        for who, token in (("guest", None), ("reader", reader), ("wrangler", wrangler), ("admin", admin),
                           ("the author", author)):
            for q in ("Hushed", "Secret", "Whispered"):
                got = names(api(srv, "GET", "/api/v1/tags/autocomplete?" + qs({"q": q}), token=token))
                eq(got, [], "autocomplete %r for %s" % (q, who))
        eq(names(api(srv, "GET", "/api/v1/tags/autocomplete?q=Open")), ["Open Tag", "Open Fandom"],
           "posted works' tags are offered")
        eq(names(api(srv, "GET", "/api/v1/tags/autocomplete?q=Member")), [], "members-only tags, to a guest")
        eq(sorted(names(api(srv, "GET", "/api/v1/tags/autocomplete?q=Member", token=reader))),
           ["Member Tag Only", "Members Fandom Kappa"], "members-only tags, to a member")
        eq(names(api(srv, "GET", "/api/v1/tags/autocomplete?type=freeforms&q=whisp", token=admin)), [],
           "typed autocomplete, to an admin")

        guest = srv.client()
        for name in ("Hushed Fandom Zeta", "Whispered Tag", "Secret A/Secret B"):
            status(guest.get(tag_path(name)), 404)
            c = login(srv, "site_admin")
            status(c.get(tag_path(name)), 404)
            status(c.get(tag_path(name) + "/edit"), 404)
        status(guest.get(tag_path("Member Tag Only")), 404)
        status(login(srv, "plain_reader").get(tag_path("Member Tag Only")), 200)
        status(guest.get(tag_path("Open Tag")), 200)

        # The fandom directory and the wrangling queue leave the draft's fandom and tags out.
        page = guest.get("/media/Uncategorized%20Fandoms").text
        contains(page, "Open Fandom")
        not_contains(page, "Hushed Fandom Zeta")
        not_contains(page, "Members Fandom Kappa")
        w = login(srv, "tag_keeper")
        queue = w.get("/wrangling").text
        not_contains(queue, "Hushed Fandom Zeta")
        for fandom_page in [w.get("/wrangling?fandom=0").text]:
            not_contains(fandom_page, "Whispered Tag")
        # Once the draft is posted, its tags are anybody's to see.
        status(api(srv, "PATCH", "/api/v1/works/%d" % draft["id"], {"draft": False}, token=author), 200)
        eq(names(api(srv, "GET", "/api/v1/tags/autocomplete?q=Whispered")), ["Whispered Tag"], "posted now")
        status(guest.get(tag_path("Whispered Tag")), 200)


def test_an_admin_sees_another_creators_statistics_without_drafts():
    with Server() as srv:
        author = add_user(srv, "stat_author")
        add_user(srv, "stat_admin", role="admin")
        add_user(srv, "stat_reader")
        post_work(srv, author, title="Posted Numbers")
        post_work(srv, author, title="Unposted Secret Title", draft=True)
        own = login(srv, "stat_author").get("/users/stat_author/stats")
        status(own, 200)
        contains(own.text, "Unposted Secret Title")
        page = login(srv, "stat_admin").get("/users/stat_author/stats")
        status(page, 200)
        contains(page.text, "Posted Numbers")
        not_contains(page.text, "Unposted Secret Title")
        status(login(srv, "stat_reader").get("/users/stat_author/stats"), 403)


if __name__ == "__main__":
    sys.exit(main(globals()))
