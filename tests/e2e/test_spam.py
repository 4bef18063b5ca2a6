"""End-to-end: spam defence (issue 14). A spam run (200 guest comments with links from 20 addresses, 50 sign-ups
from one address) leaves no spam on any public page and everything it got in the queue, while ordinary readers'
comments still appear at once; moderators release or mark what is held; the sign-up blocklist."""
import re
import sys

from admin_helpers import PW, add_user, api, login, post_work, qs, text_of
from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, status

SPAM_WORD = "cheapwatchesxyz"


def guest_comment(srv, path, body, address, name="Buyer"):
    c = srv.client()
    h = {"X-Forwarded-For": address}
    c.get(path + "/comments/new", headers=h)
    return c.post_form(path + "/comments", [("body", body), ("guest_name", name), ("guest_email", "g@example.org")],
                       headers=h)


def test_a_spam_run_leaves_nothing_public_and_everything_in_the_queue():
    with Server(env={"QUIRE_TRUSTED_PROXIES": "127.0.0.1"}) as srv:
        author = add_user(srv, "spam_author")
        add_user(srv, "spam_mod", role="moderator")
        add_user(srv, "spam_reader")
        work = post_work(srv, author, title="A Quiet Story", freeforms=["Quiet Tag"])
        wid, cid = work["id"], work["chapters"][0]["id"]
        chapter = "/works/%d/chapters/%d" % (wid, cid)

        # 200 guest comments with links, from 20 addresses.
        statuses = {}
        for i in range(200):
            address = "203.0.113.%d" % (i % 20 + 1)
            body = "Great story! Buy %s at http://%s.example/%d now" % (SPAM_WORD, SPAM_WORD, i)
            r = guest_comment(srv, chapter, body, address)
            statuses[r.status] = statuses.get(r.status, 0) + 1
            if r.status == 202:
                contains(text_of(r.text), "appears once the site's moderators have looked at it")
        check(set(statuses) <= {202, 429}, "answers to the spam run: %r" % statuses)
        held_comments = statuses.get(202, 0)
        check(held_comments >= 20, "every address got some into the queue: %r" % statuses)

        # 50 sign-ups from one address.
        signups = {}
        for i in range(50):
            c = srv.client()
            h = {"X-Forwarded-For": "198.51.100.7"}
            c.get("/signup", headers=h)
            r = c.post_form("/signup", [("username", "bulk_account_%d" % i), ("email", "bulk%d@example.org" % i),
                                        ("password", PW), ("password_confirmation", PW)], headers=h)
            signups[r.status] = signups.get(r.status, 0) + 1
        check(set(signups) <= {303, 202, 429}, "answers to the sign-ups: %r" % signups)
        check(signups.get(303, 0) <= 10, "accounts made from one address in a day: %r" % signups)
        held_signups = signups.get(202, 0)
        check(held_signups >= 10, "sign-ups held: %r" % signups)

        # Ordinary readers' comments still appear at once: an account's, and a guest's without a link.
        reader = login(srv, "spam_reader")
        reader.get(chapter)
        r = reader.post_form(chapter + "/comments", [("body", "I loved the ending of this chapter.")])
        status(r, 303)
        r = guest_comment(srv, chapter, "A lovely chapter, thank you for writing it.", "192.0.2.50", name="Kind Guest")
        status(r, 303)
        for path in (chapter, "/works/%d" % wid):
            page = srv.client().get(path).text
            contains(page, "I loved the ending of this chapter.")
            contains(page, "A lovely chapter, thank you")
            not_contains(page, SPAM_WORD)

        # No spam on any public page.
        public = ["/", "/works", "/search?" + qs({"q": "quiet story"}), "/tags/Quiet%20Tag", "/users/spam_author",
                  "/works/%d/comments?chapter=%d" % (wid, cid), "/opds/works?sort=updated", "/news"]
        for path in public:
            not_contains(srv.client().get(path).text, SPAM_WORD, path)
        comments = api(srv, "GET", "/api/v1/chapters/%d/comments" % cid).json()
        not_contains(str(comments), SPAM_WORD, "the API's comments")

        # Everything held is in the queue, for moderators.
        mod = login(srv, "spam_mod")
        queue = mod.get("/admin/spam").text
        eq(len(re.findall(r'class="spam-item"', queue)), min(100, held_comments + held_signups), "items on the page")
        contains(text_of(queue), "a guest's comment with 1 link")
        contains(text_of(queue), "more than 10 sign-ups from one address today")
        page = mod.get("/admin").text
        contains(text_of(page), "%d held" % (held_comments + held_signups))

        # A moderator releases a held sign-up (the account is made) and marks a comment spam.
        ids = [int(x) for x in re.findall(r'action="/admin/spam/(\d+)"', queue)]
        signup_item = re.search(r'<li class="spam-item" id="spam-(\d+)">\s*<p class="byline"><strong>Sign-up', queue)
        redirect(mod.post_form("/admin/spam/%s" % signup_item.group(1), [("action", "ham")]), "/admin/spam")
        comment_item = [i for i in ids if str(i) != signup_item.group(1)][0]
        redirect(mod.post_form("/admin/spam/%d" % comment_item, [("action", "spam")]), "/admin/spam")
        status(mod.post_form("/admin/spam/%d" % comment_item, [("action", "ham")]), 409)
        log = text_of(mod.get("/admin/log").text)
        contains(log, "released from the spam queue")
        contains(log, "marked spam")
        status(login(srv, "spam_reader").get("/admin/spam"), 403)


def test_released_comments_appear_and_spammers_lose_their_comments():
    with Server(env={"QUIRE_TRUSTED_PROXIES": "127.0.0.1"}) as srv:
        author = add_user(srv, "rel_author")
        add_user(srv, "rel_mod", role="moderator")
        linker = add_user(srv, "rel_linker")
        work = post_work(srv, author, title="Released")
        wid, cid = work["id"], work["chapters"][0]["id"]
        chapter = "/works/%d/chapters/%d" % (wid, cid)
        r = guest_comment(srv, chapter, "See my site http://legit.example/fanart for the picture!", "198.51.100.1")
        status(r, 202)
        # A new account posting many links is held; one link is not.
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % cid, {"body": "An ordinary comment."}, linker)
        status(r, 201)
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % cid,
                {"body": "http://a.example http://b.example http://c.example"}, linker)
        status(r, 202)
        eq(r.json()["held"], True, "held through the API")
        mod = login(srv, "rel_mod")
        queue = mod.get("/admin/spam").text
        items = re.findall(r'<li class="spam-item" id="spam-(\d+)">(.*?)</li>', queue, re.S)
        guest_item = [i for i, t in items if "legit.example" in t][0]
        linker_item = [i for i, t in items if "c.example" in t][0]
        redirect(mod.post_form("/admin/spam/%s" % guest_item, [("action", "ham")]), "/admin/spam")
        contains(srv.client().get(chapter).text, "legit.example/fanart")
        # Marking the account's comment spam takes every comment of that account.
        redirect(mod.post_form("/admin/spam/%s" % linker_item, [("action", "spam")]), "/admin/spam")
        not_contains(srv.client().get(chapter).text, "An ordinary comment.")
        # That address is known now: its next comment is held even without a link.
        r = guest_comment(srv, chapter, "Just saying hello, no links here.", "198.51.100.1")
        status(r, 303)  # the first address was released as ham, not marked
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % cid, {"body": "Hello again."}, linker)
        status(r, 202)  # its address sent spam: what comes from there waits for a look


def test_the_signup_blocklist():
    with Server() as srv:
        add_user(srv, "block_admin", role="admin")
        add_user(srv, "block_mod", role="moderator")
        adm = login(srv, "block_admin")
        adm.get("/admin/spam/blocklist")
        redirect(adm.post_form("/admin/spam/blocklist", [("action", "add"), ("pattern", "spam.example")]),
                 "/admin/spam/blocklist")
        redirect(adm.post_form("/admin/spam/blocklist", [("action", "add"), ("pattern", "one@bad.example")]),
                 "/admin/spam/blocklist")
        status(adm.post_form("/admin/spam/blocklist", [("action", "add"), ("pattern", "nodots")]), 422)
        status(login(srv, "block_mod").post_form("/admin/spam/blocklist", [("action", "add"), ("pattern", "x.example")]),
               403)
        for name, email, want in (("blocked_a", "a@spam.example", 422), ("blocked_b", "b@mail.spam.example", 422),
                                  ("blocked_c", "one@bad.example", 422), ("fine_d", "two@bad.example", 303)):
            c = srv.client()
            c.get("/signup")
            r = c.post_form("/signup", [("username", name), ("email", email), ("password", PW),
                                        ("password_confirmation", PW)])
            status(r, want)
            if want == 422:
                contains(text_of(r.text), "can't be used to sign up here")
        redirect(adm.post_form("/admin/spam/blocklist", [("action", "remove"), ("pattern", "spam.example")]),
                 "/admin/spam/blocklist")
        c = srv.client()
        c.get("/signup")
        redirect(c.post_form("/signup", [("username", "now_fine"), ("email", "a@spam.example"), ("password", PW),
                                         ("password_confirmation", PW)]), "/account")


if __name__ == "__main__":
    sys.exit(main(globals()))
