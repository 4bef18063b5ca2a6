"""End-to-end: what deleting or orphaning an account does to works, and sessions ended by a new log-in."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quire_e2e import Server, check, eq, main, redirect, sql_rows, status  # noqa: E402

PASSWORD = "correct horse battery"
CHAPTER = "A chapter long enough to be posted, with a few words in it."


def rows(srv, sql, *args):
    """Rows of a read-only query on the live database, whichever backend: what no page shows (deleted drafts)."""
    return sql_rows(srv.data, sql, *args)


def member(srv, name):
    c = srv.client()
    status(c.signup(name, name + "@example.org", PASSWORD), 303)
    return c


def post_work(c, title, draft=False, coauthors=""):
    r = c.post_form("/works", [("title", title), ("rating", "General Audiences"),
                               ("warnings", "No Archive Warnings Apply"), ("fandoms", "Original Work"),
                               ("coauthors", coauthors), ("chapter_content", CHAPTER),
                               ("action", "draft" if draft else "post")])
    redirect(r)
    return int(re.search(r"/works/(\d+)(?:\?|$)", r.headers["Location"]).group(1))


def delete_account(c, works):
    c.get("/account")
    return c.post_form("/account/delete", [("password", PASSWORD), ("works", works)])


def creators(srv, wid):
    return [name for (name,) in rows(srv, "SELECT u.name FROM work_creators c JOIN users u ON u.id = c.user_id"
                                          " WHERE c.work_id = ? ORDER BY c.position", wid)]


def test_orphaning_an_account_deletes_its_drafts():
    with Server() as srv:
        alice = member(srv, "alice")
        posted = post_work(alice, "Posted Before Leaving")
        draft = post_work(alice, "A Draft Nobody Saw", draft=True)
        redirect(delete_account(alice, "orphan"), "/")
        # The posted work lives on under orphan_account; the draft is gone, not handed over.
        status(srv.client().get("/works/%d" % posted), 200)
        eq(creators(srv, posted), ["orphan_account"], "creators of the orphaned work")
        eq(rows(srv, "SELECT id FROM works WHERE id = ?", draft), [], "the orphaned account's draft")
        eq(rows(srv, "SELECT COUNT(*) FROM chapters WHERE work_id = ?", draft), [(0,)], "its chapters")


def test_orphaning_keeps_a_draft_another_creator_shares():
    with Server() as srv:
        alice, bob = member(srv, "alice"), member(srv, "bob")
        draft = post_work(alice, "A Shared Draft", draft=True, coauthors="bob")
        bob.get("/account")
        redirect(bob.post_form("/account/invitations/%d/accept" % draft, []))
        redirect(delete_account(alice, "orphan"), "/")
        # bob can still reach it, so it stays.
        status(bob.get("/works/%d/edit" % draft), 200)


def test_deleting_an_account_keeps_works_other_creators_share():
    with Server() as srv:
        alice, bob = member(srv, "alice"), member(srv, "bob")
        member(srv, "carol")
        shared = post_work(alice, "Written Together", coauthors="bob, carol")
        alone = post_work(alice, "Written Alone")
        bob.get("/account")
        redirect(bob.post_form("/account/invitations/%d/accept" % shared, []))
        redirect(delete_account(alice, "delete"), "/")
        # Alice's own work is gone; the shared one stays with bob, now its owner, and carol's invitation.
        status(srv.client().get("/works/%d" % alone), 404)
        r = srv.client().get("/works/%d" % shared)
        status(r, 200)
        check("Written Together" in r.text and "/users/bob" in r.text, "the shared work lost its creator")
        check("/users/alice" not in r.text, "the deleted account is still credited")
        eq(creators(srv, shared), ["bob", "carol"], "creators left")
        status(bob.get("/works/%d/edit" % shared), 200)


def test_logging_in_ends_the_session_the_browser_held():
    with Server() as srv:
        member(srv, "bob")
        c = member(srv, "alice")
        held = c.cookies["quire_session"]
        # Another person logs in on the same browser: alice's session ends on the server too.
        redirect(c.login("bob", PASSWORD))
        check(c.cookies["quire_session"] != held, "the session cookie was not replaced")
        thief = srv.client()
        thief.cookies["quire_session"] = held
        redirect(thief.get("/account"), "/login")
        eq(rows(srv, "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'alice'"),
           [(0,)], "alice's sessions left")
        # bob's new session works.
        status(c.get("/account"), 200)


if __name__ == "__main__":
    sys.exit(main(globals()))
