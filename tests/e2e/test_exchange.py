"""End-to-end: a gift exchange through the pages: settings and tag set, sign-ups (limits, the tag set, "any"),
matching that serves everyone, review and edit, sending (inbox and mail), a default taken by a pinch hitter, gifts
posted for assignments into an unrevealed anonymous collection, and the reveal."""
import re

from quire_e2e import check, contains, eq, main, not_contains, run_cli, status, Server
from test_collections import new_collection
from test_works import PW, user, work_fields

FANDOMS = ["Harbour Street", "Lantern Hill", "Quiet River", "Paper Moon"]


def settings(mod, name, **over):
    fields = {"signups_open": "1", "signups_open_at": "", "signups_close_at": "", "assignments_due_at": "2030-12-18",
              "requests_min": "1", "requests_max": "2", "offers_min": "1", "offers_max": "2",
              "tags_min_fandoms": "1", "tags_max_fandoms": "1", "match_fandoms": "1",
              "tags_min_characters": "0", "tags_max_characters": "2", "match_characters": "0",
              "allow_any_characters": "1",
              "tags_min_relationships": "0", "tags_max_relationships": "0", "match_relationships": "0",
              "tags_min_freeforms": "0", "tags_max_freeforms": "0", "match_freeforms": "0",
              "instructions": "Ask for what you love.",
              "tag_set_fandoms": "\n".join(FANDOMS), "tag_set_characters": "Maya Ortiz, Theo Baptiste",
              "tag_set_relationships": "", "tag_set_freeforms": ""}
    fields.update(over)
    mod.get("/collections/%s/exchange" % name)
    return mod.post_form("/collections/%s/exchange" % name, [(k, v) for k, v in fields.items() if v is not None])


def sign_up(c, name, requests, offers, **extra):
    fields = []
    for i, f in enumerate(requests, 1):
        fields += [("request_%d_fandoms" % i, f), ("request_%d_description" % i, "Something about %s." % f)]
    for i, f in enumerate(offers, 1):
        fields += [("offer_%d_fandoms" % i, f), ("offer_%d_any_characters" % i, "1")]
    fields += list(extra.items())
    c.get("/collections/%s/signup" % name)
    return c.post_form("/collections/%s/signup" % name, fields)


def cli_user(srv, name):
    """An account made with `quire user add`, logged in: past ten sign-ups a day from one address (the test's
    127.0.0.1), the sign-up page holds them for the moderators."""
    p = run_cli(["user", "add", name, "%s@example.org" % name], data=srv.data, stdin=PW + "\n")
    eq(p.returncode, 0, "user add %s (stderr: %s)" % (name, p.stderr))
    c = srv.client()
    status(c.login(name, PW), 303)
    return c


def assignment_ids(page):
    return [int(x) for x in re.findall(r'href="/collections/\w+/assignments/(\d+)"', page)]


def test_whole_exchange_through_the_pages():
    with Server() as srv:
        mod = user(srv, "yule_mod")
        status(new_collection(mod, "yule", "Yule Swap", challenge="gift_exchange", unrevealed="1", anonymous="1"), 303)
        status(settings(mod, "yule"), 303)
        page = mod.get("/collections/yule/exchange").text
        contains(page, "Lantern Hill")
        # Others may not change it.
        guest = srv.client()
        outsider = user(srv, "yule_outsider")
        status(settings(outsider, "yule"), 403)

        # Sign-up rules: the tag set, the limits.
        people = [cli_user(srv, "elf_%02d" % i) for i in range(1, 13)]
        r = sign_up(people[0], "yule", ["Not In The Set"], [FANDOMS[0]])
        status(r, 422)
        contains(r.text, "is not in this exchange&#39;s tag set")
        contains(r.text, "Not In The Set")  # what was typed is kept
        r = sign_up(people[0], "yule", [], [FANDOMS[0]])
        status(r, 422)
        contains(r.text, "Make 1 to 2 requests.")

        # Twelve sign-ups: elf i offers fandom i % 4 and requests fandom (i + 1) % 4, so everyone can be served.
        for i, c in enumerate(people):
            status(sign_up(c, "yule", [FANDOMS[(i + 1) % 4]], [FANDOMS[i % 4]]), 303)
        contains(people[0].get("/collections/yule/signup?notice=signed_up").text, "Your sign-up was saved.")
        page = mod.get("/collections/yule/signups").text
        for i in range(1, 13):
            contains(page, "elf_%02d" % i)
        status(people[0].get("/collections/yule/signups"), 403)

        # Matching: everyone gets a giver whose offer meets their request.
        status(people[0].post_form("/collections/yule/matching", []), 403)
        r = mod.post_form("/collections/yule/matching", [])
        status(r, 303)
        page = mod.get(r.header("Location")).text
        contains(page, "12 sign-ups: 12 matched, 0 without a giver")
        contains(page, "12 assignments: 12 with a giver (12 whose offers meet the requests), 0 without.")
        # Nothing is sent yet: no assignment in anyone's inbox.
        not_contains(people[0].get("/inbox").text, "Your assignment")
        # Close sign-ups, send.
        status(settings(mod, "yule", signups_open=None), 303)
        status(mod.post_form("/collections/yule/assignments/send", []), 303)
        for c in people:
            inbox = c.get("/inbox").text
            contains(inbox, "Your assignment in Yule Swap")
            check(re.search(r'<a href="/collections/yule/assignments/\d+"><bdi>Your assignment', inbox),
                  "the inbox links the assignment")

        # Each elf's own assignment; nobody sees who writes for them.
        mine = {}
        for i, c in enumerate(people):
            page = c.get("/collections/yule/assignments").text
            ids = assignment_ids(page.split("Pinch hits")[0])
            eq(len(ids), 1, "elf_%02d's assignments" % (i + 1))
            mine[i] = ids[0]
            a = c.get("/collections/yule/assignments/%d" % ids[0]).text
            contains(a, "Something about")  # the recipient's prompt
        for i, c in enumerate(people):
            for j, aid in mine.items():
                if j != i:
                    status(c.get("/collections/yule/assignments/%d" % aid), 404)
        status(guest.get("/collections/yule/assignments/%d" % mine[0]), 303)  # log in first

        # Elf 1 defaults; a pinch hitter who joined takes it.
        status(people[0].post_form("/collections/yule/assignments/%d/default" % mine[0], []), 303)
        hitter = cli_user(srv, "pinch_hitter")
        status(hitter.post_form("/collections/yule/assignments/%d/claim" % mine[0], []), 403)  # not a member
        status(hitter.post_form("/collections/yule/join", []), 303)
        page = hitter.get("/collections/yule/assignments").text
        contains(page, "open pinch hit")
        status(hitter.post_form("/collections/yule/assignments/%d/claim" % mine[0], []), 303)
        contains(hitter.get("/inbox").text, "Your assignment in Yule Swap")
        status(people[0].get("/collections/yule/assignments/%d" % mine[0]), 404)
        writers = dict(mine)
        writers[0] = None

        # The gifts, posted from the assignments: into the collection, to their recipients, hidden.
        titles = {}
        for i, c in [(i, people[i]) for i in range(1, 12)] + [(0, hitter)]:
            aid = mine[i]
            page = c.get("/works/new?assignment=%d" % aid).text
            contains(page, 'name="assignment" value="%d"' % aid)
            contains(page, 'value="yule"')
            title = "Yule Gift %02d" % (i + 1)
            titles[i] = title
            gift_to = re.search(r'name="gifts" value="([^"]*)"', page).group(1)
            fields = work_fields(title=title, fandoms=FANDOMS[i % 4], relationships="", characters="",
                                 freeforms="", collections="yule", gifts=gift_to, assignment=str(aid))
            r = c.post_form("/works", fields)
            status(r, 303)
        # Nothing leaks before the reveal.
        for c in [guest, outsider] + people:
            listing = c.get("/works").text
            for t in titles.values():
                not_contains(listing, t)
            not_contains(c.get("/collections/yule/works").text, "Yule Gift")
        for c in people:
            not_contains(c.get("/inbox").text, "A gift for you")
        # Assignments show as fulfilled to the moderators.
        contains(mod.get("/collections/yule/assignments?tab=all").text, "fulfilled")

        # The reveal: works and creators.
        status(mod.post_form("/collections/yule/reveal", {"what": "both"}), 303)
        listing = guest.get("/collections/yule/works").text
        for t in titles.values():
            contains(listing, t)
        for i, c in enumerate(people):
            contains(c.get("/inbox").text, "A gift for you: Yule Gift")


if __name__ == "__main__":
    raise SystemExit(main(globals()))
