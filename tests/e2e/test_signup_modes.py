"""End-to-end: sign-up modes and the site's terms (issue 14). Invitation-only sign-up through the request queue with
a real SMTP server (the daily run and an admin's "send now"), codes that make one account, closed sign-up, the
terms of service accepted at sign-up and again when they change, settings the config fixes."""
import re
import sys
import urllib.parse

from admin_helpers import PW, add_user, login, settings, text_of
from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, status
from test_mail import Sink, body, to, wait_for


def signup(c, name, invitation=None, accept=True):
    c.get("/signup" + ("?invitation=" + invitation if invitation else ""))
    f = [("username", name), ("email", "%s@example.org" % name), ("password", PW), ("password_confirmation", PW)]
    if invitation is not None:
        f.append(("invitation", invitation))
    if accept:
        f.append(("accept_terms", "1"))
    return c.post_form("/signup", f)


def ask(c, email):
    c.get("/invitations/request")
    return c.post_form("/invitations/request", [("email", email)])


def invitation_in(m):
    link = re.search(r"(http://\S+/signup\?invitation=(\w+))", body(m))
    check(link is not None, "no invitation link in the mail:\n%s" % body(m))
    return urllib.parse.urlsplit(link.group(1)), link.group(2)


def test_invitation_only_through_the_queue_with_real_mail():
    with Sink() as sink:
        env = {"QUIRE_SMTP_URL": sink.url, "QUIRE_MAIL_FROM": "archive@example.org", "QUIRE_HOUSEKEEPING_SECONDS": "1"}
        with Server(env=env) as srv:
            add_user(srv, "queue_admin", role="admin")
            adm = login(srv, "queue_admin")
            redirect(settings(adm, signup_mode="invitation", invitations_per_day="1"), "/admin/settings")
            # Without an invitation there is no way in; the form says how to get one.
            guest = srv.client()
            page = guest.get("/signup").text
            contains(page, "Sign-up is by invitation")
            contains(page, 'href="/invitations/request"')
            r = signup(guest, "no_invite", invitation="")
            status(r, 422)
            contains(r.text, "ask for one")
            # Two people ask; the daily run sends the day's one invitation, to the first.
            r = ask(srv.client(), "first.asker@example.org")
            status(r, 200)
            contains(r.text, "You are in the queue")
            r = ask(srv.client(), "second.asker@example.org")
            contains(text_of(r.text), "behind 1 person")
            status(ask(srv.client(), "first.asker@example.org"), 422)  # once per address
            m = sink.wait(lambda m: "first.asker@example.org" in to(m), "the first invitation")
            contains(m["Subject"], "Your invitation")
            page = adm.get("/admin/invitations").text
            contains(text_of(page), "1 waiting; 1 sent from the queue in the last 24 hours")
            not_contains(" ".join(to(x) for x in sink.messages()), "second.asker")
            # The link in the mail makes an account, once.
            url, code = invitation_in(m)
            form = guest.get(url.path + "?" + url.query)
            status(form, 200)
            contains(form.text, 'value="%s"' % code)
            r = signup(srv.client(), "first_asker", invitation=code)
            redirect(r, "/account")
            r = signup(srv.client(), "sneaky_second", invitation=code)
            status(r, 422)
            contains(r.text, "used already")
            status(signup(srv.client(), "made_up", invitation="notacode123"), 422)
            # An admin sends the next one at once, beyond the day's number.
            r = adm.post_form("/admin/invitations/send", [("count", "5")])
            redirect(r, "/admin/invitations")
            m2 = sink.wait(lambda m: "second.asker@example.org" in to(m), "the second invitation")
            url2, code2 = invitation_in(m2)
            redirect(signup(srv.client(), "second_asker", invitation=code2), "/account")
            # Accounts hand out codes of their own, within their limit.
            me = login(srv, "first_asker")
            for i in range(3):
                redirect(me.post_form("/invitations", []), "/invitations")
            status(me.post_form("/invitations", []), 422)
            mine = re.findall(r"/signup\?invitation=(\w+)", me.get("/invitations").text)
            eq(len(mine), 3, "the account's codes")
            redirect(signup(srv.client(), "friend_of_first", invitation=mine[0]), "/account")
            log = text_of(adm.get("/admin/log").text)
            contains(log, "sent invitations")


def test_closed_signup_and_what_the_config_fixes():
    with Server(env={"QUIRE_INVITATIONS_PER_DAY": "3"}) as srv:
        add_user(srv, "closer_admin", role="admin")
        adm = login(srv, "closer_admin")
        page = adm.get("/admin/settings").text
        contains(page, "fixed by the environment (QUIRE_INVITATIONS_PER_DAY)")
        not_contains(page, 'name="invitations_per_day"')  # the fixed one is not offered as a field
        redirect(settings(adm), "/admin/settings")  # nothing changed
        r = adm.post_form("/admin/settings", [("invitations_per_day", "50"), ("signup_mode", "open")])
        status(r, 422)
        contains(r.text, "Set by the environment (QUIRE_INVITATIONS_PER_DAY)")
        redirect(settings(adm, signup_mode="closed", site_name="The Closed Archive"), "/admin/settings")
        guest = srv.client()
        page = guest.get("/signup").text
        contains(page, "Sign-ups are closed")
        contains(page, "The Closed Archive")
        guest.get("/login")  # a form's token: the closed sign-up page has none
        status(guest.post_form("/signup", [("username", "too_late"), ("email", "late@example.org"),
                                           ("password", PW), ("password_confirmation", PW)]), 403)
        c = srv.client()
        c.get("/login")
        status(c.post_form("/invitations/request", [("email", "x@example.org")]), 403)
        # The command line still creates accounts.
        add_user(srv, "by_the_operator")
        redirect(settings(adm, signup_mode="open"), "/admin/settings")
        redirect(signup(srv.client(), "now_open"), "/account")
        status(adm.post_form("/admin/settings", [("site_name", "   ")]), 422)
        status(adm.post_form("/admin/settings", [("signup_mode", "sometimes")]), 422)
        status(login(srv, "by_the_operator").get("/admin/settings"), 403)


def test_terms_accepted_at_signup_and_again_when_they_change():
    with Server() as srv:
        add_user(srv, "terms_admin", role="admin")
        add_user(srv, "old_reader")
        reader = login(srv, "old_reader")
        status(reader.get("/works"), 200)
        adm = login(srv, "terms_admin")
        r = adm.post_form("/admin/pages/tos", [("title", "Terms of Service"), ("in_footer", "1"),
                                               ("body", "Be **kind**. No <script>alert(1)</script> here.")])
        redirect(r, "/pages/tos")
        page = srv.client().get("/pages/tos").text
        contains(page, "<strong>kind</strong>")
        not_contains(page, "<script>alert")
        contains(srv.client().get("/").text, 'href="/pages/tos"')  # in every page's footer
        redirect(adm.post_form("/admin/pages/privacy", [("title", "Privacy"), ("body", "We keep little.")]),
                 "/pages/privacy")
        # An existing reader is asked on their next visit, and only once.
        r = reader.get("/works")
        redirect(r, "/accept")
        status(reader.get("/pages/tos"), 200)  # the terms themselves stay open
        page = reader.get("/accept?return=/works")
        contains(page.text, "please read and accept the site")
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
        redirect(reader.post_form("/accept", [("version", version), ("return", "/works")]), "/works")
        status(reader.get("/works"), 200)
        # A new version asks again; a mere correction does not.
        redirect(adm.post_form("/admin/pages/tos", [("title", "Terms of Service"), ("body", "Be kind, always.")]),
                 "/pages/tos")
        status(reader.get("/works"), 200)
        redirect(adm.post_form("/admin/pages/tos", [("title", "Terms of Service"), ("new_version", "1"),
                                                    ("body", "Be kind. New: no AI-written works.")]), "/pages/tos")
        redirect(reader.get("/works"), "/accept")
        page = reader.get("/accept")
        contains(page.text, "changed since you last accepted")
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
        redirect(reader.post_form("/accept", [("version", version), ("return", "/")]), "/")
        status(reader.get("/works"), 200)
        # Sign-up asks for the terms up front, and a new account is not asked again.
        r = signup(srv.client(), "newcomer", accept=False)
        status(r, 422)
        contains(r.text, "accept the terms")
        c = srv.client()
        redirect(signup(c, "newcomer"), "/account")
        status(c.get("/works"), 200)
        contains(text_of(adm.get("/admin/log").text), "saved a site page")


if __name__ == "__main__":
    sys.exit(main(globals()))
