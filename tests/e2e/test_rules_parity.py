"""Property test: the same random work and chapter operations, valid and invalid, through the page forms (one
user, session cookie and CSRF token) and through the JSON API (a twin user, bearer token) end in the same
stored state and the same errors. QUIRE_SEED picks the sequence (the seed is printed on failure);
QUIRE_PARITY_OPS how many operations run."""

import html
import json
import os
import random
import re
import sys
import traceback
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quire_e2e import Server, check, csrf_from, main, run_cli, status  # noqa: E402

SEED = int(os.environ.get("QUIRE_SEED", "20261126"))
OPS = int(os.environ.get("QUIRE_PARITY_OPS", "300"))
PASSWORD = "correct horse battery"
PAGE_USER, API_USER = "pagewriter", "apiwriter"
FRIENDS = ["carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "kate", "oscar", "nina", "quinn"]
SELF = "<self>"  # stands for the acting user's own name in co-creator lists

RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]
WARNINGS = ["Creator Chose Not To Use Archive Warnings", "Graphic Depictions Of Violence",
            "Major Character Death", "No Archive Warnings Apply", "Rape/Non-Con", "Underage Sex"]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
WORDS = ["lantern", "harbour", "salt", "quiet", "river", "ember", "moth", "winter", "glass", "orchard", "tide",
         "Café", "naïve", "北风", "ветер", "letter", "cats", "Cats", "found family", "Found Family"]
BIDI = "\u202e"


# ---- random submissions ---------------------------------------------------------------------------

def words(rng, lo, hi):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def tag(rng):
    r = rng.random()
    if r < 0.03:
        return "Bad*Tag"
    if r < 0.05:
        return "x" * 151
    if r < 0.08:
        return "  " + words(rng, 1, 2) + BIDI + "  "
    return words(rng, 1, 3)


def tags(rng, lo, hi):
    return [tag(rng) for _ in range(rng.randint(lo, hi))]


def title(rng):
    r = rng.random()
    if r < 0.04:
        return ""
    if r < 0.07:
        return "   "
    if r < 0.10:
        return "\u200b\u2060"
    if r < 0.13:
        return "t" * 256
    if r < 0.18:
        return words(rng, 1, 3) + BIDI + " " + words(rng, 1, 1)
    return words(rng, 1, 5).title()


def work_fields(rng, draft_ok):
    """A work submission: mostly valid, now and then wrong in one or two ways."""
    w = {
        "title": title(rng),
        "summary": rng.choice(["", words(rng, 3, 20), "<p>" + words(rng, 2, 8) + "</p><script>x</script>"]),
        "notes": rng.choice(["", "", words(rng, 2, 10)]),
        "end_notes": rng.choice(["", "", words(rng, 2, 10)]),
        "rating": rng.choice(RATINGS) if rng.random() < 0.92 else rng.choice(["", "Bad Rating"]),
        "warnings": rng.sample(WARNINGS, rng.randint(1, 2)) if rng.random() < 0.92 else rng.choice([[], ["Nope"]]),
        "categories": rng.sample(CATEGORIES, rng.randint(0, 2)),
        "fandoms": tags(rng, 1, 2) if rng.random() < 0.93 else [],
        "relationships": tags(rng, 0, 2),
        "characters": tags(rng, 0, 3),
        "freeforms": tags(rng, 0, 4) if rng.random() < 0.96 else ["Tag %d" % i for i in range(80)],
        "language": rng.choice(["", "English", "Deutsch", "  Español  "]),
        "expected_chapters": rng.choice([None, None, None, 1, 2, 3, 4, 0, 10001]),
        "complete": rng.random() < 0.2,
        "restricted": rng.random() < 0.15,
        "series": None,
        "coauthors": [],
        "draft": draft_ok and rng.random() < 0.25,
    }
    if rng.random() < 0.3:
        w["series"] = (rng.choice(["Tales of Salt", "Winter Letters"]), rng.choice([None, None, 1, 2, 3]))
    r = rng.random()
    if r < 0.06:
        w["coauthors"] = ["carol"]
    elif r < 0.09:
        w["coauthors"] = ["dave", "erin", "dave"]
    elif r < 0.12:
        w["coauthors"] = ["nobody_here"]
    elif r < 0.15:
        w["coauthors"] = FRIENDS[:11]
    elif r < 0.17:
        w["coauthors"] = [SELF]
    elif r < 0.18:
        w["coauthors"] = ["orphan_account"]
    return w


def chapter_fields(rng):
    r = rng.random()
    if r < 0.05:
        content = ""
    elif r < 0.09:
        content = "short"
    elif r < 0.12:
        content = "  \u200b  "
    else:
        content = words(rng, 4, 60)
    return {
        "title": rng.choice(["", "", words(rng, 1, 3), "Part" + BIDI]),
        "summary": rng.choice(["", words(rng, 2, 8)]),
        "notes": rng.choice(["", words(rng, 2, 8)]),
        "end_notes": "",
        "content": content,
        "format": rng.choice(["html", "markdown", "text", "text"]) if rng.random() < 0.96 else "rtf",
    }


# ---- the two ways in --------------------------------------------------------------------------------

def names(names_, me):
    return [me if n == SELF else n for n in names_]


def form_work(w, me, action):
    pairs = [("title", w["title"]), ("summary", w["summary"]), ("notes", w["notes"]),
             ("end_notes", w["end_notes"]), ("rating", w["rating"]), ("language", w["language"]),
             ("expected_chapters", "" if w["expected_chapters"] is None else str(w["expected_chapters"])),
             ("series_title", w["series"][0] if w["series"] else ""),
             ("series_position", str(w["series"][1]) if w["series"] and w["series"][1] else ""),
             ("coauthors", ", ".join(names(w["coauthors"], me))), ("action", action)]
    for k in ("fandoms", "relationships", "characters", "freeforms"):
        pairs.append((k, ", ".join(w[k])))
    pairs += [("warnings", x) for x in w["warnings"]] + [("categories", x) for x in w["categories"]]
    if w["complete"]:
        pairs.append(("complete", "1"))
    if w["restricted"]:
        pairs.append(("restricted", "1"))
    return pairs


def form_chapter(c):
    return [("chapter_" + k, v) for k, v in c.items()]


def json_work(w, me, draft):
    o = {k: w[k] for k in ("title", "summary", "notes", "end_notes", "rating", "warnings", "categories",
                           "fandoms", "relationships", "characters", "freeforms", "expected_chapters",
                           "complete", "restricted")}
    o["language"] = w["language"] or None
    o["series"] = {"title": w["series"][0], "position": w["series"][1]} if w["series"] else None
    o["coauthors"] = names(w["coauthors"], me)
    o["draft"] = draft
    return o


class Outcome:
    """What an operation came to: ok, or refused with a status and {field: message}."""

    def __init__(self, kind, fields=None, created=None):
        self.kind = kind
        self.fields = fields or {}
        self.created = created

    def key(self):
        return (self.kind, sorted(self.fields.items()))

    def __repr__(self):
        return "%s %s" % (self.kind, self.fields)


def norm_field(f, chapter_op):
    f = f.replace(".", "_")
    if chapter_op and f != "chapter" and not f.startswith("chapter_"):
        f = "chapter_" + f
    return f


class PageSide:
    def __init__(self, srv, me):
        self.me = me
        self.c = srv.client()
        status(self.c.signup(me, me + "@example.org", PASSWORD), 303)
        self.csrf = csrf_from(self.c.get("/works/new").text)
        check(self.csrf, "no CSRF token")

    def post(self, path, pairs):
        return self.c.post(path, urllib.parse.urlencode(pairs + [("csrf_token", self.csrf)]))

    def outcome(self, r, chapter_op=False, implied=None):
        if r.status == 303:
            m = re.match(r".*/works/(\d+)(?:/chapters/(\d+))?(?:\?.*)?$", r.headers.get("Location", ""))
            return Outcome("ok", created=int(m.group(2) or m.group(1)) if m else None)
        if r.status == 422:
            found = re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', r.text, re.S)
            if found:
                return Outcome("invalid", {norm_field(f, chapter_op): html.unescape(m) for f, m in found})
            return Outcome("invalid", {implied: "(error page)"} if implied else {})
        return Outcome("status %d" % r.status)

    def create(self, w, ch):
        action = "draft" if w["draft"] else "post"
        return self.outcome(self.post("/works", form_work(w, self.me, action) + form_chapter(ch)))

    def edit(self, wid, w, keep_draft):
        return self.outcome(self.post("/works/%d" % wid, form_work(w, self.me, "draft" if keep_draft else "post")))

    def post_draft(self, wid):
        return self.outcome(self.post("/works/%d/post" % wid, []))

    def delete(self, wid):
        return self.outcome(self.post("/works/%d/delete" % wid, []))

    def add_chapter(self, wid, ch):
        return self.outcome(self.post("/works/%d/chapters" % wid, form_chapter(ch) + [("action", "post")]), True)

    def edit_chapter(self, wid, cid, ch):
        return self.outcome(self.post("/works/%d/chapters/%d" % (wid, cid), form_chapter(ch) + [("action", "post")]),
                            True)

    def delete_chapter(self, wid, cid):
        return self.outcome(self.post("/works/%d/chapters/%d/delete" % (wid, cid), []), True, "chapter")

    def reorder(self, wid, ids):
        pairs = [("position_%d" % cid, str(i + 1)) for i, cid in enumerate(ids)]
        return self.outcome(self.post("/works/%d/chapters/reorder" % wid, pairs), False, "order")


class ApiSide:
    def __init__(self, srv, me, token):
        self.me = me
        self.srv = srv
        self.token = token

    def call(self, method, path, body=None):
        c = self.srv.client()
        return c.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                         headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})

    def outcome(self, r, chapter_op=False):
        if r.status in (200, 201, 204):
            created = r.json().get("id") if r.status == 201 else None
            return Outcome("ok", created=created)
        if r.status == 422:
            e = r.json()["error"]
            if e["code"] == "last_chapter":
                return Outcome("invalid", {"chapter": "(error page)"})
            if e["code"] == "invalid" and set(e.get("fields", {})) == {"order"}:
                return Outcome("invalid", {"order": "(error page)"})
            return Outcome("invalid", {norm_field(f, chapter_op): m for f, m in e.get("fields", {}).items()})
        return Outcome("status %d" % r.status)

    def create(self, w, ch):
        body = json_work(w, self.me, w["draft"])
        body["chapter"] = ch
        return self.outcome(self.call("POST", "/api/v1/works", body))

    def edit(self, wid, w, keep_draft):
        return self.outcome(self.call("PATCH", "/api/v1/works/%d" % wid, json_work(w, self.me, keep_draft)))

    def post_draft(self, wid):
        return self.outcome(self.call("PATCH", "/api/v1/works/%d" % wid, {"draft": False}))

    def delete(self, wid):
        return self.outcome(self.call("DELETE", "/api/v1/works/%d" % wid))

    def add_chapter(self, wid, ch):
        return self.outcome(self.call("POST", "/api/v1/works/%d/chapters" % wid, ch), True)

    def edit_chapter(self, wid, cid, ch):
        return self.outcome(self.call("PATCH", "/api/v1/works/%d/chapters/%d" % (wid, cid), ch), True)

    def delete_chapter(self, wid, cid):
        return self.outcome(self.call("DELETE", "/api/v1/works/%d/chapters/%d" % (wid, cid)), True)

    def reorder(self, wid, ids):
        return self.outcome(self.call("PUT", "/api/v1/works/%d/chapters/order" % wid, {"order": ids}))

    def fetch(self, wid):
        """The stored state of a work as the API shows it to its creator, without ids, dates or names that
        differ between the twins; None when it is gone."""
        r = self.call("GET", "/api/v1/works/%d" % wid)
        if r.status == 404:
            return None
        status(r, 200)
        w = r.json()
        out = {k: w[k] for k in ("title", "summary", "summary_html", "notes", "end_notes", "rating", "warnings",
                                 "categories", "fandoms", "relationships", "characters", "freeforms", "language",
                                 "expected_chapters", "chapter_count", "chapters_label", "complete", "draft",
                                 "restricted", "word_count")}
        out["published"] = w["published_at"] is not None
        out["series"] = (w["series"]["title"], w["series"]["position"]) if w["series"] else None
        out["creators"] = [c["name"] for c in w["creators"]]
        out["invited"] = sorted(c["name"] for c in w.get("invited", []))
        out["chapters"] = []
        for c in w["chapters"]:
            r = self.call("GET", "/api/v1/works/%d/chapters/%d" % (wid, c["id"]))
            status(r, 200)
            d = r.json()
            out["chapters"].append({k: d[k] for k in ("position", "title", "word_count", "content", "format",
                                                       "content_html", "summary", "notes")})
        out["chapter_ids"] = [c["id"] for c in w["chapters"]]
        return out


def same_state(page_state, api_state):
    """Both states with each side's own ids and names taken out."""
    def strip(s):
        if s is None:
            return None
        s = dict(s)
        s.pop("chapter_ids", None)
        s["creators"] = [SELF if n in (PAGE_USER, API_USER) else n for n in s["creators"]]
        return s
    return strip(page_state), strip(api_state)


# ---- the property ---------------------------------------------------------------------------------

class Twins:
    def __init__(self, srv, rng):
        self.rng = rng
        for name in FRIENDS:
            r = run_cli(["user", "add", name, name + "@example.org"], data=srv.data, stdin=PASSWORD + "\n")
            check(r.returncode == 0, "user add %s: %s" % (name, r.stderr))
        self.page = PageSide(srv, PAGE_USER)
        r = run_cli(["user", "add", API_USER, API_USER + "@example.org"], data=srv.data, stdin=PASSWORD + "\n")
        check(r.returncode == 0, r.stderr)
        self.api = ApiSide(srv, API_USER, self.token(srv, API_USER))
        # The page side's state is read through the API too, with the page user's own token.
        self.page_reader = ApiSide(srv, PAGE_USER, self.token(srv, PAGE_USER))
        # Someone else's work and draft, for operations that must be refused alike.
        carol = ApiSide(srv, "carol", self.token(srv, "carol"))
        base = {"title": "Carol's", "rating": "Mature", "warnings": ["No Archive Warnings Apply"],
                "fandoms": ["Original Work"], "chapter": {"content": "Carol's own chapter, long enough."}}
        self.foreign = [carol.call("POST", "/api/v1/works", base).json()["id"],
                        carol.call("POST", "/api/v1/works", dict(base, draft=True)).json()["id"]]
        self.works = []  # [page id, api id, alive]
        self.log = []
        self.outcomes = {}  # outcome kind -> count, to show both paths were taken

    @staticmethod
    def token(srv, name):
        r = run_cli(["token", "add", name], data=srv.data)
        check(r.returncode == 0, r.stderr)
        return r.stdout.strip()

    def states(self, k):
        pid, aid, _ = self.works[k]
        return self.page_reader.fetch(pid), self.api.fetch(aid)

    def compare(self, k):
        p, a = same_state(*self.states(k))
        if p != a:
            diff = {key: (p.get(key), a.get(key)) for key in set(p or {}) | set(a or {})
                    if (p or {}).get(key) != (a or {}).get(key)} if p and a else (p, a)
            raise AssertionError("stored state differs for work #%d (page, api): %r" % (k, diff))

    def step(self, i):
        rng = self.rng
        alive = [k for k, w in enumerate(self.works) if w[2]]
        r = rng.random()
        if not alive or r < 0.22:
            self.do_create()
            return
        k = rng.choice(alive) if rng.random() < 0.97 or len(alive) == len(self.works) else \
            rng.choice([j for j, w in enumerate(self.works) if not w[2]])
        state = self.states(k)[0]
        if r < 0.42:
            w = work_fields(rng, False)
            keep = bool(state and state["draft"] and rng.random() < 0.6)
            self.both("edit work #%d (keep draft %s): %r" % (k, keep, w), k,
                      lambda s, wid: s.edit(wid, w, keep))
        elif r < 0.47:
            self.both("post draft #%d" % k, k, lambda s, wid: s.post_draft(wid))
        elif r < 0.65:
            ch = chapter_fields(rng)
            self.both("add chapter to #%d: %r" % (k, ch), k, lambda s, wid: s.add_chapter(wid, ch))
        elif r < 0.74 and state:
            pos = rng.randrange(len(state["chapters"]))
            ch = chapter_fields(rng)
            self.both("edit chapter %d of #%d: %r" % (pos + 1, k, ch), k,
                      lambda s, wid: s.edit_chapter(wid, self.chapter_ids(s, k)[pos], ch))
        elif r < 0.82 and state:
            pos = rng.randrange(len(state["chapters"]))
            self.both("delete chapter %d of #%d" % (pos + 1, k), k,
                      lambda s, wid: s.delete_chapter(wid, self.chapter_ids(s, k)[pos]))
        elif r < 0.93 and state:
            self.do_reorder(k, len(state["chapters"]))
        elif r < 0.96:
            fw = rng.choice(self.foreign)
            w = work_fields(rng, False)
            self.both("edit someone else's work %d" % fw, None, lambda s, wid: s.edit(fw, w, False))
        else:
            self.both("delete work #%d" % k, k, lambda s, wid: s.delete(wid))

    def compare_listings(self):
        """The API's listing of each twin's works: the same total, which counts exactly the posted works."""
        totals = []
        for side, me, col in ((self.page_reader, PAGE_USER, 0), (self.api, API_USER, 1)):
            r = side.call("GET", "/api/v1/works?per_page=100&creator=" + me)
            status(r, 200)
            listed = r.json()
            posted = [w[col] for w in self.works if w[2] and not side.fetch(w[col])["draft"]]
            check(listed["total"] == len(posted), "%s: total %d, but %d posted works" % (me, listed["total"],
                                                                                       len(posted)))
            check(sorted(x["id"] for x in listed["works"]) == sorted(posted)[:100], "%s: listed works" % me)
            totals.append(listed["total"])
        check(totals[0] == totals[1], "listing totals differ: %r" % totals)

    def chapter_ids(self, side, k):
        reader = self.page_reader if side is self.page else self.api
        wid = self.works[k][0] if side is self.page else self.works[k][1]
        return reader.fetch(wid)["chapter_ids"]

    def do_reorder(self, k, n):
        rng = self.rng
        order = list(range(n))
        kind = rng.choice(["all", "all", "some", "twice", "foreign"])
        if kind == "all":
            rng.shuffle(order)
        elif kind == "some":
            order = rng.sample(order, rng.randint(1, n))
        elif kind == "twice":
            order = order + [order[0]]
        foreign = rng.choice([999999999] + [w[0] for w in self.works if w[0] != self.works[k][0]])

        def run(side, wid):
            ids = [self.chapter_ids(side, k)[j] for j in order]
            if kind == "foreign":
                other = foreign if side is self.page else self.twin_id(foreign)
                ids.insert(rng_pos, other)
            return side.reorder(wid, ids)
        rng_pos = rng.randint(0, len(order))
        self.both("reorder #%d (%s): %r" % (k, kind, order), k, run)

    def twin_id(self, page_work_id):
        for w in self.works:
            if w[0] == page_work_id:
                return w[1]
        return page_work_id  # an id neither side has

    def do_create(self):
        w = work_fields(self.rng, True)
        ch = chapter_fields(self.rng)
        desc = "create %r with chapter %r" % (w, ch)
        p, a = self.page.create(w, ch), self.api.create(w, ch)
        self.log.append(desc)
        self.check_outcomes(desc, p, a)
        if p.kind == "ok":
            self.works.append([p.created, a.created, True])
            self.compare(len(self.works) - 1)

    def both(self, desc, k, op):
        self.log.append(desc)
        wid = lambda side: None if k is None else self.works[k][0 if side is self.page else 1]  # noqa: E731
        p = op(self.page, wid(self.page))
        a = op(self.api, wid(self.api))
        self.check_outcomes(desc, p, a)
        if k is not None:
            self.compare(k)
            if self.states(k) == (None, None):
                self.works[k][2] = False

    def check_outcomes(self, desc, p, a):
        if p.key() != a.key():
            raise AssertionError("outcomes differ for %s:\n  page: %r\n  api:  %r" % (desc, p, a))
        self.outcomes[p.kind] = self.outcomes.get(p.kind, 0) + 1


def test_pages_and_api_follow_the_same_rules():
    rng = random.Random(SEED)
    with Server() as srv:
        twins = Twins(srv, rng)
        kinds = {}
        try:
            for i in range(OPS):
                twins.step(i)
                verb = twins.log[-1].split(" ")[0] if twins.log else "?"
                kinds[verb] = kinds.get(verb, 0) + 1
            for k in range(len(twins.works)):
                twins.compare(k)
            twins.compare_listings()
        except Exception:
            print("parity failed with QUIRE_SEED=%d after %d operations; the last ones:" % (SEED, len(twins.log)))
            for line in twins.log[-5:]:
                print("  " + line[:600])
            traceback.print_exc()
            raise
        print("seed %d: %d operations on %d works (%s); outcomes: %s" % (
            SEED, OPS, len(twins.works), ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
            ", ".join("%s %d" % kv for kv in sorted(twins.outcomes.items()))))
        check(len(twins.works) >= 10, "too few works were posted to mean anything")
        check(twins.outcomes.get("invalid", 0) >= OPS // 10, "too few refusals to mean anything")


if __name__ == "__main__":
    sys.exit(main(globals()))
