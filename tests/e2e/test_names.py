"""End-to-end: look-alike user names are refused at sign-up; bidirectional controls never reach titles, tags
and names; a title of invisible characters is no title."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quire_e2e import Server, check, eq, main, redirect, run_cli, status  # noqa: E402

PASSWORD = "correct horse battery"
CHAPTER = "A chapter long enough to be posted, with a few words in it."
RLO, LRI, PDI, LRM = "\u202e", "\u2066", "\u2069", "\u200e"


def signup(srv, name):
    c = srv.client()
    return c, c.signup(name, name.lower() + "." + str(abs(hash(name)) % 100000) + "@example.org", PASSWORD)


def field_error(page, name):
    """The error shown beside the input named name on a form, or None."""
    for block in re.split(r'<div class="field"', page)[1:]:
        if re.search(r'name="%s"' % re.escape(name), block):
            m = re.search(r'class="field-error"[^>]*>([^<]*)<', block)
            return m.group(1) if m else None
    return None


def signup_error(r):
    return field_error(r.text, "username") or r.text[:2000]


def test_look_alike_names_are_refused_at_sign_up():
    with Server() as srv:
        for original, twin in (("alice", "aIice"), ("mallory", "rnallory"), ("wild_rose", "wi1d_rose")):
            _, r = signup(srv, original)
            redirect(r, "/account")
            _, r = signup(srv, twin)
            status(r, 422)
            msg = signup_error(r)
            check("looks too much like" in msg and original in msg, "%s beside %s: %r" % (twin, original, msg))
        # Either way round, and from the command line too.
        _, r = signup(srv, "rnallory_2")
        redirect(r, "/account")
        _, r = signup(srv, "mallory_2")
        status(r, 422)
        cli = run_cli(["user", "add", "aIice", "other@example.org"], data=srv.data, stdin=PASSWORD + "\n")
        check(cli.returncode != 0 and "looks too much like" in cli.stderr, "CLI: %r" % cli.stderr)
        # Names that merely share letters are fine.
        for name in ("alicia", "malory", "wild_roses", "bob0"):
            _, r = signup(srv, name)
            redirect(r, "/account")


def test_every_sign_up_problem_is_reported_at_once():
    with Server() as srv:
        signup(srv, "alice")
        c = srv.client()
        c.get("/signup")
        r = c.post_form("/signup", [("username", "aIice"), ("email", "alice.0@example.org"),
                                    ("password", "short"), ("password_confirmation", "short")])
        status(r, 422)
        for field in ("username", "password"):
            check(field_error(r.text, field), "no error beside %s: %s" % (field, r.text[:3000]))


def api_token(srv, name):
    cli = run_cli(["token", "add", name], data=srv.data)
    check(cli.returncode == 0, cli.stderr)
    return cli.stdout.strip()


def api(srv, method, path, body, token):
    c = srv.client()
    return c.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})


def test_bidirectional_controls_are_removed():
    with Server() as srv:
        c, r = signup(srv, "writer")
        token = api_token(srv, "writer")
        title = "Harbour " + RLO + "Street" + PDI + " " + LRM
        r = c.post_form("/works", [("title", title), ("rating", "General Audiences"),
                                   ("warnings", "No Archive Warnings Apply"),
                                   ("fandoms", "Original " + LRI + "Work" + PDI),
                                   ("freeforms", RLO + "evil.example"),
                                   ("series_title", "Tales" + RLO),
                                   ("chapter_title", "One" + RLO), ("chapter_content", CHAPTER)])
        redirect(r)
        wid = int(r.headers["Location"].split("?")[0].rsplit("/", 1)[1])
        w = api(srv, "GET", "/api/v1/works/%d" % wid, None, token).json()
        eq((w["title"], w["fandoms"], w["freeforms"], w["series"]["title"], w["chapters"][0]["title"]),
           ("Harbour Street", ["Original Work"], ["evil.example"], "Tales", "One"), "cleaned fields")
        # The API cleans the same way.
        r = api(srv, "POST", "/api/v1/works", {"title": RLO + "gnp.exe", "rating": "General Audiences",
                                               "warnings": ["No Archive Warnings Apply"],
                                               "fandoms": ["Original Work"], "characters": [LRM + "Ada"],
                                               "chapter": {"content": CHAPTER}}, token)
        status(r, 201)
        eq((r.json()["title"], r.json()["characters"]), ("gnp.exe", ["Ada"]), "cleaned through the API")


def test_a_title_of_invisible_characters_is_refused():
    invisible = ("\u200b\u200c\u200d", "\u2060\ufeff", " \u3164 ", RLO + PDI, "\u00ad\u034f", "\u2800")
    with Server() as srv:
        c, _ = signup(srv, "writer")
        token = api_token(srv, "writer")
        for title in invisible:
            r = c.post_form("/works", [("title", title), ("rating", "General Audiences"),
                                       ("warnings", "No Archive Warnings Apply"), ("fandoms", "Original Work"),
                                       ("chapter_content", CHAPTER)])
            status(r, 422)
            check('id="title-error"' in r.text, "title %r accepted by the form" % title)
            r = api(srv, "POST", "/api/v1/works", {"title": title, "rating": "General Audiences",
                                                   "warnings": ["No Archive Warnings Apply"],
                                                   "fandoms": ["Original Work"], "chapter": {"content": CHAPTER}},
                    token)
            status(r, 422)
            check("title" in r.json()["error"]["fields"], "title %r accepted by the API" % title)
        # A tag of invisible characters is no tag: the only fandom missing is the error.
        r = api(srv, "POST", "/api/v1/works", {"title": "Fine", "rating": "General Audiences",
                                               "warnings": ["No Archive Warnings Apply"],
                                               "fandoms": ["\u200b"], "chapter": {"content": CHAPTER}}, token)
        status(r, 422)
        check("fandoms" in r.json()["error"]["fields"], r.text)


if __name__ == "__main__":
    sys.exit(main(globals()))
