"""End-to-end: sign-up, log-in, log-out, CSRF, rate limits, password change and account deletion."""
import sys

from quire_e2e import (Server, check, contains, csrf_from, eq, has_input, input_value, location_path, main,
                       not_contains, redirect, status)

PW = "correct horse 42"


def logged_in_as(client, name):
    r = client.get("/account")
    status(r, 200)
    contains(r.text, name, "account page")


def logged_out(client):
    r = client.get("/account")
    status(r, 303)
    check(location_path(r).startswith("/login"), "GET /account redirects to %r, want /login" % location_path(r))


def can_login(srv, name, password):
    r = srv.client().login(name, password)
    return r.status == 303


def test_signup_form_has_fields_and_csrf_cookie():
    with Server() as srv:
        c = srv.client()
        r = c.get("/signup")
        status(r, 200)
        for f in ("username", "email", "password", "password_confirmation"):
            check(has_input(r.text, f), "signup form lacks input %s" % f)
        check(has_input(r.text, "password", "password"), "password input is not type=password")
        check(has_input(r.text, "csrf_token", "hidden"), "no hidden csrf_token input")
        check(csrf_from(r.text), "empty csrf_token")
        check("quire_csrf" in r.set_cookies(), "no quire_csrf cookie set: %r" % r.set_cookies())
        contains(r.text, "<form", "signup page")


def test_signup_logs_in_and_account_shows_name():
    with Server() as srv:
        c = srv.client()
        r = c.signup("alice_1", "alice@example.org", PW)
        redirect(r, "/account", "/")
        cookie = r.set_cookies().get("quire_session")
        check(cookie, "no quire_session cookie after sign-up: %r" % r.set_cookies())
        attrs = [a.strip().lower() for a in cookie.split(";")[1:]]
        check("httponly" in attrs, "quire_session is not HttpOnly: %s" % cookie)
        check("samesite=lax" in attrs, "quire_session is not SameSite=Lax: %s" % cookie)
        logged_in_as(c, "alice_1")


def signup_rejected(srv, name, email, password, confirmation=None, why=""):
    """Asserts a 422 re-rendered form keeping name and email, not echoing passwords, not logging in."""
    c = srv.client()
    r = c.signup(name, email, password, confirmation)
    check(r.status == 422, "%s: status %d, want 422; body:\n%s" % (why, r.status, r.text[:800]))
    check("quire_session" not in r.set_cookies(), "%s: a session cookie was set" % why)
    check(r.header("Content-Type", "").startswith("text/html"), "%s: Content-Type %r" % (why, r.header("Content-Type")))
    eq(input_value(r.text, "username"), name, "%s: username input value" % why)
    eq(input_value(r.text, "email"), email, "%s: email input value" % why)
    for secret in {password, confirmation or password}:
        not_contains(r.text, secret, "%s: re-rendered form" % why)
    check(has_input(r.text, "csrf_token", "hidden"), "%s: re-rendered form lacks csrf_token" % why)
    logged_out(c)
    return r


def test_signup_errors_rerender_the_form_with_422():
    with Server() as srv:
        signup_rejected(srv, "shorty", "shorty@example.org", "pw12345", why="7-character password")
        signup_rejected(srv, "mismatch", "mm@example.org", "Mismatch-One-123", "Mismatch-Two-456",
                        why="mismatched confirmation")
        for i, bad in enumerate(("ab", "a" * 41, "_alice", "al ice", "al-ice", "alice!", "al.ice", "")):
            signup_rejected(srv, bad, "u%d@example.org" % i, PW, why="username %r" % bad)
        for bad in ("notanemail", "a@", "@example.org", "a b@example.org", "a@b@example.org", ""):
            signup_rejected(srv, "emailtest", bad, PW, why="e-mail %r" % bad)
        # None of those created an account.
        check(not can_login(srv, "shorty", "pw12345"), "rejected sign-up shorty can log in")
        r = srv.client().signup("mismatch", "mm@example.org", PW)
        redirect(r, "/account", "/")


def test_signup_limits_are_exact():
    with Server() as srv:
        redirect(srv.client().signup("abc", "abc@example.org", PW), "/account", "/")
        redirect(srv.client().signup("b" * 40, "b40@example.org", PW), "/account", "/")
        redirect(srv.client().signup("9lives_", "nine@example.org", "exactly8"), "/account", "/")
        check(can_login(srv, "9lives_", "exactly8"), "8-character password does not log in")


def test_signup_echo_is_escaped():
    with Server() as srv:
        evil = '"><script>alert(1)</script>'
        r = signup_rejected(srv, evil, 'x"><b>@example.org', PW, why="markup in username")
        not_contains(r.text, "<script>alert(1)</script>", "re-rendered form")
        not_contains(r.text, 'x"><b>', "re-rendered form")


def test_taken_username_and_email_are_refused():
    with Server() as srv:
        redirect(srv.client().signup("Alice", "alice@example.org", PW), "/account", "/")
        signup_rejected(srv, "alice", "other@example.org", PW, why="username taken (other case)")
        signup_rejected(srv, "ALICE", "other2@example.org", PW, why="username taken (upper case)")
        signup_rejected(srv, "alice2", "alice@example.org", PW, why="e-mail taken")
        check(can_login(srv, "Alice", PW), "original account no longer logs in")


def test_logout_ends_the_session_on_the_server():
    with Server() as srv:
        c = srv.client()
        redirect(c.signup("bob", "bob@example.org", PW), "/account", "/")
        stolen = dict(c.cookies)
        logged_in_as(c, "bob")
        r = c.logout()
        status(r, 303)
        logged_out(c)
        # The old cookie, replayed, must not work either: the session is gone server-side.
        replay = srv.client()
        replay.cookies.update(stolen)
        logged_out(replay)


def test_login_by_name_or_email():
    with Server() as srv:
        redirect(srv.client().signup("carol", "carol@example.org", PW), "/account", "/")
        c = srv.client()
        r = c.login("carol", PW)
        status(r, 303)
        check("quire_session" in r.set_cookies(), "login set no session cookie")
        logged_in_as(c, "carol")
        c2 = srv.client()
        status(c2.login("carol@example.org", PW), 303)
        logged_in_as(c2, "carol")


def test_wrong_password_is_401_with_message():
    with Server() as srv:
        redirect(srv.client().signup("dave", "dave@example.org", PW), "/account", "/")
        for name, pw in (("dave", "wrong password 1"), ("nobody_here", "wrong password 2")):
            c = srv.client()
            r = c.login(name, pw)
            status(r, 401)
            check(r.header("Content-Type", "").startswith("text/html"), "Content-Type %r" % r.header("Content-Type"))
            check(has_input(r.text, "password", "password"), "401 page does not show the login form again")
            low = r.text.lower()
            check(any(w in low for w in ("incorrect", "invalid", "wrong", "does not match", "didn't match",
                                         "did not match", "not recognised", "not recognized")),
                  "no error message on failed login:\n%s" % r.text[:1500])
            not_contains(r.text, pw, "failed login page")
            check("quire_session" not in r.set_cookies(), "failed login set a session cookie")
            logged_out(c)


def test_repeated_wrong_passwords_are_rate_limited():
    with Server() as srv:
        redirect(srv.client().signup("erin", "erin@example.org", PW), "/account", "/")
        c = srv.client()
        last = None
        statuses = []
        for i in range(20):
            last = c.login("erin", "not the password %d" % i)
            statuses.append(last.status)
            check(last.status in (401, 429), "attempt %d answered %d" % (i + 1, last.status))
        eq(last.status, 429, "status of the 20th wrong password (all: %r)" % statuses)
        ra = last.header("Retry-After")
        check(ra and ra.strip().isdigit() and int(ra) > 0, "Retry-After %r" % ra)
        # Once blocked, even the right password must not get in from here.
        r = c.login("erin", PW)
        eq(r.status, 429, "correct password while rate-limited")
        logged_out(c)


def test_posts_without_valid_csrf_token_are_403_and_change_nothing():
    with Server() as srv:
        form = [("username", "frank"), ("email", "frank@example.org"), ("password", PW),
                ("password_confirmation", PW)]
        for token in (None, "", "0" * 64, "not-a-token"):
            c = srv.client()
            c.get("/signup")
            fields = form + ([("csrf_token", token)] if token is not None else [])
            r = c.post_form("/signup", fields, csrf=False)
            status(r, 403)
            check("quire_session" not in r.set_cookies(), "403 sign-up set a session")
        # A token taken from another client (other quire_csrf cookie) is no good either.
        other = srv.client()
        other.get("/signup")
        foreign = csrf_from(other.last.text)
        c = srv.client()
        c.get("/signup")
        status(c.post_form("/signup", form + [("csrf_token", foreign)], csrf=False), 403)
        # No request at all from a page: no cookie, no token.
        bare = srv.client()
        status(bare.post_form("/signup", form, csrf=False), 403)
        # Nothing was created: the real sign-up succeeds.
        good = srv.client()
        redirect(good.signup("frank", "frank@example.org", PW), "/account", "/")

        # Log-in without a token: refused, no session.
        c = srv.client()
        c.get("/login")
        status(c.post_form("/login", [("username", "frank"), ("password", PW)], csrf=False), 403)
        status(c.post_form("/login", [("username", "frank"), ("password", PW), ("csrf_token", "x")], csrf=False), 403)
        logged_out(c)

        # Log-out without a token: still logged in.
        status(good.post_form("/logout", [], csrf=False), 403)
        status(good.post_form("/logout", [("csrf_token", "0" * 64)], csrf=False), 403)
        logged_in_as(good, "frank")

        # Password change without a token: the old password still works.
        change = [("current_password", PW), ("password", "brand new pw 1"), ("password_confirmation", "brand new pw 1")]
        good.get("/account")
        status(good.post_form("/account/password", change, csrf=False), 403)
        status(good.post_form("/account/password", change + [("csrf_token", foreign)], csrf=False), 403)
        check(can_login(srv, "frank", PW), "old password stopped working after a refused change")
        check(not can_login(srv, "frank", "brand new pw 1"), "refused change took effect")

        # Account deletion without a token: still there.
        status(good.post_form("/account/delete", [("password", PW), ("works", "orphan")], csrf=False), 403)
        check(can_login(srv, "frank", PW), "account gone after a refused deletion")


def test_change_password():
    with Server() as srv:
        c = srv.client()
        redirect(c.signup("grace", "grace@example.org", PW), "/account", "/")
        c.get("/account")
        r = c.post_form("/account/password", [("current_password", "not it"), ("password", "new password 9"),
                                              ("password_confirmation", "new password 9")])
        check(r.status >= 400, "change with a wrong current password answered %d" % r.status)
        not_contains(r.text, "new password 9", "refused change page")
        check(can_login(srv, "grace", PW), "old password stopped working after a refused change")
        c.get("/account")
        r = c.post_form("/account/password", [("current_password", PW), ("password", "new password 9"),
                                              ("password_confirmation", "new password 8")])
        check(r.status >= 400, "change with mismatched confirmation answered %d" % r.status)
        c.get("/account")
        r = c.post_form("/account/password", [("current_password", PW), ("password", "short"),
                                              ("password_confirmation", "short")])
        check(r.status >= 400, "change to a 5-character password answered %d" % r.status)
        check(can_login(srv, "grace", PW), "old password stopped working after refused changes")
        c.get("/account")
        r = c.post_form("/account/password", [("current_password", PW), ("password", "new password 9"),
                                              ("password_confirmation", "new password 9")])
        status(r, 303)
        check(not can_login(srv, "grace", PW), "old password still logs in")
        check(can_login(srv, "grace", "new password 9"), "new password does not log in")


def test_delete_account():
    with Server() as srv:
        c = srv.client()
        redirect(c.signup("heidi", "heidi@example.org", PW), "/account", "/")
        c.get("/account")
        r = c.post_form("/account/delete", [("password", "wrong one"), ("works", "orphan")])
        check(r.status >= 400, "deletion with a wrong password answered %d" % r.status)
        check(can_login(srv, "heidi", PW), "account gone after a refused deletion")
        other = srv.client()
        status(other.login("heidi", PW), 303)
        c.get("/account")
        r = c.post_form("/account/delete", [("password", PW), ("works", "orphan")])
        redirect(r, "/")
        check(not can_login(srv, "heidi", PW), "deleted account still logs in")
        logged_out(c)
        logged_out(other)  # every session of the account ends with it

        c = srv.client()
        redirect(c.signup("ivan", "ivan@example.org", PW), "/account", "/")
        c.get("/account")
        redirect(c.post_form("/account/delete", [("password", PW), ("works", "delete")]), "/")
        check(not can_login(srv, "ivan", PW), "deleted account still logs in")


if __name__ == "__main__":
    sys.exit(main(globals()))
