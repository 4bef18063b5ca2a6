"""End-to-end: the site's own pages, news with its Atom feed and comments, the dismissible banner, and the site's
name as its admins set it, on cached guests' pages too (issue 14)."""
import re
import sys
import xml.etree.ElementTree as ET

from admin_helpers import add_user, api, login, post_work, text_of
from quire_e2e import Server, check, contains, eq, main, not_contains, redirect, status

ATOM = "{http://www.w3.org/2005/Atom}"


def test_news_feed_and_comments():
    with Server() as srv:
        add_user(srv, "news_admin", role="admin")
        add_user(srv, "news_reader")
        adm = login(srv, "news_admin")
        status(srv.client().get("/news"), 200)
        r = adm.post_form("/admin/news", [("title", "Downtime on Sunday"), ("comments_open", "1"),
                                          ("body", "We move to a *new* server. <script>alert(1)</script>")])
        status(r, 303)
        path = r.headers["Location"]
        check(re.fullmatch(r"/news/\d+", path), "redirect to the post: %s" % path)
        page = srv.client().get(path).text
        contains(page, "<em>new</em>")
        not_contains(page, "<script>alert")
        contains(srv.client().get("/news").text, "Downtime on Sunday")
        feed = srv.client().get("/news.atom")
        status(feed, 200)
        contains(feed.headers["Content-Type"], "application/atom+xml")
        root = ET.fromstring(feed.body)
        entries = root.findall(ATOM + "entry")
        eq([e.find(ATOM + "title").text for e in entries], ["Downtime on Sunday"], "feed entries")
        check(entries[0].find(ATOM + "link").get("href").endswith(path), "the entry links the post")
        # Logged-in readers comment; guests are asked to log in.
        reader = login(srv, "news_reader")
        reader.get(path)
        redirect(reader.post_form(path + "/comments", [("body", "Good luck with the move!")]), path)
        contains(srv.client().get(path).text, "Good luck with the move!")
        status(reader.post_form(path + "/comments", [("body", "   ")]), 422)
        guest = srv.client()
        guest.get("/login")
        redirect(guest.post_form(path + "/comments", [("body", "hello")]), "/login")
        status(adm.post_form("/admin/news", [("title", ""), ("body", "x")]), 422)
        status(reader.post_form("/admin/news", [("title", "Mine"), ("body", "x")]), 403)


def test_banner_dismissed_by_one_guest_only_and_the_site_name():
    with Server() as srv:
        add_user(srv, "banner_admin", role="admin")
        adm = login(srv, "banner_admin")
        first, second = srv.client(), srv.client()
        status(first.get("/works"), 200)
        eq(first.get("/works").headers.get("X-Cache"), "hit", "cached before the banner")
        adm.get("/admin/settings")
        redirect(adm.post_form("/admin/banner", [("banner", "Read-only on **Sunday** from 10:00.")]), "/admin/settings")
        page = first.get("/works").text
        contains(page, "Read-only on <strong>Sunday</strong>")
        banner_id = re.search(r'name="banner_id" value="(\d+)"', page).group(1)
        # Dismissed by the first guest: gone for them (their cached copy too), still there for the second.
        redirect(first.post("/banner/dismiss", "banner_id=%s&return=/works" % banner_id), "/works")
        not_contains(first.get("/works").text, "Read-only on")
        not_contains(first.get("/works").text, "Read-only on")
        contains(second.get("/works").text, "Read-only on")
        # A new banner shows again to everyone.
        redirect(adm.post_form("/admin/banner", [("banner", "Back to normal.")]), "/admin/settings")
        contains(first.get("/works").text, "Back to normal.")
        redirect(adm.post_form("/admin/banner", [("banner", "")]), "/admin/settings")
        not_contains(second.get("/works").text, "Back to normal.")
        # The site's name, as the admins set it, on every page (cached ones dropped).
        page = adm.get("/admin/settings").text
        fields = dict(re.findall(r'name="(site_name|site_description|mail_from|invitations_per_day)" value="([^"]*)"', page))
        fields.update({"site_name": "Lantern Archive", "signup_mode": "open", "comment_policy": "everyone"})
        redirect(adm.post_form("/admin/settings", list(fields.items())), "/admin/settings")
        contains(first.get("/works").text, "Lantern Archive")
        contains(text_of(adm.get("/admin/log").text), "changed the site's settings")


def test_site_pages_and_their_rules():
    with Server() as srv:
        add_user(srv, "pages_admin", role="admin")
        add_user(srv, "pages_mod", role="moderator")
        adm = login(srv, "pages_admin")
        status(srv.client().get("/about"), 404)
        redirect(adm.post_form("/admin/pages/about", [("title", "About us"), ("in_footer", "1"),
                                                      ("body", "A small archive for **sea** stories.")]), "/pages/about")
        for path in ("/about", "/pages/about"):
            contains(srv.client().get(path).text, "<strong>sea</strong>")
        contains(srv.client().get("/works").text, 'href="/pages/about"')
        redirect(adm.post_form("/admin/pages/rules-of-the-road", [("title", "Rules"), ("body", "Be nice.")]),
                 "/pages/rules-of-the-road")
        status(adm.post_form("/admin/pages/Bad_Slug", [("title", "x"), ("body", "x")]), 422)
        status(adm.get("/admin/pages/new?slug=Bad_Slug"), 422)
        redirect(adm.get("/admin/pages/new?slug=faq"), "/admin/pages/faq")
        status(login(srv, "pages_mod").post_form("/admin/pages/about", [("title", "x"), ("body", "y")]), 403)
        redirect(adm.post_form("/admin/pages/rules-of-the-road/delete", []), "/admin/pages")
        status(srv.client().get("/pages/rules-of-the-road"), 404)
        redirect(adm.post_form("/admin/pages/tos", [("title", "Terms"), ("body", "Be kind.")]), "/pages/tos")
        status(adm.post_form("/admin/pages/tos/delete", []), 422)


def test_warnings_behind_a_click_and_the_comment_default():
    with Server() as srv:
        t = add_user(srv, "warned_writer")
        add_user(srv, "boss", role="admin")
        wid = post_work(srv, t, title="Heavy Going", warnings=["Graphic Depictions Of Violence"])["id"]
        guest = srv.client()
        page = guest.get("/works").text
        contains(page, 'class="warnings"', "warnings in the tag line by default")
        not_contains(page, "Show warnings")
        adm = login(srv, "boss")
        page = adm.get("/admin/settings").text
        contains(page, 'name="warnings"', "the setting is on the page")
        redirect(adm.post_form("/admin/settings", [("warnings", "hidden"), ("comment_policy", "registered")]),
                 "/admin/settings")
        # Cached guests' pages follow at once: warnings behind "Show warnings", the square saying only that some apply.
        for path in ("/works", "/works/%d" % wid):
            page = guest.get(path).text
            contains(page, "<summary>Show warnings</summary>", path)
            not_contains(page, 'title="Graphic Depictions Of Violence"', path + ": the square's label")
            contains(page, "Graphic Depictions Of Violence", path + ": still there behind the click")
        contains(guest.get("/works").text, 'title="Archive warnings apply"')
        # A new work's comment setting starts as the admins chose, on the form and through the API.
        contains(adm.get("/works/new").text, 'value="registered" checked', "the form's default")
        w2 = post_work(srv, t, title="Quiet One")
        eq(w2.get("comment_policy") or api(srv, "GET", "/api/v1/works/%d" % w2["id"], None, t).json()["comment_policy"],
           "registered", "the API's default")
        w3 = post_work(srv, t, title="Open One", comment_policy="everyone")
        eq(api(srv, "GET", "/api/v1/works/%d" % w3["id"], None, t).json()["comment_policy"], "everyone", "chosen")
        contains(text_of(adm.get("/admin/log").text), "warnings: hidden")


if __name__ == "__main__":
    sys.exit(main(globals()))
