"""End-to-end: finding works. A random archive checked against a brute-force computation (results, order,
totals and facet counts for a few hundred random filter combinations); tag identity, canonical tags,
synonyms and meta tags through the wrangling pages; tag pages, the fandom directory, series pages,
autocomplete; hostile query strings."""
import html
import json
import random
import re
import sys
import urllib.parse

from quire_e2e import Server, check, contains, eq, main, not_contains, run_cli, status

PW = "correct horse 42"
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]
WARNINGS = ["Creator Chose Not To Use Archive Warnings", "Graphic Depictions Of Violence", "Major Character Death",
            "No Archive Warnings Apply", "Rape/Non-Con", "Underage Sex"]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
FANDOMS = ["Law & Order: SVU", "Harbour Street (TV)", "Saltmarsh Tales", "The Odyssey - Homer"]
CHARACTERS = ["Olivia Benson", "Alex Cabot", "Maya Ortiz", "Theo Baptiste", "Wren Ashby", "Penelope",
              "Elliot Stabler", "Agnes Hale"]
RELATIONSHIPS = ["Olivia Benson/Alex Cabot", "Maya Ortiz/Theo Baptiste", "Wren Ashby & Agnes Hale",
                 "Penelope & Eurycleia", "Elliot Stabler/Olivia Benson"]
FREEFORMS = ["Angst", "Fluff", "Hurt/Comfort", "Slow Burn", "Found Family", "Case Fic", "Rain", "Lighthouses"]
# Invented words Porter stemming leaves alone, so the brute force can compare tokens directly.
WORDS = ["zorbo", "kimbu", "veltu", "grumfo", "plixu", "drandu", "quoppo", "snerku"]
TYPES = {"fandoms": FANDOMS, "characters": CHARACTERS, "relationships": RELATIONSHIPS, "freeforms": FREEFORMS}
FACET_KEYS = ["rating", "warnings", "categories", "fandoms", "relationships", "characters", "freeforms"]


# -- helpers --

def add_user(srv, name, role=None):
    args = ["user", "add", name, "%s@example.org" % name] + (["--role", role] if role else [])
    p = run_cli(args, data=srv.data, stdin=PW + "\n")
    eq(p.returncode, 0, "user add %s (stderr: %s)" % (name, p.stderr))
    p = run_cli(["token", "add", name], data=srv.data)
    eq(p.returncode, 0, "token add %s" % name)
    return p.stdout.strip()


def api(srv, method, path, body=None, token=None):
    h = {"Accept": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        h["Content-Type"] = "application/json"
    return srv.client().request(method, path, body=data, headers=h)


def post_work(srv, token, **fields):
    body = {"title": "Untitled", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
            "categories": [], "fandoms": ["Saltmarsh Tales"], "relationships": [], "characters": [],
            "freeforms": [], "language": "English", "complete": False, "restricted": False,
            "chapter": {"content": "Nothing much happens in this chapter at all.", "format": "text"}}
    body.update(fields)
    r = api(srv, "POST", "/api/v1/works", body, token)
    status(r, 201)
    return r.json()


def qs(params):
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def text_of(page):
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


def login(srv, name):
    c = srv.client()
    c.get("/login")
    r = c.post_form("/login", [("username", name), ("password", PW)])
    status(r, 303)
    return c


def tag_path(name):
    for ch, code in (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")):
        name = name.replace(ch, code)
    return "/tags/" + urllib.parse.quote(name, safe="")


# -- the brute force --

def tokens(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def has_phrase(toks, phrase):
    n = len(phrase)
    return any(toks[i:i + n] == phrase for i in range(len(toks) - n + 1))


def text_matches(work, positive, negative):
    # Each chapter is a document of its own text and the work's title (its tags and creators too, which
    # the random queries do not use); the work's own text is another. A phrase lies within one column.
    title = tokens(work["title"])
    docs = [[tokens(c), title] for c in work["texts"]] + [[title]]

    def holds(doc, phrase):
        return any(has_phrase(col, phrase) for col in doc)
    if any(holds(d, p) for d in docs for p in negative):
        return False
    if not positive:
        return True
    return any(all(holds(d, p) for p in positive) for d in docs)


def expected(works, f, member):
    out = []
    for w in works:
        if w["restricted"] and not member:
            continue
        tags = set(w["all_tags"])
        if f.get("rating") and w["rating"] not in f["rating"]:
            continue
        if any(x not in w["warnings"] for x in f.get("warnings", [])):
            continue
        if any(x not in w["categories"] for x in f.get("categories", [])):
            continue
        if any(x not in tags for x in f.get("tags", [])):
            continue
        if any(x in tags for x in f.get("exclude_tags", [])):
            continue
        if "complete" in f and w["complete"] != (f["complete"] == "true"):
            continue
        if "crossover" in f and (len(set(w["fandoms"])) > 1) != (f["crossover"] == "only"):
            continue
        if "words_from" in f and w["word_count"] < f["words_from"]:
            continue
        if "words_to" in f and w["word_count"] > f["words_to"]:
            continue
        if "language" in f and w["language"].lower() != f["language"].lower():
            continue
        if "q" in f and not text_matches(w, f["positive"], f["negative"]):
            continue
        out.append(w)
    key = {
        "updated": lambda w: (w["updated_at"], w["id"]),
        "published": lambda w: (w["published_at"], w["id"]),
        "words": lambda w: (w["word_count"], w["id"]),
        "kudos": lambda w: (0, w["id"]),
        "hits": lambda w: (0, w["id"]),
        "title": lambda w: (w["title"].lower(), w["id"]),
        "creator": lambda w: (w["owner"].lower(), w["id"]),
    }[f["sort"]]
    out.sort(key=key, reverse=f["sort"] not in ("title", "creator"))
    return out


def expected_facets(works):
    counts = {k: {} for k in FACET_KEYS}
    for w in works:
        for k, names in (("rating", [w["rating"]]), ("warnings", w["warnings"]), ("categories", w["categories"]),
                         ("fandoms", w["fandoms"]), ("relationships", w["relationships"]),
                         ("characters", w["characters"]), ("freeforms", w["freeforms"])):
            for n in set(names):
                counts[k][n] = counts[k].get(n, 0) + 1
    return {k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0].lower()))[:10] for k, v in counts.items()}


def random_filter(rng):
    f = {"sort": rng.choice(["updated", "published", "words", "kudos", "title", "creator"])}
    pool = FANDOMS + CHARACTERS + RELATIONSHIPS + FREEFORMS
    if rng.random() < 0.6:
        f["tags"] = rng.sample(pool, rng.choice([1, 1, 2]))
    if rng.random() < 0.35:
        f["exclude_tags"] = rng.sample(pool + WARNINGS[1:3], rng.choice([1, 2]))
    if rng.random() < 0.35:
        f["rating"] = rng.sample(RATINGS, rng.choice([1, 2]))
    if rng.random() < 0.15:
        f["warnings"] = [rng.choice(WARNINGS)]
    if rng.random() < 0.15:
        f["categories"] = [rng.choice(CATEGORIES)]
    if rng.random() < 0.25:
        f["complete"] = rng.choice(["true", "false"])
    if rng.random() < 0.15:
        f["crossover"] = rng.choice(["only", "exclude"])
    if rng.random() < 0.2:
        lo = rng.choice([0, 20, 40])
        f["words_from"] = lo
        f["words_to"] = lo + rng.choice([15, 30, 100])
    if rng.random() < 0.1:
        f["language"] = "français"
    if rng.random() < 0.3:
        positive, negative, parts = [], [], []
        for _ in range(rng.choice([1, 1, 2])):
            if rng.random() < 0.4:
                p = rng.sample(WORDS, 2)
                positive.append(p)
                parts.append('"%s %s"' % tuple(p))
            else:
                w = rng.choice(WORDS)
                positive.append([w])
                parts.append(w.upper() if rng.random() < 0.3 else w)
        if rng.random() < 0.3:
            # a word of the work's title beside words of its chapters
            w = rng.choice(["alder", "birch", "cedar", "dogwood"])
            positive.append([w])
            parts.append(w)
        if rng.random() < 0.4:
            w = rng.choice(WORDS)
            negative.append([w])
            parts.append("-" + w)
        f["q"] = " ".join(parts)
        f["positive"], f["negative"] = positive, negative
    return f


def filter_params(f):
    p = []
    for k in ("tags", "exclude_tags", "rating", "warnings", "categories"):
        if k in f:
            p.append((k, ",".join(f[k])))
    for k in ("complete", "crossover", "words_from", "words_to", "language", "q", "sort"):
        if k in f:
            p.append((k, str(f[k])))
    return p


# -- tests --

def test_random_archive_matches_brute_force():
    rng = random.Random(20261126)
    with Server() as srv:
        tokens_ = {n: add_user(srv, n) for n in ("amber", "Basil", "cyan")}
        reader = add_user(srv, "reader")
        works = []
        for i in range(64):
            owner = rng.choice(sorted(tokens_))
            fandoms = [rng.choice(FANDOMS)] + ([rng.choice(FANDOMS)] if rng.random() < 0.2 else [])
            fandoms = list(dict.fromkeys(fandoms))
            texts = [" ".join(rng.choice(WORDS + ["and", "the"]) for _ in range(rng.randint(10, 60)))
                     for _ in range(rng.choice([1, 1, 2]))]
            fields = {
                "title": "%s work %02d" % (rng.choice(["Alder", "birch", "Cedar", "dogwood"]), i),
                "rating": rng.choice(RATINGS),
                "warnings": rng.sample(WARNINGS, rng.choice([1, 1, 2])),
                "categories": rng.sample(CATEGORIES, rng.choice([0, 1, 1, 2])),
                "fandoms": fandoms,
                "relationships": rng.sample(RELATIONSHIPS, rng.choice([0, 1, 2])),
                "characters": rng.sample(CHARACTERS, rng.choice([0, 1, 2, 3])),
                "freeforms": rng.sample(FREEFORMS, rng.choice([0, 1, 2, 3])),
                "language": "Français" if rng.random() < 0.15 else "English",
                "complete": rng.random() < 0.5,
                "restricted": rng.random() < 0.2,
                "chapter": {"content": texts[0], "format": "text"},
            }
            j = post_work(srv, tokens_[owner], **fields)
            for t in texts[1:]:
                status(api(srv, "POST", "/api/v1/works/%d/chapters" % j["id"],
                           {"content": t, "format": "text"}, tokens_[owner]), 201)
            j = api(srv, "GET", "/api/v1/works/%d" % j["id"], token=reader).json()
            j["texts"] = texts
            j["owner"] = owner
            j["all_tags"] = ([j["rating"]] + j["warnings"] + j["categories"] + j["fandoms"] + j["relationships"] +
                             j["characters"] + j["freeforms"])
            works.append(j)
        check(len({w["id"] for w in works}) == 64, "64 works posted")

        checked = 0
        for n in range(300):
            f = random_filter(rng)
            member = rng.random() < 0.5
            want = expected(works, f, member)
            params = filter_params(f) + [("per_page", "100")]
            r = api(srv, "GET", "/api/v1/works?" + qs(params), token=reader if member else None)
            status(r, 200)
            got = r.json()
            what = "combination %d %s (%s)" % (n, qs(params), "member" if member else "guest")
            eq([w["id"] for w in got["works"]], [w["id"] for w in want], what + ": works in order")
            eq(got["total"], len(want), what + ": total")
            check(not got["total_capped"], what + ": capped")
            exp = expected_facets(want)
            for k in FACET_KEYS:
                eq([(x["name"], x["count"]) for x in got["facets"][k]], exp[k], what + ": facets " + k)
            if "q" in f:
                for w in got["works"]:
                    if f["positive"]:
                        check(any(p.get("mark") for p in w.get("snippet", [])), what + ": snippet marks a match")
            checked += 1
            # Now and then the HTML listing says the same, and pages split the same list.
            if n % 25 == 0:
                page = srv.client().get("/works?" + qs(filter_params(f))) if not member else None
                if page is not None:
                    status(page, 200)
                    ids = [int(x) for x in re.findall(r'id="work_(\d+)"', page.text)]
                    eq(ids, [w["id"] for w in want][:20], what + ": HTML listing")
                paged = []
                for p in range(1, 12):
                    r = api(srv, "GET", "/api/v1/works?" + qs(filter_params(f) + [("per_page", "7"), ("page", str(p))]),
                            token=reader if member else None)
                    paged += [w["id"] for w in r.json()["works"]]
                eq(paged, [w["id"] for w in want][:77], what + ": pages of 7")
        eq(checked, 300, "combinations checked")


def test_search_joins_a_chapter_with_its_works_title_tags_and_creators():
    # "Quell tide": a character of the work and a word of one chapter. Readers name the story's world and
    # what happens in it; the chapter's index row carries the work's title, tags and creators.
    with Server() as srv:
        tok = add_user(srv, "tidewriter")
        w = post_work(srv, tok, title="Salt and Umbrellas", fandoms=["Harbour Street (TV)"],
                      characters=["Mira Quell"],
                      chapter={"content": "The tide came in over the harbour wall at dusk.", "format": "text"})["id"]
        other = post_work(srv, tok, title="Elsewhere",
                          chapter={"content": "The tide went out and stayed out all day.", "format": "text"})["id"]

        def found(q):
            r = api(srv, "GET", "/api/v1/works?" + qs({"q": q}))
            status(r, 200)
            return sorted(x["id"] for x in r.json()["works"])
        eq(found("Quell tide"), [w], "a character and a chapter's word")
        eq(found("umbrellas dusk"), [w], "the title and a chapter's word")
        eq(found("tidewriter dusk"), [w], "the creator and a chapter's word")
        eq(found("tide"), sorted([w, other]), "one word")
        eq(found("Quell -dusk"), [], "an excluded word anywhere leaves the work out")
        eq(found("Quell wall dusk"), [w], "several words of the chapter")
        eq(found("Quell sunrise"), [], "a word in no chapter")
        # The snippet is the chapter's text, with the chapter's word marked, not the work's tags.
        page = srv.client().get("/search?" + qs({"q": "Quell tide"})).text
        snippet = re.search(r'<blockquote class="snippet"[^>]*>(.*?)</blockquote>', page, re.S)
        check(snippet is not None, "a snippet")
        contains(snippet.group(1), "<mark>tide</mark>", "the snippet")
        not_contains(snippet.group(1), "Harbour Street", "the snippet")
        # A new title and new tags reach the chapters' index at once; the old ones leave it.
        r = api(srv, "PATCH", "/api/v1/works/%d" % w, {"title": "Rain and Lanterns", "characters": ["Oren Vale"]}, tok)
        status(r, 200)
        eq(found("lanterns dusk"), [w], "the new title")
        eq(found("umbrellas dusk"), [], "the old title")
        eq(found("Vale tide"), [w], "the new character")
        eq(found("Quell tide"), [], "the old character")


def test_tag_identity_synonyms_canonical_meta():
    with Server() as srv:
        tok = add_user(srv, "writer")
        add_user(srv, "wrangly", role="wrangler")
        add_user(srv, "plain")
        w1 = post_work(srv, tok, title="Liv story", fandoms=["Law & Order: SVU"], characters=["Liv Benson"])["id"]
        w2 = post_work(srv, tok, title="Olivia story", fandoms=["Law & Order: SVU"],
                       characters=["Olivia\u00a0Benson"])["id"]
        w3 = post_work(srv, tok, title="Other olivia", fandoms=["law & order: svu"], characters=["olivia benson"])["id"]
        w4 = post_work(srv, tok, title="Mother show", fandoms=["Law & Order"], characters=["N\u0430tasha"])["id"]
        post_work(srv, tok, title="Latin", fandoms=["Law & Order"], characters=["Natasha"])
        g = srv.client()
        # One tag whatever the case, accents' forms or no-break spaces.
        page = g.get(tag_path("OLIVIA BENSON"))
        status(page, 200)
        ids = [int(x) for x in re.findall(r'id="work_(\d+)"', page.text)]
        eq(sorted(ids), sorted([w2, w3]), "olivia's works before wrangling")
        contains(page.text, "has not been wrangled yet")
        eq(api(srv, "GET", "/api/v1/works?tags=law+%26+order%3A+svu").json()["total"], 3, "fandom folded")

        # A reader cannot wrangle; a wrangler can.
        plain = login(srv, "plain")
        status(plain.get(tag_path("Olivia Benson") + "/edit"), 403)
        wr = login(srv, "wrangly")
        edit = tag_path("Liv Benson") + "/edit"
        r = wr.get(edit)
        status(r, 200)
        r = wr.post_form(edit, [("synonym_of", "Olivia Benson"), ("metas", ""), ("fandoms", "")])
        status(r, 422)
        contains(text_of(r.text), "not canonical")
        r = wr.post_form(tag_path("Olivia Benson") + "/edit",
                         [("canonical", "1"), ("synonym_of", ""), ("metas", ""), ("fandoms", "Law & Order: SVU")])
        status(r, 303)
        r = wr.post_form(edit, [("synonym_of", "Olivia Benson"), ("metas", ""), ("fandoms", "")])
        status(r, 303)
        # Filtering goes through the canonical tag: either name finds all three.
        for name in ("Liv Benson", "Olivia Benson", "olivia benson"):
            j = api(srv, "GET", "/api/v1/works?" + qs([("tags", name)])).json()
            eq(sorted(w["id"] for w in j["works"]), sorted([w1, w2, w3]), "works under %s" % name)
        page = g.get(tag_path("Liv Benson"))
        contains(text_of(page.text), "This tag is a synonym of Olivia Benson")
        eq(len(re.findall(r'id="work_\d+"', page.text)), 3, "synonym's page lists the canonical's works")
        contains(g.get(tag_path("Olivia Benson")).text, "Liv Benson")
        # Merging into a synonym is refused, naming the canonical.
        post_work(srv, tok, title="Benson", fandoms=["Law & Order: SVU"], characters=["Benson"])
        r = wr.post_form(tag_path("Benson") + "/edit", [("synonym_of", "Liv Benson"), ("metas", ""), ("fandoms", "")])
        status(r, 422)
        t = text_of(r.text)
        contains(t, "is itself a synonym of")
        contains(t, "Olivia Benson")

        # Meta tags: the show's page lists its spin-off's works; a loop is refused.
        for name in ("Law & Order", "Law & Order: SVU"):
            status(wr.post_form(tag_path(name) + "/edit", [("canonical", "1"), ("synonym_of", ""), ("metas", ""),
                                                            ("media", "TV Shows")]), 303)
        status(wr.post_form(tag_path("Law & Order: SVU") + "/edit",
                            [("canonical", "1"), ("synonym_of", ""), ("metas", "Law & Order"), ("media", "TV Shows")]),
               303)
        j = api(srv, "GET", "/api/v1/works?" + qs([("tags", "Law & Order"), ("per_page", "100")])).json()
        check({w1, w2, w3, w4} <= {w["id"] for w in j["works"]}, "meta tag lists its sub tag's works")
        r = wr.post_form(tag_path("Law & Order") + "/edit",
                         [("canonical", "1"), ("synonym_of", ""), ("metas", "Law & Order: SVU"), ("media", "TV Shows")])
        status(r, 422)
        contains(text_of(r.text), "loop")
        page = text_of(g.get(tag_path("Law & Order")).text)
        contains(page, "Sub tags: Law & Order: SVU")
        # The directory shows both under TV Shows with counts.
        d = text_of(g.get("/media").text)
        contains(d, "TV Shows (2)")
        d = text_of(g.get("/media/" + urllib.parse.quote("TV Shows")).text)
        contains(d, "Law & Order (")

        # The queue: unwrangled tags by fandom, look-alikes flagged.
        q = wr.get("/wrangling")
        status(q, 200)
        m = re.search(r'href="(/wrangling\?fandom=\d+)"><bdi>Law &amp; Order</bdi></a>', q.text)
        check(m is not None, "Law & Order in the queue")
        q = text_of(wr.get(html.unescape(m.group(1))).text)
        contains(q, "N\u0430tasha")
        contains(q, "Look-alike")
        status(plain.get("/wrangling"), 403)


def test_links_pages_and_series():
    with Server() as srv:
        tok = add_user(srv, "serial")
        parts = [post_work(srv, tok, title="Part %d" % i, fandoms=["Saltmarsh Tales"],
                           relationships=["Wren Ashby & Agnes Hale"], series={"title": "Tides", "position": i})["id"]
                 for i in (1, 2, 3)]
        g = srv.client()
        page = g.get("/works/%d" % parts[1])
        status(page, 200)
        # Every tag is a link to its tag page; "/" and "&" are spelled as AO3 does.
        contains(page.text, 'href="/tags/Wren%20Ashby%20%2Aa%2A%20Agnes%20Hale"')
        m = re.search(r'href="(/series/\d+)"', page.text)
        check(m is not None, "series link")
        contains(page.text, 'rel="prev" href="/works/%d"' % parts[0])
        contains(page.text, 'rel="next" href="/works/%d"' % parts[2])
        s = g.get(m.group(1))
        status(s, 200)
        eq([int(x) for x in re.findall(r'id="work_(\d+)"', s.text)], parts, "series in order")
        status(g.get("/tags/Wren%20Ashby%20%2Aa%2A%20Agnes%20Hale"), 200)
        status(g.get("/tags/Nothing%20Like%20This"), 404)
        status(g.get("/series/99999"), 404)
        # Autocomplete: word prefixes, most used first, typed or not.
        j = api(srv, "GET", "/api/v1/tags/autocomplete?q=agn").json()
        eq([t["name"] for t in j["tags"]], ["Wren Ashby & Agnes Hale"], "autocomplete by a later word")
        j = api(srv, "GET", "/api/v1/tags/autocomplete?type=fandoms&q=salt").json()
        eq([(t["name"], t["count"]) for t in j["tags"]], [("Saltmarsh Tales", 3)], "typed autocomplete")
        eq(api(srv, "GET", "/api/v1/tags/autocomplete?type=characters&q=salt").json()["tags"], [], "other type")
        eq(api(srv, "GET", "/api/v1/tags/autocomplete?q=").json()["tags"], [], "empty")
        eq(api(srv, "GET", "/api/v1/tags/autocomplete?q=%22*%3A").json()["tags"], [], "punctuation only")
        status(api(srv, "GET", "/api/v1/tags/autocomplete?type=bogus&q=a"), 422)
        # The home page counts from the maintained counter.
        contains(text_of(g.get("/").text), "All works (3)")
        # Update dates: everything was updated today (UTC), nothing before.
        import datetime
        today = datetime.datetime.now(datetime.timezone.utc).date()
        day = datetime.timedelta(days=1)
        for params, want in (({"updated_from": str(today)}, 3), ({"updated_to": str(today)}, 3),
                             ({"updated_to": str(today - day)}, 0), ({"updated_from": str(today + day)}, 0),
                             ({"updated_from": str(today - day), "updated_to": str(today + day)}, 3)):
            eq(api(srv, "GET", "/api/v1/works?" + qs(params)).json()["total"], want, "dates %r" % params)


def test_hostile_query_strings():
    with Server() as srv:
        tok = add_user(srv, "hostile")
        post_work(srv, tok, title="Quotes", chapter={"content": 'She said "NEAR(the door)" and * : ^ things.',
                                                     "format": "text"})
        g = srv.client()
        for bad in ("page=abc", "page=0", "page=5001", "words_from=many", "words_from=9&words_to=3",
                    "updated_from=2024-13-01", "updated_to=yesterday", "sort=nonsense", "complete=maybe",
                    "crossover=sometimes", "q=" + "a" * 501, "tags=" + ",".join("t%d" % i for i in range(25))):
            r = g.get("/works?" + bad)
            status(r, 400)
            check(len(text_of(r.text)) > 20, "a clear message for %s" % bad)
            r = api(srv, "GET", "/api/v1/works?" + bad)
            status(r, 422)
        # Unknown parameters are ignored; absurd word counts are capped, not errors.
        status(g.get("/works?utm_source=x&foo=bar"), 200)
        status(g.get("/works?words_to=99999999999999"), 200)
        # FTS5 syntax is text.
        for q in ('"', "NEAR(", "*", "a:b", "^x", "AND", "OR OR", "(((", "-", '"""', "NEAR(the door)", "-*",
                  "title:quotes", "{a b}", "\u201cthe door\u201d"):
            r = g.get("/search?" + qs([("q", q)]))
            status(r, 200)
            r = api(srv, "GET", "/api/v1/works?" + qs([("q", q)]))
            status(r, 200)
        j = api(srv, "GET", "/api/v1/works?" + qs([("q", "NEAR(the door)")])).json()
        eq(j["total"], 1, "NEAR( as words finds the text")
        j = api(srv, "GET", "/api/v1/works?" + qs([("q", '"said near"')])).json()
        eq(j["total"], 1, "a phrase across punctuation")
        j = api(srv, "GET", "/api/v1/works?" + qs([("q", "title:quotes")])).json()
        eq(j["total"], 0, "no column filters: 'title:quotes' is two words that do not both occur")
        r = g.get("/search?" + qs([("q", "door")]))
        contains(r.text, "<mark>door</mark>")
        not_contains(r.text, "\x01")


def test_finding_pages_follow_changes_through_the_cache():
    """Guests' copies of tag, series, author, directory and reading pages are dropped exactly when what they
    show changes (X-Cache), and series links on a reading page depend on who reads it."""
    def get_as(client, path, want):
        r = client.get(path)
        status(r, 200)
        eq(r.header("X-Cache"), want, "X-Cache of %s" % path)
        return r

    with Server() as srv:
        tok = add_user(srv, "tidal")
        other = add_user(srv, "inland")
        add_user(srv, "keeper", role="wrangler")
        parts = [post_work(srv, tok, title="Tide %d" % i, fandoms=["Saltmarsh Tales"], characters=["Wren Ashby"],
                           series={"title": "Tides", "position": i})["id"] for i in (1, 2)]
        g = srv.client()
        series = re.search(r'href="(/series/\d+)"', g.get("/works/%d" % parts[0]).text).group(1)
        tag, author = tag_path("Saltmarsh Tales"), "/users/tidal/works"
        pages = [tag, series, author, "/media", "/works/%d" % parts[1]]
        for p in pages:
            get_as(g, p, "miss")
            get_as(g, p, "hit")
        # Another author's work in another fandom: lists of works change, this author's page does not.
        post_work(srv, other, title="Far Away", fandoms=["Inland Sea"])
        for p in (tag, series, "/media"):
            get_as(g, p, "miss")
        get_as(g, author, "hit")
        get_as(g, "/works/%d" % parts[1], "hit")
        # A third part: the series page lists it, the author's page too, and part 2 links on to it.
        third = post_work(srv, tok, title="Tide 3", fandoms=["Saltmarsh Tales"], series={"title": "Tides", "position": 3})["id"]
        eq([int(x) for x in re.findall(r'id="work_(\d+)"', get_as(g, series, "miss").text)], parts + [third],
           "the series after a new part")
        contains(get_as(g, author, "miss").text, "Tide 3")
        contains(get_as(g, "/works/%d" % parts[1], "miss").text, 'rel="next" href="/works/%d"' % third)
        # A wrangle changes the tag's page though no work's filters move.
        for p in (tag, "/media"):
            get_as(g, p, "miss")
            get_as(g, p, "hit")
        wr = login(srv, "keeper")
        wr.get(tag + "/edit")
        status(wr.post_form(tag + "/edit", [("canonical", "1"), ("synonym_of", ""), ("metas", ""),
                                            ("media", "Books & Literature")]), 303)
        contains(text_of(get_as(g, tag, "miss").text), "canonical")
        contains(text_of(get_as(g, "/media", "miss").text), "Books & Literature (1)")
        # A members-only fourth part: members are led on to it from part 3, guests are not, from one cache.
        fourth = post_work(srv, tok, title="Tide 4", fandoms=["Saltmarsh Tales"], restricted=True,
                           series={"title": "Tides", "position": 4})["id"]
        member = login(srv, "inland")
        for _ in range(2):
            not_contains(g.get("/works/%d" % third).text, 'rel="next"', "guest's part 3")
            contains(member.get("/works/%d" % third).text, 'rel="next" href="/works/%d"' % fourth, "member's part 3")
        get_as(g, "/works/%d" % third, "hit")


def test_finding_pages_are_well_formed():
    from test_html_valid import check_page  # the same checker the other page families pass
    with Server(demo=True) as srv:
        add_user(srv, "wellformed", role="wrangler")
        g = srv.client()
        seen = set()
        for p in ("/works?tags=Greek+Mythology&exclude_tags=Fluff&rating=General+Audiences&complete=true&sort=title",
                  "/works?q=%22the+causeway%22", "/search", "/search?q=lighthouse+-storms", "/media",
                  "/media/" + urllib.parse.quote("Books & Literature"), tag_path("Greek Mythology"),
                  tag_path("Perséphone"), tag_path("Wren Ashby & Agnes Hale") + "?sort=words",
                  "/users/quillfeather/works?rating=General+Audiences"):
            _, links = check_page(g, p)
            seen.update(links)
        m = re.search(r'href="(/series/\d+)"', g.get("/works").text)
        check(m is not None, "a series link on /works")
        check_page(g, m.group(1))
        wr = login(srv, "wellformed")
        _, links = check_page(wr, "/wrangling")
        queue = [l for l in links if l.startswith("/wrangling?fandom=")]
        check(queue, "the wrangling page links to fandoms' queues")
        _, links = check_page(wr, html.unescape(queue[0]))
        edits = [l for l in links if l.endswith("/edit") or "/edit?" in l]
        check(edits, "the queue links to wrangling forms")
        check_page(wr, html.unescape(edits[0]))
        check_page(wr, tag_path("Greek Mythology") + "/edit")
        # Every link those pages show answers.
        for link in sorted(seen):
            if link.startswith("/static/"):
                continue
            r = g.get(html.unescape(link))
            check(r.status in (200, 303), "link %s answers %d" % (link, r.status))


if __name__ == "__main__":
    sys.exit(main(globals()))
