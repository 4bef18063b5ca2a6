"""End-to-end: readers' suggestions on a passage. Off by default; the work form turns them on; a logged-in
reader suggests a replacement and/or a note on a passage; the writer sees it in the chapter editor and the
inbox and accepts (the chapter text changes), answers or dismisses; anchored by content (outdated when the
passage is gone). Who may do what: guests, other readers, blocked users, co-creators; the API's routes."""
import re
import sys
import urllib.parse

from quire_e2e import check, contains, eq, main, not_contains, redirect, status, Server
from test_api import add_user, api, error
from test_blocks import block
from test_works import add_chapter, post_work, user

TEXT = ("The tide came in over the causeway. Wren watched it from the lamp room.\n\n"
        "She could of gone down, but she stayed where she was.")


def setup(srv, coauthor=None):
    writer = user(srv, "writer")
    wid = post_work(writer, title="The Keeper", coauthors=coauthor or "", chapter_content=TEXT)
    cid = int(re.search(r'/works/%d/chapters/(\d+)' % wid, writer.get("/works/%d" % wid).text).group(1))
    return writer, wid, cid


def enable(writer, wid, on=True):
    page = writer.get("/works/%d/edit" % wid).text
    check('name="reader_suggestions"' in page, "the work form has the setting")
    fields = [("csrf_token", writer.csrf_token("/works/%d/edit" % wid))]
    # Resubmit the edit form as it is, with the box set.
    for m in re.finditer(r'<input id="(\w+)" name="(\w+)" value="([^"]*)"', page):
        fields.append((m.group(2), m.group(3)))
    for name in ("summary", "notes", "end_notes"):
        m = re.search(r'<textarea id="%s" name="%s"[^>]*>\n?(.*?)</textarea>' % (name, name), page, re.S)
        fields.append((name, m.group(1) if m else ""))
    for name in ("rating", "language"):
        m = re.search(r'<select id="%s" name="%s".*?<option value="([^"]*)" selected' % (name, name), page, re.S)
        fields.append((name, m.group(1) if m else ""))
    fields += [("warnings", "No Archive Warnings Apply"), ("fandoms", "Harbour Street (TV)"),
               ("comment_policy", "everyone"), ("action", "post")]
    if on:
        fields.append(("reader_suggestions", "1"))
    r = writer.post("/works/%d" % wid, urllib.parse.urlencode(fields))
    status(r, 303)


def unread(c):
    """The unread number beside the layout's Inbox link (0 when none is shown)."""
    m = re.search(r'class="unread-count"[^>]*>(\d+)<', c.get("/account").text)
    return int(m.group(1)) if m else 0


def suggest(c, wid, cid, quote, replacement="", note="", prefix="", suffix=""):
    c.get("/works/%d/chapters/%d/suggestions/new" % (wid, cid))
    return c.post_form("/works/%d/chapters/%d/suggestions" % (wid, cid),
                       [("quote", quote), ("replacement", replacement), ("note", note), ("prefix", prefix),
                        ("suffix", suffix)])


def test_suggest_accept_answer_dismiss():
    with Server() as srv:
        writer, wid, cid = setup(srv)
        reader = user(srv, "reader")
        # Off by default: no link, the form says why.
        not_contains(reader.get("/works/%d/chapters/%d" % (wid, cid)).text, "Suggest a change")
        r = reader.get("/works/%d/chapters/%d/suggestions/new" % (wid, cid))
        status(r, 403)
        contains(r.text, "does not take suggestions")
        enable(writer, wid)
        page = reader.get("/works/%d/chapters/%d" % (wid, cid)).text
        contains(page, 'data-suggest="/works/%d/chapters/%d/suggestions/new"' % (wid, cid))
        # A suggestion from a selection (quote with its surroundings, whitespace as the page shows it).
        r = reader.get("/works/%d/chapters/%d/suggestions/new?quote=could%%20of%%20gone&prefix=She%%20" % (wid, cid))
        contains(r.text, "could of gone")
        r = suggest(reader, wid, cid, "could of gone", replacement="could have gone", note="Could have, not of.",
                    prefix="She ", suffix=" down")
        status(r, 303)
        contains(reader.get(r.header("Location").split("#")[0]).text, "Your suggestion was sent")
        # Errors keep the text: a passage not in the chapter, nothing suggested, over the limits.
        r = suggest(reader, wid, cid, "not in this chapter at all", replacement="x")
        status(r, 422)
        contains(r.text, "not in this chapter")
        contains(r.text, "not in this chapter at all")
        status(suggest(reader, wid, cid, "lamp room"), 422)
        status(suggest(reader, wid, cid, "lamp room", replacement="x" * 2001), 422)
        r = suggest(reader, wid, cid, "lamp room", note="Which lamp room? The old one?")
        status(r, 303)
        r = suggest(reader, wid, cid, "The tide came in", replacement="The tide rose")
        status(r, 303)

        # The writer sees them in the chapter editor and the inbox.
        edit = writer.get("/works/%d/chapters/%d/edit" % (wid, cid)).text
        contains(edit, "Readers' suggestions")
        contains(edit, "could have gone")
        contains(edit, "Which lamp room?")
        ids = [int(x) for x in re.findall(r'id="suggestion-(\d+)"', edit)]
        eq(len(ids), 3, "three open suggestions")
        inbox = writer.get("/inbox").text
        contains(inbox, "could have gone")
        contains(inbox, "The Keeper, chapter 1")
        # Each counts in the inbox's unread number, as a message linking to the chapter editor.
        eq(unread(writer), 3, "three unread suggestions")
        contains(inbox, "suggested a change to <a href=\"/works/%d/chapters/%d/edit#reader-suggestions\">" % (wid, cid))
        contains(inbox, "inbox-suggestion unread")
        eq(unread(reader), 0, "nothing for the reader yet")
        # Other readers see nothing of them, and cannot answer them.
        other = user(srv, "other")
        not_contains(other.get("/works/%d/chapters/%d/suggestions/new" % (wid, cid)).text, "could have gone")
        other.get("/inbox")
        status(other.post_form("/suggestions/%d/accept" % ids[-1], [("return", "/inbox")]), 404)
        status(reader.post_form("/suggestions/%d/accept" % ids[-1], [("return", "/inbox")]), 403)

        # Accept: the chapter text changes through the normal edit path.
        sid = [i for i in ids if 'id="suggestion-%d"' % i in edit and True][-1]  # the oldest: "could of gone"
        writer.get("/works/%d/chapters/%d/edit" % (wid, cid))
        r = writer.post_form("/suggestions/%d/accept" % sid, [("return", "/works/%d/chapters/%d/edit" % (wid, cid))])
        status(r, 303)
        contains(writer.get(r.header("Location").split("#")[0]).text, "Suggestion accepted")
        chapter = reader.get("/works/%d/chapters/%d" % (wid, cid)).text
        contains(chapter, "She could have gone down")
        not_contains(chapter, "could of gone")
        status(writer.post_form("/suggestions/%d/accept" % sid, [("return", "/inbox")]), 422)  # answered already
        # Answer privately, then dismiss; the reader sees both.
        note_id = ids[1]
        r = writer.post_form("/suggestions/%d/reply" % note_id, [("reply", "The old one, yes."), ("return", "/inbox")])
        status(r, 303)
        status(writer.post_form("/suggestions/%d/dismiss" % note_id, [("return", "/inbox")]), 303)
        mine = reader.get("/works/%d/chapters/%d/suggestions/new" % (wid, cid)).text
        contains(mine, "The old one, yes.")
        contains(mine, "dismissed")
        contains(mine, "accepted")
        # Answered ones are read for the writer; the reader heard of the acceptance and the answer.
        eq(unread(writer), 1, "one suggestion left unanswered")
        eq(unread(reader), 2, "the reader's two messages")
        inbox = reader.get("/inbox").text
        contains(inbox, "accepted <a href=\"/works/%d/chapters/%d/suggestions/new#my-suggestions\">" % (wid, cid))
        contains(inbox, "The old one, yes.")
        contains(inbox, "inbox-suggestion_answered unread")
        # Anchored by content: when the writer rewrites the passage, the open one shows as outdated.
        writer.get("/works/%d/chapters/%d/edit" % (wid, cid))
        r = writer.post_form("/works/%d/chapters/%d" % (wid, cid), [
            ("chapter_title", ""), ("chapter_content", "The sea rose over the causeway.\n\nShe stayed."),
            ("chapter_format", "text"), ("chapter_notes", ""), ("chapter_end_notes", ""), ("chapter_summary", ""),
            ("action", "post")])
        status(r, 303)
        edit = writer.get("/works/%d/chapters/%d/edit" % (wid, cid)).text
        contains(edit, "outdated")
        status(writer.post_form("/suggestions/%d/accept" % ids[0], [("return", "/inbox")]), 422)


def test_who_may_suggest():
    with Server() as srv:
        co = user(srv, "cowriter")
        writer, wid, cid = setup(srv, coauthor="cowriter")
        co.get("/account")
        redirect(co.post_form("/account/invitations/%d/accept" % wid, []))
        enable(writer, wid)
        reader = user(srv, "reader")
        troll = user(srv, "troll")
        # Guests are sent to log in; creators edit instead of suggesting.
        guest = srv.client()
        r = guest.get("/works/%d/chapters/%d/suggestions/new" % (wid, cid))
        status(r, 303)
        contains(r.header("Location"), "/login")
        status(writer.get("/works/%d/chapters/%d/suggestions/new" % (wid, cid)), 403)
        # A blocked reader cannot suggest.
        block(writer, "troll")
        status(suggest(troll, wid, cid, "lamp room", replacement="lighthouse"), 403)
        # A co-creator answers like the writer.
        status(suggest(reader, wid, cid, "lamp room", replacement="lantern room"), 303)
        edit = co.get("/works/%d/chapters/%d/edit" % (wid, cid)).text
        sid = int(re.search(r'id="suggestion-(\d+)"', edit).group(1))
        status(co.post_form("/suggestions/%d/accept" % sid, [("return", "/inbox")]), 303)
        contains(reader.get("/works/%d/chapters/%d" % (wid, cid)).text, "lantern room")
        # Turning the setting off closes the form.
        enable(writer, wid, on=False)
        status(suggest(reader, wid, cid, "causeway", replacement="causey"), 403)


def test_accept_across_formatting():
    """Accepting changes only the words that differ, found in the source as written: markup around them and
    elsewhere in the passage stays (HTML and Markdown), an HTML entity is matched as such, and the replacement
    is written so it renders as its text; a change whose words are split by markup is left to the writer."""
    with Server() as srv:
        alice = add_user(srv, "alice")
        bob = add_user(srv, "bob")
        chapters = {
            "html": "<p>She <em>could</em> of gone down. The <strong>tide</strong> rose &amp; fell.</p>\n"
                    "<p>Wren <em>stayed</em> were she was.</p>",
            "markdown": "She *could* of gone down. The **tide** rose & fell.\n\nWren _stayed_ were she was.",
        }
        for fmt, content in chapters.items():
            r = api(srv, "POST", "/api/v1/works", {"title": "Formatted " + fmt, "rating": "General Audiences",
                                                  "warnings": ["No Archive Warnings Apply"], "fandoms": ["F"],
                                                  "reader_suggestions": True,
                                                  "chapter": {"content": content, "format": fmt}}, token=alice)
            status(r, 201)
            wid, cid = r.json()["id"], r.json()["chapters"][0]["id"]

            def make(quote, replacement, prefix=""):
                r = api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid,
                        {"quote": quote, "replacement": replacement, "prefix": prefix}, token=bob)
                status(r, 201)
                return r.json()["id"]

            def source():
                return api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, cid), token=alice).json()["content"]

            # Across the emphasis: only "of" becomes "have"; the emphasis stays.
            sid = make("She could of gone down.", "She could have gone down.")
            status(api(srv, "POST", "/api/v1/suggestions/%d/accept" % sid, token=alice), 200)
            contains(source(), "*could* have gone" if fmt == "markdown" else "<em>could</em> have gone")
            # An entity in the changed words, and a replacement with characters the format would read as markup.
            sid = make("rose & fell.", "rose <and> fell*.")
            status(api(srv, "POST", "/api/v1/suggestions/%d/accept" % sid, token=alice), 200)
            text = api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, cid), token=alice).json()["content_html"]
            contains(text, "rose &lt;and&gt; fell*.")
            contains(text, "<strong>tide</strong>")
            # Across paragraphs, the change in one of them.
            sid = make("fell*. Wren stayed were she was.", "fell*. Wren stayed where she was.")
            status(api(srv, "POST", "/api/v1/suggestions/%d/accept" % sid, token=alice), 200)
            contains(source(), "_stayed_ where she" if fmt == "markdown" else "<em>stayed</em> where she")
            # The changed words split by markup: refused, nothing changed.
            before = source()
            sid = make("could have gone", "might go")
            r = api(srv, "POST", "/api/v1/suggestions/%d/accept" % sid, token=alice)
            error(r, "conflict", 409)
            contains(r.text, "split by formatting")
            eq(source(), before, "%s: the chapter unchanged" % fmt)


def test_api_suggestions():
    with Server() as srv:
        alice = add_user(srv, "alice")
        bob = add_user(srv, "bob")
        carol = add_user(srv, "carol")
        r = api(srv, "POST", "/api/v1/works", {"title": "T", "rating": "General Audiences",
                                              "warnings": ["No Archive Warnings Apply"], "fandoms": ["F"],
                                              "chapter": {"content": TEXT, "format": "text"}}, token=alice)
        status(r, 201)
        wid = r.json()["id"]
        cid = r.json()["chapters"][0]["id"]
        body = {"quote": "could of gone", "replacement": "could have gone", "prefix": "She "}
        error(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, body, token=bob), "forbidden", 403)  # off
        error(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, body), "unauthorized", 401)
        # The work setting in the API: off for a new work; alice turns it on (a boolean; hers alone).
        eq(api(srv, "GET", "/api/v1/works/%d" % wid).json()["reader_suggestions"], False, "off by default")
        error(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"reader_suggestions": "yes"}, token=alice), "bad_json", 400)
        error(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"reader_suggestions": True}, token=bob), "forbidden", 403)
        r = api(srv, "PATCH", "/api/v1/works/%d" % wid, {"reader_suggestions": True}, token=alice)
        status(r, 200)
        eq(r.json()["reader_suggestions"], True, "on")
        r = api(srv, "PATCH", "/api/v1/works/%d" % wid, {"summary": "Unrelated edit"}, token=alice)
        eq(r.json()["reader_suggestions"], True, "an edit without the field keeps it")
        # The work form shows it, and a work can be posted with it on.
        web = srv.client()
        web.login("alice", "correct horse 42")
        contains(web.get("/works/%d/edit" % wid).text, 'name="reader_suggestions" value="1" checked')
        r = api(srv, "POST", "/api/v1/works", {"title": "T2", "rating": "General Audiences", "reader_suggestions": True,
                                              "warnings": ["No Archive Warnings Apply"], "fandoms": ["F"],
                                              "chapter": {"content": TEXT, "format": "text"}}, token=alice)
        status(r, 201)
        eq(r.json()["reader_suggestions"], True, "posted with it on")
        error(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, body, token=alice), "forbidden", 403)  # hers
        r = api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, body, token=bob)
        status(r, 201)
        s = r.json()
        eq((s["quote"], s["replacement"], s["state"], s["user"], s["work_id"]),
           ("could of gone", "could have gone", "open", "bob", wid), "the suggestion")
        r = api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, {"quote": "lamp room", "note": "Which?"}, token=bob)
        status(r, 201)
        note = r.json()["id"]
        inbox = api(srv, "GET", "/api/v1/inbox", token=alice).json()
        eq(inbox["unread"], 2, "alice's unread messages")
        eq([(i["kind"], i["text"], i["actor"], i["chapter_id"]) for i in inbox["items"]],
           [("suggestion", "lamp room", "bob", cid), ("suggestion", "could of gone", "bob", cid)], "alice's inbox")
        error(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, {"quote": "nowhere", "note": "x"}, token=bob),
              "invalid", 422)
        error(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, {"quote": 5}, token=bob), "bad_json", 400)
        error(api(srv, "POST", "/api/v1/chapters/999999/suggestions", body, token=bob), "not_found", 404)
        # Lists: the writer all, a reader their own, another reader none.
        eq(len(api(srv, "GET", "/api/v1/chapters/%d/suggestions" % cid, token=alice).json()["suggestions"]), 2, "alice")
        eq(len(api(srv, "GET", "/api/v1/chapters/%d/suggestions" % cid, token=bob).json()["suggestions"]), 2, "bob")
        eq(api(srv, "GET", "/api/v1/chapters/%d/suggestions" % cid, token=carol).json()["suggestions"], [], "carol")
        error(api(srv, "GET", "/api/v1/chapters/%d/suggestions?state=bogus" % cid, token=alice), "bad_query", 400)
        # Answers: only the writer; accept changes the chapter; a note cannot be accepted.
        error(api(srv, "POST", "/api/v1/suggestions/%d/accept" % s["id"], token=bob), "forbidden", 403)
        error(api(srv, "POST", "/api/v1/suggestions/%d/accept" % s["id"], token=carol), "not_found", 404)
        error(api(srv, "POST", "/api/v1/suggestions/%d/accept" % note, token=alice), "conflict", 409)
        r = api(srv, "POST", "/api/v1/suggestions/%d/accept" % s["id"], token=alice)
        status(r, 200)
        eq(r.json()["state"], "accepted", "accepted")
        text = api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, cid), token=alice).json()["content"]
        contains(text, "She could have gone down")
        error(api(srv, "POST", "/api/v1/suggestions/%d/dismiss" % s["id"], token=alice), "conflict", 409)
        r = api(srv, "POST", "/api/v1/suggestions/%d/reply" % note, {"reply": "The old one."}, token=alice)
        status(r, 200)
        eq(r.json()["reply"], "The old one.", "reply")
        error(api(srv, "POST", "/api/v1/suggestions/%d/reply" % note, {"reply": " "}, token=alice), "invalid", 422)
        r = api(srv, "POST", "/api/v1/suggestions/%d/dismiss" % note, token=alice)
        eq(r.json()["state"], "dismissed", "dismissed")
        got = api(srv, "GET", "/api/v1/chapters/%d/suggestions?state=dismissed" % cid, token=bob).json()["suggestions"]
        eq([(x["id"], x["reply"]) for x in got], [(note, "The old one.")], "bob sees the answer")
        eq(api(srv, "GET", "/api/v1/inbox", token=alice).json()["unread"], 0, "alice has answered both")
        inbox = api(srv, "GET", "/api/v1/inbox", token=bob).json()
        eq([(i["kind"], i["text"], i["actor"]) for i in inbox["items"]],
           [("suggestion_answered", "The old one.", "alice"), ("suggestion_accepted", "", "alice")], "bob's inbox")
        # Limits as for comments: 30 suggestions in 15 minutes per account.
        for i in range(28):
            status(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, {"quote": "lamp room", "note": "n%d" % i},
                       token=carol), 201)
        status(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, {"quote": "lamp room", "note": "29"},
                   token=carol), 201)
        status(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, {"quote": "lamp room", "note": "30"},
                   token=carol), 201)
        error(api(srv, "POST", "/api/v1/chapters/%d/suggestions" % cid, {"quote": "lamp room", "note": "31"},
                  token=carol), "rate_limited", 429)


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
