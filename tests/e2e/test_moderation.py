"""End-to-end: a guest reports a work, a moderator hides it with a reason, its creator is told (inbox and the
work's page), the work is gone from every listing, search, feed, download and API answer for everyone else
(cached pages included), an admin undoes it, and the audit log shows both (issue 14)."""
import os
import re
import sys
import time

from admin_helpers import PW, add_user, api, login, post_work, qs, tag_path, text_of
from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, sql_rows, status, store_url

TITLE = "The Quillfeather Affair"
WORD = "quillfeatherish"


def report_work(guest, wid, body="It copies another story word for word."):
    r = guest.get("/reports/new?" + qs({"kind": "work", "id": wid}))
    status(r, 200)
    contains(r.text, TITLE)
    return guest.post_form("/reports", [("kind", "work"), ("id", str(wid)), ("category", "copyright"),
                                        ("body", body), ("email", "")])


def surfaces(srv, wid, chapter_id, token=None, client=None):
    """What a reader finds of the work: {surface: True when the work shows there}."""
    c = client or srv.client()
    found = {}
    r = c.get("/works/%d" % wid)
    found["work page"] = r.status == 200
    found["chapter page"] = c.get("/works/%d/chapters/%d" % (wid, chapter_id)).status == 200
    found["entire work"] = c.get("/works/%d?view_full_work=true" % wid).status == 200
    found["/works"] = TITLE in c.get("/works").text
    found["home"] = TITLE in c.get("/").text
    found["search"] = TITLE in c.get("/search?" + qs({"q": WORD})).text
    found["tag page"] = TITLE in c.get(tag_path("Quill Shared Tag")).text
    found["author page"] = TITLE in c.get("/users/quill_author").text
    found["author works"] = TITLE in c.get("/users/quill_author/works").text
    found["series"] = TITLE in c.get("/series/%d" % srv.series_id).text
    found["opds recent"] = TITLE in c.get("/opds/works?sort=updated").text
    found["opds search"] = TITLE in c.get("/opds/works?" + qs({"q": WORD})).text
    found["epub"] = c.get("/downloads/%d/x.epub" % wid).status == 200
    found["html download"] = c.get("/downloads/%d/x.html" % wid).status == 200
    found["api work"] = api(srv, "GET", "/api/v1/works/%d" % wid, token=token).status == 200
    found["api list"] = TITLE in api(srv, "GET", "/api/v1/works?" + qs({"q": WORD}), token=token).text
    found["api chapter"] = api(srv, "GET", "/api/v1/works/%d/chapters/%d" % (wid, chapter_id),
                               token=token).status == 200
    ac = api(srv, "GET", "/api/v1/tags/autocomplete?" + qs({"q": "Quillonly"}), token=token).json()["tags"]
    found["its own tag"] = bool(ac)
    return found


def test_report_hide_tell_vanish_undo_log():
    with Server() as srv:
        author = add_user(srv, "quill_author")
        add_user(srv, "quill_mod", role="moderator")
        add_user(srv, "quill_admin", role="admin")
        reader = add_user(srv, "quill_reader")
        work = post_work(srv, author, title=TITLE, summary="A " + WORD + " tale.",
                         freeforms=["Quill Shared Tag", "Quillonly Tag"], series={"title": "Quill Series"})
        wid = work["id"]
        chapter_id = work["chapters"][0]["id"]
        other = post_work(srv, author, title="A Neighbouring Story", freeforms=["Quill Shared Tag"],
                          series={"title": "Quill Series"})
        srv.series_id = work["series"]["id"]

        # Guests' pages are cached before anything happens: hiding must drop them.
        guest = srv.client()
        before = surfaces(srv, wid, chapter_id, client=guest)
        eq([k for k, v in before.items() if not v], [], "surfaces missing the work before it is hidden")
        check(guest.get("/works").headers.get("X-Cache") == "hit", "the listing is cached for guests")

        # A guest reports it.
        r = report_work(srv.client(), wid)
        status(r, 200)
        contains(r.text, "Report sent")

        # The moderator finds it in the queue and hides the work from there, with a reason.
        mod = login(srv, "quill_mod")
        queue = mod.get("/admin/reports")
        status(queue, 200)
        contains(queue.text, TITLE)
        rid = int(re.search(r'href="/admin/reports/(\d+)"', queue.text).group(1))
        page = mod.get("/admin/reports/%d" % rid)
        status(page, 200)
        contains(page.text, "It copies another story word for word.")
        contains(page.text, "As reported")
        r = mod.post_form("/admin/works/%d/hide" % wid, [("reason", "Copied from another archive."),
                                                         ("report_id", str(rid)),
                                                         ("return", "/admin/reports/%d" % rid)])
        redirect(r, "/admin/reports/%d" % rid)
        contains(mod.get("/admin/reports/%d" % rid).text, "Resolved")

        # Nobody else finds it anywhere; guests' cached pages were dropped.
        for who, token, client in (("guest", None, srv.client()), ("cached guest", None, guest),
                                   ("reader", reader, login(srv, "quill_reader"))):
            after = surfaces(srv, wid, chapter_id, token=token, client=client)
            eq([k for k, v in after.items() if v], [], "surfaces still showing the hidden work to the %s" % who)
        contains(srv.client().get("/works").text, "A Neighbouring Story")
        contains(srv.client().get(tag_path("Quill Shared Tag")).text, "A Neighbouring Story")

        # The creator sees the notice in the inbox and on the work's page, and the mark in their listings.
        me = login(srv, "quill_author")
        inbox = me.get("/inbox")
        contains(inbox.text, "From the site's moderators")
        contains(text_of(inbox.text), "Copied from another archive.")
        page = me.get("/works/%d" % wid)
        status(page, 200)
        contains(page.text, "Hidden by the site's moderators")
        contains(page.text, "Copied from another archive.")
        contains(me.get("/users/quill_author/works").text, "Hidden by moderators")
        status(api(srv, "GET", "/api/v1/works/%d" % wid, token=author), 200)
        # Moderators see it too, with the way to undo.
        status(mod.get("/works/%d" % wid), 200)
        # Nobody may comment, kudos or bookmark it meanwhile.
        r = api(srv, "POST", "/api/v1/works/%d/kudos" % wid, {}, reader)
        status(r, 404)

        # The admin undoes it from the log; it is back everywhere, and the creator is told.
        adm = login(srv, "quill_admin")
        log = adm.get("/admin/log")
        status(log, 200)
        entry = int(re.search(r'href="/admin/log/(\d+)">', log.text).group(1))
        r = adm.post_form("/admin/log/%d/undo" % entry, [("reason", "The other archive copied us, not the reverse.")])
        status(r, 303)
        back = surfaces(srv, wid, chapter_id, client=srv.client())
        eq([k for k, v in back.items() if not v], [], "surfaces missing the work after the undo")
        contains(text_of(me.get("/inbox").text), "The other archive copied us")

        # The log shows both, with who, what and why; neither can be undone twice.
        log = text_of(adm.get("/admin/log").text)
        contains(log, "hid a work")
        contains(log, "showed a work again")
        contains(log, "Copied from another archive.")
        contains(log, "The other archive copied us, not the reverse.")
        contains(log, "quill_mod")
        contains(log, "quill_admin")
        r = adm.post_form("/admin/log/%d/undo" % entry, [("reason", "again")])
        status(r, 409)
        filtered = adm.get("/admin/log?" + qs({"actor": "quill_mod"})).text
        filtered = text_of(filtered[filtered.index("<tbody>"):])
        contains(filtered, "hid a work")
        not_contains(filtered, "showed a work again")
        del other


def test_who_may_moderate_and_report_limits():
    with Server() as srv:
        author = add_user(srv, "limit_author")
        add_user(srv, "limit_mod", role="moderator")
        add_user(srv, "limit_wrangler", role="wrangler")
        add_user(srv, "limit_reader")
        wid = post_work(srv, author, title="Limits")["id"]
        for name in ("limit_reader", "limit_wrangler", "limit_author"):
            c = login(srv, name)
            for path in ("/admin", "/admin/reports", "/admin/log", "/admin/works/%d" % wid):
                status(c.get(path), 403)
            r = c.post_form("/admin/works/%d/hide" % wid, [("reason", "no")], csrf=True)
            status(r, 403)
        guest = srv.client()
        r = guest.get("/admin")
        status(r, 303)
        # A reason is required; a draft is nobody's to moderate.
        mod = login(srv, "limit_mod")
        status(mod.post_form("/admin/works/%d/hide" % wid, [("reason", "  ")]), 422)
        draft = post_work(srv, author, title="Still a draft", draft=True)["id"]
        status(mod.get("/admin/works/%d" % draft), 404)
        status(mod.post_form("/admin/works/%d/hide" % draft, [("reason", "x")]), 404)
        # Moderators may not delete works (admins may).
        status(mod.post_form("/admin/works/%d/delete" % wid, [("reason", "x")]), 403)
        # Reports from one address are capped; the text stays in the form.
        c = srv.client()
        codes = []
        for i in range(12):
            r = report_work_any(c, wid, "Flood number %d" % i)
            codes.append(r.status)
        eq(codes.count(200), 10, "reports accepted from one address (%r)" % codes)
        eq(codes[-1], 429, "the eleventh and later reports")
        contains(r.text, "Flood number 11")
        check(r.headers.get("Retry-After"), "Retry-After on a capped report")
        # Unknown kinds and targets answer clearly; the honeypot refuses quietly.
        status(c.get("/reports/new?kind=planet&id=1"), 400)
        status(c.get("/reports/new?kind=work&id=999999"), 404)
        status(c.get("/reports/new?kind=work&id=%d" % draft), 404)


def test_admin_api_for_moderators_only():
    with Server() as srv:
        author = add_user(srv, "api_author")
        mod = add_user(srv, "api_mod", role="moderator")
        reader = add_user(srv, "api_reader")
        wid = post_work(srv, author, title="Through the API")["id"]
        r = api(srv, "POST", "/api/v1/reports", {"kind": "work", "id": wid, "category": "spam",
                                                  "body": "Advertises a shop."}, reader)
        status(r, 201)
        rid = r.json()["id"]
        for token, want in ((None, 401), (reader, 403), (author, 403)):
            status(api(srv, "GET", "/api/v1/admin/reports", token=token), want)
            status(api(srv, "POST", "/api/v1/admin/works/%d/hide" % wid, {"reason": "x"}, token), want)
            status(api(srv, "GET", "/api/v1/admin/log", token=token), want)
        reports = api(srv, "GET", "/api/v1/admin/reports", token=mod).json()["reports"]
        eq([x["id"] for x in reports], [rid], "open reports")
        eq(reports[0]["reporter"], "api_reader", "reporter")
        r = api(srv, "PATCH", "/api/v1/admin/reports/%d" % rid, {"status": "in_progress", "note": "Looking."}, mod)
        status(r, 200)
        eq(r.json()["status"], "in_progress", "status after PATCH")
        eq(r.json()["notes"][0]["body"], "Looking.", "note")
        status(api(srv, "POST", "/api/v1/admin/works/%d/hide" % wid, {"reason": ""}, mod), 422)
        r = api(srv, "POST", "/api/v1/admin/works/%d/hide" % wid, {"reason": "Spam.", "report_id": rid}, mod)
        status(r, 200)
        entry = r.json()["entry"]
        eq((entry["action"], entry["reason"], entry["report_id"]), ("work_hide", "Spam.", rid), "log entry")
        status(api(srv, "GET", "/api/v1/works/%d" % wid, token=reader), 404)
        eq(api(srv, "GET", "/api/v1/works/%d" % wid, token=author).json()["hidden"], True, "hidden, to its creator")
        eq(api(srv, "GET", "/api/v1/admin/reports/%d" % rid, token=mod).json()["status"], "resolved", "resolved")
        r = api(srv, "POST", "/api/v1/admin/log/%d/undo" % entry["id"], {"reason": "It was fine."}, mod)
        status(r, 200)
        eq(r.json()["entry"]["undoes"], entry["id"], "the undo names the entry")
        status(api(srv, "POST", "/api/v1/admin/log/%d/undo" % entry["id"], {"reason": "Again."}, mod), 409)
        status(api(srv, "GET", "/api/v1/works/%d" % wid, token=reader), 200)
        log = api(srv, "GET", "/api/v1/admin/log?action=work_hide", token=mod).json()["entries"]
        eq([(x["action"], x["undone_by"]) for x in log], [("work_hide", r.json()["entry"]["id"])], "filtered log")


def sql_write(srv, sql):
    """Runs a statement on the server's store (SQLite file or PostgreSQL database) beside the server."""
    url = store_url(srv.data)
    if url is None:
        import sqlite3
        con = sqlite3.connect(os.path.join(srv.data, "quire.db"), timeout=10)
        with con:
            con.execute(sql)
        con.close()
    else:
        import cluster
        cluster.query(url, sql)


def test_deleted_works_are_purged_after_30_days():
    with Server(env={"QUIRE_HOUSEKEEPING_SECONDS": "1"}) as srv:
        author = add_user(srv, "purge_author")
        mod = add_user(srv, "purge_admin", role="admin")
        old = post_work(srv, author, title="Deleted Long Ago")["id"]
        new = post_work(srv, author, title="Deleted Yesterday")["id"]
        for wid in (old, new):
            status(api(srv, "POST", "/api/v1/admin/works/%d/delete" % wid, {"reason": "Plagiarism."}, mod), 200)
        sql_write(srv, "UPDATE work_moderation SET at = at - 31 * 86400 WHERE work_id = %d" % old)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            log = api(srv, "GET", "/api/v1/admin/log?action=purged", token=mod).json()["entries"]
            if log:
                break
            time.sleep(0.2)
        eq([(x["target_id"], x["actor"]) for x in log], [(old, "the archive")], "the purge, logged by the archive")
        eq(sql_rows(srv.data, "SELECT COUNT(*) FROM works WHERE id = %d" % old), [(0,)], "the old work is gone")
        entries = api(srv, "GET", "/api/v1/admin/log?action=work_delete", token=mod).json()["entries"]
        old_entry = [x for x in entries if x["target_id"] == old][0]
        r = api(srv, "POST", "/api/v1/admin/log/%d/undo" % old_entry["id"], {"reason": "Too late."}, mod)
        status(r, 422)
        contains(r.text, "gone for good")
        # Yesterday's can still be restored.
        new_entry = [x for x in entries if x["target_id"] == new][0]
        status(api(srv, "POST", "/api/v1/admin/log/%d/undo" % new_entry["id"], {"reason": "Checked."}, mod), 200)
        status(api(srv, "GET", "/api/v1/works/%d" % new), 200)


def report_work_any(c, wid, body):
    c.get("/reports/new?" + qs({"kind": "work", "id": wid}))
    return c.post_form("/reports", [("kind", "work"), ("id", str(wid)), ("category", "spam"), ("body", body)])


if __name__ == "__main__":
    sys.exit(main(globals()))
