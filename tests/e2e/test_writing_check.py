"""End-to-end: the writer's check. In previews and on the chapter form's Check: suggestions grouped by kind,
each quoting its sentence, names from the tags never counted, dismissals and accepted names remembered for
the work (or all the writer's works) through the form's own buttons and through /writing/words; nothing is
posted by checking. The API: POST /api/v1/check with character offsets, its limits and errors."""
import html
import json
import re
import sys

from quire_e2e import check, contains, eq, main, not_contains, status, Server
from test_api import add_user, api, error
from test_works import post_work, user, work_fields


def check_box(page):
    m = re.search(r'<section class="writing-check".*?<p class="hint">', page, re.S)
    check(m is not None, "the preview has a writer's check")
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(0))))


def items(page):
    """The check's items as (kind-group, found, key)."""
    out = []
    for g in re.finditer(r'<section class="check-group check-(\w+)">(.*?)</section>', page, re.S):
        for it in re.finditer(r'data-found="([^"]*)"[^>]*data-key="([^"]*)"', g.group(2)):
            out.append((g.group(1), html.unescape(it.group(1)), html.unescape(it.group(2))))
    return out


def chapter_form(content, action="preview", **extra):
    f = [("chapter_title", "Two"), ("chapter_content", content), ("chapter_format", "text"), ("chapter_notes", ""),
         ("chapter_end_notes", ""), ("chapter_summary", "")]
    if action:
        f.append(("action", action))
    f.extend(extra.items())
    return f


def test_previews_and_remembered_words():
    with Server() as srv:
        author = user(srv, "careful_writer")
        author.get("/works/new")
        r = author.post_form("/works", work_fields(
            title="The Keeper", characters="Wren Ashby, Agnes Hale", action="preview",
            chapter_content="Wren did not recieve the letter. Agnes climbed the the stair to the lamp room. "
                            "She could of stayed below. \"I'm fine.\" she said. Wren looked at Vellmarsh harbour."))
        status(r, 200)
        box = check_box(r.text)
        contains(box, "Before you post")
        contains(box, "en_GB, en_US dictionaries")
        found = items(r.text)
        for kind, word in (("spelling", "recieve"), ("doubled", "the the"), ("confusable", "of"),
                           ("punctuation", ".")):
            check((kind, word) in [(k, f) for k, f, _ in found], "%s %r flagged: %r" % (kind, word, found))
        contains(box, "Wren did not recieve the letter.")  # the sentence quoted
        contains(box, "→ receive")
        for name in ("Wren", "Agnes", "Vellmarsh", "harbour"):
            check(name not in [f for _, f, _ in found], "%s is no mistake" % name)
        eq(len(re.findall(r'class="blurb', author.get("/users/careful_writer").text)), 0, "a preview saves nothing")

        # A language without a dictionary says so, and still checks the rest.
        r = author.post_form("/works", work_fields(action="preview", language="Klingon",
                                                   chapter_content="Qapla' batlh je. The the end."))
        contains(check_box(r.text), "no spelling dictionary for Klingon")

        # A saved work: "Check" on the chapter form, then Dismiss (a form button: nothing typed is lost, nothing
        # posted) and Add-to-names, remembered for the work.
        wid = post_work(author, title="Lamps", characters="Wren Ashby")
        page = author.get("/works/%d/chapters/new" % wid).text
        contains(page, 'value="check"')
        text = "Tamsin walked the causway. Tamsin had a lantern. She could of waited."
        r = author.post_form("/works/%d/chapters" % wid, chapter_form(text, action="check"))
        status(r, 200)
        found = items(r.text)
        keys = dict((f, k) for _, f, k in found)
        check("causway" in keys and "of" in keys, "flagged: %r" % found)
        contains(r.text, "Tamsin walked the causway.")  # the text box keeps what was typed
        r = author.post_form("/works/%d/chapters" % wid, chapter_form(text, action=None, check_dismiss=keys["of"]))
        status(r, 200)
        check("of" not in [f for _, f, _ in items(r.text)], "a dismissed suggestion is gone")
        contains(r.text, "causway")
        r = author.post_form("/works/%d/chapters" % wid, chapter_form(text, action=None, check_name="causway"))
        check("causway" not in [f for _, f, _ in items(r.text)], "an accepted name is gone")
        eq(len(re.findall(r'<h2[^>]*class="heading"', author.get("/works/%d/navigate" % wid).text)) <= 1, True,
           "checking posted nothing")
        # The same work remembers them; another work does not.
        r = author.post_form("/works/%d/chapters" % wid, chapter_form("It was a causway. She could of gone."))
        eq([f for _, f, _ in items(r.text)], [], "remembered for this work")
        other = post_work(author, title="Other")
        r = author.post_form("/works/%d/chapters" % other, chapter_form("It was a causway. She could of gone."))
        check(len(items(r.text)) == 2, "another work: %r" % items(r.text))

        # A picked dictionary: en_US only flags British spellings; "any" brings both back.
        r = author.post_form("/works/%d/chapters" % other, chapter_form("The colour was grey.", action=None,
                                                                       check_variant="en_US", check_variant_set="1"))
        eq(sorted(f for _, f, _ in items(r.text)), ["colour", "grey"], "en_US only")
        contains(r.text, '<option value="en_US" selected>en_US only</option>')
        r = author.post_form("/works/%d/chapters" % other, chapter_form("The colour was grey.", action=None,
                                                                       check_variant="", check_variant_set="1"))
        eq(items(r.text), [], "any variant")

        # The script's endpoint: JSON, CSRF, only the work's creators.
        token = author.csrf_token("/works/%d/chapters/new" % other)
        r = author.post("/writing/words", "csrf_token=%s&kind=name&word=causway&work_id=%d&all=1" % (token, other),
                        headers={"Accept": "application/json"})
        status(r, 200)
        eq(r.json(), {"ok": True}, "answer")
        r = author.post_form("/works/%d/chapters" % other, chapter_form("It was a causway."))
        eq(items(r.text), [], "remembered for all the writer's works")
        r = author.post("/writing/words", "kind=name&word=x", headers={"Accept": "application/json"})
        status(r, 403)  # no CSRF token
        r = author.post("/writing/words", "csrf_token=%s&kind=bogus&word=x" % token, headers={"Accept": "application/json"})
        status(r, 422)
        stranger = user(srv, "stranger")
        t2 = stranger.csrf_token("/works/new")
        r = stranger.post("/writing/words", "csrf_token=%s&kind=name&word=x&work_id=%d" % (t2, wid),
                          headers={"Accept": "application/json"})
        status(r, 403)


def test_api_check():
    with Server() as srv:
        alice = add_user(srv, "alice")
        r = api(srv, "POST", "/api/v1/check", {"text": "Café: she could of gone. Tamsin laughed."}, token=alice)
        status(r, 200)
        d = r.json()
        eq(d["language"], "en", "language")
        check("en_GB" in d["dictionaries"] and "en_US" in d["dictionaries"], "dictionaries %r" % d["dictionaries"])
        s = [x for x in d["suggestions"] if x["kind"] == "confusable"]
        eq(len(s), 1, "one confusable")
        eq((s[0]["start"], s[0]["end"], s[0]["text"], s[0]["replacement"]), (16, 18, "of", "have"),
           "character offsets (é is one character)")
        check(s[0]["message"] and s[0]["key"] == "confusable:of", "message and key")
        eq(d["by_kind"]["confusable"], 1, "by kind")
        # language, names, variants
        r = api(srv, "POST", "/api/v1/check", {"text": "The harbour was grey. Vellmarsh slept.", "language": "en_US",
                                              "names": ["Vellmarsh"]}, token=alice)
        found = [x["text"] for x in r.json()["suggestions"]]
        eq(found, ["harbour", "grey"], "en_US alone flags British spellings; names are names")
        r = api(srv, "POST", "/api/v1/check", {"text": "The colour was grey.", "language": "English"}, token=alice)
        eq(r.json()["suggestions"], [], "English accepts both variants")
        # errors and limits
        error(api(srv, "POST", "/api/v1/check", {"text": "x"}), "unauthorized", 401)
        error(api(srv, "POST", "/api/v1/check", {"text": 5}, token=alice), "bad_json", 400)
        error(api(srv, "POST", "/api/v1/check", {"text": "x", "names": [1]}, token=alice), "bad_json", 400)
        error(api(srv, "POST", "/api/v1/check", {"text": "x", "names": ["n"] * 1001}, token=alice), "bad_json", 400)
        error(api(srv, "POST", "/api/v1/check", {"text": "a " * (1100 * 1024)}, token=alice), "bad_json", 400)
        error(api(srv, "POST", "/api/v1/check", {"text": "x", "work_id": 999999}, token=alice), "not_found", 404)
        r = api(srv, "POST", "/api/v1/check", {"text": "She could of gone.", "language": "../../etc"}, token=alice)
        status(r, 200)
        eq(r.json()["dictionaries"], [], "an unknown language has no dictionary, and names no file")
        # A work's creators check with its names and remembered words; others may not.
        r = api(srv, "POST", "/api/v1/works", {"title": "T", "rating": "General Audiences",
                                              "warnings": ["No Archive Warnings Apply"], "fandoms": ["F"],
                                              "characters": ["Tamsin Quill"],
                                              "chapter": {"content": "Tamsin waited.", "format": "text"}}, token=alice)
        status(r, 201)
        wid = r.json()["id"]
        r = api(srv, "POST", "/api/v1/check", {"text": "Quill and Tamsin waited.", "work_id": wid}, token=alice)
        eq(r.json()["suggestions"], [], "the work's tags are names")
        bob = add_user(srv, "bob")
        error(api(srv, "POST", "/api/v1/check", {"text": "x", "work_id": wid}, token=bob), "forbidden", 403)


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
