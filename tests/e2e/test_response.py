"""End-to-end: kudos, bookmarks, reading history, hits and statistics, and the response parts of the JSON API."""
import json
import re
import sys

from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, run_cli, sql_rows, status, store_url
from test_works import add_chapter, post_work, text_of, user, PW
from test_comments import admin, chapter_ids, comment_count, new_comment_id, post_comment


def setup(srv, **work):
    creator = user(srv, "maya_writes")
    wid = post_work(creator, **work)
    add_chapter(creator, wid, "Two", "The second chapter is here, and long enough.")
    return creator, wid, chapter_ids(srv, creator, wid)


def meta_count(page, what):
    """A count in the work's stats; comments, kudos and bookmarks are shown once there are any (as on AO3),
    hits always."""
    check('<dd class="hits-count">' in page, "no stats block on the work's page")
    m = re.search(r'<dd class="%s-count">([\d,]+)</dd>' % what, page)
    check(m is not None or what != "hits", "no %s count in the work's stats" % what)
    if m is None:
        check(re.search(r"<dt>%s:</dt>" % what.capitalize(), page) is None, "%s shown without a count" % what)
        return 0
    return int(m.group(1).replace(",", ""))


def token_for(srv, name):
    p = run_cli(["token", "add", name], data=srv.data)
    eq(p.returncode, 0, "token add")
    return p.stdout.strip()


def api(srv, method, path, body=None, token=None):
    h = {"Accept": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    return srv.client().request(method, path, body=data, headers=h)


# -- kudos --

def test_kudos_once_per_account_and_per_guest_address():
    with Server() as srv:
        creator, wid, (ch1, ch2) = setup(srv)
        reader = user(srv, "theo_reads")
        page = reader.get("/works/%d/chapters/%d" % (wid, ch1)).text
        r = reader.post_form("/works/%d/kudos" % wid, [("return", "/works/%d/chapters/%d" % (wid, ch1))])
        status(r, 303)
        check("notice=kudos#kudos" in r.headers["Location"], r.headers["Location"])
        page = reader.get(r.headers["Location"].split("#")[0]).text
        contains(page, "Thank you for leaving kudos!")
        contains(text_of(page), "theo_reads left kudos on this work!")
        eq(meta_count(page, "kudos"), 1, "kudos count")
        # Twice: a clear answer, nothing changes.
        r = reader.post_form("/works/%d/kudos" % wid, [])
        check("notice=kudos_again" in r.headers["Location"], r.headers["Location"])
        page = reader.get(r.headers["Location"].split("#")[0]).text
        contains(page, "You have already left kudos here.")
        eq(meta_count(page, "kudos"), 1, "kudos count after twice")
        # Chapter kudos are separate from the work's.
        redirect(reader.post_form("/works/%d/kudos" % wid, [("chapter_id", str(ch2))]))
        page = reader.get("/works/%d/chapters/%d" % (wid, ch2)).text
        contains(text_of(page), "theo_reads left kudos on this chapter!")
        eq(meta_count(page, "kudos"), 1, "work kudos unchanged by chapter kudos")
        # A guest leaves kudos through the kudos page (which carries the form token), once per address.
        g = srv.client()
        r = g.get("/works/%d/kudos" % wid)
        status(r, 200)
        contains(text_of(r.text), "theo_reads left kudos.")
        redirect(g.post_form("/works/%d/kudos" % wid, []))
        g2 = srv.client()  # same address, another browser
        g2.get("/works/%d/kudos" % wid)
        r = g2.post_form("/works/%d/kudos" % wid, [])
        check("kudos_again" in r.headers["Location"], "a second guest kudos from one address is refused")
        page = reader.get("/works/%d" % wid).text
        contains(text_of(page), "theo_reads as well as 1 guest left kudos on this work!")
        eq(meta_count(page, "kudos"), 2, "kudos count with the guest")
        # The creator cannot leave kudos on their own work; kudos need CSRF; drafts take none.
        status(creator.post_form("/works/%d/kudos" % wid, []), 403)
        status(srv.client().post("/works/%d/kudos" % wid, ""), 403)
        draft = post_work(creator, action="draft", title="Draft")
        reader.get("/account")
        status(reader.post_form("/works/%d/kudos" % draft, []), 404)
        status(reader.post_form("/works/%d/kudos" % wid, [("chapter_id", "999999")]), 404)
        # The guest's address is never stored, only a keyed hash of it (on PostgreSQL: in no row of any table).
        srv.stop()
        if store_url(srv.data) is None:
            raw = open(srv.data + "/quire.db", "rb").read()
            check(b"127.0.0.1" not in raw, "the guest's address is in the database")
        else:
            tables = sql_rows(srv.data, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            for (table,) in tables:
                found = sql_rows(srv.data, "SELECT count(*) FROM \"%s\" t WHERE t::text LIKE '%%127.0.0.1%%'" % table)
                check(found == [(0,)], "the guest's address is in the database (%s)" % table)
        srv.start()


# -- bookmarks, history, marked for later --

def test_bookmarks_public_private_notes_tags_rec():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        reader = user(srv, "theo_reads")
        other = user(srv, "someone_else")
        status(reader.get("/works/%d/bookmark" % wid), 200)
        r = reader.post_form("/works/%d/bookmark" % wid, [("notes", "Comfort read <script>x</script>"),
                                                          ("tags", "comfort, reread, comfort"), ("rec", "1")])
        redirect(r, "/users/theo_reads/bookmarks")
        page = other.get("/users/theo_reads/bookmarks").text
        contains(text_of(page), "The Long Way Home by maya_writes")
        contains(text_of(page), "Rec")
        contains(text_of(page), "comfort, reread")
        not_contains(page, "<script>x")
        eq(meta_count(other.get("/works/%d" % wid).text, "bookmarks"), 1, "bookmark count")
        # A second bookmark of the same work is the same bookmark, edited.
        redirect(reader.post_form("/works/%d/bookmark" % wid, [("notes", "Now private"), ("private", "1")]))
        not_contains(other.get("/users/theo_reads/bookmarks").text, "The Long Way Home")
        not_contains(srv.client().get("/users/theo_reads/bookmarks").text, "The Long Way Home")
        contains(reader.get("/users/theo_reads/bookmarks").text, "Private")
        # (a logged-in reader: guests' cached pages follow within STORE_RESPONSE_FRESH seconds)
        eq(meta_count(other.get("/works/%d" % wid).text, "bookmarks"), 0, "private is not counted")
        # Bad tags are refused with the form kept.
        r = reader.post_form("/works/%d/bookmark" % wid, [("notes", "keep me"), ("tags", "a*b")])
        status(r, 422)
        contains(r.text, "keep me")
        # Deleting: the owner only.
        bid = int(re.search(r'id="bookmark-(\d+)"', reader.get("/users/theo_reads/bookmarks").text).group(1))
        status(other.post_form("/bookmarks/%d/delete" % bid, []), 404)
        redirect(reader.post_form("/bookmarks/%d/delete" % bid, []))
        contains(reader.get("/users/theo_reads/bookmarks").text, "You have no bookmarks yet.")


def test_history_and_marked_for_later():
    with Server() as srv:
        creator, wid, (ch1, ch2) = setup(srv)
        reader = user(srv, "theo_reads")
        reader.get("/works/%d/chapters/%d" % (wid, ch2))
        redirect(reader.post_form("/works/%d/later" % wid, [("later", "1")]))
        # Views reach the history in batches: a restart writes what is waiting.
        srv.restart()
        reader = srv.client()
        redirect(reader.login("theo_reads", PW))
        page = text_of(reader.get("/history").text)
        contains(page, "The Long Way Home by maya_writes")
        contains(page, "Chapter 2")
        contains(page, "Marked for later")
        contains(text_of(reader.get("/history?later=1").text), "The Long Way Home")
        redirect(reader.post_form("/works/%d/later" % wid, [("later", "0"), ("return", "/history?later=1")]))
        contains(reader.get("/history?later=1").text, "Nothing is marked for later.")
        status(srv.client().get("/history"), 303)


# -- hits and statistics --

def test_hits_once_per_visitor_per_day_and_stats_for_creators_only():
    with Server() as srv:
        creator, wid, (ch1, ch2) = setup(srv)
        for ua in ("reader-a", "reader-a", "reader-b", "reader-c"):
            c = srv.client()
            c.get("/works/%d" % wid, headers={"User-Agent": ua})
            c.get("/works/%d/chapters/%d" % (wid, ch2), headers={"User-Agent": ua})
        reader = user(srv, "theo_reads")
        reader.get("/works/%d" % wid)
        reader.get("/works/%d" % wid)
        reader.post_form("/works/%d/kudos" % wid, [])
        new_comment_id(post_comment(reader, wid, ch1, "A comment for the statistics."))
        srv.restart()  # the counts in memory are written on the way out
        creator = srv.client()
        redirect(creator.login("maya_writes", PW))
        page = creator.get("/works/%d" % wid).text
        eq(meta_count(page, "hits"), 4, "hits: three guests and one reader, each once")
        st = creator.get("/works/%d/stats" % wid)
        status(st, 200)
        t = text_of(st.text)
        contains(t, "The work 4 1 1 0 0")
        contains(t, "Chapter 2: Two 3 0 0")
        check(re.search(r"\d{4}-\d\d-\d\d 4 1 1 0", t), "a daily row: %s" % t)
        # Nobody else sees the statistics.
        reader = srv.client()
        redirect(reader.login("theo_reads", PW))
        status(reader.get("/works/%d/stats" % wid), 403)
        status(reader.get("/users/maya_writes/stats"), 403)
        redirect(srv.client().get("/works/%d/stats" % wid))
        status(admin(srv).get("/works/%d/stats" % wid), 200)
        us = creator.get("/users/maya_writes/stats")
        status(us, 200)
        contains(text_of(us.text), "The Long Way Home 4 1 1 0 0")


def blurb_count(page, wid, what):
    """A count in work wid's blurb on a listing (None when the blurb leaves it out, as it does zeros)."""
    m = re.search(r'<li class="work blurb" id="work_%d">(.*?)</li>\s*(?:<li class="work blurb"|</ol>)' % wid, page, re.S)
    check(m is not None, "no blurb for work %d" % wid)
    c = re.search(r'<dd class="%s-count">([\d,]+)</dd>' % what, m.group(1))
    return int(c.group(1).replace(",", "")) if c else None


def test_kudos_and_comments_do_not_empty_the_guest_page_cache():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        other_wid = post_work(creator, title="Another Work")
        elsewhere = user(srv, "ines_writes")
        post_work(elsewhere, title="Elsewhere", fandoms="Star Trek")
        a, b = user(srv, "reader_a"), user(srv, "reader_b")
        g = srv.client()
        path = "/works/%d/chapters/%d" % (wid, ch1)
        # Pages that do not show the work: its sibling's page, and listings of other works.
        others = ["/works/%d" % other_wid, "/users/ines_writes", "/tags/Star%20Trek"]
        # Listings that show the work's counts in its blurb.
        listings = ["/works", "/", "/users/maya_writes", "/tags/Harbour%20Street%20%28TV%29"]
        eq(meta_count(g.get(path).text, "kudos"), 0, "guest before")
        for p in others + listings:
            g.get(p)
        for p in others + listings:
            eq(g.get(p).header("X-Cache"), "hit", "X-Cache of %s before" % p)
        eq(blurb_count(g.get("/works").text, wid, "kudos"), None, "no kudos shown in the blurb before")
        redirect(a.post_form("/works/%d/kudos" % wid, []))
        # The first change after a quiet spell reaches the work's cached pages at once...
        eq(meta_count(g.get(path).text, "kudos"), 1, "guest after the first kudos")
        # ...and the listings that show the work, built afresh with the new count,
        for p in listings:
            r = g.get(p)
            eq(r.header("X-Cache"), "miss", "X-Cache of %s after kudos on a work it shows" % p)
            eq(blurb_count(r.text, wid, "kudos"), 1, "kudos in the blurb on %s" % p)
            eq(g.get(p).header("X-Cache"), "hit", "X-Cache of %s once built again" % p)
        redirect(b.post_form("/works/%d/kudos" % wid, []))
        # ...later ones within STORE_RESPONSE_FRESH seconds leave the cached pages as they were,
        r = g.get(path)
        eq(r.header("X-Cache"), "hit", "X-Cache of the work's page")
        eq(meta_count(r.text, "kudos"), 1, "guest page served from the cache")
        for p in listings:
            r = g.get(p)
            eq(r.header("X-Cache"), "hit", "X-Cache of %s after more kudos" % p)
            eq(blurb_count(r.text, wid, "kudos"), 1, "cached kudos in the blurb on %s" % p)
        # but a new comment shows at once (readers expect to see what was just posted): the work's pages are
        # built again, with the counts as they are now,
        new_comment_id(post_comment(b, wid, ch1, "Shown at once."))
        r = g.get(path)
        eq(r.header("X-Cache"), "miss", "X-Cache of the work's page after a comment")
        contains(r.text, "Shown at once.")
        eq(meta_count(r.text, "kudos"), 2, "guest page after a comment")
        # no page that does not show the work is emptied by kudos, comments or hits,
        for p in others:
            eq(g.get(p).header("X-Cache"), "hit", "X-Cache of %s after kudos and a comment" % p)
        # while logged-in readers see the counts and comments as they are (the shared fragment holds none),
        page = b.get(path).text
        eq(meta_count(page, "kudos"), 2, "logged-in count")
        contains(page, "Shown at once.")
        listing = b.get("/works").text
        eq(blurb_count(listing, wid, "kudos"), 2, "logged-in listing's kudos")
        eq(blurb_count(listing, wid, "comments"), 1, "logged-in listing's comments")
        # and a change of the work itself refreshes its pages as before.
        from test_works import work_fields
        creator.get("/works/%d/edit" % wid)
        redirect(creator.post_form("/works/%d" % wid, [(k, v) for k, v in work_fields() if not k.startswith("chapter_")]))
        page = g.get(path).text
        eq(meta_count(page, "kudos"), 2, "guest after a work edit")
        contains(page, "Shown at once.")
        eq(blurb_count(g.get("/works").text, wid, "kudos"), 2, "guest listing after a work edit")


def test_the_demo_has_reviews_replies_kudos_and_bookmarks():
    # A newcomer's first look (make run) shows the readers' side too, left through the same workflows.
    with Server(demo=True) as srv:
        g = srv.client()
        listing = g.get("/works").text
        m = re.search(r'<li class="work blurb" id="work_(\d+)">\s*<div class="blurb-header">\s*<h3 class="blurb-title">'
                      r'<a href="/works/\d+"><bdi>The Lighthouse Keeper&#39;s Apprentice', listing)
        check(m is not None, "the demo's lighthouse story is listed")
        wid = int(m.group(1))
        eq(blurb_count(listing, wid, "comments"), 5, "three reviews and two replies")
        eq(blurb_count(listing, wid, "kudos"), 3, "demo kudos")
        eq(blurb_count(listing, wid, "bookmarks"), 1, "demo bookmarks")
        page = g.get("/works/%d" % wid).text
        contains(text_of(page), "lanternlight, tealeaf_archivist, marginalia left kudos on this work!")
        # The work's page opens on chapter 1, with its review and the creator's reply.
        contains(text_of(page), "A hundred and thirteen steps!")
        contains(text_of(page), "quillfeather Creator")
        not_contains(srv.log_text(), "warn demo:")


def test_one_inbox_for_comments_replies_and_subscription_news():
    with Server() as srv:
        creator, wid, (ch1, _) = setup(srv)
        reader = user(srv, "theo_reads")
        rtok = token_for(srv, "theo_reads")
        status(api(srv, "POST", "/api/v1/subscriptions", {"type": "work", "id": wid}, rtok), 201)
        cid = new_comment_id(post_comment(reader, wid, ch1, "Loved the harbour."))
        status(post_comment(creator, wid, ch1, "Thank you, more soon.", parent=cid), 303)
        add_chapter(creator, wid, "Three", "The third chapter, posted for the subscribers.")
        # The reader's inbox: the creator's reply and the new chapter, both unread and counted in the header.
        page = reader.get("/inbox").text
        contains(text_of(page), "maya_writes Creator replied to your comment on The Long Way Home")
        contains(text_of(page), "Chapter 3 of The Long Way Home was posted by maya_writes")
        contains(page, '<span class="unread-count" title="unread">2</span>')
        contains(page, 'class="inbox-item inbox-new_chapter unread"')
        # The creator's: the comment, not the news of their own chapter.
        page = creator.get("/inbox").text
        contains(text_of(page), "theo_reads commented on The Long Way Home")
        not_contains(page, "inbox-new_chapter")
        # The API lists every kind.
        r = api(srv, "GET", "/api/v1/inbox", token=rtok)
        status(r, 200)
        eq(sorted(i["kind"] for i in r.json()["items"]), ["new_chapter", "reply"], "kinds")
        eq(r.json()["unread"], 2, "unread in the API")
        news = [i for i in r.json()["items"] if i["kind"] == "new_chapter"][0]
        eq((news["work_id"], news["chapter_position"], news["comment"]), (wid, 3, None), "the news item")
        # One message read, then all of them.
        redirect(reader.post_form("/inbox/%d/read" % news["id"], [("read", "1")]), "/inbox")
        contains(reader.get("/inbox").text, '<span class="unread-count" title="unread">1</span>')
        redirect(reader.post_form("/inbox/read-all", []), "/inbox")
        page = reader.get("/inbox?unread=1").text
        not_contains(page, "unread-count")
        contains(page, "No unread messages.")
        eq(api(srv, "GET", "/api/v1/inbox", token=rtok).json()["unread"], 0, "unread after mark all read")


def test_comments_and_kudos_survive_kill_9():
    with Server(check_exit=False) as srv:
        creator, wid, (ch1, _) = setup(srv)
        reader = user(srv, "theo_reads")
        ids = [new_comment_id(post_comment(reader, wid, ch1, "Durable comment %d." % i)) for i in range(5)]
        redirect(reader.post_form("/works/%d/kudos" % wid, []))
        srv.kill9()  # as a power cut would: every answered write must be on disk
        srv.start()
        page = srv.client().get("/works/%d/chapters/%d" % (wid, ch1)).text
        eq(comment_count(page), 5, "comments after kill -9")
        for i in ids:
            contains(page, 'id="comment-%d"' % i)
        eq(meta_count(page, "kudos"), 1, "kudos after kill -9")


# -- the pages are well-formed --

def test_response_pages_are_well_formed():
    from test_html_valid import Checker

    class Strict(Checker):
        """Also refuses a block (form, div, ul, blockquote) inside <p>, which browsers split apart."""
        def handle_starttag(self, tag, attrs):
            if tag in ("form", "div", "ul", "ol", "blockquote", "p", "table") and any(t == "p" for t, _ in self.stack):
                self.problems.append("<%s> inside <p> at line %d" % (tag, self.getpos()[0]))
            super().handle_starttag(tag, attrs)

    def page(c, path, want=(200,), resp=None):
        r = resp or c.get(path)
        status(r, *want)
        ch = Strict(path)
        ch.feed(r.text)
        problems = ch.finish()
        check(not problems, "%s:\n  %s" % (path, "\n  ".join(problems)))

    with Server() as srv:
        creator, wid, (ch1, ch2) = setup(srv, comments_moderated="1")
        reader = user(srv, "theo_reads")
        cid = new_comment_id(post_comment(creator, wid, ch1, "A creator's comment."))
        post_comment(reader, wid, ch1, "A pending reply.", parent=cid)
        redirect(reader.post_form("/works/%d/bookmark" % wid, [("notes", "n"), ("tags", "a, b"), ("rec", "1")]))
        redirect(reader.post_form("/works/%d/later" % wid, [("later", "1")]))
        reader.get("/works/%d/chapters/%d" % (wid, ch2))
        g = srv.client()
        for c, paths in (
            (g, ["/works/%d/chapters/%d" % (wid, ch1), "/works/%d?view_full_work=true" % wid,
                 "/works/%d/chapters/%d/comments/new" % (wid, ch1), "/works/%d/comments/new" % wid,
                 "/works/%d/chapters/%d/comments/new?parent_id=%d" % (wid, ch1, cid),
                 "/works/%d/kudos" % wid, "/works/%d/kudos?chapter=%d" % (wid, ch2),
                 "/works/%d/comments?chapter=%d&after=0" % (wid, ch1), "/users/theo_reads/bookmarks",
                 "/users/maya_writes"]),
            (reader, ["/works/%d/chapters/%d" % (wid, ch1), "/inbox", "/inbox?unread=1", "/history",
                      "/history?later=1", "/works/%d/bookmark" % wid, "/users/theo_reads/bookmarks",
                      "/users/theo_reads", "/account"]),
            (creator, ["/works/%d/chapters/%d" % (wid, ch1), "/inbox", "/works/%d/stats" % wid,
                       "/users/maya_writes/stats", "/comments/%d/edit" % cid, "/works/%d/edit" % wid,
                       "/works/new"]),
        ):
            for p in paths:
                page(c, p)
        # Refused forms are well-formed too: 422, 403 and 429.
        r = post_comment(reader, wid, ch1, "")
        page(reader, "422", (422,), r)
        for i in range(3):
            g.get("/works/%d/chapters/%d/comments/new" % (wid, ch1))
            g.post_form("/works/%d/chapters/%d/comments" % (wid, ch1),
                        [("body", "guest %d" % i), ("guest_name", "G"), ("guest_email", "g@example.org")])
        g.get("/works/%d/chapters/%d/comments/new" % (wid, ch1))
        r = g.post_form("/works/%d/chapters/%d/comments" % (wid, ch1),
                        [("body", "one too many"), ("guest_name", "G"), ("guest_email", "g@example.org")])
        page(g, "429", (429,), r)
        r = reader.post_form("/works/%d/bookmark" % wid, [("tags", "a*b")])
        page(reader, "bookmark 422", (422,), r)


# -- the API --

def test_api_comments_kudos_bookmarks_inbox_stats():
    with Server() as srv:
        creator, wid, (ch1, ch2) = setup(srv)
        user(srv, "theo_reads")
        ct, rt = token_for(srv, "maya_writes"), token_for(srv, "theo_reads")
        # Comments: guests read, tokens write; replies with parent_id.
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": "Via the API"})
        status(r, 401)
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": "Via the API <b>bold</b>"}, rt)
        status(r, 201)
        c = r.json()
        eq(c["body_html"], "<p>Via the API <b>bold</b></p>", "sanitized body")
        eq(c["user"], "theo_reads", "writer")
        check(r.headers["Location"] == "/api/v1/comments/%d" % c["id"], "Location")
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": "Reply", "parent_id": c["id"]}, ct)
        status(r, 201)
        reply = r.json()
        check(reply["by_creator"] and reply["parent_id"] == c["id"] and reply["depth"] == 1, reply)
        status(api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": ""}, rt), 422)
        status(api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": 5}, rt), 400)
        status(api(srv, "POST", "/api/v1/chapters/%d/comments" % ch2, {"body": "x", "parent_id": c["id"]}, rt), 404)
        lst = api(srv, "GET", "/api/v1/chapters/%d/comments" % ch1).json()
        eq([x["id"] for x in lst["comments"]], [c["id"], reply["id"]], "listed")
        eq(lst["count"], 2, "count")
        status(api(srv, "GET", "/api/v1/chapters/999999/comments"), 404)
        # PATCH: the writer edits; moderators hide and freeze; others may not.
        status(api(srv, "PATCH", "/api/v1/comments/%d" % c["id"], {"body": "Edited by creator?"}, ct), 403)
        r = api(srv, "PATCH", "/api/v1/comments/%d" % c["id"], {"body": "Edited"}, rt)
        status(r, 200)
        check(r.json()["edited"] and r.json()["body"] == "Edited", r.json())
        status(api(srv, "PATCH", "/api/v1/comments/%d" % c["id"], {"frozen": True}, rt), 403)
        r = api(srv, "PATCH", "/api/v1/comments/%d" % c["id"], {"frozen": True}, ct)
        check(r.json()["frozen"], "frozen")
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % ch1, {"body": "late", "parent_id": reply["id"]}, rt)
        status(r, 403)
        eq(r.json()["error"]["code"], "forbidden", "frozen code")
        r = api(srv, "PATCH", "/api/v1/comments/%d" % reply["id"], {"state": "hidden"}, ct)
        eq(r.json()["state"], "hidden", "hidden")
        status(api(srv, "GET", "/api/v1/comments/%d" % reply["id"]), 404)
        status(api(srv, "GET", "/api/v1/comments/%d" % reply["id"], token=rt), 404)
        status(api(srv, "GET", "/api/v1/comments/%d" % reply["id"], token=ct), 200)
        status(api(srv, "DELETE", "/api/v1/comments/%d" % reply["id"], token=rt), 404)
        status(api(srv, "DELETE", "/api/v1/comments/%d" % c["id"], token=rt), 204)
        eq(api(srv, "GET", "/api/v1/comments/%d" % c["id"]).json()["state"], "deleted", "deleted placeholder")
        # Whole-work comments.
        status(api(srv, "POST", "/api/v1/works/%d/comments" % wid, {"body": "On the work"}, rt), 201)
        eq(len(api(srv, "GET", "/api/v1/works/%d/comments" % wid).json()["comments"]), 1, "work comments")

        # Kudos: once; the list of who.
        status(api(srv, "POST", "/api/v1/works/%d/kudos" % wid, token=rt), 201)
        r = api(srv, "POST", "/api/v1/works/%d/kudos" % wid, token=rt)
        status(r, 409)
        eq(r.json()["error"]["code"], "already_done", "kudos twice")
        status(api(srv, "POST", "/api/v1/chapters/%d/kudos" % ch2, token=rt), 201)
        eq(api(srv, "GET", "/api/v1/works/%d/kudos" % wid).json(), {"count": 1, "users": ["theo_reads"], "guests": 0},
           "work kudos")
        eq(api(srv, "GET", "/api/v1/chapters/%d/kudos" % ch2).json()["count"], 1, "chapter kudos")
        status(api(srv, "POST", "/api/v1/works/%d/kudos" % wid, token=ct), 403)

        # Bookmarks.
        r = api(srv, "POST", "/api/v1/bookmarks", {"work_id": wid, "notes": "n", "tags": "a, b", "rec": True}, rt)
        status(r, 201)
        b = r.json()
        check(b["rec"] and b["tags"] == "a, b" and not b["private"], b)
        # The work object carries its public counts, as the blurbs show them.
        wk = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq((wk["kudos_count"], wk["bookmarks_count"]), (1, 1), "the work's kudos and bookmarks counts")
        check(wk["comments_count"] >= 1 and "hits_count" in wk, wk)
        listed = [w for w in api(srv, "GET", "/api/v1/works").json()["works"] if w["id"] == wid]
        eq(listed[0]["kudos_count"], 1, "kudos count in the API listing")
        status(api(srv, "POST", "/api/v1/bookmarks", {"work_id": wid}, rt), 409)
        status(api(srv, "POST", "/api/v1/bookmarks", {"work_id": 999999}, rt), 404)
        status(api(srv, "PATCH", "/api/v1/bookmarks/%d" % b["id"], {"private": True}, ct), 404)
        eq(api(srv, "PATCH", "/api/v1/bookmarks/%d" % b["id"], {"private": True}, rt).json()["private"], True, "private")
        eq(api(srv, "GET", "/api/v1/bookmarks?user=theo_reads").json()["bookmarks"], [], "private hidden from guests")
        eq(len(api(srv, "GET", "/api/v1/bookmarks", token=rt).json()["bookmarks"]), 1, "own private listed")
        status(api(srv, "DELETE", "/api/v1/bookmarks/%d" % b["id"], token=ct), 404)
        status(api(srv, "DELETE", "/api/v1/bookmarks/%d" % b["id"], token=rt), 204)

        # Inbox: the creator was told of the comments; mark read.
        inbox = api(srv, "GET", "/api/v1/inbox", token=ct).json()
        check(inbox["unread"] >= 2, inbox)
        first = inbox["items"][0]["id"]
        eq(api(srv, "POST", "/api/v1/inbox/read", {"ids": [first]}, ct).json()["unread"], inbox["unread"] - 1, "one read")
        status(api(srv, "POST", "/api/v1/inbox/read", {"ids": [first]}, rt), 404)
        eq(api(srv, "POST", "/api/v1/inbox/read", {"all": True}, ct).json()["unread"], 0, "all read")
        status(api(srv, "GET", "/api/v1/inbox"), 401)

        # Statistics: creators only.
        st = api(srv, "GET", "/api/v1/works/%d/stats" % wid, token=ct)
        status(st, 200)
        check(st.json()["kudos"] == 1 and len(st.json()["chapters"]) == 2 and "subscriptions" in st.json(), st.json())
        status(api(srv, "GET", "/api/v1/works/%d/stats" % wid, token=rt), 403)
        status(api(srv, "GET", "/api/v1/works/%d/stats" % wid), 401)


if __name__ == "__main__":
    sys.exit(main(globals()))
