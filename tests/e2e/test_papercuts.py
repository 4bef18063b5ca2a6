"""End-to-end: a new user's papercuts (issue 7): settings return, trailing slashes, favicon, help anchors,
success messages, log-in reasons, restricted works, every sign-up problem at once, bidi isolation."""
import html
import html.parser
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.parse

from quire_e2e import (ROOT, Server, check, contains, eq, input_value, location_path, main, not_contains, redirect,
                       run_cli, status)

PW = "a perfectly long password"


def user(srv, name):
    c = srv.client()
    status(c.signup(name, "%s@example.org" % name, PW), 303)
    return c


def work_fields(**over):
    f = {
        "title": "Papercut", "summary": "A summary.", "notes": "", "end_notes": "",
        "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"], "categories": ["Gen"],
        "fandoms": "Original Work", "relationships": "", "characters": "", "freeforms": "",
        "language": "English", "expected_chapters": "", "series_title": "", "series_position": "",
        "coauthors": "", "chapter_title": "", "chapter_summary": "", "chapter_notes": "", "chapter_end_notes": "",
        "chapter_content": "The first chapter begins here.", "chapter_format": "text", "action": "post",
    }
    f.update(over)
    pairs = []
    for k, v in f.items():
        if isinstance(v, list):
            pairs += [(k, x) for x in v]
        elif isinstance(v, bool):
            if v:
                pairs.append((k, "1"))
        elif v is not None:
            pairs.append((k, v))
    return pairs


def post_work(c, **over):
    """Posts a work; returns (id, the Location of the answer)."""
    c.get("/works/new")
    r = c.post_form("/works", work_fields(**over))
    m = re.fullmatch(r"/works/(\d+)", redirect(r))
    check(m is not None, "posting went to %s" % location_path(r))
    return int(m.group(1)), location_path(r)


def chapter_ids(c, wid):
    r = c.get("/works/%d/navigate" % wid)
    status(r, 200)
    return [int(x) for x in re.findall(r'href="/works/%d/chapters/(\d+)"' % wid, r.text)]


def notice_of(page):
    """The text of the page's status notices, white space folded."""
    found = re.findall(r'<p class="notice" role="status">(.*?)</p>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", x)) for x in found).strip()


# -- reading settings ---------------------------------------------------------------------------

def prefs_link(page):
    m = re.search(r'href="(/prefs\?return=[^"]*)"', page)
    check(m is not None, "no Reading settings link on the page")
    return html.unescape(m.group(1))


def test_reading_settings_return_to_the_exact_page_and_view():
    with Server(demo=True) as srv:
        c = srv.client()
        for here in ("/works/1?view_full_work=true", "/works?page=1", "/users/inkwell/works?page=1"):
            r = c.get(here)
            status(r, 200)
            link = prefs_link(r.text)
            ret = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query).get("return", [""])[0]
            eq(ret, here, "the settings link's return on %s" % here)
            r = c.get(link)
            status(r, 200)
            eq(input_value(r.text, "return"), here, "the settings form's return")
            r = c.post_form("/prefs", [("theme", "dark"), ("font_size", "l"), ("return", here)])
            status(r, 303)
            eq(location_path(r), here, "saving the settings went to")
        r = c.get("/works/1?view_full_work=true")
        contains(r.text, 'class="theme-dark size-l', "the page after saving the settings")


def test_reading_settings_never_return_to_another_site():
    with Server() as srv:
        c = srv.client()
        for bad in ("//evil.example/x", "/\\evil.example", "/\t/evil.example/phish", "/ /evil.example",
                    "https://evil.example/", "/works\r\nSet-Cookie: x=1", "javascript:alert(1)", "/\x7f/x",
                    "evil.example"):
            r = c.get("/prefs?return=" + urllib.parse.quote(bad, safe=""))
            status(r, 200)
            eq(input_value(r.text, "return"), "/", "the settings form's return for %r" % bad)
            r = c.post_form("/prefs", [("theme", "light"), ("return", bad)])
            status(r, 303)
            eq(r.header("Location"), "/", "saving with return=%r went to" % bad)


# -- trailing slashes ---------------------------------------------------------------------------

def test_a_trailing_slash_redirects_to_the_page_without_it():
    with Server(demo=True) as srv:
        c = srv.client()
        for path, want in (("/works/", "/works"), ("/works/1/", "/works/1"),
                           ("/works/1/?view_full_work=true", "/works/1?view_full_work=true"),
                           ("/works/?page=2", "/works?page=2"), ("/users/inkwell/", "/users/inkwell"),
                           ("/docs/api/", "/docs/api")):
            for method in ("GET", "HEAD"):
                r = c.request(method, path)
                status(r, 301, 308)
                eq(location_path(r), want, "%s %s redirects to" % (method, path))
            status(c.get(want), 200)
        # Only pages that exist: unknown paths still answer 404, and "//" never leads off-site.
        for path in ("/no/such/page/", "//evil.example/", "/works/1/nonsense/", "/works/1/chapters/"):
            r = c.get(path)
            status(r, 404)


# -- favicon ------------------------------------------------------------------------------------

def test_favicon_is_served_and_linked():
    with Server() as srv:
        c = srv.client()
        r = c.get("/favicon.ico")
        status(r, 200)
        eq(r.header("Content-Type"), "image/x-icon", "favicon.ico type")
        check(r.body[:4] == b"\x00\x00\x01\x00", "favicon.ico is not an icon file: %r" % r.body[:8])
        page = c.get("/")
        icons = re.findall(r'<link rel="icon" href="([^"]+)"[^>]*>', page.text)
        check(icons, "the home page links no icon")
        for href in icons:
            r = c.get(href)
            status(r, 200)
            check(r.header("Content-Type", "").startswith("image/"), "%s is %s" % (href, r.header("Content-Type")))
        csp = page.header("Content-Security-Policy", "")
        check(re.search(r"img-src [^;]*'self'", csp), "the CSP does not let the page load its icon: %s" % csp)


# -- /docs/api ----------------------------------------------------------------------------------

def test_docs_headings_have_anchors_and_tables_scroll():
    with Server() as srv:
        r = srv.client().get("/docs/api")
        status(r, 200)
        headings = re.findall(r"<h([1-6])([^>]*)>(.*?)</h\1>", r.text, re.S)
        check(len(headings) > 10, "only %d headings on /docs/api" % len(headings))
        ids = set(re.findall(r'\bid="([^"]+)"', r.text))
        for level, attrs, inner in headings:
            m = re.search(r'\bid="([^"]+)"', attrs)
            check(m, "heading without an id: <h%s%s>%s" % (level, attrs, inner[:80]))
            check('<a class="anchor" href="#%s">' % m.group(1) in inner, "no § link in heading %s" % m.group(1))
        for want in ("authentication", "errors", "the-work-object", "fields-you-send-ao3s-work-form",
                     "list-works-get-apiv1works"):
            check(want in ids, "no #%s on /docs/api (ids: %s)" % (want, sorted(ids)))
        for target in re.findall(r'href="#([^"]+)"', r.text):
            check(target in ids or target == "main", "link to #%s has no target" % target)
        tables = r.text.count("<table")
        check(tables > 0, "no tables on /docs/api")
        eq(len(re.findall(r'<div class="table-scroll"[^>]*>\s*<table', r.text)), tables, "tables in a scrolling box")
        css = srv.client().get("/static/style.css").text
        check(re.search(r"\.table-scroll \{[^}]*overflow-x: auto", css), "no overflow-x on .table-scroll")


# -- success messages and reasons ---------------------------------------------------------------

def test_success_messages_after_sign_up_posting_and_saving():
    with Server() as srv:
        c = srv.client()
        r = c.signup("notice_me", "notice@example.org", PW)
        status(r, 303)
        contains(notice_of(c.get(location_path(r)).text), "Your account was created", "after sign-up")

        wid, loc = post_work(c, title="Noticed")
        eq(notice_of(c.get(loc).text), "Your work was posted.", "after posting")
        c.get("/works/new")
        r = c.post_form("/works", work_fields(title="Drafted", action="draft"))
        contains(notice_of(c.get(location_path(r)).text), "Your draft was saved.", "after saving a draft")

        c.get("/works/%d/edit" % wid)
        r = c.post_form("/works/%d" % wid, [p for p in work_fields(title="Noticed again") if not p[0].startswith("chapter_")])
        eq(notice_of(c.get(location_path(r)).text), "Your changes were saved.", "after editing the work")

        c.get("/works/%d/chapters/new" % wid)
        r = c.post_form("/works/%d/chapters" % wid, [("chapter_title", "Two"), ("chapter_format", "text"),
                                                      ("chapter_content", "The second chapter is here."),
                                                      ("action", "post")])
        eq(notice_of(c.get(location_path(r)).text), "Your chapter was posted.", "after adding a chapter")
        first, second = chapter_ids(c, wid)
        c.get("/works/%d/chapters/%d/edit" % (wid, second))
        r = c.post_form("/works/%d/chapters/%d" % (wid, second), [("chapter_title", "Two, edited"),
                                                                  ("chapter_format", "text"),
                                                                  ("chapter_content", "The second chapter, edited."),
                                                                  ("action", "post")])
        eq(notice_of(c.get(location_path(r)).text), "Your chapter was saved.", "after editing a chapter")
        c.get("/works/%d/chapters/manage" % wid)
        r = c.post_form("/works/%d/chapters/reorder" % wid, [("position_%d" % first, "2"), ("position_%d" % second, "1")])
        eq(notice_of(c.get(location_path(r)).text), "The new chapter order was saved.", "after reordering")
        c.get("/works/%d/chapters/%d/edit" % (wid, second))
        r = c.post_form("/works/%d/chapters/%d/delete" % (wid, second), [])
        eq(notice_of(c.get(location_path(r)).text), "The chapter was deleted.", "after deleting a chapter")
        c.get("/works/%d/delete" % wid)
        r = c.post_form("/works/%d/delete" % wid, [])
        eq(notice_of(c.get(location_path(r)).text), "Your work was deleted.", "after deleting the work")

        # Unknown codes say nothing; guests (whose pages are cached and shared) never see a notice.
        eq(notice_of(c.get("/works?notice=%3Cb%3Ehi").text), "", "an unknown notice code")
        guest = srv.client()
        eq(notice_of(guest.get("/works?notice=posted").text), "", "a guest's notice")
        eq(notice_of(guest.get("/works").text), "", "a guest's page after ?notice=")


def test_log_in_page_says_why_it_was_shown():
    with Server() as srv:
        c = srv.client()
        for path, why in (("/works/new", "Please log in to post a work."),
                          ("/account", "Please log in to see your account."),
                          ("/works/1/edit", "Please log in to see that page.")):
            r = c.get(path)
            status(r, 303)
            r = c.get(location_path(r))
            status(r, 200)
            eq(notice_of(r.text), why, "the log-in page sent from %s" % path)
        eq(notice_of(c.get("/login").text), "", "the log-in page opened by hand")


# -- restricted works -----------------------------------------------------------------------------

def test_a_guest_opening_a_restricted_work_is_told_to_log_in_without_seeing_its_title():
    with Server() as srv:
        author = user(srv, "members_only")
        title = "Secret Garden Party"
        wid, _ = post_work(author, title=title, restricted=True)
        cid = chapter_ids(author, wid)[0]
        guest = srv.client()
        for path in ("/works/%d" % wid, "/works/%d/chapters/%d" % (wid, cid), "/works/%d/navigate" % wid,
                     "/works/%d?view_full_work=true" % wid):
            r = guest.get(path)
            status(r, 404)
            not_contains(r.text, title, "guest's %s" % path)
            contains(r.text, "This work is only for logged-in readers", "guest's %s" % path)
            contains(r.text, 'href="/login?return=%s"' % urllib.parse.quote(path, safe=""), "guest's %s" % path)
        # A work that does not exist, or someone else's draft, still says only "not found".
        draft, _ = post_work(author, title="Hidden Draft", action="draft")
        for path in ("/works/%d" % (wid + 100), "/works/%d" % draft):
            r = guest.get(path)
            status(r, 404)
            not_contains(r.text, "This work is only for logged-in readers", "guest's %s" % path)
        # Logged in, the same link reads the work.
        reader = user(srv, "a_reader")
        r = reader.get("/works/%d" % wid)
        status(r, 200)
        contains(r.text, title, "a member's view")


# -- sign-up --------------------------------------------------------------------------------------

def test_sign_up_shows_every_problem_at_once():
    with Server() as srv:
        user(srv, "alice")
        c = srv.client()
        r = c.signup("alice", "not-an-address", "short")
        status(r, 422)
        for problem in ("That user name is taken.", "That does not look like an e-mail address",
                        "Passwords need at least 8 characters."):
            contains(r.text, problem, "sign-up with a taken name, a bad address and a short password")
        r = c.signup("bob_the_second", "alice@example.org", "short")
        status(r, 422)
        for problem in ("An account with that e-mail address already exists.", "Passwords need at least 8 characters."):
            contains(r.text, problem, "sign-up with a taken address and a short password")


# -- bidi isolation -------------------------------------------------------------------------------

class _Isolation(html.parser.HTMLParser):
    """Finds text nodes containing a needle whose element is neither <bdi> nor has a dir attribute."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SKIP = {"title", "option", "textarea", "script", "style"}

    def __init__(self, needles):
        super().__init__(convert_charrefs=True)
        self.needles = needles
        self.stack = []
        self.bad = []
        self.seen = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        for needle in self.needles:
            if needle not in data or any(t in self.SKIP for t, _ in self.stack):
                continue
            self.seen += 1
            tag, attrs = self.stack[-1] if self.stack else ("", {})
            if tag != "bdi" and "dir" not in attrs:
                self.bad.append("%r inside <%s %s>: %r" % (needle, tag, attrs, data.strip()[:80]))


def test_titles_names_and_tags_are_isolated_from_the_text_around_them():
    rtl = {"title": "שלום עולם 2", "fandoms": "פנדום", "relationships": "א/ב", "characters": "דמות",
           "freeforms": "תגית", "series_title": "סדרה", "chapter_title": "פרק"}
    with Server() as srv:
        name = "rtl_writer"
        author = user(srv, name)
        wid, _ = post_work(author, **rtl)
        author.get("/works/%d/chapters/new" % wid)
        author.post_form("/works/%d/chapters" % wid, [("chapter_title", "פרק שני"), ("chapter_format", "text"),
                                                      ("chapter_content", "The second chapter is here."),
                                                      ("action", "post")])
        cid = chapter_ids(author, wid)[0]
        needles = list(rtl.values()) + [name]
        pages = ["/", "/works", "/users/" + name, "/users/%s/works" % name, "/works/%d" % wid,
                 "/works/%d/chapters/%d" % (wid, cid), "/works/%d?view_full_work=true" % wid,
                 "/works/%d/navigate" % wid, "/works/%d/chapters/manage" % wid, "/works/%d/delete" % wid,
                 "/works/%d/edit" % wid, "/works/%d/chapters/%d/edit" % (wid, cid), "/account"]
        # The finding pages: a tag page and its wrangling form, the series, search, the fandom directory and
        # the wrangling queue (the author becomes a wrangler to see the last two).
        p = run_cli(["user", "role", name, "wrangler"], data=srv.data)
        eq(p.returncode, 0, "user role (stderr: %s)" % p.stderr)
        series = re.search(r'href="(/series/\d+)"', author.get("/works/%d" % wid).text)
        check(series is not None, "the work links to its series")
        fandom = "/tags/" + urllib.parse.quote(rtl["fandoms"], safe="")
        pages += [fandom, fandom + "/edit", "/tags/" + urllib.parse.quote(rtl["characters"], safe="") + "/edit",
                  series.group(1), "/search?q=" + urllib.parse.quote("שלום"), "/media",
                  "/media/Uncategorized%20Fandoms", "/wrangling"]
        problems, seen = [], 0
        for path in pages:
            r = author.get(path)
            status(r, 200)
            p = _Isolation(needles)
            p.feed(r.text)
            seen += p.seen
            problems += ["%s: %s" % (path, b) for b in p.bad]
        check(seen > 40, "only %d titles, names and tags found on %d pages" % (seen, len(pages)))
        check(not problems, "%d not isolated:\n  %s" % (len(problems), "\n  ".join(problems)))


# -- README and scripts/deps.sh -------------------------------------------------------------------

def test_ctrl_c_stops_the_server_cleanly():
    with Server(demo=True) as srv:
        status(srv.client().get("/"), 200)
        p = srv.proc
        p.send_signal(signal.SIGINT)
        try:
            code = p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("quire did not stop within 10 s of Ctrl-C (SIGINT)")
        srv.proc = None
        eq(code, 0, "exit status after Ctrl-C")


def test_an_admin_made_as_the_readme_says_can_log_in_while_the_server_runs():
    with Server(demo=True) as srv:
        r = run_cli(["user", "add", "alice", "alice@example.org", "--role", "admin"], data=srv.data,
                    stdin="a long password\n")
        eq(r.returncode, 0, "quire user add (stderr: %s)" % r.stderr)
        c = srv.client()
        status(c.login("alice", "a long password"), 303)
        r = c.get("/account")
        status(r, 200)
        contains(r.text, "admin", "alice's account page")


def _sh_array(text, name):
    m = re.search(r"^%s=\(([^)]*)\)" % name, text, re.M)
    check(m, "no %s=(...) in scripts/deps.sh" % name)
    return m.group(1).split()


def test_deps_installs_only_packages_the_code_uses():
    deps = open(os.path.join(ROOT, "scripts", "deps.sh")).read()
    cmake = open(os.path.join(ROOT, "CMakeLists.txt")).read()
    modules = set()
    for names in re.findall(r"pkg_check_modules\(\w+ REQUIRED IMPORTED_TARGET ([\w.+ -]+)\)", cmake):
        modules.update(names.split())
    check(modules, "no pkg_check_modules in CMakeLists.txt")
    check(shutil.which("dpkg-query"), "dpkg-query is missing: this check reads Debian's package lists")
    unused = []
    for pkg in _sh_array(deps, "build_pkgs"):
        if not pkg.startswith("lib") or not pkg.endswith("-dev"):
            continue
        # The package's pkg-config files name the modules it provides (deps.sh installed it).
        files = subprocess.run(["dpkg-query", "-L", pkg], capture_output=True, text=True).stdout.split()
        pcs = {os.path.basename(f)[:-3] for f in files if f.endswith(".pc")}
        check(pcs, "%s is not installed, or provides no .pc file" % pkg)
        if pcs and not pcs & modules:
            unused.append("%s (provides %s)" % (pkg, ", ".join(sorted(pcs))))
    tests = ""
    for d, _, names in os.walk(os.path.join(ROOT, "tests")):
        if "node_modules" in d:
            continue
        for n in names:
            if n.endswith((".py", ".mjs", ".txt")) and n != os.path.basename(__file__):
                tests += open(os.path.join(d, n), errors="replace").read()
    for pkg in _sh_array(deps, "test_pkgs"):
        if pkg.startswith("python3-") and not re.search(r"^\s*(import|from) %s\b" % pkg[8:], tests, re.M):
            unused.append("%s (no test imports %s)" % (pkg, pkg[8:]))
        if pkg.startswith("postgresql") and not re.search(r"\b(pg_ctl|initdb)\b|postgres(ql)?://", tests):
            unused.append("%s (no test uses PostgreSQL)" % pkg)
    check(not unused, "scripts/deps.sh installs packages nothing uses: %s" % "; ".join(unused))


if __name__ == "__main__":
    sys.exit(main(globals()))
