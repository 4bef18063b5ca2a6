"""End-to-end: anonymity and unrevealed works everywhere. A writer's works sit in an anonymous collection (with a
co-creator, a series, gifts, their own reply to a comment, new chapters that notify subscribers by inbox and mail)
and in an unrevealed one. A crawler follows every link of every page, feed and API answer it can reach, as a
guest and as another reader (twice: the second time from the page cache), and fails on any page that names the
anonymous creators or shows the unrevealed work; the creators' own pages, downloads and mail are checked too.
An anonymous prompt meme's prompts, claims and fills too. After the reveal the same pages name them (the test would
see a leak)."""
import collections
import html
import io
import json
import re
import urllib.parse
import zipfile

from quire_e2e import check, contains, eq, main, not_contains, sql_rows, status, Server
from test_mail import Sink, add_user, api, mail_env, post_chapter, subscribe, wait_for

WRITER, COWRITER = "zz_hidden_writer", "zz_hidden_cowriter"
SECRET = "Secret Tale of Winter"
ANON = "Anon Tale of Autumn"
PW = "correct horse 42"


def post(srv, token, title, **over):
    b = {"title": title, "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
         "fandoms": ["Anonfandom"], "characters": ["Ada Lind"],
         "chapter": {"title": "One", "format": "text", "content": "The first chapter of %s, long enough." % title}}
    b.update(over)
    r = api(srv, "POST", "/api/v1/works", b, token)
    status(r, 201)
    return r.json()["id"]


LINK = re.compile(r'(?:href|src)="([^"#]+)"')
JSON_URL = re.compile(r'"url":\s*"([^"]+)"')
SKIP = ("/logout", "/static/", "/favicon", "/unsubscribe", "/password", "/prefs", "/signup", "/login")


# Pages that list whom the reader follows: the author they subscribed to is named there by their own choice.
FOLLOWING = ("/subscriptions", "/api/v1/subscriptions")


def links(path, body):
    out = set()
    for m in LINK.findall(body) + JSON_URL.findall(body):
        u = html.unescape(m)
        if u.startswith("http://127.0.0.1"):
            u = urllib.parse.urlsplit(u)
            u = u.path + ("?" + u.query if u.query else "")
        if not u.startswith("/") or u.startswith("//") or any(u.startswith(s) for s in SKIP):
            continue
        out.add(u)
        # Every work and chapter page has its API twin and its downloads.
        m = re.fullmatch(r"/works/(\d+)(?:/chapters/(\d+))?", u)
        if m and not m.group(2):
            out.update({"/api/v1/works/%s" % m.group(1), "/api/v1/works/%s/comments" % m.group(1),
                        "/api/v1/works/%s/kudos" % m.group(1)})
        if m and m.group(2):
            out.add("/api/v1/chapters/%s/comments" % m.group(2))
    return out


def shape(u):
    """The kind of a link, for a cap per kind: digits and query values folded."""
    p, _, q = u.partition("?")
    return re.sub(r"\d+", "N", p) + ("?" + "&".join(sorted(k.split("=")[0] for k in q.split("&"))) if q else "")


def body_text(r):
    data = r.body if isinstance(r.body, bytes) else r.text.encode()
    if data[:2] == b"PK":  # an EPUB: every file in it
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8", "replace")


def crawl(client, seeds, own_pages, limit=1500, per_shape=25, headers=None):
    """Fetches every reachable page; returns {path: text}. Fails on a leak."""
    seen, pages = set(), {}
    per = collections.Counter()
    queue = collections.deque(seeds)
    leaks = []
    while queue and len(pages) < limit:
        u = queue.popleft()
        if u in seen:
            continue
        seen.add(u)
        k = shape(u)
        if per[k] >= per_shape and u not in seeds:
            continue
        per[k] += 1
        h = {"Accept": "application/json"} if u.startswith("/api/") else {}
        if headers and u.startswith("/api/"):
            h.update(headers)
        r = client.request("GET", u, headers=h)
        text = body_text(r)
        pages[u] = text
        # The creators' own pages, and searches for their names (which echo the name), must not show the works; nor
        # must the form reporting a profile, linked from the profile alone (it names whom it reports).
        own = any(u == p or u.startswith(p + "/") or u.startswith(p + "?") for p in own_pages) or "zz_hidden" in u \
            or u.startswith("/reports/new?kind=user&")
        if SECRET in text:
            leaks.append("%s shows the unrevealed work" % u)
        if any(u.startswith(p) for p in FOLLOWING):
            pass  # the reader's own list of whom they follow names the author they chose, beside nothing of theirs
        elif own:
            if ANON in text:
                leaks.append("%s (the creator's own page) lists the anonymous work" % u)
        elif "zz_hidden" in text:
            i = text.find("zz_hidden")
            leaks.append("%s names an anonymous creator: ...%s..." % (u, text[max(0, i - 120):i + 60]))
        if r.status == 200:
            queue.extend(sorted(links(u, text) - seen))
    print("crawled %d pages" % len(pages))
    check(not leaks, "leaks:\n  " + "\n  ".join(leaks[:30]))
    return pages


def test_nothing_names_anonymous_creators_or_shows_unrevealed_works():
    with Sink() as sink, Server(env=mail_env(sink)) as srv:
        mod = add_user(srv, "anon_mod")
        writer = add_user(srv, WRITER)
        cowriter = add_user(srv, COWRITER)
        fan = add_user(srv, "plain_fan")
        add_user(srv, "gift_getter")
        other = add_user(srv, "open_writer")
        for name, extra in (("anon_coll", {"anonymous": True}), ("unrev_coll", {"anonymous": True, "unrevealed": True})):
            r = api(srv, "POST", "/api/v1/collections", dict({"name": name, "title": "Coll %s" % name}, **extra), mod)
            status(r, 201)
        # Someone else's public work and series, so the crawl has ordinary pages too.
        open_story = post(srv, other, "An Open Story", series={"title": "Open Series"})
        # The fan follows the writer before anything is posted.
        writer_id = int(sql_rows(srv.data, "SELECT id FROM users WHERE name = '%s'" % WRITER)[0][0])
        status(subscribe(srv, fan, "user", writer_id), 201)
        anon = post(srv, writer, ANON, collections=["anon_coll"], gifts=["gift_getter"], coauthors=[COWRITER],
                    series={"title": "Hidden Series"}, related=[{"kind": "inspired", "work_id": open_story}])
        # The open story's writer approves the link back: it names the anonymous work's creators to nobody.
        back = api(srv, "GET", "/api/v1/works/%d/related" % open_story, token=other).json()["related_back"]
        status(api(srv, "POST", "/api/v1/works/%d/related/%d" % (open_story, back[0]["id"]), {"approved": True},
                   other), 204)
        secret = post(srv, writer, SECRET, collections=["unrev_coll"], gifts=["gift_getter"])
        # An anonymous prompt meme: the fan prompts, the writer prompts anonymously, claims the fan's prompt and
        # fills it (the claimers of a meme that hides its creators are its writers: never named).
        r = api(srv, "POST", "/api/v1/collections", {"name": "anon_meme", "title": "Anon Meme", "anonymous": True,
                                                     "challenge": "prompt_meme"}, mod)
        status(r, 201)
        r = api(srv, "POST", "/api/v1/collections/anon_meme/prompts",
                {"title": "A prompt of the fan", "tags": {"fandoms": ["Anonfandom"]}}, fan)
        status(r, 201)
        fan_prompt = r.json()["id"]
        status(api(srv, "POST", "/api/v1/collections/anon_meme/prompts",
                   {"title": "A prompt of the writer", "tags": {"fandoms": ["Anonfandom"]}, "anonymous": True},
                   writer), 201)
        status(api(srv, "POST", "/api/v1/prompts/%d/claim" % fan_prompt, {}, writer), 204)
        post(srv, writer, "Meme Fill of Autumn", prompt=fan_prompt)
        # The co-creator accepts (through the page).
        c = srv.client()
        status(c.login(COWRITER, PW), 303)
        c.get("/account")
        status(c.post_form("/account/invitations/%d/accept" % anon, []), 303)
        # The fan comments, subscribes to the work and bookmarks it; the writer replies; a new chapter comes.
        r = api(srv, "POST", "/api/v1/works/%d/comments" % anon, {"body": "Who wrote this? I love it."}, fan)
        status(r, 201)
        fan_comment = r.json()["id"]
        r = api(srv, "POST", "/api/v1/works/%d/comments" % anon, {"body": "Thank you so much!",
                                                                  "parent_id": fan_comment}, writer)
        status(r, 201)
        status(api(srv, "POST", "/api/v1/subscriptions", {"type": "work", "id": anon}, fan), 201)
        status(api(srv, "POST", "/api/v1/bookmarks", {"work_id": anon, "notes": "So good"}, fan), 201)
        post_chapter(srv, writer, anon, "Two")
        wait_for(lambda: any("Chapter 2" in (m["Subject"] or "") for m in sink.messages()), what="the chapter mail")

        # Mail: nothing names the creators, headers included, but a mail to a creator names its addressee (the
        # co-creator's invitation: "Anonymous invited you"); no "new work" mail to the author's followers.
        for m in sink.messages():
            raw = m.raw.decode("utf-8", "replace")
            addressee = next((n for n in (WRITER, COWRITER) if n in (m["To"] or "")), None)
            others = raw.replace(addressee, "") if addressee else raw
            check("zz_hidden" not in others, "a mail names an anonymous creator:\n%s" % raw[:1500])
            check(SECRET not in raw, "a mail shows the unrevealed work")
            check("new work" not in (m["Subject"] or ""), "the author's followers were told of an anonymous work")

        own = ["/users/" + WRITER, "/users/" + COWRITER]
        seeds = ["/", "/works", "/search?q=Autumn", "/search?q=zz_hidden_writer", "/collections",
                 "/collections/anon_coll", "/collections/unrev_coll", "/media", "/opds", "/opds/works",
                 "/works/%d" % anon, "/works/%d" % secret, "/tags/Anonfandom", "/users/plain_fan/bookmarks",
                 "/users/gift_getter/gifts", "/downloads/%d/Anon_Tale.epub" % anon,
                 "/downloads/%d/Anon_Tale.html" % anon, "/api/v1/works", "/api/v1/works?creator=" + WRITER,
                 "/api/v1/works?q=zz_hidden_writer", "/api/v1/collections", "/api/v1/collections/anon_coll/works",
                 "/api/v1/users/gift_getter/gifts", "/api/v1/bookmarks?user=plain_fan", "/api/v1/works/%d" % secret,
                 "/users/" + WRITER, "/users/" + WRITER + "/works", "/users/" + COWRITER,
                 "/users/" + WRITER + "/gifts", "/users/" + WRITER + "/bookmarks", "/collections/anon_meme/prompts",
                 "/api/v1/collections/anon_meme/prompts", "/prompts/%d" % fan_prompt,
                 "/api/v1/prompts/%d" % fan_prompt]
        guest = srv.client()
        for _ in range(2):  # the second time from the page cache
            pages = crawl(guest, seeds, own)
        check(any(ANON in t for t in pages.values()), "the crawl never reached the anonymous work")
        check(any("Anonymous" in t for u, t in pages.items() if u == "/works/%d" % anon), "no Anonymous byline")
        status(guest.get("/works/%d" % secret), 404)

        # Another reader: the fan, logged in (their inbox, history, subscriptions; the API with their token).
        reader = srv.client()
        status(reader.login("plain_fan", PW), 303)
        reader.get("/works/%d" % anon)
        pages = crawl(reader, seeds + ["/inbox", "/history", "/subscriptions", "/api/v1/inbox",
                                       "/api/v1/subscriptions"], own, headers={"Authorization": "Bearer " + fan})
        check(any("Chapter 2" in t for u, t in pages.items() if u.startswith("/inbox")), "the inbox was not crawled")

        # After the reveal of the creators, the same pages name them: the crawler would have seen it.
        status(api(srv, "POST", "/api/v1/collections/anon_coll/reveal", {"creators": True}, mod), 204)
        contains(guest.get("/works/%d" % anon).text, WRITER)
        contains(guest.get("/users/%s" % WRITER).text, ANON)
        contains(guest.get("/works/%d/comments?chapter=0&after=0" % anon).text + guest.get("/works/%d" % anon).text,
                 "Thank you so much!")
        status(guest.get("/works/%d" % secret), 404)


if __name__ == "__main__":
    raise SystemExit(main(globals()))
