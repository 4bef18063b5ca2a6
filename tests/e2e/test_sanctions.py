"""End-to-end: suspensions and bans (web, API and `quire user suspend|ban|unban`), renames, roles granted on the
web, comments deleted and locked and bookmarks removed by moderators; each logged, told and undone (issue 14)."""
import re
import sys

from admin_helpers import PW, add_user, api, login, post_work, qs, text_of
from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, run_cli, status


def test_suspend_hides_works_stops_sessions_and_lifts():
    with Server() as srv:
        troll = add_user(srv, "sus_writer")
        add_user(srv, "sus_mod", role="moderator")
        add_user(srv, "sus_admin", role="admin")
        wid = post_work(srv, troll, title="Suspended Story")["id"]
        session = login(srv, "sus_writer")
        status(session.get("/account"), 200)
        mod = login(srv, "sus_mod")
        page = mod.get("/admin/users/sus_writer")
        status(page, 200)
        contains(page.text, "Suspend the account")
        not_contains(page.text, "Ban the account")  # moderators suspend; admins ban
        r = mod.post_form("/admin/users/sus_writer/suspend", [("days", "3"), ("hide_works", "1"),
                                                              ("reason", "Spam in every comment.")])
        redirect(r, "/admin/users/sus_writer")
        # The open session and the API token stop working; logging in says why.
        redirect(session.get("/account"), "/login")
        status(api(srv, "GET", "/api/v1/inbox", token=troll), 401)
        c = srv.client()
        r = c.login("sus_writer", PW)
        status(r, 403)
        contains(r.text, "suspended until")
        contains(r.text, "Spam in every comment.")
        r = c.login("sus_writer", "a wrong password")
        status(r, 401)  # the sanction is only told to whoever knows the password
        # Its works are hidden meanwhile.
        status(srv.client().get("/works/%d" % wid), 404)
        not_contains(srv.client().get("/works").text, "Suspended Story")
        # Moderators may not ban, nor act on admins, moderators or themselves.
        status(mod.post_form("/admin/users/sus_writer/ban", [("reason", "x")]), 403)
        status(mod.post_form("/admin/users/sus_admin/suspend", [("days", "1"), ("reason", "x")]), 403)
        status(mod.post_form("/admin/users/sus_mod/suspend", [("days", "1"), ("reason", "x")]), 422)
        status(mod.post_form("/admin/users/sus_writer/suspend", [("days", "400"), ("reason", "x")]), 422)
        listing = mod.get("/admin/users").text
        contains(listing, "sus_writer")
        contains(listing, "Spam in every comment.")
        # Lifting shows the works again and lets them in.
        r = mod.post_form("/admin/users/sus_writer/lift", [("reason", "They apologised.")])
        redirect(r, "/admin/users/sus_writer")
        status(srv.client().get("/works/%d" % wid), 200)
        me = login(srv, "sus_writer")
        inbox = text_of(me.get("/inbox").text)
        contains(inbox, "suspended your account")
        contains(inbox, "lifted the suspension of your account")
        status(api(srv, "GET", "/api/v1/inbox", token=troll), 200)


def test_ban_through_the_api_and_the_command_line():
    with Server() as srv:
        add_user(srv, "ban_writer")
        mod = add_user(srv, "ban_mod", role="moderator")
        admin = add_user(srv, "ban_admin", role="admin")
        status(api(srv, "POST", "/api/v1/admin/users/ban_writer/ban", {"reason": "x"}, mod), 403)
        r = api(srv, "POST", "/api/v1/admin/users/ban_writer/ban", {"reason": "Threats.", "hide_works": False}, admin)
        status(r, 200)
        eq(r.json()["entry"]["action"], "user_ban", "logged")
        r = api(srv, "GET", "/api/v1/admin/users/ban_writer", token=mod)
        status(r, 200)
        eq((r.json()["sanction"]["kind"], r.json()["sanction"]["until"]), ("banned", None), "banned for good")
        status(srv.client().login("ban_writer", PW), 403)
        p = run_cli(["user", "unban", "ban_writer", "--reason", "Appeal granted."], data=srv.data)
        eq(p.returncode, 0, "quire user unban (stderr: %s)" % p.stderr)
        status(srv.client().login("ban_writer", PW), 303)
        p = run_cli(["user", "suspend", "ban_writer", "--days", "2", "--reason", "Cooling off."], data=srv.data)
        eq(p.returncode, 0, "quire user suspend (stderr: %s)" % p.stderr)
        status(srv.client().login("ban_writer", PW), 403)
        p = run_cli(["user", "ban", "ban_writer", "--hide-works"], data=srv.data)
        eq(p.returncode, 0, "quire user ban (stderr: %s)" % p.stderr)
        contains(srv.client().login("ban_writer", PW).text, "banned")
        p = run_cli(["user", "suspend", "ban_writer"], data=srv.data)
        eq(p.returncode, 2, "suspend without --days")
        p = run_cli(["user", "unban", "nobody_here"], data=srv.data)
        eq(p.returncode, 1, "unban of an unknown name")
        log = api(srv, "GET", "/api/v1/admin/log?" + qs({"subject": "ban_writer"}), token=admin).json()["entries"]
        eq([e["action"] for e in log], ["user_ban", "user_suspend", "user_lift", "user_ban"], "the log, newest first")
        eq(log[0]["actor"], "command line", "who acted from the command line")


def test_rename_and_roles_on_the_web():
    with Server() as srv:
        tok = add_user(srv, "old_name_here")
        add_user(srv, "role_admin", role="admin")
        add_user(srv, "role_mod", role="moderator")
        post_work(srv, tok, title="Renamed Writer's Work")
        adm = login(srv, "role_admin")
        status(login(srv, "role_mod").post_form("/admin/users/old_name_here/rename",
                                                [("name", "x_new"), ("reason", "x")]), 403)
        status(adm.post_form("/admin/users/old_name_here/rename", [("name", "role_mod"), ("reason", "x")]), 422)
        r = adm.post_form("/admin/users/old_name_here/rename", [("name", "new_name_here"), ("reason", "Asked for.")])
        redirect(r, "/admin/users/new_name_here")
        status(srv.client().get("/users/old_name_here"), 404)
        contains(srv.client().get("/users/new_name_here").text, "Renamed Writer")
        contains(srv.client().get("/search?q=new_name_here").text, "Renamed Writer")
        status(login(srv, "new_name_here").get("/account"), 200)
        # Roles: an admin makes a reader a moderator, who then has the moderation pages; undone from the log.
        add_user(srv, "future_mod")
        fm = login(srv, "future_mod")
        status(fm.get("/admin/reports"), 403)
        r = adm.post_form("/admin/users/future_mod/role", [("role", "moderator"), ("reason", "Volunteered.")])
        redirect(r, "/admin/users/future_mod")
        status(fm.get("/admin/reports"), 200)
        contains(fm.get("/").text, 'href="/admin">Moderation</a>')
        status(adm.post_form("/admin/users/role_admin/role", [("role", "user"), ("reason", "x")]), 422)
        status(login(srv, "role_mod").post_form("/admin/users/future_mod/role", [("role", "user"), ("reason", "x")]), 403)
        log = adm.get("/admin/log?action=role_set").text
        entry = int(re.search(r'href="/admin/log/(\d+)">', log).group(1))
        status(adm.post_form("/admin/log/%d/undo" % entry, [("reason", "Changed their mind.")]), 303)
        status(fm.get("/admin/reports"), 403)


def test_comments_and_bookmarks_moderated_and_restored():
    with Server() as srv:
        author = add_user(srv, "cm_author")
        add_user(srv, "cm_reader")
        reader = add_user(srv, "cm_other")
        add_user(srv, "cm_mod", role="moderator")
        work = post_work(srv, author, title="Commented Upon")
        wid, cid = work["id"], work["chapters"][0]["id"]
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % cid, {"body": "A nasty remark about someone."}, reader)
        status(r, 201)
        comment = r.json()["id"]
        r = api(srv, "POST", "/api/v1/bookmarks", {"work_id": wid, "notes": "Rude notes here.", "tags": ""}, reader)
        status(r, 201)
        bookmark = r.json()["id"]
        mod = login(srv, "cm_mod")
        page = mod.get("/works/%d/chapters/%d" % (wid, cid)).text
        contains(page, 'href="/admin/comments/%d">Moderate</a>' % comment)
        r = mod.post_form("/admin/comments/%d/delete" % comment, [("reason", "Personal attack.")])
        redirect(r, "/admin/comments/%d" % comment)
        not_contains(srv.client().get("/works/%d/chapters/%d" % (wid, cid)).text, "A nasty remark")
        contains(text_of(login(srv, "cm_other").get("/inbox").text), "deleted your comment")
        # Locking: nobody comments, through the form or the API, until it is undone.
        r = mod.post_form("/admin/works/%d/lock" % wid, [("reason", "A flame war.")])
        redirect(r, "/admin/works/%d" % wid)
        r = api(srv, "POST", "/api/v1/chapters/%d/comments" % cid, {"body": "More fuel for the fire."}, reader)
        status(r, 403)
        contains(srv.client().get("/works/%d" % wid).text, "locked the comments")
        # The bookmark goes too.
        r = mod.post_form("/admin/bookmarks/%d/remove" % bookmark, [("reason", "Rude notes.")])
        status(r, 303)
        not_contains(srv.client().get("/users/cm_other/bookmarks").text, "Rude notes here.")
        # Everything comes back from the log.
        log = mod.get("/admin/log").text
        for entry in [int(x) for x in re.findall(r'href="/admin/log/(\d+)">', log)]:
            status(mod.post_form("/admin/log/%d/undo" % entry, [("reason", "On second thoughts.")]), 303)
        contains(srv.client().get("/works/%d/chapters/%d" % (wid, cid)).text, "A nasty remark about someone.")
        contains(srv.client().get("/users/cm_other/bookmarks").text, "Rude notes here.")
        status(api(srv, "POST", "/api/v1/chapters/%d/comments" % cid, {"body": "Calmer now."}, reader), 201)


if __name__ == "__main__":
    sys.exit(main(globals()))
