"""End-to-end: blocking. A blocked reader can't comment on the blocker's works (form and API) or reply to the
blocker's comments elsewhere; the text stays in the form; unblocking lets them again; what may not be blocked."""
import html
import re
import sys

from quire_e2e import check, contains, eq, main, not_contains, run_cli, status, Server
from test_comments import comment_count, new_comment_id, post_comment, setup
from test_response import api, token_for
from test_works import post_work, user


def block(c, name, on=True):
    c.get("/users/%s/block" % name)
    return c.post_form("/users/%s/%s" % (name, "block" if on else "unblock"))


def test_blocked_reader_cannot_comment_or_reply():
    with Server() as srv:
        creator, wid, (ch1, ch2) = setup(srv)
        troll = user(srv, "troll_reader")
        # Before the block: the reader's comment goes in.
        first = new_comment_id(post_comment(troll, wid, ch1, "A first comment, before any block."))

        # The user page offers the block to other readers, explains it, and blocks.
        page = creator.get("/users/troll_reader").text
        contains(page, 'href="/users/troll_reader/block">Block</a>')
        confirm = creator.get("/users/troll_reader/block")
        status(confirm, 200)
        contains(confirm.text, "can't comment on your works")
        r = block(creator, "troll_reader")
        status(r, 303)
        contains(r.header("Location"), "/users/troll_reader?notice=blocked")
        contains(creator.get("/users/troll_reader").text, "You have blocked")
        # Twice is harmless.
        status(block(creator, "troll_reader"), 303)

        # The form refuses, with the reason and the text kept; nothing is stored.
        before = comment_count(creator.get("/works/%d/chapters/%d" % (wid, ch1)).text)
        r = post_comment(troll, wid, ch1, "Typed while blocked, kept in the form.")
        status(r, 403)
        contains(r.text, "its creator has blocked you")
        contains(r.text, "Typed while blocked, kept in the form.")
        r = post_comment(troll, wid, 0, "On the whole work, while blocked.")
        status(r, 403)
        eq(comment_count(creator.get("/works/%d/chapters/%d" % (wid, ch1)).text), before, "no comment stored")

        # The API answers the same, from the same rule.
        token = token_for(srv, "troll_reader")
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": "Through the API"}, token)
        status(r, 403)
        contains(r.text, "blocked you")

        # Replies to the blocker's comments on someone else's work are refused too; others' are not.
        other = user(srv, "other_writer")
        owid = post_work(other, title="Someone Else's Story")
        ochs = [int(x) for x in re.findall(r'href="/works/%d/chapters/(\d+)"' % owid,
                                           other.get("/works/%d/navigate" % owid).text)]
        by_creator = new_comment_id(post_comment(creator, owid, ochs[0], "The blocker comments elsewhere."))
        by_other = new_comment_id(post_comment(other, owid, ochs[0], "The other writer's own note."))
        r = post_comment(troll, owid, ochs[0], "A reply to the blocker.", parent=by_creator)
        status(r, 403)
        contains(r.text, "its writer has blocked you")
        status(post_comment(troll, owid, ochs[0], "A reply to someone else.", parent=by_other), 303)
        status(post_comment(troll, owid, ochs[0], "A comment of my own there."), 303)

        # The earlier comment is still there; kudos are still allowed.
        contains(creator.get("/works/%d/chapters/%d" % (wid, ch1)).text, 'id="comment-%d"' % first)

        # The blocker's list shows the block; unblocking from it lets the reader comment again.
        lst = creator.get("/users/maya_writes/blocked")
        status(lst, 200)
        contains(lst.text, 'href="/users/troll_reader"')
        status(troll.get("/users/maya_writes/blocked"), 403)
        status(creator.get("/users/MAYA_Writes/blocked"), 200)  # names compare without case
        r = creator.post_form("/users/troll_reader/unblock", [("return", "/users/maya_writes/blocked")])
        status(r, 303)
        contains(r.header("Location"), "/users/maya_writes/blocked?notice=unblocked")
        not_contains(creator.get("/users/maya_writes/blocked").text, 'href="/users/troll_reader"')
        status(post_comment(troll, wid, ch1, "After the unblock, welcome again."), 303)


def test_what_cannot_be_blocked():
    with Server() as srv:
        reader = user(srv, "careful_reader")
        user(srv, "site_keeper")
        eq(run_cli(["user", "role", "site_keeper", "admin"], data=srv.data).returncode, 0, "role admin")
        r = block(reader, "careful_reader")
        status(r, 422)
        contains(html.unescape(r.text), "can't block yourself")
        r = block(reader, "site_keeper")
        status(r, 422)
        contains(html.unescape(r.text), "administrators can't be blocked")
        not_contains(reader.get("/users/site_keeper").text, "/block\">Block</a>")
        status(block(reader, "nobody_by_this_name"), 404)
        # Guests are sent to log in; a POST without the form's CSRF token changes nothing.
        guest = srv.client()
        r = guest.get("/users/careful_reader/block")
        status(r, 303)
        contains(r.header("Location"), "/login")
        status(reader.post_form("/users/site_keeper/block", csrf=False), 403)


def test_blocks_through_the_api():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        user(srv, "api_pest")
        ct, pt = token_for(srv, "maya_writes"), token_for(srv, "api_pest")
        status(api(srv, "PUT", "/api/v1/blocks/api_pest"), 401)
        status(api(srv, "PUT", "/api/v1/blocks/api_pest", None, ct), 204)
        status(api(srv, "PUT", "/api/v1/blocks/api_pest", None, ct), 204)  # idempotent
        r = api(srv, "GET", "/api/v1/blocks", None, ct)
        status(r, 200)
        blocks = r.json()["blocks"]
        eq([b["user"]["name"] for b in blocks], ["api_pest"], "the one block")
        check(blocks[0]["blocked_at"], "blocked_at is given")
        eq(api(srv, "GET", "/api/v1/blocks", None, pt).json()["blocks"], [], "the blocked user's own list")
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": "Blocked through the API"}, pt)
        status(r, 403)
        r = api(srv, "PUT", "/api/v1/blocks/maya_writes", None, ct)
        status(r, 422)
        eq(r.json()["error"]["code"], "invalid", "blocking yourself")
        status(api(srv, "PUT", "/api/v1/blocks/no_such_user", None, ct), 404)
        status(api(srv, "DELETE", "/api/v1/blocks/api_pest", None, ct), 204)
        eq(api(srv, "GET", "/api/v1/blocks", None, ct).json()["blocks"], [], "unblocked")
        status(api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": "Welcome back"}, pt), 201)


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
