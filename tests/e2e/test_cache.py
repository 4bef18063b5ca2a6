"""End-to-end: the page cache, seen through X-Cache. Writes drop exactly the pages that show what changed;
sessions, sign-ups and tokens drop nothing; keys cannot be poisoned or inflated by query strings; errors and
personal pages are never shared; logged-in readers reuse the shared part and see changes at once; the entire
work streams with bounded memory."""
import json
import os
import re
import sys
import time

from quire_e2e import (Server, check, contains, csrf_from, eq, main, not_contains, redirect, run_cli,
                       status)

PW = "correct horse 42"


def add_user(srv, name):
    """Creates NAME with the CLI and returns a fresh API token for it."""
    p = run_cli(["user", "add", name, "%s@example.org" % name], data=srv.data, stdin=PW + "\n")
    eq(p.returncode, 0, "user add %s (stderr: %s)" % (name, p.stderr))
    p = run_cli(["token", "add", name], data=srv.data)
    eq(p.returncode, 0, "token add %s (stderr: %s)" % (name, p.stderr))
    return p.stdout.strip()


def api(srv, method, path, body, token):
    h = {"Accept": "application/json", "Authorization": "Bearer " + token, "Content-Type": "application/json"}
    return srv.client().request(method, path, body=json.dumps(body).encode("utf-8"), headers=h)


def post_work(srv, token, title, text, **over):
    body = {"title": title, "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
            "fandoms": ["Original Work"], "chapter": {"content": text, "format": "text"}}
    body.update(over)
    r = api(srv, "POST", "/api/v1/works", body, token)
    status(r, 201)
    w = r.json()
    return w["id"], w["chapters"][0]["id"]


def xcache(resp):
    return resp.header("X-Cache")


def get_as(client, path, want):
    """GET path; asserts status 200 and X-Cache == want; returns the response."""
    r = client.get(path)
    status(r, 200)
    eq(xcache(r), want, "X-Cache of %s" % path)
    return r


def metric(srv, name):
    """The value of a sample from GET /metrics, or None when the server has no /metrics page."""
    r = srv.client().get("/metrics")
    if r.status != 200:
        return None
    m = re.search(r"(?m)^%s (\d+(?:\.\d+)?)$" % re.escape(name), r.text)
    check(m is not None, "no %s in /metrics:\n%s" % (name, r.text[:2000]))
    return float(m.group(1))


def test_writes_drop_only_what_they_change():
    with Server() as srv:
        token = add_user(srv, "author")
        a, a_ch = post_work(srv, token, "Work Alpha", "Alpha text, first version.")
        b, b_ch = post_work(srv, token, "Work Beta", "Beta text, first version.")
        guest = srv.client()
        b_pages = ["/works/%d" % b, "/works/%d/chapters/%d" % (b, b_ch), "/works/%d/navigate" % b]
        for p in b_pages + ["/works/%d" % a, "/works", "/"]:
            get_as(guest, p, "miss")
            get_as(guest, p, "hit")

        def b_still_cached(after):
            for p in b_pages:
                r = guest.get(p)
                status(r, 200)
                eq(xcache(r), "hit", "X-Cache of %s after %s" % (p, after))

        # a sign-up, a log-in, a log-out, a new token and its use change no page
        reader = srv.client()
        redirect(reader.signup("reader", "reader@example.org", PW), "/account", "/")
        b_still_cached("a sign-up")
        status(reader.logout(), 303)
        redirect(reader.login("reader", PW), "/account", "/")
        b_still_cached("a log-in")
        page = reader.get("/account").text
        status(reader.post_form("/account/tokens", {"csrf_token": csrf_from(page), "name": "cli"}, csrf=False),
               201, 303, 200)
        status(srv.client().request("GET", "/api/v1/works", headers={"Authorization": "Bearer " + token}), 200)
        b_still_cached("a token")
        get_as(guest, "/works", "hit")

        # a change to work A drops A's pages and the listings, not B's
        r = api(srv, "PATCH", "/api/v1/works/%d" % a, {"title": "Work Alpha Renamed"}, token)
        status(r, 200)
        b_still_cached("a change to work A")
        r = get_as(guest, "/works/%d" % a, "miss")
        contains(r.text, "Work Alpha Renamed")
        r = get_as(guest, "/works", "miss")
        contains(r.text, "Work Alpha Renamed")
        get_as(guest, "/", "miss")

        # a change to work B drops B's pages, which show the new text at once
        r = api(srv, "PATCH", "/api/v1/works/%d/chapters/%d" % (b, b_ch),
                {"content": "Beta text, second version.", "format": "text"}, token)
        status(r, 200)
        for p in b_pages[:2]:
            r = get_as(guest, p, "miss")
            contains(r.text, "second version")
            not_contains(r.text, "first version")
            get_as(guest, p, "hit")
        get_as(guest, b_pages[2], "miss")
        get_as(guest, "/works/%d" % a, "hit")


def test_listings_ordered_by_kudos_follow_kudos():
    # Kudos emit no change event (they must not empty other pages), so a listing ordered by kudos keeps
    # the version of any work's response data in its key: rendered again at most STORE_RESPONSE_FRESH
    # seconds after a kudos (at once for the first after a quiet spell). The newest-first listing follows
    # the works it shows (their counts are in the blurbs), and a listing of other works stays cached.
    with Server() as srv:
        writer = add_user(srv, "kudos_writer")
        text = "A chapter long enough to be posted, about a lantern by the harbour."
        a, _ = post_work(srv, writer, "Alpha Lantern", text)
        post_work(srv, writer, "Beta Harbour", text)
        other = add_user(srv, "other_writer")
        post_work(srv, other, "Gamma Lighthouse", text)
        guest = srv.client()
        for path in ("/works?sort=kudos", "/works", "/users/other_writer"):
            get_as(guest, path, "miss")
            get_as(guest, path, "hit")
        reader = add_user(srv, "kudos_reader")
        status(api(srv, "POST", "/api/v1/works/%d/kudos" % a, {}, reader), 201)
        r = get_as(guest, "/works?sort=kudos", "miss")
        check(r.text.index("Alpha Lantern") < r.text.index("Beta Harbour"), "the work with kudos comes first")
        get_as(guest, "/works?sort=kudos", "hit")
        r = get_as(guest, "/works", "miss")
        contains(r.text, '<dd class="kudos-count">1</dd>')
        get_as(guest, "/works", "hit")
        get_as(guest, "/users/other_writer", "hit")


def test_poisoned_key_cannot_change_page_two():
    with Server() as srv:
        token = add_user(srv, "prolific")
        for i in range(21):
            post_work(srv, token, "Numbered Work %02d" % i, "Text of work number %d." % i)
        guest = srv.client()
        # page 1 has the newest (20), page 2 the oldest (00)
        poisoned = get_as(guest, "/works?x=1%26page%3D2", "miss")
        contains(poisoned.text, "Numbered Work 20")
        not_contains(poisoned.text, "Numbered Work 00")
        # the poisoning URL shares page 1's entry, not page 2's
        get_as(guest, "/works", "hit")
        two = get_as(guest, "/works?page=2", "miss")
        contains(two.text, "Numbered Work 00")
        not_contains(two.text, "Numbered Work 20")
        two = get_as(guest, "/works?page=2", "hit")
        contains(two.text, "Numbered Work 00")
        again = get_as(guest, "/works?x=1%26page%3D2", "hit")
        not_contains(again.text, "Numbered Work 00")


def test_junk_query_strings_add_nothing():
    with Server() as srv:
        token = add_user(srv, "junk")
        w, c = post_work(srv, token, "Junk Target", "Nothing to see.")
        guest = srv.client()
        path = "/works/%d/chapters/%d" % (w, c)
        get_as(guest, path, "miss")
        get_as(guest, "/works/%d" % w, "miss")
        # The guest's first view is a hit on the work, written by the hits job within seconds, after which the
        # pages showing the count are built again: that happens first (on a busy machine the loop below may
        # outlast the job's period), and the junk then meets the page as it stays.
        api = srv.client()
        for _ in range(600):
            if json.loads(api.get("/api/v1/works/%d" % w).body).get("hits_count", 0) >= 1:
                break
            time.sleep(0.1)
        check(json.loads(api.get("/api/v1/works/%d" % w).body).get("hits_count", 0) >= 1, "the view was counted")
        guest.get(path)
        first = get_as(guest, path, "hit")
        before = metric(srv, "quire_cache_bytes")
        entries = metric(srv, "quire_cache_entries")
        for i in range(1000):
            r = guest.get("%s?junk%d=%d&utm_source=x%d" % (path, i, i * 7919, i))
            status(r, 200)
            eq(xcache(r), "hit", "X-Cache of junk query %d" % i)
            check(r.body == first.body, "junk query %d got a different page" % i)
        if before is None:
            print("note: no /metrics on this build; every junk query hit the one cached entry")
        else:
            eq(metric(srv, "quire_cache_bytes"), before, "quire_cache_bytes after 1,000 junk query strings")
            eq(metric(srv, "quire_cache_entries"), entries, "quire_cache_entries after 1,000 junk query strings")


def test_errors_and_personal_pages_are_not_shared():
    with Server() as srv:
        token = add_user(srv, "owner")
        w, c = post_work(srv, token, "Owned Work", "Some words here.")
        guest = srv.client()
        for _ in range(2):
            r = guest.get("/works/%d" % (w + 100))
            status(r, 404)
            check(xcache(r) != "hit", "a 404 was served from the cache")
        # a logged-in reader's page is built for them and never stored for guests
        reader = srv.client()
        redirect(reader.signup("reader", "reader@example.org", PW), "/account", "/")
        for _ in range(2):
            r = reader.get("/works/%d" % w)
            status(r, 200)
            eq(xcache(r), None, "X-Cache on a personal page")
            contains(r.text, "Log out")
            contains(r.text, "Some words here.")
            eq(r.header("Cache-Control"), "private, no-store", "Cache-Control of a personal page")
        r = get_as(guest, "/works/%d" % w, "miss")
        not_contains(r.text, "Log out")


def test_logged_in_readers_share_the_body_and_see_changes():
    with Server() as srv:
        token = add_user(srv, "writer")
        w, c = post_work(srv, token, "Shared Body", "The shared body, version one.")
        chapter = "/works/%d/chapters/%d" % (w, c)
        reader = srv.client()
        redirect(reader.signup("reader", "reader@example.org", PW), "/account", "/")
        author = srv.client()
        redirect(author.login("writer", PW), "/account", "/")
        for _ in range(2):
            r = reader.get(chapter)
            status(r, 200)
            contains(r.text, "version one")
            contains(r.text, "reader")
            not_contains(r.text, "Edit Work")
            check(csrf_from(r.text), "the reader's page has the log-out form's token")
            r = author.get(chapter)
            status(r, 200)
            contains(r.text, "version one")
            contains(r.text, "Edit Work")
            check(csrf_from(r.text) != csrf_from(reader.last.text), "each viewer's frame has their own token")
        # the frame is the viewer's own: the reader's page never shows the author's tools or token
        eq(csrf_from(reader.get(chapter).text), csrf_from(reader.get("/account").text), "reader's token")
        status(api(srv, "PATCH", "/api/v1/works/%d/chapters/%d" % (w, c),
                   {"content": "The shared body, version two.", "format": "text"}, token), 200)
        for client in (reader, author, srv.client()):
            r = client.get(chapter)
            status(r, 200)
            contains(r.text, "version two")
            not_contains(r.text, "version one")


def test_cached_drafts_and_restricted_works_stay_private():
    with Server() as srv:
        token = add_user(srv, "secretive")
        d, dc = post_work(srv, token, "Secret Draft", "Draft words.", draft=True)
        m, mc = post_work(srv, token, "Members Only", "Members words.", restricted=True)
        author = srv.client()
        redirect(author.login("secretive", PW), "/account", "/")
        for path in ("/works/%d" % d, "/works/%d/chapters/%d" % (d, dc)):
            for _ in range(2):
                r = author.get(path)
                status(r, 200)
                contains(r.text, "Draft words.")
                contains(r.text, "This work is a draft")
        other = srv.client()
        redirect(other.signup("other", "other@example.org", PW), "/account", "/")
        guest = srv.client()
        for path in ("/works/%d" % d, "/works/%d/chapters/%d" % (d, dc)):
            status(other.get(path), 404)
            status(guest.get(path), 404)
            status(guest.get(path), 404)
        status(other.get("/works/%d" % m), 200)
        status(other.get("/works/%d" % m), 200)
        for _ in range(2):
            r = guest.get("/works/%d" % m)
            status(r, 404)
            check(xcache(r) != "hit", "a members-only work was served from the cache")


def test_entire_work_streams_with_bounded_memory():
    # Under AddressSanitizer freed memory waits in a quarantine instead of being reused, so the peak would
    # count every byte allocated while streaming rather than what is live at once: this server skips it.
    asan = os.environ.get("ASAN_OPTIONS", "")
    with Server(env={"ASAN_OPTIONS": (asan + ":" if asan else "") + "quarantine_size_mb=0"}) as srv:
        token = add_user(srv, "epic")
        para = ("Word " * 199 + "end.\n\n")
        chapter_text = para * 475  # about 475 KB of text
        w, first = post_work(srv, token, "Big Work", "CHAPTER-MARK-1 " + chapter_text)
        for i in range(2, 21):
            r = api(srv, "POST", "/api/v1/works/%d/chapters" % w,
                    {"title": "Part %d" % i, "content": "CHAPTER-MARK-%d " % i + chapter_text, "format": "text"},
                    token)
            status(r, 201)

        def peak_kb():
            with open("/proc/%d/status" % srv.proc.pid) as f:
                return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))

        before = peak_kb()
        guest = srv.client()
        r = guest.get("/works/%d?view_full_work=true" % w)
        status(r, 200)
        text = r.text
        check(len(r.body) > 9_000_000, "the entire work is %d bytes" % len(r.body))
        positions = [text.find("CHAPTER-MARK-%d " % i) for i in range(1, 21)]
        check(all(p >= 0 for p in positions), "every chapter is there")
        check(positions == sorted(positions), "chapters in order")
        check(text.rstrip().endswith("</html>"), "the page is complete")
        eq(r.header("Transfer-Encoding"), "chunked", "Transfer-Encoding of the entire work")
        grew = peak_kb() - before
        # all chapters at once would need more than 9.5 MB; one at a time needs about one chapter
        check(grew < 6 * 1024, "peak memory grew by %d kB while sending a 9.5 MB work" % grew)
        # the chapter pages still work, and the entire work follows changes
        r = get_as(guest, "/works/%d/chapters/%d" % (w, first), "miss")
        contains(r.text, "CHAPTER-MARK-1 ")


def test_revalidation_answers_304_for_the_same_bytes_only():
    """A guest's cached page carries an ETag of its bytes; If-None-Match naming it (strong, weak, in a list,
    or *) gets 304 with no body, anything else the page. A change, another theme or a logged-in reader get
    the page itself; a page rebuilt with the same bytes (after a restart) still answers 304."""
    with Server() as srv:
        token = add_user(srv, "teller")
        w, c = post_work(srv, token, "Tagged Tale", "The tale, version one.")
        chapter = "/works/%d/chapters/%d" % (w, c)
        guest = srv.client()
        r = get_as(guest, chapter, "miss")
        etag = r.header("ETag")
        check(etag and re.match(r'^"[0-9a-f]+-[0-9a-f]{16}"$', etag), "ETag of a cached page: %r" % etag)
        eq(get_as(guest, chapter, "hit").header("ETag"), etag, "the kept copy's ETag")
        for inm in (etag, "W/" + etag, '"other", ' + etag, "*"):
            r = guest.get(chapter, headers={"If-None-Match": inm})
            status(r, 304)
            eq(r.body, b"", "a 304's body (If-None-Match: %s)" % inm)
            eq(r.header("ETag"), etag, "a 304's ETag")
        for inm in ('"other"', etag.strip('"'), etag[:-2] + '"', "W/"):
            r = guest.get(chapter, headers={"If-None-Match": inm})
            status(r, 200)
            contains(r.text, "version one")
        # another theme is other bytes: its own tag, and the first one does not validate it
        dark = srv.client()
        dark.cookies["quire_prefs"] = "dark.m.0"
        r = dark.get(chapter, headers={"If-None-Match": etag})
        status(r, 200)
        check(r.header("ETag") not in (None, etag), "the dark page's ETag %r" % r.header("ETag"))
        # a logged-in reader's page is their own: never 304 on a guest's tag, and no tag
        reader = srv.client()
        redirect(reader.signup("reader", "reader@example.org", PW), "/account", "/")
        r = reader.get(chapter, headers={"If-None-Match": etag})
        status(r, 200)
        contains(r.text, "Log out")
        eq(r.header("ETag"), None, "ETag on a personal page")
        # a change makes other bytes: the old tag gets the new page and its new tag
        status(api(srv, "PATCH", "/api/v1/works/%d/chapters/%d" % (w, c),
                   {"content": "The tale, version two.", "format": "text"}, token), 200)
        r = guest.get(chapter, headers={"If-None-Match": etag})
        status(r, 200)
        eq(xcache(r), "miss", "X-Cache after the change")
        contains(r.text, "version two")
        etag2 = r.header("ETag")
        check(etag2 and etag2 != etag, "a changed page's ETag %r (was %r)" % (etag2, etag))
        status(guest.get(chapter, headers={"If-None-Match": etag2}), 304)
        # the same bytes built again by a fresh server: the browser's copy is still good (the chapter index,
        # which shows no hit counts, which the views above changed)
        index = "/works/%d/navigate" % w
        etag3 = get_as(guest, index, "miss").header("ETag")
        srv.restart()
        r = guest.get(index, headers={"If-None-Match": etag3})
        status(r, 304)
        eq(xcache(r), "miss", "X-Cache of the rebuilt page")
        eq(r.body, b"", "the rebuilt page's 304 body")


if __name__ == "__main__":
    sys.exit(main(globals()))
