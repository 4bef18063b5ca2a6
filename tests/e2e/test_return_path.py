"""End-to-end: after log-in and after saving reading settings, only a path on this site is followed."""
import sys
import urllib.parse

from quire_e2e import Server, eq, input_value, location_path, main, status

PW = "correct horse 42"

BAD = [
    "/\t/evil.example/phish",      # browsers drop the tab: //evil.example
    "/%09/evil.example/phish",
    "//evil.example/",
    "/\\evil.example/",
    "/%2F/evil.example/",          # // once decoded
    "/%5Cevil.example/",
    "/works\r\nSet-Cookie: x=1",
    "/works /x",
    "/works%20x",
    "/\u3000/evil.example/",       # ideographic space
    "/%E2%80%A8x",                 # line separator, encoded
    "https://evil.example/",
    "evil.example",
    "",
]
GOOD = ["/works/1?view_full_work=true", "/users/reader", "/works?page=2", "/"]


def test_login_follows_only_local_return_paths():
    with Server() as srv:
        c = srv.client()
        status(c.signup("reader", "reader@example.org", PW), 303)
        c.logout()
        # The exploit from the issue, as a link someone could send.
        r = c.get("/login?return=" + urllib.parse.quote("/\t/evil.example/phish", safe="/"))
        status(r, 200)
        eq(input_value(r.text, "return"), "/", "return field of the log-in form")
        for ret in BAD + GOOD:
            c.get("/login")
            r = c.post_form("/login", [("username", "reader"), ("password", PW), ("return", ret)])
            status(r, 303)
            eq(location_path(r), ret if ret in GOOD else "/", "Location after log-in with return=%r" % ret)
            c.logout()


def test_reading_settings_follow_only_local_return_paths():
    with Server() as srv:
        c = srv.client()
        r = c.get("/prefs?return=" + urllib.parse.quote("/%09/evil.example/phish"))
        status(r, 200)
        eq(input_value(r.text, "return"), "/", "return field of the settings form")
        for ret in BAD + GOOD:
            c.get("/prefs")
            r = c.post_form("/prefs", [("theme", "dark"), ("font_size", "m"), ("return", ret)])
            status(r, 303)
            eq(location_path(r), ret if ret in GOOD else "/", "Location after settings with return=%r" % ret)


if __name__ == "__main__":
    sys.exit(main(globals()))
