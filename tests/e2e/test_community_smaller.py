"""End-to-end: the smaller items of running a community (issue 14, point 10): co-creator invitations told in the
inbox and by mail and accepted from either, co-creators who can't block each other, a members-only work telling a
guest once to log in, the e-reader page behind the footer's OPDS link, listings' filters behind a button on
phones."""
import email
import email.policy
import html
import os
import re
import sys
import time
import urllib.parse

from admin_helpers import add_user, api, login, post_work, text_of
from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, sql_rows, status


def db_rows(srv, sql):
    return sql_rows(srv.data, sql)


def said(page):
    """The page's text as read: no space before punctuation that text_of put after an element."""
    return re.sub(r"\s+([:.,!?])", r"\1", text_of(page))


def mails(srv, pred, timeout=20.0):
    """The mails in <data>/mail (no smtp_url: the outbox writes them there) for which pred holds."""
    folder = os.path.join(srv.data, "mail")
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if name.endswith(".eml"):
                with open(os.path.join(folder, name), "rb") as f:
                    m = email.message_from_bytes(f.read(), policy=email.policy.default)
                if pred(m):
                    found.append(m)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_cocreator_invitations_reach_the_inbox_and_mail_and_accepting_confirms():
    with Server() as srv:
        ta = add_user(srv, "alice")
        add_user(srv, "bob")
        add_user(srv, "dave")
        alice, bob, dave = login(srv, "alice"), login(srv, "bob"), login(srv, "dave")
        # A block from before the invitation ends when it is accepted.
        status(alice.post_form("/users/dave/block", [("return", "/users/dave")]), 303)
        wid = post_work(srv, ta, title="Written Together", coauthors=["bob", "dave"])["id"]
        # The invitee's inbox says who asked, with an Accept button; the account page lists it with its sender.
        page = bob.get("/inbox").text
        contains(said(page), "alice invited you to co-create Written Together")
        contains(page, 'action="/account/invitations/%d/accept"' % wid, "Accept in the inbox")
        contains(said(bob.get("/account").text), "Written Together from alice")
        # And a mail (no smtp_url: written to <data>/mail).
        m = mails(srv, lambda m: "invited you to co-create" in m["Subject"] and m["To"] == "bob@example.org")
        check(m, "no invitation mail for bob")
        contains(m[0]["Subject"], "alice invited you to co-create Written Together", "subject")
        contains(m[0].get_content(), "/account#invitations", "the mail links the account page")
        # Accepting from the inbox confirms it.
        r = bob.post_form("/account/invitations/%d/accept" % wid, [])
        status(r, 303)
        eq(r.header("Location"), "/works/%d?notice=cocreator_joined" % wid, "accepted: to the work, told")
        page = bob.get("/works/%d?notice=cocreator_joined" % wid).text
        contains(said(page), "You are now a co-creator of this work")
        contains(page, 'href="/users/bob"', "bob credited")
        page = said(bob.get("/inbox").text)
        contains(page, "You accepted the invitation of alice: you are a co-creator of Written Together")
        not_contains(bob.get("/inbox").text, 'action="/account/invitations/%d/accept"' % wid, "no Accept any more")
        contains(said(alice.get("/inbox").text), "bob accepted your invitation to co-create Written Together")
        # Co-creators can't block each other, either way, on the page or through the API.
        r = alice.post_form("/users/bob/block", [("return", "/users/bob")])
        status(r, 422)
        contains(html.unescape(r.text), "co-creator can't be blocked")
        r = bob.post_form("/users/alice/block", [("return", "/users/alice")])
        status(r, 422)
        not_contains(alice.get("/users/bob").text, "/users/bob/block\"", "no Block link between co-creators")
        r = api(srv, "PUT", "/api/v1/blocks/bob", None, ta)
        check(r.status in (403, 422), "the API refuses it too: %d %s" % (r.status, r.text))
        # dave's acceptance ends alice's old block of him.
        eq(db_rows(srv, "SELECT COUNT(*) FROM user_blocks b JOIN users u ON u.id = b.blocked_id"
                        " WHERE u.name = 'dave'"), [(1,)], "alice's block of dave before he accepts")
        status(dave.post_form("/account/invitations/%d/accept" % wid, []), 303)
        eq(db_rows(srv, "SELECT COUNT(*) FROM user_blocks b JOIN users u ON u.id = b.blocked_id"
                        " WHERE u.name = 'dave'"), [(0,)], "the block ended with the acceptance")
        # Someone who shares no work can still be blocked.
        add_user(srv, "stranger")
        status(alice.post_form("/users/stranger/block", [("return", "/users/stranger")]), 303)


def test_a_members_only_work_tells_a_guest_once_to_log_in():
    with Server() as srv:
        t = add_user(srv, "members_writer")
        wid = post_work(srv, t, title="Behind The Door", restricted=True)["id"]
        r = srv.client().get("/works/%d" % wid)
        status(r, 404)
        text = said(r.text)
        contains(r.text, "<h1>Log in to read</h1>", "its own heading")
        not_contains(text, "Not found", "no Not found heading")
        eq(text.count("logged-in readers"), 1, "said once: %s" % text)
        eq(r.text.count('href="/login?return='), 1, "one log-in button")
        not_contains(text, "Behind The Door", "no title")
        # A work that does not exist still says Not found.
        r = srv.client().get("/works/%d" % (wid + 50))
        status(r, 404)
        contains(said(r.text), "Not found")


def test_the_footer_opds_link_opens_a_page_for_people():
    with Server() as srv:
        home = srv.client().get("/").text
        contains(home, '<a href="/ereaders">E-reader catalog (OPDS)</a>', "the footer's link")
        contains(home, 'rel="alternate" type="application/atom+xml;profile=opds-catalog', "apps still find /opds")
        r = srv.client().get("/ereaders")
        status(r, 200)
        contains(r.header("Content-Type"), "text/html")
        contains(r.text, 'value="%s/opds"' % srv.base, "the feed's address beside, to paste")
        contains(said(r.text), "KOReader")


def test_listings_put_the_works_first_with_a_filters_button():
    with Server() as srv:
        t = add_user(srv, "lister")
        post_work(srv, t, title="A Listed Work")
        page = srv.client().get("/works").text
        b, results, aside = page.find('class="filters-button"'), page.find("A Listed Work"), page.find('id="filters"')
        check(0 < b < results < aside, "button, then works, then the filters: %d %d %d" % (b, results, aside))
        contains(page, '<a class="button" href="#filters">Filters</a>')
        contains(srv.client().get("/works?rating=General%20Audiences").text, "Filters (in use)")


if __name__ == "__main__":
    sys.exit(main(globals()))
