"""End-to-end: comments and the inbox: guests and readers comment, creators reply, moderate, hide, freeze; limits."""
import html
import re
import sys
import urllib.parse

from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, run_cli, status
from test_works import add_chapter, post_work, text_of, user, PW

GUEST_EMAIL = "secret-guest@example.net"


def chapter_ids(srv, c, wid):
    r = c.get("/works/%d/navigate" % wid)
    return [int(x) for x in re.findall(r'href="/works/%d/chapters/(\d+)"' % wid, r.text)]


def setup(srv, **work):
    """A creator with a two-chapter work; returns (creator client, work id, [chapter ids])."""
    creator = user(srv, "maya_writes")
    wid = post_work(creator, **work)
    add_chapter(creator, wid, "Two", "The second chapter is here, and long enough.")
    return creator, wid, chapter_ids(srv, creator, wid)


def comments_of(page):
    """[(id, visible text)] of the comments listed on a page."""
    out = []
    for m in re.finditer(r'<li class="comment[^"]*" id="comment-(\d+)">(.*?)</li>\s*(?=<li class="comment|</ol>)',
                         page, re.S):
        out.append((int(m.group(1)), text_of(m.group(2))))
    return out


def comment_count(page):
    m = re.search(r"Comments \(([\d,]+)\)", page)
    check(m is not None, "no comment count on the page")
    return int(m.group(1).replace(",", ""))


def post_comment(c, wid, cid, body, parent=None, **extra):
    """Posts as c (guest or reader) through the form page, as a browser would."""
    path = "/works/%d/chapters/%d/comments" % (wid, cid) if cid else "/works/%d/comments" % wid
    c.get(path + "/new" + ("?parent_id=%d" % parent if parent else ""))
    f = [("body", body)] + list(extra.items())
    if parent:
        f.append(("parent_id", str(parent)))
    return c.post_form(path, f)


def guest_comment(srv, wid, cid, body, name="Quiet Reader", email=GUEST_EMAIL, c=None, **extra):
    c = c or srv.client()
    return c, post_comment(c, wid, cid, body, guest_name=name, guest_email=email, **extra)


def new_comment_id(resp):
    status(resp, 303)
    m = re.search(r"#comment-(\d+)$", resp.headers.get("Location", ""))
    check(m is not None, "redirect %r names no comment" % resp.headers.get("Location"))
    return int(m.group(1))


def admin(srv, name="site_admin"):
    p = run_cli(["user", "add", name, "%s@example.org" % name, "--role", "admin"], data=srv.data, stdin=PW + "\n")
    eq(p.returncode, 0, "user add admin (stderr %s)" % p.stderr)
    c = srv.client()
    redirect(c.login(name, PW))
    return c


def fresh(c, path):
    """A page as c sees it now, past the guest page cache (which keeps a work's pages up to
    STORE_RESPONSE_FRESH seconds behind kudos and hits): a request with a session cookie is never served
    from it, and an unknown session is a guest's."""
    cookies = dict(c.cookies)
    cookies.setdefault("quire_session", "none")
    return c.get(path, headers={"Cookie": "; ".join("%s=%s" % kv for kv in cookies.items())})


# -- tests --

def test_guest_and_reader_review_creator_replies_from_inbox():
    with Server() as srv:
        creator, wid, (ch1, ch2) = setup(srv)
        _, r = guest_comment(srv, wid, ch1, "Please post the next chapter soon!")
        gid = new_comment_id(r)
        reader = user(srv, "theo_reads")
        rid = new_comment_id(post_comment(reader, wid, ch1, "I loved the lift scene."))
        page = reader.get("/works/%d/chapters/%d" % (wid, ch1)).text
        eq([i for i, _ in comments_of(page)], [gid, rid], "comments in order")
        contains(text_of(page), "Quiet Reader (guest)")
        eq(comment_count(page), 2, "comment count")

        # The creator is told of both; the header shows the unread count.
        home = creator.get("/").text
        contains(home, '<span class="unread-count" title="unread">2</span>')
        inbox = creator.get("/inbox").text
        contains(text_of(inbox), "Quiet Reader (guest) commented on The Long Way Home")
        contains(text_of(inbox), "theo_reads commented on The Long Way Home")
        # Reply from the inbox to the reader's comment.
        r = creator.post_form("/works/%d/chapters/%d/comments" % (wid, ch1),
                              [("body", "Thank you, chapter two is up!"), ("parent_id", str(rid)), ("return", "/inbox")])
        redirect(r, "/inbox")
        check("notice=replied" in r.headers["Location"], "inbox reply redirect carries its notice")
        creator.post_form("/inbox/read-all", [])
        not_contains(creator.get("/").text, "unread-count")

        # The reader hears of the reply and sees it under their comment, marked as the creator's.
        contains(reader.get("/").text, '<span class="unread-count" title="unread">1</span>')
        contains(text_of(reader.get("/inbox").text), "maya_writes Creator replied to your comment")
        page = reader.get("/works/%d/chapters/%d" % (wid, ch1)).text
        items = comments_of(page)
        eq(len(items), 3, "three comments")
        check("Creator" in items[2][1] and "chapter two is up" in items[2][1], "reply shown as the creator's: %r" % items)
        contains(page, '<li class="comment depth-1 by-creator"')
        # The guest's e-mail address is never shown anywhere.
        for c, p in ((reader, "/works/%d/chapters/%d" % (wid, ch1)), (creator, "/inbox"),
                     (srv.client(), "/works/%d/chapters/%d" % (wid, ch1)), (creator, "/works/%d/stats" % wid)):
            not_contains(c.get(p).text, GUEST_EMAIL)
        r = srv.client().get("/api/v1/chapters/%d/comments" % ch1)
        not_contains(r.text, GUEST_EMAIL)
        # Comments of chapter 1 are not on chapter 2.
        eq(comments_of(reader.get("/works/%d/chapters/%d" % (wid, ch2)).text), [], "chapter 2 comments")


def test_whole_work_comments_on_the_entire_work_view():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        reader = user(srv, "theo_reads")
        r = post_comment(reader, wid, 0, "A comment on the whole thing.")
        status(r, 303)
        check(r.headers["Location"].startswith("/works/%d?view_full_work=true" % wid), r.headers["Location"])
        full = reader.get("/works/%d?view_full_work=true" % wid).text
        contains(text_of(full), "A comment on the whole thing.")
        not_contains(text_of(reader.get("/works/%d/chapters/%d" % (wid, ch1)).text), "A comment on the whole thing.")


def test_registered_only_and_comments_off():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv, comment_policy="registered")
        c, r = guest_comment(srv, wid, ch1, "A guest tries to comment here.")
        status(r, 403)
        contains(r.text, "Only registered readers may comment on this work")
        contains(r.text, "A guest tries to comment here.")  # the typed text is kept
        reader = user(srv, "theo_reads")
        page = fresh(srv.client(), "/works/%d/chapters/%d" % (wid, ch1)).text
        not_contains(page, "Comment as a guest")
        eq(comment_count(page), 0, "nothing stored")
        new_comment_id(post_comment(reader, wid, ch1, "Readers may."))
        # Comments off: nobody, not even readers.
        creator.get("/works/%d/edit" % wid)
        from test_works import work_fields
        f = [(k, v) for k, v in work_fields() if not k.startswith("chapter_")] + [("comment_policy", "nobody")]
        redirect(creator.post_form("/works/%d" % wid, f))
        r = post_comment(reader, wid, ch1, "Not any more.")
        status(r, 403)
        contains(r.text, "turned off comments")
        eq(comment_count(reader.get("/works/%d/chapters/%d" % (wid, ch1)).text), 1, "still one comment")
        # A bad policy on the form is refused with the form kept.
        r = creator.post_form("/works/%d" % wid, [(k, v) for k, v in f if k != "comment_policy"] +
                              [("comment_policy", "robots")])
        status(r, 422)
        contains(r.text, "Choose who may comment")


def test_only_writer_creator_or_admin_delete():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        a = user(srv, "reader_a")
        b = user(srv, "reader_b")
        first = new_comment_id(post_comment(a, wid, ch1, "First comment by A."))
        second = new_comment_id(post_comment(a, wid, ch1, "Second comment by A."))
        third = new_comment_id(post_comment(a, wid, ch1, "Third comment by A."))
        page = b.get("/works/%d/chapters/%d" % (wid, ch1)).text
        not_contains(page, "/comments/%d/delete" % first)
        r = b.post_form("/comments/%d/delete" % first, [])
        status(r, 403)
        r = srv.client().post_form("/comments/%d/delete" % first, [], csrf=False)
        status(r, 303, 403)
        eq(comment_count(a.get("/works/%d/chapters/%d" % (wid, ch1)).text), 3, "nothing deleted")
        redirect(a.post_form("/comments/%d/delete" % first, []))        # the writer
        redirect(creator.post_form("/comments/%d/delete" % second, []))  # the creator
        redirect(admin(srv).post_form("/comments/%d/delete" % third, []))  # an admin
        page = b.get("/works/%d/chapters/%d" % (wid, ch1)).text
        eq(comment_count(page), 0, "all deleted")
        not_contains(page, "comment by A")
        # Deleting twice, and replying to a deleted comment: clear answers, nothing changes.
        r = a.post_form("/comments/%d/delete" % first, [])
        status(r, 409)
        r = post_comment(b, wid, ch1, "Replying to a ghost.", parent=first)
        status(r, 403)
        contains(r.text, "deleted")
        contains(r.text, "Replying to a ghost.")


def test_each_viewer_sees_their_own_buttons_on_shared_comments():
    # Most readers' view of a comment is rendered once and shared (response_comments.c): the writer's
    # Edit and Delete, the creator's moderation buttons and the Reply link where one may not reply must
    # still be each viewer's own.
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv, comment_policy="registered")
        a = user(srv, "reader_a")
        b = user(srv, "reader_b")
        cid = new_comment_id(post_comment(a, wid, ch1, "A comment by reader A."))
        path = "/works/%d/chapters/%d" % (wid, ch1)

        def buttons(page):
            for c_id, _ in comments_of(page):
                if c_id == cid:
                    m = re.search(r'id="comment-%d">(.*?)</ul>' % cid, page, re.S)
                    return {name for name in ("Reply", "Edit", "Delete", "Hide", "Freeze thread")
                            if re.search(r">%s<" % name, m.group(1))}
            check(False, "comment %d is not on the page" % cid)

        for _ in range(2):  # the second time from the shared renderings
            eq(buttons(b.get(path).text), {"Reply"}, "another reader's buttons")
            eq(buttons(a.get(path).text), {"Reply", "Edit", "Delete"}, "the writer's buttons")
            eq(buttons(creator.get(path).text), {"Reply", "Delete", "Hide", "Freeze thread"}, "the creator's buttons")
            eq(buttons(fresh(srv.client(), path).text), set(), "a guest's buttons (registered readers only)")
        # Frozen: nobody may reply, on the shared rendering too.
        redirect(creator.post_form("/comments/%d/moderate" % cid, [("action", "freeze")]))
        eq(buttons(b.get(path).text), set(), "another reader's buttons on a frozen thread")


def test_hidden_comments_are_invisible_to_others():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        a = user(srv, "reader_a")
        b = user(srv, "reader_b")
        cid = new_comment_id(post_comment(a, wid, ch1, "Something the creator will hide."))
        reply = new_comment_id(post_comment(b, wid, ch1, "A reply under it.", parent=cid))
        r = b.post_form("/comments/%d/moderate" % cid, [("action", "hide")])
        status(r, 403)
        redirect(creator.post_form("/comments/%d/moderate" % cid, [("action", "hide")]))
        for c in (a, b, srv.client()):
            page = fresh(c, "/works/%d/chapters/%d" % (wid, ch1)).text
            not_contains(page, "Something the creator will hide.")
            not_contains(page, "A reply under it.")
        status(srv.client().get("/api/v1/comments/%d" % cid), 404)
        status(b.get("/comments/%d" % cid), 404)
        page = creator.get("/works/%d/chapters/%d" % (wid, ch1)).text
        contains(page, "Something the creator will hide.")
        contains(page, "Hidden")
        r = post_comment(b, wid, ch1, "Reply to hidden.", parent=cid)
        status(r, 404)
        eq(comment_count(page), 1, "only the reply counts")
        redirect(creator.post_form("/comments/%d/moderate" % cid, [("action", "unhide")]))
        contains(b.get("/works/%d/chapters/%d" % (wid, ch1)).text, "Something the creator will hide.")
        # A hidden reply is not read in the inbox of the writer it answered, on the page or through the API.
        contains(a.get("/inbox").text, "A reply under it.")
        redirect(creator.post_form("/comments/%d/moderate" % reply, [("action", "hide")]))
        inbox = a.get("/inbox").text
        not_contains(inbox, "A reply under it.")
        contains(inbox, "This comment is not shown any more.")
        p = run_cli(["token", "add", "reader_a"], data=srv.data)
        r = srv.client().request("GET", "/api/v1/inbox", headers={"Authorization": "Bearer " + p.stdout.strip()})
        not_contains(r.text, "A reply under it.")


def test_frozen_thread_refuses_replies_and_keeps_text():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        a = user(srv, "reader_a")
        cid = new_comment_id(post_comment(a, wid, ch1, "Start of a heated thread."))
        r1 = new_comment_id(post_comment(creator, wid, ch1, "Calm down please.", parent=cid))
        redirect(creator.post_form("/comments/%d/moderate" % cid, [("action", "freeze")]))
        page = a.get("/works/%d/chapters/%d" % (wid, ch1)).text
        contains(page, "Frozen")
        not_contains(page, "parent_id=%d" % r1)
        r = post_comment(a, wid, ch1, "But I have more to say!", parent=r1)
        status(r, 403)
        contains(r.text, "This thread is frozen")
        contains(r.text, "But I have more to say!")
        eq(comment_count(a.get("/works/%d/chapters/%d" % (wid, ch1)).text), 2, "nothing added")
        redirect(creator.post_form("/comments/%d/moderate" % cid, [("action", "unfreeze")]))
        new_comment_id(post_comment(a, wid, ch1, "Thanks for unfreezing.", parent=r1))


def test_moderated_work_holds_comments_until_approved():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv, comments_moderated="1")
        a = user(srv, "reader_a")
        r = post_comment(a, wid, ch1, "Waiting for approval.")
        status(r, 303)
        check("notice=comment_pending" in r.headers["Location"], r.headers["Location"])
        cid = int(re.search(r"comment-(\d+)", r.headers["Location"]).group(1))
        contains(a.get("/works/%d/chapters/%d" % (wid, ch1)).text, "Awaiting approval")  # the writer sees it
        not_contains(fresh(srv.client(), "/works/%d/chapters/%d" % (wid, ch1)).text, "Waiting for approval.")
        not_contains(user(srv, "reader_b").get("/works/%d/chapters/%d" % (wid, ch1)).text, "Waiting for approval.")
        inbox = creator.get("/inbox").text
        contains(inbox, "Awaiting your approval")
        redirect(creator.post_form("/comments/%d/moderate" % cid, [("action", "approve"), ("return", "/inbox")]),
                 "/inbox")
        page = fresh(srv.client(), "/works/%d/chapters/%d" % (wid, ch1)).text
        contains(page, "Waiting for approval.")
        eq(comment_count(page), 1, "counted once approved")
        # The creator's own comments need no approval.
        status(post_comment(creator, wid, ch1, "Creator note."), 303)
        contains(fresh(srv.client(), "/works/%d/chapters/%d" % (wid, ch1)).text, "Creator note.")


def test_edit_own_comment_is_marked_edited():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        a = user(srv, "reader_a")
        cid = new_comment_id(post_comment(a, wid, ch1, "Frist!"))
        status(creator.get("/comments/%d/edit" % cid), 403)
        status(creator.post_form("/comments/%d" % cid, [("body", "Creator rewrites it")]), 403)
        status(a.get("/comments/%d/edit" % cid), 200)
        r = a.post_form("/comments/%d" % cid, [("body", "")])
        status(r, 422)
        redirect(a.post_form("/comments/%d" % cid, [("body", "First! (typo fixed)")]))
        items = comments_of(a.get("/works/%d/chapters/%d" % (wid, ch1)).text)
        check("First! (typo fixed)" in items[0][1] and "(edited)" in items[0][1], "edited comment: %r" % items)


def test_threads_nest_to_depth_five_then_flatten():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        a = user(srv, "reader_a")
        parent = None
        for i in range(8):
            parent = new_comment_id(post_comment(a if i % 2 == 0 else creator, wid, ch1, "Level %d" % i, parent=parent))
        page = a.get("/works/%d/chapters/%d" % (wid, ch1)).text
        depths = [int(d) for d in re.findall(r'<li class="comment depth-(\d+)', page)]
        eq(depths, [0, 1, 2, 3, 4, 5, 5, 5], "depths shown")
        api = srv.client().get("/api/v1/chapters/%d/comments" % ch1).json()
        eq([c["depth"] for c in api["comments"]], list(range(8)), "API depths are the real ones")


def test_bad_input_is_refused_and_kept():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        c, r = guest_comment(srv, wid, ch1, "   ")
        status(r, 422)
        contains(r.text, "Comment is required.")
        c, r = guest_comment(srv, wid, ch1, "x" * 10001)
        status(r, 422)
        contains(r.text, "at most 10000 characters")
        c, r = guest_comment(srv, wid, ch1, "Hello there, nice work.", email="not-an-address")
        status(r, 422)
        contains(r.text, "Hello there, nice work.")
        contains(r.text, 'value="not-an-address"')
        c, r = guest_comment(srv, wid, ch1, "Hello there, nice work.", name="")
        status(r, 422)
        c, r = guest_comment(srv, wid, ch1, "Buy cheap watches", website="http://spam.example/")
        status(r, 422)
        c, r = guest_comment(srv, wid, ch1, "Reply to nothing", parent=999999)
        status(r, 404)
        r = c.post_form("/works/%d/chapters/%d/comments" % (wid, ch1), [("body", "x"), ("parent_id", "abc")])
        status(r, 422)
        # Without the form's token (CSRF), a guest's comment is refused before anything happens.
        g = srv.client()
        r = g.post("/works/%d/chapters/%d/comments" % (wid, ch1),
                   urllib.parse.urlencode({"body": "forged", "guest_name": "X", "guest_email": "x@example.org"}))
        status(r, 403)
        # Works one may not see: drafts of others, restricted works for guests.
        draft = post_work(creator, action="draft", title="Secret Draft")
        dch = chapter_ids(srv, creator, draft)[0]
        reader = user(srv, "theo_reads")
        status(reader.get("/works/%d/chapters/%d/comments/new" % (draft, dch)), 404)
        reader.get("/account")
        status(reader.post_form("/works/%d/chapters/%d/comments" % (draft, dch), [("body", "Peeking at a draft.")]), 404)
        locked = post_work(creator, restricted=True, title="Members Only")
        lch = chapter_ids(srv, creator, locked)[0]
        g = srv.client()
        status(g.get("/works/%d/chapters/%d/comments/new" % (locked, lch)), 404)
        g.get("/login")
        r = g.post_form("/works/%d/chapters/%d/comments" % (locked, lch),
                        [("body", "Guest on a restricted work."), ("guest_name", "G"), ("guest_email", "g@example.org")])
        status(r, 404)
        eq(comment_count(creator.get("/works/%d/chapters/%d" % (wid, ch1)).text), 0, "nothing stored")


def test_guest_limit_answers_429_and_keeps_the_text():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        g = srv.client()
        for i in range(3):
            _, r = guest_comment(srv, wid, ch1, "Guest comment number %d." % i, c=g)
            status(r, 303)
        _, r = guest_comment(srv, wid, ch1, "One comment too many.", c=g)
        status(r, 429)
        check(int(r.headers.get("Retry-After", "0")) > 0, "Retry-After")
        contains(r.text, "Guests may post 3 comments in 15 minutes")
        contains(r.text, "One comment too many.")
        contains(r.text, 'value="Quiet Reader"')
        # Accounts have a higher limit: a reader still comments.
        new_comment_id(post_comment(user(srv, "theo_reads"), wid, ch1, "Readers are not limited by guests."))
        eq(comment_count(creator.get("/works/%d/chapters/%d" % (wid, ch1)).text), 4, "four comments")


XSS = [
    "<script>alert(1)</script>plain",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">link</a>",
    "<svg><script>alert(1)</script></svg>",
    "<p onclick=\"alert(1)\" style=\"x\">p</p>",
    "<iframe src=\"//evil.example\"></iframe>",
    "\"><script>alert(1)</script>",
]


def test_comment_fields_go_through_the_sanitizer():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        g = srv.client()
        reader = user(srv, "theo_reads")
        for i, v in enumerate(XSS):
            new_comment_id(post_comment(reader, wid, ch1, "%d %s <em>kept</em>" % (i, v)))
        _, r = guest_comment(srv, wid, ch1, "guest body", name="<script>alert(1)</script>Evil", c=g)
        status(r, 303)
        for c, path in ((reader, "/works/%d/chapters/%d" % (wid, ch1)), (creator, "/inbox")):
            page = c.get(path).text
            section = page[page.find('id="comments"') if 'id="comments"' in page else page.find("<main"):]
            for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<svg"):
                not_contains(section.lower(), bad.lower(), "%s (%s)" % (path, bad))
            contains(section, "<em>kept</em>")
            contains(section, "&lt;script&gt;alert(1)&lt;/script&gt;Evil")
        api = srv.client().get("/api/v1/chapters/%d/comments" % ch1).json()
        for cm in api["comments"]:
            for bad in ("<script", "onerror", "javascript:", "<iframe"):
                check(bad not in cm["body_html"].lower(), "API body_html %r" % cm["body_html"])


if __name__ == "__main__":
    sys.exit(main(globals()))
