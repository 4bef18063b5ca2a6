"""End-to-end: the JSON API v1 (tokens, works, chapters, errors, permissions) against the real binary."""
import json
import re
import sys

from quire_e2e import Server, check, contains, eq, main, not_contains, parse_raw, run_cli, status

PW = "correct horse 42"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# -- helpers --

def add_user(srv, name):
    """Creates NAME with the CLI and returns a fresh API token for it."""
    p = run_cli(["user", "add", name, "%s@example.org" % name], data=srv.data, stdin=PW + "\n")
    eq(p.returncode, 0, "user add %s exit status (stderr: %s)" % (name, p.stderr))
    p = run_cli(["token", "add", name], data=srv.data)
    eq(p.returncode, 0, "token add %s exit status (stderr: %s)" % (name, p.stderr))
    token = p.stdout.strip()
    check(re.match(r"^[0-9a-f]{64}$", token), "token add printed %r, want 64 lowercase hex" % p.stdout)
    return token


def api(srv, method, path, body=None, token=None, raw=None, content_type="application/json", headers=None):
    """One API request; body is JSON-encoded, raw is sent as is. Returns the harness Response."""
    h = {"Accept": "application/json"}
    if token is not None:
        h["Authorization"] = "Bearer " + token
    data = raw if raw is not None else (json.dumps(body).encode("utf-8") if body is not None else None)
    if data is not None and content_type is not None:
        h["Content-Type"] = content_type
    if headers:
        h.update(headers)
    return srv.client().request(method, path, body=data, headers=h)


def error(resp, code, http_status):
    """Asserts a JSON error with the stable code; returns the error object."""
    status(resp, http_status)
    check(resp.header("Content-Type", "").startswith("application/json"),
          "error Content-Type %r" % resp.header("Content-Type"))
    e = resp.json().get("error")
    check(isinstance(e, dict), "no error object in %r" % resp.text[:500])
    eq(e.get("code"), code, "error code (message %r)" % e.get("message"))
    check(isinstance(e.get("message"), str) and e["message"], "error without a message")
    return e


def invalid_fields(resp):
    """Asserts 422 invalid and returns its fields object."""
    e = error(resp, "invalid", 422)
    check(isinstance(e.get("fields"), dict) and e["fields"], "422 without fields: %r" % e)
    return e["fields"]


def work_body(**over):
    b = {
        "title": "The Long Way Home",
        "summary": "Two friends walk home.",
        "notes": "Written for a prompt.",
        "end_notes": "Thanks for reading!",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["Gen"],
        "fandoms": ["Original Work"],
        "relationships": [],
        "characters": ["Ada", "Ben"],
        "freeforms": ["Walking", "Friendship"],
        "language": "English",
        "expected_chapters": None,
        "complete": False,
        "draft": False,
        "restricted": False,
        "chapter": {"title": "Setting Out", "content": "They left at dawn, and the road was long.",
                    "format": "text", "notes": "", "end_notes": "", "summary": ""},
    }
    b.update(over)
    return b


def create(srv, token, **over):
    r = api(srv, "POST", "/api/v1/works", work_body(**over), token)
    status(r, 201)
    return r.json()


def chapter_body(content="The second day was colder than the first.", **over):
    b = {"title": "Onward", "content": content, "format": "text"}
    b.update(over)
    return b


# -- works --

def test_create_and_read_a_work():
    with Server() as srv:
        alice = add_user(srv, "alice")
        r = api(srv, "POST", "/api/v1/works",
                work_body(summary="<p>Two <em>friends</em> walk.</p><script>alert(1)</script>"), alice)
        status(r, 201)
        w = r.json()
        wid = w["id"]
        check(isinstance(wid, int) and wid > 0, "id %r" % wid)
        eq(r.header("Location"), "/api/v1/works/%d" % wid, "Location header")
        eq(w["url"], "/works/%d" % wid, "url")
        eq(w["title"], "The Long Way Home", "title")
        eq(w["creators"], [{"name": "alice"}], "creators")
        eq(w["rating"], "General Audiences", "rating")
        eq(w["warnings"], ["No Archive Warnings Apply"], "warnings")
        eq(w["categories"], ["Gen"], "categories")
        eq(w["fandoms"], ["Original Work"], "fandoms")
        eq(w["characters"], ["Ada", "Ben"], "characters")
        eq(w["freeforms"], ["Walking", "Friendship"], "freeforms")
        eq(w["relationships"], [], "relationships")
        eq(w["language"], "English", "language")
        eq(w["expected_chapters"], None, "expected_chapters")
        eq(w["chapter_count"], 1, "chapter_count")
        eq(w["chapters_label"], "1/?", "chapters_label")
        eq(w["complete"], False, "complete")
        eq(w["draft"], False, "draft")
        eq(w["restricted"], False, "restricted")
        eq(w["series"], None, "series")
        check(ISO.match(w["published_at"] or ""), "published_at %r" % w["published_at"])
        check(ISO.match(w["updated_at"] or ""), "updated_at %r" % w["updated_at"])
        eq(w["word_count"], 9, "word_count")
        # The summary keeps its source; its HTML went through the sanitizer.
        contains(w["summary"], "<script>", "summary source")
        contains(w["summary_html"], "<em>friends</em>", "summary_html")
        not_contains(w["summary_html"], "<script", "summary_html")
        contains(w["notes_html"], "Written for a prompt.", "notes_html")
        contains(w["end_notes_html"], "Thanks for reading!", "end_notes_html")
        eq(len(w["chapters"]), 1, "chapter list")
        ch = w["chapters"][0]
        eq(ch["position"], 1, "chapter position")
        eq(ch["title"], "Setting Out", "chapter title")
        eq(ch["url"], "/works/%d/chapters/%d" % (wid, ch["id"]), "chapter url")
        check("content" not in ch, "the work object carries chapter content")

        # A guest reads the same work through the API...
        g = api(srv, "GET", "/api/v1/works/%d" % wid)
        status(g, 200)
        gw = g.json()
        for k in ("id", "title", "creators", "fandoms", "chapters_label", "chapters", "summary_html"):
            eq(gw[k], w[k], "guest GET %s" % k)
        check("invited" not in gw, "a guest sees pending invitations")
        # ...and through the pages.
        page = srv.client().get("/works/%d" % wid)
        status(page, 200)
        contains(page.text, "The Long Way Home", "work page")
        contains(page.text, "Original Work", "work page")
        contains(page.text, "They left at dawn", "work page")
        c = api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, ch["id"]))
        status(c, 200)
        eq(c.json()["content"], "They left at dawn, and the road was long.", "chapter content")
        eq(c.json()["format"], "text", "chapter format")
        contains(c.json()["content_html"], "They left at dawn", "chapter content_html")


def test_unknown_fields_are_ignored_and_defaults_apply():
    with Server() as srv:
        alice = add_user(srv, "alice")
        body = work_body(frobnicate=True, kudos=999)
        for k in ("notes", "end_notes", "categories", "relationships", "characters", "freeforms", "language",
                  "expected_chapters", "complete", "draft", "restricted"):
            del body[k]
        r = api(srv, "POST", "/api/v1/works", body, alice)
        status(r, 201)
        w = r.json()
        eq(w["draft"], False, "draft default")
        eq(w["language"], "English", "language default")
        eq(w["chapters_label"], "1/?", "chapters_label default")
        check("frobnicate" not in w, "unknown fields echoed: %r" % w)


def test_chapters_label_and_chapter_crud():
    with Server() as srv:
        alice = add_user(srv, "alice")
        w = create(srv, alice)
        wid = w["id"]
        first = w["chapters"][0]["id"]

        r = api(srv, "POST", "/api/v1/works/%d/chapters" % wid,
                chapter_body("**Bold** steps on the *second* day.", format="markdown", notes="N1"), alice)
        status(r, 201)
        c = r.json()
        cid = c["id"]
        eq(r.header("Location"), "/api/v1/works/%d/chapters/%d" % (wid, cid), "Location header")
        eq(c["url"], "/works/%d/chapters/%d" % (wid, cid), "chapter url")
        eq(c["work_id"], wid, "work_id")
        eq(c["position"], 2, "position")
        eq(c["title"], "Onward", "title")
        eq(c["format"], "markdown", "format")
        eq(c["content"], "**Bold** steps on the *second* day.", "content source")
        contains(c["content_html"], "<strong>Bold</strong>", "content_html")
        eq(c["notes"], "N1", "notes")
        check(c["word_count"] > 0, "word_count %r" % c["word_count"])
        check(ISO.match(c["published_at"] or ""), "published_at %r" % c["published_at"])

        w = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq(w["chapters_label"], "2/?", "chapters_label after adding")
        eq(w["chapter_count"], 2, "chapter_count")
        eq([x["position"] for x in w["chapters"]], [1, 2], "chapter positions")
        eq([x["id"] for x in w["chapters"]], [first, cid], "chapter order")

        # Partial update keeps what is not given.
        r = api(srv, "PATCH", "/api/v1/works/%d/chapters/%d" % (wid, cid), {"title": "Further"}, alice)
        status(r, 200)
        eq(r.json()["title"], "Further", "patched title")
        eq(r.json()["content"], "**Bold** steps on the *second* day.", "content kept")
        eq(r.json()["format"], "markdown", "format kept")
        eq(r.json()["notes"], "N1", "notes kept")
        r = api(srv, "PATCH", "/api/v1/works/%d/chapters/%d" % (wid, cid), {"content": "short"}, alice)
        check("content" in invalid_fields(r), "422 fields lack content: %r" % r.text)
        r = api(srv, "PATCH", "/api/v1/works/%d/chapters/%d" % (wid, cid), {"format": "rtf"}, alice)
        check("format" in invalid_fields(r), "422 fields lack format: %r" % r.text)
        eq(api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, cid)).json()["title"], "Further",
           "title after rejected patches")

        # The chapter of one work is not reachable through another.
        other = create(srv, alice, title="Other")
        error(api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (other["id"], cid)), "not_found", 404)
        error(api(srv, "DELETE", "/api/v1/works/%d/chapters/%d" % (other["id"], cid), token=alice),
              "not_found", 404)

        # expected_chapters shows in the label.
        r = api(srv, "PATCH", "/api/v1/works/%d" % wid, {"expected_chapters": 3}, alice)
        status(r, 200)
        eq(r.json()["chapters_label"], "2/3", "label with expected chapters")

        r = api(srv, "DELETE", "/api/v1/works/%d/chapters/%d" % (wid, cid), token=alice)
        status(r, 204)
        eq(r.body, b"", "204 body")
        error(api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, cid)), "not_found", 404)
        w = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq(w["chapters_label"], "1/3", "label after deleting")

        # The last chapter goes only with its work.
        error(api(srv, "DELETE", "/api/v1/works/%d/chapters/%d" % (wid, first), token=alice), "last_chapter", 422)
        status(api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, first)), 200)


def test_patch_is_partial_and_validated():
    with Server() as srv:
        alice = add_user(srv, "alice")
        w = create(srv, alice)
        wid = w["id"]
        r = api(srv, "PATCH", "/api/v1/works/%d" % wid, {"title": "Renamed"}, alice)
        status(r, 200)
        p = r.json()
        eq(p["title"], "Renamed", "patched title")
        for k in ("summary", "notes", "end_notes", "rating", "warnings", "categories", "fandoms", "characters",
                  "freeforms", "language", "expected_chapters", "complete", "restricted", "chapters"):
            eq(p[k], w[k], "%s after patching the title" % k)
        r = api(srv, "PATCH", "/api/v1/works/%d" % wid,
                {"complete": True, "expected_chapters": 1, "freeforms": ["Hurt/Comfort"], "summary": None}, alice)
        status(r, 200)
        p = r.json()
        eq((p["complete"], p["expected_chapters"], p["freeforms"], p["summary"]),
           (True, 1, ["Hurt/Comfort"], ""), "patched fields")
        eq(p["chapters_label"], "1/1", "chapters_label")
        # Invalid patches change nothing.
        check("fandoms" in invalid_fields(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"fandoms": []}, alice)),
              "no fandoms accepted")
        check("title" in invalid_fields(api(srv, "PATCH", "/api/v1/works/%d" % wid,
                                            {"title": " ", "rating": "Mature"}, alice)), "blank title accepted")
        check("draft" in invalid_fields(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"draft": True}, alice)),
              "posted work went back to draft")
        now = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq((now["title"], now["rating"], now["fandoms"], now["draft"]),
           ("Renamed", "General Audiences", ["Original Work"], False), "work after rejected patches")


def test_comment_settings_through_the_api():
    with Server() as srv:
        alice = add_user(srv, "alice")
        bob = add_user(srv, "bob")
        w = create(srv, alice)
        eq((w["comment_policy"], w["comments_moderated"]), ("everyone", False), "defaults")
        w = create(srv, alice, title="Guarded", comment_policy="registered", comments_moderated=True)
        wid = w["id"]
        eq((w["comment_policy"], w["comments_moderated"]), ("registered", True), "set on create")
        # The settings act: a reader's comment waits for approval.
        chapter = w["chapters"][0]["id"]
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % chapter, {"body": "Lovely start."}, bob)
        status(r, 201)
        eq(r.json()["state"], "pending", "a comment on a moderated work")
        # One setting alone leaves the other as it was.
        r = api(srv, "PATCH", "/api/v1/works/%d" % wid, {"comments_moderated": False}, alice)
        status(r, 200)
        eq((r.json()["comment_policy"], r.json()["comments_moderated"]), ("registered", False), "moderation off")
        r = api(srv, "PATCH", "/api/v1/works/%d" % wid, {"comment_policy": "nobody"}, alice)
        eq((r.json()["comment_policy"], r.json()["comments_moderated"]), ("nobody", False), "closed")
        status(api(srv, "POST", "/api/v1/chapters/%d/comments" % chapter, {"body": "Hello?"}, bob), 403)
        # A patch of other fields leaves them; a bad value changes nothing, the title included.
        status(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"summary": "New."}, alice), 200)
        check("comment_policy" in invalid_fields(api(srv, "PATCH", "/api/v1/works/%d" % wid,
                                                     {"comment_policy": "sometimes", "title": "X"}, alice)),
              "unknown policy refused by field")
        error(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"comment_policy": 2}, alice), "bad_json", 400)
        error(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"comments_moderated": "yes"}, alice), "bad_json", 400)
        now = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq((now["title"], now["comment_policy"], now["comments_moderated"]), ("Guarded", "nobody", False),
           "after refused patches")
        # Only a creator changes them.
        status(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"comment_policy": "everyone"}, bob), 403)


def test_series():
    with Server() as srv:
        alice = add_user(srv, "alice")
        a = create(srv, alice, series={"title": "Roads"})
        eq((a["series"] or {}).get("title"), "Roads", "series title")
        eq(a["series"]["position"], 1, "first position")
        b = create(srv, alice, title="Second", series={"title": "Roads"})
        eq(b["series"]["position"], 2, "second position")
        eq(b["series"]["id"], a["series"]["id"], "same series")
        r = api(srv, "PATCH", "/api/v1/works/%d" % b["id"], {"title": "Second!"}, alice)
        eq(r.json()["series"], b["series"], "series kept by an unrelated patch")
        r = api(srv, "PATCH", "/api/v1/works/%d" % b["id"], {"series": None}, alice)
        status(r, 200)
        eq(r.json()["series"], None, "series removed")
        f = invalid_fields(api(srv, "POST", "/api/v1/works", work_body(series={"title": "Roads", "position": 0}),
                               alice))
        check("series.position" in f, "series position 0 accepted: %r" % f)


def test_coauthors_are_invited_not_added():
    with Server() as srv:
        alice = add_user(srv, "alice")
        bob = add_user(srv, "bob")
        w = create(srv, alice, coauthors=["bob"])
        eq(w["creators"], [{"name": "alice"}], "creators before acceptance")
        eq(w["invited"], [{"name": "bob"}], "invited")
        check("invited" not in api(srv, "GET", "/api/v1/works/%d" % w["id"], token=bob).json(),
              "pending invitee sees the invitation list")
        error(api(srv, "PATCH", "/api/v1/works/%d" % w["id"], {"title": "Mine"}, bob), "forbidden", 403)
        f = invalid_fields(api(srv, "POST", "/api/v1/works", work_body(coauthors=["nobody_here"]), alice))
        contains(f.get("coauthors", ""), "nobody_here", "coauthors error")


# -- validation and malformed requests --

def test_validation_errors_name_fields():
    with Server() as srv:
        alice = add_user(srv, "alice")
        cases = [
            ("title", dict(title="")),
            ("title", dict(title=None)),
            ("title", dict(title="x" * 256)),
            ("fandoms", dict(fandoms=[])),
            ("fandoms", dict(fandoms=["   "])),
            ("rating", dict(rating="Kinda Spicy")),
            ("rating", dict(rating=None)),
            ("warnings", dict(warnings=[])),
            ("warnings", dict(warnings=["Spoilers"])),
            ("categories", dict(categories=["Romance"])),
            ("summary", dict(summary="s" * 1251)),
            ("notes", dict(notes="n" * 5001)),
            ("freeforms", dict(freeforms=["a, b"])),
            ("freeforms", dict(freeforms=["t%d" % i for i in range(75)])),
            ("expected_chapters", dict(expected_chapters=0)),
            ("expected_chapters", dict(expected_chapters=10 ** 12)),
            ("chapter.content", dict(chapter={"content": "too short"})),
            ("chapter.content", dict(chapter={"content": "   \n\t  "})),
            ("chapter.content", dict(chapter=None)),
            ("chapter.format", dict(chapter={"content": "Long enough text here.", "format": "docx"})),
        ]
        for field, over in cases:
            f = invalid_fields(api(srv, "POST", "/api/v1/works", work_body(**over), alice))
            check(field in f, "%r: fields %r lack %s" % (over if len(repr(over)) < 200 else field, f, field))
        # Several problems at once are all reported.
        f = invalid_fields(api(srv, "POST", "/api/v1/works",
                               work_body(title="", fandoms=[], rating="nope", chapter={"content": "tiny"}), alice))
        for field in ("title", "fandoms", "rating", "chapter.content"):
            check(field in f, "combined errors lack %s: %r" % (field, f))
        # Limits count characters, not bytes: 1250 two-byte characters is a valid summary.
        r = api(srv, "POST", "/api/v1/works", work_body(summary="\u00e9" * 1250), alice)
        status(r, 201)
        # Nothing rejected was stored.
        eq(api(srv, "GET", "/api/v1/works").json()["total"], 1, "works stored")


def test_bad_json_is_400_and_names_the_field():
    with Server() as srv:
        alice = add_user(srv, "alice")
        for raw in (b"", b"{", b"[1, 2]", b'"a string"', b"null", b'{"title": "x",}', b"{} trailing",
                    b'{"title": "a", "title": "b"}', b'{"title": "\xff\xfe"}', b'{"title": "a\\u0000b"}',
                    b'{"title": "\\ud800"}', b"[" * 100000 + b"]" * 100000):
            error(api(srv, "POST", "/api/v1/works", raw=raw, token=alice), "bad_json", 400)
        for field, value in (("title", 5), ("summary", ["x"]), ("warnings", "No Archive Warnings Apply"),
                             ("fandoms", [1]), ("expected_chapters", "3"), ("expected_chapters", 2.5),
                             ("complete", "yes"), ("draft", 0), ("series", "Roads"), ("coauthors", "bob"),
                             ("chapter", ["text"]), ("rating", {"name": "Mature"})):
            e = error(api(srv, "POST", "/api/v1/works", work_body(**{field: value}), alice), "bad_json", 400)
            contains(e["message"], field, "bad_json message for %s" % field)
        e = error(api(srv, "POST", "/api/v1/works", work_body(chapter={"content": 12}), alice), "bad_json", 400)
        contains(e["message"], "chapter.content", "bad_json message for chapter.content")
        wid = create(srv, alice)["id"]
        error(api(srv, "PATCH", "/api/v1/works/%d" % wid, raw=b"{nope", token=alice), "bad_json", 400)
        error(api(srv, "PATCH", "/api/v1/works/%d" % wid, {"complete": "true"}, alice), "bad_json", 400)
        error(api(srv, "POST", "/api/v1/works/%d/chapters" % wid, raw=b"[]", token=alice), "bad_json", 400)
        eq(api(srv, "GET", "/api/v1/works").json()["total"], 1, "works stored")
        check(srv.alive(), "server died")


def test_content_type_must_be_json():
    with Server() as srv:
        alice = add_user(srv, "alice")
        body = json.dumps(work_body()).encode()
        for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx", None):
            error(api(srv, "POST", "/api/v1/works", raw=body, token=alice, content_type=ct),
                  "unsupported_media_type", 415)
        status(api(srv, "POST", "/api/v1/works", raw=body, token=alice,
                   content_type="application/json; charset=utf-8"), 201)
        wid = create(srv, alice)["id"]
        error(api(srv, "PATCH", "/api/v1/works/%d" % wid, raw=b'{"title":"x"}', token=alice,
                  content_type="text/plain"), "unsupported_media_type", 415)


def test_body_over_the_limit_is_413_json():
    with Server() as srv:
        alice = add_user(srv, "alice")
        size = 9 * 1024 * 1024
        head = ("POST /api/v1/works HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (alice, size))
        st, headers, body = parse_raw(srv.raw(head.encode() + b" " * size, timeout=20))
        eq(st, 413, "status for a 9 MiB body")
        eq(json.loads(body.decode())["error"]["code"], "too_large", "error code")


# -- authentication and permissions --

def test_tokens_authenticate_and_bad_tokens_are_401():
    with Server() as srv:
        alice = add_user(srv, "alice")
        draft = create(srv, alice, draft=True)
        # A valid token sees the draft; the scheme is case-insensitive.
        status(api(srv, "GET", "/api/v1/works/%d" % draft["id"], token=alice), 200)
        r = api(srv, "GET", "/api/v1/works/%d" % draft["id"], headers={"Authorization": "bearer " + alice})
        status(r, 200)
        bad = ["abc", alice.upper(), alice[:-1], alice + "0", "0" * 64, alice + " " + alice, ""]
        for tok in bad:
            for method, path in (("GET", "/api/v1/works"), ("GET", "/api/v1/works/%d" % draft["id"]),
                                 ("POST", "/api/v1/works")):
                r = api(srv, method, path, work_body() if method == "POST" else None, tok)
                error(r, "unauthorized", 401)
        for header in ("Basic YWxpY2U6cHc=", "Token " + alice, alice, "Bearer"):
            error(api(srv, "GET", "/api/v1/works", headers={"Authorization": header}), "unauthorized", 401)
        r = api(srv, "GET", "/api/v1/works", token="0" * 64)
        check("bearer" in (r.header("WWW-Authenticate") or "").lower(), "no WWW-Authenticate: Bearer on 401")
        # No header at all is a guest, who may read but not write.
        status(api(srv, "GET", "/api/v1/works"), 200)
        for method, path in (("POST", "/api/v1/works"), ("PATCH", "/api/v1/works/%d" % draft["id"]),
                             ("DELETE", "/api/v1/works/%d" % draft["id"]),
                             ("POST", "/api/v1/works/%d/chapters" % draft["id"])):
            error(api(srv, method, path, {}), "unauthorized", 401)
        # A browser session cookie does not authenticate the API.
        c = srv.client()
        status(c.login("alice", PW), 303)
        r = c.request("GET", "/api/v1/works/%d" % draft["id"])
        error(r, "not_found", 404)


def test_other_users_get_403_and_guests_404_for_hidden_works():
    with Server() as srv:
        alice = add_user(srv, "alice")
        bob = add_user(srv, "bob")
        w = create(srv, alice)
        wid, cid = w["id"], w["chapters"][0]["id"]
        c2 = api(srv, "POST", "/api/v1/works/%d/chapters" % wid, chapter_body(), alice).json()["id"]
        for method, path, body in (("PATCH", "/api/v1/works/%d" % wid, {"title": "Bob's now"}),
                                   ("DELETE", "/api/v1/works/%d" % wid, None),
                                   ("POST", "/api/v1/works/%d/chapters" % wid, chapter_body()),
                                   ("PATCH", "/api/v1/works/%d/chapters/%d" % (wid, cid), {"title": "x"}),
                                   ("DELETE", "/api/v1/works/%d/chapters/%d" % (wid, c2), None)):
            error(api(srv, method, path, body, bob), "forbidden", 403)
        now = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq((now["title"], now["chapter_count"]), ("The Long Way Home", 2), "work after bob's attempts")

        missing = api(srv, "GET", "/api/v1/works/999999")
        error(missing, "not_found", 404)
        draft = create(srv, alice, title="Secret Draft", draft=True)
        eq(draft["draft"], True, "draft flag")
        eq(draft["published_at"], None, "draft published_at")
        restricted = create(srv, alice, title="Members Only", restricted=True)
        for hidden in (draft, restricted):
            hid, hcid = hidden["id"], hidden["chapters"][0]["id"]
            g = api(srv, "GET", "/api/v1/works/%d" % hid)
            error(g, "not_found", 404)
            eq(g.body, missing.body, "a hidden work answers exactly like a missing one")
            error(api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (hid, hcid)), "not_found", 404)
            status(api(srv, "GET", "/api/v1/works/%d" % hid, token=alice), 200)
            status(api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (hid, hcid), token=alice), 200)
            page = srv.client().get("/works/%d" % hid)
            check(page.status != 200, "guest GET /works/%d answered 200" % hid)
            not_contains(page.text, hidden["title"], "guest page for a hidden work")
        # Another user: the draft stays hidden (404, even for writes), the restricted work is readable.
        error(api(srv, "GET", "/api/v1/works/%d" % draft["id"], token=bob), "not_found", 404)
        error(api(srv, "PATCH", "/api/v1/works/%d" % draft["id"], {"title": "x"}, bob), "not_found", 404)
        status(api(srv, "GET", "/api/v1/works/%d" % restricted["id"], token=bob), 200)
        error(api(srv, "PATCH", "/api/v1/works/%d" % restricted["id"], {"title": "x"}, bob), "forbidden", 403)

        # Posting the draft makes it public.
        r = api(srv, "PATCH", "/api/v1/works/%d" % draft["id"], {"draft": False}, alice)
        status(r, 200)
        eq(r.json()["draft"], False, "posted")
        check(ISO.match(r.json()["published_at"] or ""), "published_at after posting: %r" % r.json()["published_at"])
        status(api(srv, "GET", "/api/v1/works/%d" % draft["id"]), 200)
        status(srv.client().get("/works/%d" % draft["id"]), 200)


def test_delete_work():
    with Server() as srv:
        alice = add_user(srv, "alice")
        w = create(srv, alice)
        wid, cid = w["id"], w["chapters"][0]["id"]
        r = api(srv, "DELETE", "/api/v1/works/%d" % wid, token=alice)
        status(r, 204)
        eq(r.body, b"", "204 body")
        error(api(srv, "GET", "/api/v1/works/%d" % wid), "not_found", 404)
        error(api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, cid)), "not_found", 404)
        error(api(srv, "DELETE", "/api/v1/works/%d" % wid, token=alice), "not_found", 404)
        status(srv.client().get("/works/%d" % wid), 404)
        for bad in ("0", "-1", "abc", "99999999999999999999", "1.5"):
            error(api(srv, "GET", "/api/v1/works/%s" % bad), "not_found", 404)


# -- listing --

def test_list_paging_and_filters():
    with Server() as srv:
        alice = add_user(srv, "alice")
        bob = add_user(srv, "bob")
        public = [create(srv, alice, title="Work %d" % i)["id"] for i in range(5)]
        create(srv, alice, title="A Draft", draft=True)
        members = create(srv, alice, title="Members", restricted=True)["id"]
        bobs = create(srv, bob, title="Bob's")["id"]

        seen = []
        for page in (1, 2, 3, 4):
            r = api(srv, "GET", "/api/v1/works?per_page=2&page=%d" % page)
            status(r, 200)
            j = r.json()
            eq((j["page"], j["per_page"], j["total"]), (page, 2, 6), "paging fields of page %d" % page)
            check(len(j["works"]) == (2 if page <= 3 else 0), "page %d has %d works" % (page, len(j["works"])))
            for x in j["works"]:
                check("chapters_label" in x and "title" in x and "url" in x, "list item lacks fields: %r" % x)
            seen += [x["id"] for x in j["works"]]
        eq(sorted(seen), sorted(public + [bobs]), "guest sees the public works once each")

        j = api(srv, "GET", "/api/v1/works?per_page=100", token=bob).json()
        eq(j["total"], 7, "a logged-in reader also sees the restricted work")
        check(members in [x["id"] for x in j["works"]], "restricted work missing for bob")
        check("A Draft" not in [x["title"] for x in j["works"]], "a draft is listed")
        j = api(srv, "GET", "/api/v1/works?per_page=100", token=alice).json()
        check("A Draft" not in [x["title"] for x in j["works"]], "a draft is listed for its author")

        j = api(srv, "GET", "/api/v1/works?creator=bob").json()
        eq([x["id"] for x in j["works"]], [bobs], "creator=bob")
        eq(api(srv, "GET", "/api/v1/works?creator=nobody_at_all").json()["total"], 0, "unknown creator")
        j = api(srv, "GET", "/api/v1/works").json()
        eq((j["page"], j["per_page"]), (1, 20), "defaults")
        eq(api(srv, "GET", "/api/v1/works?per_page=5000").json()["per_page"], 100, "per_page is capped")
        for q in ("page=0", "page=-1", "page=abc", "per_page=0", "page=99999999999999999999"):
            error(api(srv, "GET", "/api/v1/works?" + q), "invalid", 422)


def test_unknown_routes_and_methods_answer_json():
    with Server() as srv:
        error(api(srv, "GET", "/api/v1/nothing-here"), "not_found", 404)
        r = api(srv, "PUT", "/api/v1/works/1", {})
        error(r, "method_not_allowed", 405)
        contains(r.header("Allow") or "", "PATCH", "Allow header")


if __name__ == "__main__":
    sys.exit(main(globals()))
