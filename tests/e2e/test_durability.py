"""End-to-end: what was acknowledged survives kill -9 and restarts on the same data dir."""
import sys

from quire_e2e import Server, check, main, redirect, status

PW = "durable pw 123"


def test_signup_survives_kill9():
    with Server() as srv:
        redirect(srv.client().signup("durable", "durable@example.org", PW), "/account", "/")
        srv.kill9()
        srv.start()
        c = srv.client()
        status(c.login("durable", PW), 303)
        r = c.get("/account")
        status(r, 200)
        check("durable" in r.text, "account page after restart lacks the name")


def test_password_change_survives_kill9():
    with Server() as srv:
        c = srv.client()
        redirect(c.signup("changer", "changer@example.org", PW), "/account", "/")
        c.get("/account")
        status(c.post_form("/account/password", [("current_password", PW), ("password", "second pw 456"),
                                                 ("password_confirmation", "second pw 456")]), 303)
        srv.kill9()
        srv.start()
        status(srv.client().login("changer", "second pw 456"), 303)
        status(srv.client().login("changer", PW), 401)


def test_session_survives_clean_restart():
    with Server() as srv:
        c = srv.client()
        redirect(c.signup("stayer", "stayer@example.org", PW), "/account", "/")
        srv.restart()
        r = c.get("/account")
        status(r, 200)
        check("stayer" in r.text, "account page after restart lacks the name")


def test_many_restarts_keep_every_account():
    with Server() as srv:
        for i in range(5):
            redirect(srv.client().signup("user%d" % i, "user%d@example.org" % i, PW), "/account", "/")
            if i % 2:
                srv.kill9()
                srv.start()
            else:
                srv.restart()
        for i in range(5):
            status(srv.client().login("user%d" % i, PW), 303)


if __name__ == "__main__":
    sys.exit(main(globals()))
