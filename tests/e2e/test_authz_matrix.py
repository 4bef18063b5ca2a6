"""End-to-end: the authorization matrix. Every route of the pages' route table (src/web/routes.c) and of the API's
(src/api/routes.c), for every role, answers the status this table expects; every form that changes state refuses
a request without its CSRF token; an API write refuses a session cookie without a token.

The table must list every route: a route in a table and not here (or here and in no table) fails the test, so a
new route joins the matrix when it is added. One server, one fixture archive, a few seconds.

Roles: guest (no account), reader (an account with no relation to the work), creator (the work's owner),
co_creator (an accepted co-creator), wrangler, admin and moderator (site roles), suspended and banned (accounts
logged in, with API tokens, then suspended or banned: their sessions and tokens stop working). A row names the
moderator's value where it differs from the reader's; the suspended and banned accounts' values follow one rule
unless a row names them (held_default): a page they GET answers as to a guest, a form they send is refused (403:
its CSRF token belonged to the dead session) or sent to log in as a guest's would be, and the API refuses their
token (401).

Blocked users (BLOCKED): accounts blocked by the work's creator or co-creator, on the routes where a block
refuses them (comments, readers' suggestions) and a few it leaves open.

Expected values: a status, or LOGIN (303 to /login?return=..., a guest on a members' page). Paths name fixture
objects in braces; {fresh_*} makes a new object for that one request (a delete or a state change must not
take the fixture away from the rows after it). Set AUTHZ_PRINT=1 to print the matrix as observed.
"""
import json
import os
import re
import sys
import urllib.parse

from quire_e2e import ROOT, Server, check, eq, main, run_cli

PW = "correct horse 42"
ROLES = ["guest", "reader", "creator", "co_creator", "wrangler", "admin", "moderator", "suspended", "banned"]
LOGIN = "login"
# The account of each role ("admin" and friends are reserved names).
ACCOUNT = {"reader": "mx_reader", "creator": "mx_creator", "co_creator": "mx_cocreator", "wrangler": "mx_wrangler",
           "admin": "mx_admin", "moderator": "mx_moderator", "suspended": "mx_suspended", "banned": "mx_banned",
           "bystander": "mx_bystander"}

# ---- The matrix ------------------------------------------------------------------------------------------------
# (method, pattern): (path, body, expected), expected = x(guest, reader, creator, co_creator, wrangler, admin,
# moderator, suspended, banned); moderator defaults to the reader's value, suspended and banned to held_default.
# body: a dict of form fields (pages; the CSRF token is added) or of JSON (API), values formatted like paths;
# None: no body. Where a success would change the fixture, the body is bad input (a wrong password, an empty
# title) so the row still shows who gets past the permission check (422/401) and who does not (403/404).


def x(guest, reader, creator, co_creator, wrangler, admin, moderator=None, suspended=None, banned=None):
    moderator = reader if moderator is None else moderator
    banned = suspended if banned is None else banned
    return dict(zip(ROLES, (guest, reader, creator, co_creator, wrangler, admin, moderator, suspended, banned)))


def held_default(want, method, pattern, needs):
    """The suspended and banned accounts' values a row does not name (see the module's docstring)."""
    out = dict(want)
    for role in ("suspended", "banned"):
        if out[role] is not None:
            continue
        if pattern.startswith("/api/"):
            out[role] = 401
        elif method == "GET" or "NO_CSRF" in needs or want["guest"] == LOGIN:
            out[role] = want["guest"]
        else:
            out[role] = 403
    return out


# Staff only: guests sent to log in, accounts refused, the moderator's and admin's values given.
def staff(admin, moderator=None):
    return x(LOGIN, 403, 403, 403, 403, admin, admin if moderator is None else moderator)


def staff_api(admin, moderator=None):
    return x(401, 403, 403, 403, 403, admin, admin if moderator is None else moderator)


MATRIX = {
    # -- site --
    ("GET", "/"): ("/", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/healthz"): ("/healthz", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/metrics"): ("/metrics", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/static/:file"): ("/static/style.css", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/favicon.ico"): ("/favicon.ico", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/prefs"): ("/prefs", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/docs/:name"): ("/docs/api", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/prefs"): ("/prefs", {"theme": "dark"}, x(303, 303, 303, 303, 303, 303)),
    # -- accounts (bad input where a success would change the fixture) --
    ("GET", "/signup"): ("/signup", None, x(200, 303, 303, 303, 303, 303)),
    ("POST", "/signup"): ("/signup", {"username": "x", "email": "not an address", "password": "short"}, x(422, 422, 422, 422, 422, 422)),
    ("GET", "/login"): ("/login", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/login"): ("/login", {"username": "{BYSTANDER}", "password": "wrong password"}, x(401, 401, 401, 401, 401, 401)),
    ("POST", "/logout"): ("/logout", {}, x(303, 303, 303, 303, 303, 303)),  # a session of its own (request())
    ("GET", "/account"): ("/account", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/account/password"): ("/account/password", {"current_password": "wrong password", "password": "another long one", "password_confirmation": "another long one"}, x(LOGIN, 401, 401, 401, 401, 401)),
    ("POST", "/account/delete"): ("/account/delete", {"password": "wrong password"}, x(LOGIN, 401, 401, 401, 401, 401)),
    ("POST", "/account/tokens"): ("/account/tokens", {"name": "matrix"}, x(LOGIN, 201, 201, 201, 201, 201)),
    ("POST", "/account/tokens/:id/revoke"): ("/account/tokens/{TOKEN}/revoke", {}, x(LOGIN, 404, 303, 404, 404, 404)),
    ("POST", "/account/invitations/:id/accept"): ("/account/invitations/{fresh_invite}/accept", {}, x(LOGIN, 404, 404, 303, 404, 404)),
    # -- works and chapters --
    ("GET", "/works"): ("/works", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/works/new"): ("/works/new", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/works"): ("/works", {"title": ""}, x(LOGIN, 422, 422, 422, 422, 422)),
    ("GET", "/works/:id"): ("/works/{W}", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/works/:id/navigate"): ("/works/{W}/navigate", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/works/:id/edit"): ("/works/{W}/edit", None, x(LOGIN, 403, 200, 200, 403, 403)),
    ("POST", "/works/:id"): ("/works/{W}", {"title": ""}, x(LOGIN, 403, 422, 422, 403, 403)),
    ("GET", "/works/:id/delete"): ("/works/{W}/delete", None, x(LOGIN, 403, 200, 200, 403, 403)),
    ("POST", "/works/:id/delete"): ("/works/{fresh_work}/delete", {}, x(LOGIN, 403, 303, 303, 403, 403)),
    ("POST", "/works/:id/post"): ("/works/{fresh_draft}/post", {}, x(LOGIN, 404, 303, 303, 404, 404)),
    ("GET", "/works/:id/chapters/new"): ("/works/{W}/chapters/new", None, x(LOGIN, 403, 200, 200, 403, 403)),
    ("POST", "/works/:id/chapters"): ("/works/{W}/chapters", {"content": ""}, x(LOGIN, 403, 422, 422, 403, 403)),
    ("GET", "/works/:id/chapters/manage"): ("/works/{W}/chapters/manage", None, x(LOGIN, 403, 200, 200, 403, 403)),
    ("POST", "/works/:id/chapters/reorder"): ("/works/{W}/chapters/reorder", {"order": "x"}, x(LOGIN, 403, 303, 303, 403, 403)),
    ("GET", "/works/:id/chapters/:cid"): ("/works/{W}/chapters/{C1}", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/works/:id/chapters/:cid/edit"): ("/works/{W}/chapters/{C1}/edit", None, x(LOGIN, 403, 200, 200, 403, 403)),
    ("POST", "/works/:id/chapters/:cid"): ("/works/{W}/chapters/{C1}", {"content": ""}, x(LOGIN, 403, 422, 422, 403, 403)),
    ("POST", "/works/:id/chapters/:cid/delete"): ("/works/{W}/chapters/{fresh_chapter}/delete", {}, x(LOGIN, 403, 303, 303, 403, 403)),
    ("GET", "/users/:name"): ("/users/{USER}", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/users/:name/works"): ("/users/{USER}/works", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/downloads/:id/:file"): ("/downloads/{W}/Matrix_Work.epub", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/opds"): ("/opds", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/opds/search.xml"): ("/opds/search.xml", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/opds/works"): ("/opds/works", None, x(200, 200, 200, 200, 200, 200)),
    # -- blocks (of a bystander: nobody in the matrix is blocked) --
    ("GET", "/users/:name/block"): ("/users/{BYSTANDER}/block", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/users/:name/block"): ("/users/{BYSTANDER}/block", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/users/:name/unblock"): ("/users/{BYSTANDER}/unblock", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("GET", "/users/:name/blocked"): ("/users/{USER}/blocked", None, x(LOGIN, 403, 200, 403, 403, 403)),
    # -- mail --
    ("GET", "/subscriptions"): ("/subscriptions", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/subscriptions"): ("/subscriptions", {"type": "work", "id": "{W}"}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/subscriptions/:id/delete"): ("/subscriptions/{fresh_sub}/delete", {}, x(LOGIN, 303, 404, 404, 404, 404, 404)),
    ("POST", "/subscriptions/:id/mail"): ("/subscriptions/{SUB}/mail", {"mail": "inbox"}, x(LOGIN, 303, 404, 404, 404, 404, 404)),
    ("GET", "/unsubscribe"): ("/unsubscribe?token=nonsense", None, x(400, 400, 400, 400, 400, 400)),
    ("POST", "/unsubscribe"): ("/unsubscribe?token=nonsense", {}, x(400, 400, 400, 400, 400, 400)),
    ("GET", "/password/forgot"): ("/password/forgot", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/password/forgot"): ("/password/forgot", {"email": "nobody-{ROLE}@example.org"}, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/password/reset"): ("/password/reset?token=nonsense", None, x(404, 404, 404, 404, 404, 404)),
    ("POST", "/password/reset"): ("/password/reset", {"token": "nonsense", "password": "another long one", "password_confirmation": "another long one"}, x(404, 404, 404, 404, 404, 404)),
    ("POST", "/account/mail"): ("/account/mail", {"notify": "inbox"}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("GET", "/account/email"): ("/account/email", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/account/email"): ("/account/email", {"email": "new@example.org", "password": "wrong password"}, x(LOGIN, 401, 401, 401, 401, 401)),
    ("POST", "/account/email/resend"): ("/account/email/resend", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("GET", "/account/email/confirm"): ("/account/email/confirm?token=nonsense", None, x(404, 404, 404, 404, 404, 404)),
    ("POST", "/account/email/confirm"): ("/account/email/confirm", {"token": "nonsense"}, x(404, 404, 404, 404, 404, 404)),
    # -- the reader's response --
    ("GET", "/works/:id/comments"): ("/works/{W}/comments?chapter={C1}&after=0", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/works/:id/comments"): ("/works/{W}/comments", {"body": "A comment on the work.", "guest_name": "Visitor", "guest_email": "visitor@example.org"}, x(303, 303, 303, 303, 303, 303)),
    ("GET", "/works/:id/comments/new"): ("/works/{W}/comments/new", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/works/:id/chapters/:cid/comments"): ("/works/{W}/chapters/{C1}/comments", {"body": "A comment on the chapter.", "guest_name": "Visitor", "guest_email": "visitor@example.org"}, x(303, 303, 303, 303, 303, 303)),
    ("GET", "/works/:id/chapters/:cid/comments/new"): ("/works/{W}/chapters/{C1}/comments/new", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/comments/:id"): ("/comments/{COMMENT}", None, x(303, 303, 303, 303, 303, 303)),
    ("POST", "/comments/:id"): ("/comments/{COMMENT}", {"body": "Edited."}, x(LOGIN, 303, 403, 403, 403, 403, 403)),
    ("GET", "/comments/:id/edit"): ("/comments/{COMMENT}/edit", None, x(LOGIN, 200, 403, 403, 403, 403, 403)),
    ("POST", "/comments/:id/delete"): ("/comments/{fresh_comment}/delete", {}, x(LOGIN, 303, 303, 303, 403, 303)),
    ("POST", "/comments/:id/moderate"): ("/comments/{fresh_comment}/moderate", {"action": "hide"}, x(LOGIN, 403, 303, 303, 403, 303, 303)),
    ("GET", "/works/:id/kudos"): ("/works/{W}/kudos", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/works/:id/kudos"): ("/works/{W}/kudos", {}, x(303, 303, 403, 403, 303, 303)),
    ("GET", "/works/:id/bookmark"): ("/works/{W}/bookmark", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/works/:id/bookmark"): ("/works/{W}/bookmark", {"notes": "Matrix"}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/bookmarks/:id/delete"): ("/bookmarks/{fresh_bookmark}/delete", {}, x(LOGIN, 303, 404, 404, 404, 404, 404)),
    ("GET", "/users/:name/bookmarks"): ("/users/{READER}/bookmarks", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/works/:id/later"): ("/works/{W}/later", {"later": "1"}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("GET", "/history"): ("/history", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("GET", "/inbox"): ("/inbox", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/inbox/read-all"): ("/inbox/read-all", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/inbox/:id/read"): ("/inbox/{INBOX}/read", {"read": "1"}, x(LOGIN, 404, 303, 404, 404, 404)),
    ("GET", "/works/:id/stats"): ("/works/{W}/stats", None, x(LOGIN, 403, 200, 200, 403, 200)),
    ("GET", "/users/:name/stats"): ("/users/{USER}/stats", None, x(LOGIN, 403, 200, 403, 403, 200)),
    # -- finding works --
    ("GET", "/search"): ("/search?q=chapter", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/tags/:name"): ("/tags/{TAG}", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/tags/:name/edit"): ("/tags/{TAG}/edit", None, x(LOGIN, 403, 403, 403, 200, 200)),
    ("POST", "/tags/:name/edit"): ("/tags/{TAG}/edit", {"canonical": "1"}, x(LOGIN, 403, 403, 403, 303, 303)),
    ("GET", "/media"): ("/media", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/media/:name"): ("/media/Uncategorized%20Fandoms", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/wrangling"): ("/wrangling", None, x(LOGIN, 403, 403, 403, 200, 200)),
    ("GET", "/series/:id"): ("/series/{SERIES}", None, x(200, 200, 200, 200, 200, 200)),
    # -- the writer's check; readers' suggestions (W takes them; SUGG is the reader's, open; fresh ones are the
    #    reader's too, on C2, with a replacement; a passage not in the chapter is bad input) --
    ("POST", "/writing/words"): ("/writing/words", {"kind": "name", "word": "Matrixname", "work_id": "{W}"}, x(LOGIN, 403, 200, 200, 403, 403)),
    ("GET", "/works/:id/chapters/:cid/suggestions/new"): ("/works/{W}/chapters/{C1}/suggestions/new", None, x(LOGIN, 200, 403, 403, 200, 200)),
    ("POST", "/works/:id/chapters/:cid/suggestions"): ("/works/{W}/chapters/{C1}/suggestions", {"quote": "not in the chapter", "note": "A note."}, x(LOGIN, 422, 403, 403, 422, 422)),
    ("POST", "/suggestions/:id/accept"): ("/suggestions/{fresh_suggestion}/accept", {}, x(LOGIN, 403, 303, 303, 404, 404, 404)),
    ("POST", "/suggestions/:id/dismiss"): ("/suggestions/{fresh_suggestion}/dismiss", {}, x(LOGIN, 403, 303, 303, 404, 404, 404)),
    ("POST", "/suggestions/:id/reply"): ("/suggestions/{SUGG}/reply", {"reply": ""}, x(LOGIN, 403, 422, 422, 404, 404, 404)),
    # -- running a community (#14): reports, moderation, the audit log, accounts --
    ("GET", "/ereaders"): ("/ereaders", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/reports/new"): ("/reports/new?kind=work&id={W}", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/reports"): ("/reports", {"kind": "work", "id": "{W}", "category": "nonsense", "body": "x"}, x(422, 422, 422, 422, 422, 422)),
    ("GET", "/admin"): ("/admin", None, staff(200)),
    ("GET", "/admin/reports"): ("/admin/reports", None, staff(200)),
    ("GET", "/admin/reports/:id"): ("/admin/reports/{REPORT}", None, staff(200)),
    ("POST", "/admin/reports/:id"): ("/admin/reports/{REPORT}", {"status": "nonsense"}, staff(422)),
    ("POST", "/admin/reports/:id/notes"): ("/admin/reports/{REPORT}/notes", {"body": ""}, staff(422)),
    ("GET", "/admin/log"): ("/admin/log", None, staff(200)),
    ("GET", "/admin/log/:id"): ("/admin/log/{LOG}", None, staff(200)),
    ("POST", "/admin/log/:id/undo"): ("/admin/log/{LOG}/undo", {"reason": ""}, staff(422)),
    ("GET", "/admin/works/:id"): ("/admin/works/{W}", None, staff(200)),
    ("POST", "/admin/works/:id/hide"): ("/admin/works/{W}/hide", {"reason": ""}, staff(422)),
    ("POST", "/admin/works/:id/delete"): ("/admin/works/{W}/delete", {"reason": ""}, staff(422, 403)),
    ("POST", "/admin/works/:id/lock"): ("/admin/works/{W}/lock", {"reason": ""}, staff(422)),
    ("GET", "/admin/users"): ("/admin/users", None, staff(200)),
    ("GET", "/admin/users/:name"): ("/admin/users/{BYSTANDER}", None, staff(200)),
    ("POST", "/admin/users/:name/suspend"): ("/admin/users/{BYSTANDER}/suspend", {"days": "3", "reason": ""}, staff(422)),
    ("POST", "/admin/users/:name/ban"): ("/admin/users/{BYSTANDER}/ban", {"reason": ""}, staff(422, 403)),
    ("POST", "/admin/users/:name/lift"): ("/admin/users/{BYSTANDER}/lift", {"reason": "Nothing to lift."}, staff(404)),
    ("POST", "/admin/users/:name/rename"): ("/admin/users/{BYSTANDER}/rename", {"name": "", "reason": "x"}, staff(422, 403)),
    ("POST", "/admin/users/:name/role"): ("/admin/users/{BYSTANDER}/role", {"role": "nonsense", "reason": "x"}, staff(422, 403)),
    ("GET", "/admin/comments/:id"): ("/admin/comments/{COMMENT}", None, staff(200)),
    ("POST", "/admin/comments/:id/delete"): ("/admin/comments/{COMMENT}/delete", {"reason": ""}, staff(422)),
    ("POST", "/admin/bookmarks/:id/remove"): ("/admin/bookmarks/{BOOKMARK}/remove", {"reason": ""}, staff(422)),
    # -- the site's pages, terms, settings, banner, news, invitations --
    ("GET", "/pages/:slug"): ("/pages/matrix", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/about"): ("/about", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/tos"): ("/tos", None, x(404, 404, 404, 404, 404, 404)),
    ("GET", "/privacy"): ("/privacy", None, x(404, 404, 404, 404, 404, 404)),
    ("GET", "/faq"): ("/faq", None, x(404, 404, 404, 404, 404, 404)),
    ("GET", "/accept"): ("/accept", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/accept"): ("/accept", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/banner/dismiss"): ("/banner/dismiss", {"banner_id": "1"}, x(303, 303, 303, 303, 303, 303)),
    ("GET", "/admin/settings"): ("/admin/settings", None, staff(200, 403)),
    ("POST", "/admin/settings"): ("/admin/settings", {"site_name": ""}, staff(422, 403)),
    ("POST", "/admin/banner"): ("/admin/banner", {"banner": "x" * 1200}, staff(422, 403)),
    ("GET", "/admin/pages"): ("/admin/pages", None, staff(200, 403)),
    ("GET", "/admin/pages/new"): ("/admin/pages/new?slug=matrix-two", None, staff(303, 403)),
    ("GET", "/admin/pages/:slug"): ("/admin/pages/matrix", None, staff(200, 403)),
    ("POST", "/admin/pages/:slug"): ("/admin/pages/matrix", {"title": "", "body": "x"}, staff(422, 403)),
    ("POST", "/admin/pages/:slug/delete"): ("/admin/pages/{fresh_page}/delete", {}, staff(303, 403)),
    ("GET", "/news"): ("/news", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/news.atom"): ("/news.atom", None, x(200, 200, 200, 200, 200, 200)),
    ("GET", "/news/:id"): ("/news/{NEWS}", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/news/:id/comments"): ("/news/{NEWS}/comments", {"body": ""}, x(LOGIN, 422, 422, 422, 422, 422)),
    ("POST", "/news/comments/:id/delete"): ("/news/comments/{fresh_news_comment}/delete", {}, x(LOGIN, 303, 403, 403, 403, 303, 303)),
    ("GET", "/admin/news"): ("/admin/news", None, staff(200, 403)),
    ("POST", "/admin/news"): ("/admin/news", {"title": "", "body": "x"}, staff(422, 403)),
    ("GET", "/admin/news/:id"): ("/admin/news/{NEWS}", None, staff(200, 403)),
    ("POST", "/admin/news/:id"): ("/admin/news/{NEWS}", {"title": "", "body": "x"}, staff(422, 403)),
    ("POST", "/admin/news/:id/delete"): ("/admin/news/{fresh_news}/delete", {}, staff(303, 403)),
    ("GET", "/invitations"): ("/invitations", None, x(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/invitations"): ("/invitations", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("GET", "/invitations/request"): ("/invitations/request", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/invitations/request"): ("/invitations/request", {"email": "not an address"}, x(403, 403, 403, 403, 403, 403)),
    ("GET", "/admin/invitations"): ("/admin/invitations", None, staff(200, 403)),
    ("POST", "/admin/invitations/send"): ("/admin/invitations/send", {"count": "0"}, staff(422, 403)),
    # -- spam (moderators) and mutes (each reader's own) --
    ("GET", "/admin/spam"): ("/admin/spam", None, staff(200)),
    ("GET", "/admin/spam/blocklist"): ("/admin/spam/blocklist", None, staff(200, 403)),
    ("POST", "/admin/spam/blocklist"): ("/admin/spam/blocklist", {"pattern": "", "action": "add"}, staff(422, 403)),
    ("POST", "/admin/spam/:id"): ("/admin/spam/{SPAM}", {"action": "nonsense"}, staff(422)),
    ("POST", "/users/:name/mute"): ("/users/{BYSTANDER}/mute", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/users/:name/unmute"): ("/users/{BYSTANDER}/unmute", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("GET", "/users/:name/muted"): ("/users/{USER}/muted", None, x(LOGIN, 403, 200, 403, 403, 403)),
    ("POST", "/tags/:name/mute"): ("/tags/{TAG}/mute", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    ("POST", "/tags/:name/unmute"): ("/tags/{TAG}/unmute", {}, x(LOGIN, 303, 303, 303, 303, 303)),
    # ---- JSON API v1 ----
    ("GET", "/api/v1/works"): ("/api/v1/works", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/works"): ("/api/v1/works", {}, x(401, 422, 422, 422, 422, 422)),
    ("GET", "/api/v1/works/:id"): ("/api/v1/works/{W}", None, x(200, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/works/:id"): ("/api/v1/works/{W}", {"title": ""}, x(401, 403, 422, 422, 403, 403)),
    ("DELETE", "/api/v1/works/:id"): ("/api/v1/works/{fresh_work}", None, x(401, 403, 204, 204, 403, 403)),
    ("POST", "/api/v1/works/:id/chapters"): ("/api/v1/works/{W}/chapters", {}, x(401, 403, 422, 422, 403, 403)),
    ("GET", "/api/v1/works/:id/chapters/:cid"): ("/api/v1/works/{W}/chapters/{C1}", None, x(200, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/works/:id/chapters/:cid"): ("/api/v1/works/{W}/chapters/{C1}", {"content": ""}, x(401, 403, 422, 422, 403, 403)),
    ("DELETE", "/api/v1/works/:id/chapters/:cid"): ("/api/v1/works/{W}/chapters/{fresh_chapter}", None, x(401, 403, 204, 204, 403, 403)),
    ("PUT", "/api/v1/works/:id/chapters/order"): ("/api/v1/works/{W}/chapters/order", {"chapters": []}, x(401, 403, 400, 400, 403, 403)),
    ("GET", "/api/v1/subscriptions"): ("/api/v1/subscriptions", None, x(401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/subscriptions"): ("/api/v1/subscriptions", {"type": "work", "id": "{fresh_work}"}, x(401, 201, 201, 201, 201, 201)),
    ("GET", "/api/v1/subscriptions/:id"): ("/api/v1/subscriptions/{SUB}", None, x(401, 200, 404, 404, 404, 404, 404)),
    ("PATCH", "/api/v1/subscriptions/:id"): ("/api/v1/subscriptions/{SUB}", {"mail": "inbox"}, x(401, 200, 404, 404, 404, 404, 404)),
    ("DELETE", "/api/v1/subscriptions/:id"): ("/api/v1/subscriptions/{fresh_sub}", None, x(401, 204, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/blocks"): ("/api/v1/blocks", None, x(401, 200, 200, 200, 200, 200)),
    ("PUT", "/api/v1/blocks/:name"): ("/api/v1/blocks/{BYSTANDER}", None, x(401, 204, 204, 204, 204, 204)),
    ("DELETE", "/api/v1/blocks/:name"): ("/api/v1/blocks/{BYSTANDER}", None, x(401, 204, 204, 204, 204, 204)),
    ("GET", "/api/v1/chapters/:cid/comments"): ("/api/v1/chapters/{C1}/comments", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/chapters/:cid/comments"): ("/api/v1/chapters/{C1}/comments", {"body": "A comment."}, x(401, 201, 201, 201, 201, 201)),
    ("GET", "/api/v1/works/:id/comments"): ("/api/v1/works/{W}/comments", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/works/:id/comments"): ("/api/v1/works/{W}/comments", {"body": "A comment."}, x(401, 201, 201, 201, 201, 201)),
    ("GET", "/api/v1/comments/:id"): ("/api/v1/comments/{COMMENT}", None, x(200, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/comments/:id"): ("/api/v1/comments/{COMMENT}", {"body": "Edited."}, x(401, 200, 403, 403, 403, 403, 403)),
    ("DELETE", "/api/v1/comments/:id"): ("/api/v1/comments/{fresh_comment}", None, x(401, 204, 204, 204, 403, 204)),
    ("GET", "/api/v1/works/:id/kudos"): ("/api/v1/works/{W}/kudos", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/works/:id/kudos"): ("/api/v1/works/{fresh_work}/kudos", None, x(401, 201, 403, 403, 201, 201)),
    ("GET", "/api/v1/chapters/:cid/kudos"): ("/api/v1/chapters/{C1}/kudos", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/chapters/:cid/kudos"): ("/api/v1/chapters/{C1}/kudos", None, x(401, 201, 403, 403, 201, 201)),
    ("GET", "/api/v1/bookmarks"): ("/api/v1/bookmarks?user={READER}", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/bookmarks"): ("/api/v1/bookmarks", {"work_id": "{fresh_work}"}, x(401, 201, 201, 201, 201, 201)),
    ("PATCH", "/api/v1/bookmarks/:id"): ("/api/v1/bookmarks/{BOOKMARK}", {"notes": "Changed"}, x(401, 200, 404, 404, 404, 404, 404)),
    ("DELETE", "/api/v1/bookmarks/:id"): ("/api/v1/bookmarks/{fresh_bookmark}", None, x(401, 204, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/inbox"): ("/api/v1/inbox", None, x(401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/inbox/read"): ("/api/v1/inbox/read", {"all": True}, x(401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/works/:id/stats"): ("/api/v1/works/{W}/stats", None, x(401, 403, 200, 200, 403, 200)),
    ("GET", "/api/v1/tags/autocomplete"): ("/api/v1/tags/autocomplete?q=matr", None, x(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/check"): ("/api/v1/check", {"text": "Teh lamp room was were she was."}, x(401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/chapters/:cid/suggestions"): ("/api/v1/chapters/{C1}/suggestions", None, x(401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/chapters/:cid/suggestions"): ("/api/v1/chapters/{C1}/suggestions", {"quote": "not in the chapter", "note": "A note."}, x(401, 422, 403, 403, 422, 422)),
    ("POST", "/api/v1/suggestions/:id/accept"): ("/api/v1/suggestions/{fresh_suggestion}/accept", None, x(401, 403, 200, 200, 404, 404, 404)),
    ("POST", "/api/v1/suggestions/:id/dismiss"): ("/api/v1/suggestions/{fresh_suggestion}/dismiss", None, x(401, 403, 200, 200, 404, 404, 404)),
    ("POST", "/api/v1/suggestions/:id/reply"): ("/api/v1/suggestions/{SUGG}/reply", {"reply": " "}, x(401, 403, 422, 422, 404, 404, 404)),
    # -- running a community (#14) --
    ("POST", "/api/v1/reports"): ("/api/v1/reports", {"kind": "work", "id": "{W}", "category": "nonsense", "body": "x"}, x(401, 422, 422, 422, 422, 422)),
    ("GET", "/api/v1/admin/reports"): ("/api/v1/admin/reports", None, staff_api(200)),
    ("GET", "/api/v1/admin/reports/:id"): ("/api/v1/admin/reports/{REPORT}", None, staff_api(200)),
    ("PATCH", "/api/v1/admin/reports/:id"): ("/api/v1/admin/reports/{REPORT}", {"status": "nonsense"}, staff_api(422)),
    ("POST", "/api/v1/admin/works/:id/hide"): ("/api/v1/admin/works/{W}/hide", {"reason": ""}, staff_api(422)),
    ("POST", "/api/v1/admin/works/:id/delete"): ("/api/v1/admin/works/{W}/delete", {"reason": ""}, staff_api(422, 403)),
    ("POST", "/api/v1/admin/works/:id/lock"): ("/api/v1/admin/works/{W}/lock", {"reason": ""}, staff_api(422)),
    ("GET", "/api/v1/admin/log"): ("/api/v1/admin/log", None, staff_api(200)),
    ("POST", "/api/v1/admin/log/:id/undo"): ("/api/v1/admin/log/{LOG}/undo", {"reason": ""}, staff_api(422)),
    ("GET", "/api/v1/admin/users/:name"): ("/api/v1/admin/users/{BYSTANDER}", None, staff_api(200)),
    ("POST", "/api/v1/admin/users/:name/suspend"): ("/api/v1/admin/users/{BYSTANDER}/suspend", {"days": 3, "reason": ""}, staff_api(422)),
    ("POST", "/api/v1/admin/users/:name/ban"): ("/api/v1/admin/users/{BYSTANDER}/ban", {"reason": ""}, staff_api(422, 403)),
    ("POST", "/api/v1/admin/users/:name/lift"): ("/api/v1/admin/users/{BYSTANDER}/lift", {"reason": "Nothing to lift."}, staff_api(404)),
    ("POST", "/api/v1/admin/users/:name/rename"): ("/api/v1/admin/users/{BYSTANDER}/rename", {"name": "", "reason": "x"}, staff_api(422, 403)),
    ("POST", "/api/v1/admin/users/:name/role"): ("/api/v1/admin/users/{BYSTANDER}/role", {"role": "nonsense", "reason": "x"}, staff_api(422, 403)),
    ("POST", "/api/v1/admin/comments/:id/delete"): ("/api/v1/admin/comments/{COMMENT}/delete", {"reason": ""}, staff_api(422)),
    ("POST", "/api/v1/admin/bookmarks/:id/remove"): ("/api/v1/admin/bookmarks/{BOOKMARK}/remove", {"reason": ""}, staff_api(422)),
    ("GET", "/api/v1/mutes"): ("/api/v1/mutes", None, x(401, 200, 200, 200, 200, 200)),
    ("PUT", "/api/v1/mutes/users/:name"): ("/api/v1/mutes/users/{BYSTANDER}", None, x(401, 204, 204, 204, 204, 204)),
    ("DELETE", "/api/v1/mutes/users/:name"): ("/api/v1/mutes/users/{BYSTANDER}", None, x(401, 204, 204, 204, 204, 204)),
    ("PUT", "/api/v1/mutes/tags/:name"): ("/api/v1/mutes/tags/{TAG}", None, x(401, 204, 204, 204, 204, 204)),
    ("DELETE", "/api/v1/mutes/tags/:name"): ("/api/v1/mutes/tags/{TAG}", None, x(401, 204, 204, 204, 204, 204)),
}

# ---- Blocked users ---------------------------------------------------------------------------------------------
# Routes where a block by one of the work's creators refuses a user who could otherwise act: (method, pattern):
# (path, body, expected), the same for an account the creator blocked and one the co-creator blocked. Bodies are
# good input, so the block is what refuses.
BLOCKED = {
    ("POST", "/works/:id/comments"): ("/works/{W}/comments", {"body": "A comment on the work."}, 403),
    ("POST", "/works/:id/chapters/:cid/comments"): ("/works/{W}/chapters/{C1}/comments", {"body": "A comment."}, 403),
    ("POST", "/api/v1/chapters/:cid/comments"): ("/api/v1/chapters/{C1}/comments", {"body": "A comment."}, 403),
    ("POST", "/api/v1/works/:id/comments"): ("/api/v1/works/{W}/comments", {"body": "A comment."}, 403),
    ("GET", "/works/:id/chapters/:cid/suggestions/new"): ("/works/{W}/chapters/{C1}/suggestions/new", None, 403),
    ("POST", "/works/:id/chapters/:cid/suggestions"): ("/works/{W}/chapters/{C1}/suggestions", {"quote": "first chapter", "replacement": "opening chapter"}, 403),
    ("POST", "/api/v1/chapters/:cid/suggestions"): ("/api/v1/chapters/{C1}/suggestions", {"quote": "first chapter", "replacement": "opening chapter"}, 403),
    # What they may still do: read, and see their own (no) suggestions.
    ("GET", "/works/:id/chapters/:cid"): ("/works/{W}/chapters/{C1}", None, 200),
    ("GET", "/api/v1/chapters/:cid/suggestions"): ("/api/v1/chapters/{C1}/suggestions", None, 200),
}


# ---- Where a request goes: fixture objects and fresh ones ----------------------------------------------------


class Fixture:
    """The archive every row runs against, made once through the API and the pages."""

    def __init__(self, srv):
        self.srv = srv
        self.tokens = {}
        self.spare = {}
        self.pages = {}
        self.csrf = {}
        for name in ACCOUNT.values():
            p = run_cli(["user", "add", name, "%s@example.org" % name], data=srv.data, stdin=PW + "\n")
            eq(p.returncode, 0, "user add %s (stderr: %s)" % (name, p.stderr))
        for role in ("wrangler", "admin", "moderator"):
            p = run_cli(["user", "role", ACCOUNT[role], role], data=srv.data)
            eq(p.returncode, 0, "user role %s (stderr: %s)" % (role, p.stderr))
        for name in ROLES[1:]:
            p = run_cli(["token", "add", ACCOUNT[name]], data=srv.data)
            eq(p.returncode, 0, "token add %s (stderr: %s)" % (name, p.stderr))
            self.tokens[name] = p.stdout.strip()
        for name in ROLES:
            c = srv.client()
            if name != "guest":
                r = c.login(ACCOUNT[name], PW)
                eq(r.status, 303, "log-in of %s" % name)
            r = c.get("/login" if name == "guest" else "/works/new")
            self.csrf[name] = c.csrf_token()
            self.pages[name] = c
        # Logged in, with a token and a form's CSRF token: then suspended, and banned.
        for args in (["user", "suspend", ACCOUNT["suspended"], "--days", "30", "--reason", "Matrix."],
                     ["user", "ban", ACCOUNT["banned"], "--reason", "Matrix."]):
            p = run_cli(args, data=srv.data)
            eq(p.returncode, 0, "%s (stderr: %s)" % (" ".join(args[:2]), p.stderr))
        # The work: the creator's, with an accepted co-creator, two chapters, a series and tags.
        self.ids = {"USER": ACCOUNT["creator"], "READER": ACCOUNT["reader"], "BYSTANDER": ACCOUNT["bystander"],
                    "TAG": "Matrixtag"}
        w = self.work()
        self.ids.update(W=w["id"], C1=w["chapters"][0]["id"], C2=w["chapters"][1]["id"], SERIES=w["series"]["id"])
        self.ids["D"] = self.api("creator", "POST", "/api/v1/works", self.work_body(draft=True)).json()["id"]
        self.ids["COMMENT"] = self.comment()
        self.ids["BOOKMARK"] = self.bookmark(w["id"])
        self.ids["SUB"] = self.subscription(w["id"])
        self.ids["SUGG"] = self.suggestion()
        inbox = self.api("creator", "GET", "/api/v1/inbox").json()
        self.ids["INBOX"] = inbox["items"][0]["id"] if "items" in inbox else inbox[next(iter(inbox))][0]["id"]
        # A spare token of the creator's to revoke.
        p = run_cli(["token", "add", ACCOUNT["creator"], "--name", "spare"], data=srv.data)
        eq(p.returncode, 0, "spare token (stderr: %s)" % p.stderr)
        account = self.pages["creator"].get("/account").text
        self.ids["TOKEN"] = max(int(i) for i in re.findall(r"/account/tokens/(\d+)/revoke", account))
        # Running a community: a report, a log entry, a comment held as spam, a site page and a news post.
        r = self.api("reader", "POST", "/api/v1/reports", {"kind": "work", "id": w["id"], "category": "spam",
                                                            "body": "A report for the matrix."})
        eq(r.status, 201, "report: %s" % r.text)
        self.ids["REPORT"] = r.json()["id"]
        r = self.api("admin", "POST", "/api/v1/admin/works/%d/lock" % self.work()["id"], {"reason": "Matrix."})
        eq(r.status, 200, "a log entry: %s" % r.text)
        self.ids["LOG"] = r.json()["entry"]["id"]
        r = self.form("guest", "/works/%d/comments" % w["id"], {"body": "Cheap at https://spam.example.com/x",
                                                                "guest_name": "Spammer",
                                                                "guest_email": "spam@example.org"})
        eq(r.status, 202, "a held comment: %s" % r.text[:300])
        self.ids["SPAM"] = max(int(i) for i in re.findall(r'id="spam-(\d+)"', self.pages["admin"].get("/admin/spam").text))
        for slug in ("matrix", "about"):
            r = self.form("admin", "/admin/pages/%s" % slug, {"title": "Matrix page", "body": "For the matrix."})
            eq(r.status, 303, "site page %s: %s" % (slug, r.text[:300]))
        self.ids["NEWS"] = self.news()

    # -- making things --
    def api(self, role, method, path, body=None):
        h = {"Accept": "application/json"}
        if role != "guest":
            h["Authorization"] = "Bearer " + self.tokens[role]
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json"
        return self.srv.client().request(method, path, body=data, headers=h)

    def form(self, role, path, fields=None, csrf=True):
        pairs = list((fields or {}).items())
        if csrf:
            pairs.append(("csrf_token", self.csrf[role]))
        return self.pages[role].post(path, urllib.parse.urlencode(pairs))

    @staticmethod
    def work_body(draft=False):
        return {"title": "Matrix Work", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
                "fandoms": ["Matrixland"], "freeforms": ["Matrixtag"], "coauthors": [ACCOUNT["co_creator"]],
                "series": {"title": "Matrix Series"}, "draft": draft, "reader_suggestions": True,
                "chapter": {"title": "One", "format": "text", "content": "The first chapter, long enough."}}

    def work(self, draft=False):
        """A new work of the creator's with the co-creator's invitation accepted, and two chapters."""
        r = self.api("creator", "POST", "/api/v1/works", self.work_body(draft))
        eq(r.status, 201, "work: %s" % r.text)
        wid = r.json()["id"]
        r = self.api("creator", "POST", "/api/v1/works/%d/chapters" % wid,
                     {"title": "Two", "format": "text", "content": "The second chapter, long enough."})
        eq(r.status, 201, "chapter: %s" % r.text)
        r = self.form("co_creator", "/account/invitations/%d/accept" % wid)
        eq(r.status, 303, "co-creator accepts")
        return self.api("creator", "GET", "/api/v1/works/%d" % wid).json()

    def comment(self, wid=None, cid=None):
        r = self.api("reader", "POST", "/api/v1/chapters/%d/comments" % (cid or self.ids["C1"]),
                     {"body": "A reader's comment."})
        eq(r.status, 201, "comment: %s" % r.text)
        return r.json()["id"]

    def bookmark(self, wid):
        r = self.api("reader", "POST", "/api/v1/bookmarks", {"work_id": wid, "notes": "Matrix"})
        eq(r.status, 201, "bookmark: %s" % r.text)
        return r.json()["id"]

    def subscription(self, wid):
        r = self.api("reader", "POST", "/api/v1/subscriptions", {"type": "work", "id": wid})
        eq(r.status, 201, "subscription: %s" % r.text)
        return r.json()["id"]

    def suggestion(self):
        """An open suggestion of the reader's on the work's second chapter (accepting one leaves "second" in it)."""
        r = self.api("reader", "POST", "/api/v1/chapters/%d/suggestions" % self.ids["C2"],
                     {"quote": "second", "replacement": "very second"})
        eq(r.status, 201, "suggestion: %s" % r.text)
        return r.json()["id"]

    def invitation(self):
        """A work of the creator's whose invitation the co-creator has not accepted yet."""
        r = self.api("creator", "POST", "/api/v1/works", self.work_body())
        eq(r.status, 201, "work: %s" % r.text)
        return r.json()["id"]

    def news(self):
        r = self.form("admin", "/admin/news", {"title": "Matrix news", "body": "News.", "comments_open": "1"})
        eq(r.status, 303, "news: %s" % r.text[:300])
        return int(r.header("Location").rsplit("/", 1)[1])

    def news_comment(self):
        r = self.form("reader", "/news/%s/comments" % self.ids["NEWS"], {"body": "A reader's word on the news."})
        eq(r.status, 303, "news comment: %s" % r.text[:300])
        page = self.pages["reader"].get("/news/%s" % self.ids["NEWS"]).text
        return max(int(i) for i in re.findall(r"/news/comments/(\d+)/delete", page))

    def page(self):
        self.npages = getattr(self, "npages", 0) + 1
        slug = "spare-%d" % self.npages
        r = self.form("admin", "/admin/pages/%s" % slug, {"title": "Spare", "body": "To delete."})
        eq(r.status, 303, "site page %s: %s" % (slug, r.text[:300]))
        return slug

    def chapter(self):
        r = self.api("creator", "POST", "/api/v1/works/%d/chapters" % self.ids["W"],
                     {"title": "Extra", "format": "text", "content": "A chapter to take away again."})
        eq(r.status, 201, "chapter: %s" % r.text)
        return r.json()["id"]


class Names(dict):
    """Path and body fields: fixture ids, and fresh objects made on first use within one request."""

    def __init__(self, fx, role):
        super().__init__((k, str(v)) for k, v in fx.ids.items())
        self["ROLE"] = role
        self.fx = fx

    def __missing__(self, key):
        fx = self.fx
        makers = {
            "fresh_work": lambda: fx.work()["id"],
            "fresh_draft": lambda: fx.work(draft=True)["id"],
            "fresh_invite": fx.invitation,
            "fresh_chapter": fx.chapter,
            "fresh_comment": fx.comment,
            "fresh_bookmark": lambda: fx.bookmark(fx.work()["id"]),
            "fresh_sub": lambda: fx.subscription(fx.work()["id"]),
            "fresh_suggestion": fx.suggestion,
            "fresh_news": fx.news,
            "fresh_news_comment": fx.news_comment,
            "fresh_page": fx.page,
        }
        if key not in makers:
            raise KeyError(key)
        # Roles that get nowhere (a guest, accounts suspended or banned) share one of each: the rate limits on
        # making comments hold for the fixture's accounts too. Were one to get through, the next would see 404.
        if self["ROLE"] in ("guest", "suspended", "banned"):
            if key not in fx.spare:
                fx.spare[key] = str(makers[key]())
            self[key] = fx.spare[key]
            return self[key]
        self[key] = str(makers[key]())
        return self[key]


def fill(value, names):
    if isinstance(value, str):
        v = value.format_map(names)
        # "{W}" alone in a JSON body is the id as a number.
        return int(v) if re.fullmatch(r"\{\w+\}", value) and v.isdigit() else v
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    return value


# ---- The route tables, read from the source ----------------------------------------------------------------------

ROUTE_LINE = re.compile(r'^\s*\{"(GET|POST|PUT|PATCH|DELETE)", "([^"]+)", (\w+), ([^,]+),', re.M)


def route_tables():
    """{(method, pattern): needs} of src/web/routes.c and src/api/routes.c."""
    routes = {}
    for path in ("src/web/routes.c", "src/api/routes.c"):
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            text = f.read()
        found = ROUTE_LINE.findall(text)
        check(found, "no routes read from %s" % path)
        for method, pattern, _handler, needs in found:
            check((method, pattern) not in routes, "%s %s is listed twice" % (method, pattern))
            routes[(method, pattern)] = needs
    return routes


# ---- Running a row -----------------------------------------------------------------------------------------------

def request(fx, role, method, pattern, path, body, csrf=True):
    names = Names(fx, role)
    path = fill(path, names)
    body = fill(body, names)
    if pattern.startswith("/api/"):
        return fx.api(role, method, path, body)
    if method == "GET":
        return fx.pages[role].get(path)
    if pattern == "/logout" and role not in ("guest", "suspended", "banned"):
        # A session of its own to end: the role's fixture session goes on for the rows after this one.
        c = fx.srv.client()
        eq(c.login(ACCOUNT[role], PW).status, 303, "log-in of %s" % role)
        c.get("/works/new")
        pairs = [("csrf_token", c.csrf_token())] if csrf else []
        return c.post(path, urllib.parse.urlencode(pairs))
    return fx.form(role, path, body, csrf=csrf)


def observed(resp):
    if resp.status == 303 and (resp.header("Location") or "").startswith("/login?return="):
        return LOGIN
    return resp.status


def test_every_route_for_every_role():
    routes = route_tables()
    missing = sorted(set(routes) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(routes))
    check(not missing, "routes without a row in the authorization matrix: %s" % missing)
    check(not stale, "matrix rows for routes no table has: %s" % stale)
    printing = os.environ.get("AUTHZ_PRINT")
    with Server(env={"QUIRE_PASSWORD_COST": "min"}) as srv:
        fx = Fixture(srv)
        wrong = []
        for (method, pattern), (path, body, want) in MATRIX.items():
            check(set(want) == set(ROLES), "%s %s: a value for every role, no more" % (method, pattern))
            want = held_default(want, method, pattern, routes[(method, pattern)])
            got = {role: observed(request(fx, role, method, pattern, path, body)) for role in ROLES}
            if printing:
                print("    (%r, %r): x(%s)," % (method, pattern, ", ".join(
                    "LOGIN" if got[r] == LOGIN else str(got[r]) for r in ROLES)))
            for role in ROLES:
                if got[role] != want[role]:
                    wrong.append("%s %s as %s: %s, want %s" % (method, pattern, role, got[role], want[role]))
        check(not wrong, "the matrix disagrees:\n  " + "\n  ".join(wrong))


def test_blocked_users():
    """An account blocked by the work's creator, and one blocked by its co-creator, are refused where BLOCKED
    says; the same requests from an unblocked reader get past the block (the matrix's reader column)."""
    routes = route_tables()
    stale = sorted(set(BLOCKED) - set(routes))
    check(not stale, "BLOCKED rows for routes no table has: %s" % stale)
    with Server(env={"QUIRE_PASSWORD_COST": "min"}) as srv:
        fx = Fixture(srv)
        for role, blocker in (("blocked", "creator"), ("blocked_by_co", "co_creator")):
            name = "mx_" + role.replace("_", "")
            p = run_cli(["user", "add", name, "%s@example.org" % name], data=srv.data, stdin=PW + "\n")
            eq(p.returncode, 0, "user add %s (stderr: %s)" % (name, p.stderr))
            p = run_cli(["token", "add", name], data=srv.data)
            eq(p.returncode, 0, "token add %s (stderr: %s)" % (name, p.stderr))
            fx.tokens[role] = p.stdout.strip()
            c = srv.client()
            eq(c.login(name, PW).status, 303, "log-in of %s" % name)
            c.get("/works/new")
            fx.csrf[role], fx.pages[role] = c.csrf_token(), c
            eq(fx.api(blocker, "PUT", "/api/v1/blocks/%s" % name).status, 204, "%s blocks %s" % (blocker, name))
        wrong = []
        for (method, pattern), (path, body, want) in BLOCKED.items():
            for role in ("blocked", "blocked_by_co"):
                got = observed(request(fx, role, method, pattern, path, body))
                if got != want:
                    wrong.append("%s %s as %s: %s, want %s" % (method, pattern, role, got, want))
            got = observed(request(fx, "reader", method, pattern, path, body))
            if got == want and want == 403:
                wrong.append("%s %s as an unblocked reader: %s too (the block is not what refuses)" % (method, pattern, got))
        check(not wrong, "blocked users:\n  " + "\n  ".join(wrong))


def test_forms_refuse_a_state_change_without_csrf():
    """Every page POST that carries a CSRF token refuses the request without it (403) for a role allowed to
    make it, and changes nothing (the handler never runs)."""
    routes = route_tables()
    with Server(env={"QUIRE_PASSWORD_COST": "min"}) as srv:
        fx = Fixture(srv)
        bad = []
        checked = 0
        for (method, pattern), needs in sorted(routes.items()):
            if pattern.startswith("/api/") or method == "GET" or "NO_CSRF" in needs:
                continue
            path, body, want = MATRIX.get((method, pattern), (None, None, {}))
            if path is None:
                continue
            # A role the matrix lets through (not refused, not sent to log in); else the creator.
            role = next((r for r in ("creator", "reader", "admin", "guest")
                         if want.get(r) not in (LOGIN, 401, 403, 404, None)), "creator")
            got = observed(request(fx, role, method, pattern, path, body, csrf=False))
            checked += 1
            if got != 403:
                bad.append("%s %s as %s without CSRF: %s, want 403" % (method, pattern, role, got))
        check(not bad, "state changes without a CSRF token:\n  " + "\n  ".join(bad))
        check(checked >= 40, "only %d forms checked" % checked)
        # The token of one session is no good in another's.
        r = fx.pages["reader"].post("/works/%d/later" % fx.ids["W"],
                                    urllib.parse.urlencode({"csrf_token": fx.csrf["creator"]}))
        eq(r.status, 403, "another session's CSRF token")
        # A session cookie is not an API credential: an API write with the cookie and no token is a guest's.
        c = fx.pages["creator"]
        r = c.request("POST", "/api/v1/works", body=json.dumps(Fixture.work_body()).encode("utf-8"),
                      headers={"Content-Type": "application/json", "Accept": "application/json"})
        eq(r.status, 401, "API write with a session cookie only")


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
