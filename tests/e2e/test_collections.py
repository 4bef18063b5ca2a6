"""End-to-end: collections (owners, moderators, members; open, closed, moderated; subcollections; profile, rules
and FAQ; works, participants; items approved, invited, refused, removed), unrevealed and anonymous collections
with their reveals, and gifts (to users and named people, refused, the gifts page)."""
import re

from quire_e2e import check, contains, eq, main, not_contains, status, Server
from test_response import api, token_for
from test_works import post_work, user, work_fields


def post_raw(c, **over):
    """The work form's answer (for refusals)."""
    c.get("/works/new")
    return c.post_form("/works", work_fields(**over))


def new_collection(c, name, title, **over):
    fields = {"name": name, "title": title, "parent": "", "description": "A collection for %s." % title,
              "intro": "Welcome to <em>%s</em>." % title, "rules": "Be kind.", "faq": "Q: When? A: Now.",
              "reveal_at": "", "reveal_creators_at": "", "challenge": ""}
    fields.update(over)
    c.get("/collections/new")
    return c.post_form("/collections", [(k, v) for k, v in fields.items() if v is not None])


def settings(c, name, **over):
    page = c.get("/collections/%s/edit" % name).text
    fields = {"title": re.search(r'name="title" value="([^"]*)"', page).group(1), "parent": "", "description": "",
              "intro": "", "rules": "", "faq": "", "reveal_at": "", "reveal_creators_at": "", "challenge": ""}
    fields.update(over)
    return c.post_form("/collections/%s" % name, [(k, v) for k, v in fields.items() if v is not None])


def test_collection_pages_members_and_items():
    with Server() as srv:
        owner = user(srv, "fest_owner")
        r = new_collection(owner, "summer_fest", "Summer Fest", moderated="1")
        status(r, 303)
        contains(r.header("Location"), "/collections/summer_fest?notice=created")
        page = owner.get("/collections/summer_fest?notice=created").text
        contains(page, "Summer Fest")
        contains(page, "Your collection was created.")
        contains(page, "Moderated")
        # Name rules and uniqueness.
        status(new_collection(owner, "Summer_Fest", "Again"), 422)
        r = new_collection(owner, "bad name!", "Bad")
        status(r, 422)
        contains(r.text, "letters (a-z), digits and underscores")
        status(new_collection(owner, "new", "Reserved"), 422)

        # Profile, rules and FAQ pages, for guests too (cached).
        guest = srv.client()
        contains(guest.get("/collections/summer_fest/profile").text, "<em>Summer Fest</em>")
        contains(guest.get("/collections/summer_fest/rules").text, "Be kind.")
        contains(guest.get("/collections/summer_fest/faq").text, "Q: When? A: Now.")
        status(guest.get("/collections/nope"), 404)
        contains(guest.get("/collections").text, "Summer Fest")

        # A writer joins and posts a work to it: it waits for approval (moderated).
        writer = user(srv, "fest_writer")
        status(writer.post_form("/collections/summer_fest/join", [], csrf=True), 303)
        contains(writer.get("/collections/summer_fest/participants").text, "fest_writer")
        wid = post_work(writer, title="Sunburn", collections="summer_fest")
        not_contains(guest.get("/collections/summer_fest/works").text, "Sunburn")
        items = owner.get("/collections/summer_fest/items?state=waiting")
        contains(items.text, "Sunburn")
        # Others may not moderate.
        status(writer.get("/collections/summer_fest/items"), 403)
        status(writer.post_form("/collections/summer_fest/items/%d" % wid, {"action": "approve"}), 403)
        r = owner.post_form("/collections/summer_fest/items/%d" % wid, {"action": "approve"})
        status(r, 303)
        contains(guest.get("/collections/summer_fest/works").text, "Sunburn")
        page = guest.get("/works/%d" % wid).text
        contains(page, "Collections:")
        contains(page, 'href="/collections/summer_fest"')

        # A moderator invites someone else's work; its creator accepts on the work's collections page.
        other = user(srv, "fest_other")
        owid = post_work(other, title="Heatwave")
        status(owner.post_form("/collections/summer_fest/items", {"work": "/works/%d" % owid}), 303)
        not_contains(guest.get("/collections/summer_fest/works").text, "Heatwave")
        page = other.get("/works/%d/collections" % owid).text
        contains(page, "Invited by its moderators")
        status(other.post_form("/collections/summer_fest/items/%d" % owid, {"action": "accept"}), 303)
        contains(guest.get("/collections/summer_fest/works").text, "Heatwave")
        status(srv.client().get("/works/%d/collections" % owid), 303)  # log in first
        status(writer.get("/works/%d/collections" % owid), 403)

        # Moderators and roles: an owner makes a moderator; moderators cannot make owners.
        status(owner.post_form("/collections/summer_fest/members", {"user": "fest_writer", "role": "moderator"}), 303)
        status(writer.post_form("/collections/summer_fest/members", {"user": "fest_other", "role": "owner"}), 403)
        status(writer.post_form("/collections/summer_fest/members", {"user": "fest_other", "role": "member"}), 303)
        contains(guest.get("/collections/summer_fest/participants").text, "fest_other")
        # The last owner cannot leave.
        r = owner.post_form("/collections/summer_fest/members", {"user": "fest_owner", "role": "none"})
        status(r, 422)

        # Closed: no new works from non-moderators.
        status(settings(owner, "summer_fest", closed="1"), 303)
        third = post_work(other, title="Frost")
        r = other.post_form("/works/%d/collections" % third, {"collection": "summer_fest"})
        status(r, 403)
        contains(r.text, "closed")
        r = post_raw(other, title="Frost Again", collections="summer_fest")
        status(r, 422)
        contains(r.text, "is closed")

        # Subcollections, one level.
        status(new_collection(owner, "summer_fest_art", "Summer Art", parent="summer_fest"), 303)
        contains(guest.get("/collections/summer_fest/collections").text, "Summer Art")
        r = new_collection(owner, "too_deep", "Deep", parent="summer_fest_art")
        status(r, 422)
        r = new_collection(other, "not_mine", "Not mine", parent="summer_fest")
        status(r, 422)
        contains(r.text, "moderators can add subcollections")

        # Removing a work; deleting the collection (owners only).
        status(other.post_form("/collections/summer_fest/items/%d" % owid, {"action": "remove"}), 303)
        not_contains(guest.get("/collections/summer_fest/works").text, "Heatwave")
        status(writer.post_form("/collections/summer_fest/delete", []), 403)
        status(owner.post_form("/collections/summer_fest/delete", []), 303)
        status(guest.get("/collections/summer_fest"), 404)


def test_unrevealed_anonymous_collection_and_reveal():
    with Server() as srv:
        mod = user(srv, "exch_mod")
        status(new_collection(mod, "winter_swap", "Winter Swap", unrevealed="1", anonymous="1"), 303)
        writer = user(srv, "secret_writer")
        recipient = user(srv, "lucky_reader")
        wid = post_work(writer, title="Snowfall Secret", collections="winter_swap",
                                     gifts="lucky_reader, My Aunt Jo")
        guest = srv.client()
        reader = user(srv, "plain_reader")
        for c in (guest, reader, recipient):
            status(c.get("/works/%d" % wid), 404)
            not_contains(c.get("/works").text, "Snowfall Secret")
            not_contains(c.get("/collections/winter_swap/works").text, "Snowfall Secret")
            not_contains(c.get("/users/secret_writer").text, "Snowfall Secret")
            not_contains(c.get("/users/lucky_reader/gifts").text, "Snowfall Secret")
        not_contains(recipient.get("/inbox").text, "Snowfall Secret")
        # The creator and the moderators see it.
        contains(writer.get("/works/%d" % wid).text, "Snowfall Secret")
        contains(mod.get("/works/%d" % wid).text, "Snowfall Secret")
        contains(mod.get("/collections/winter_swap/works").text, "Snowfall Secret")

        # Reveal the works: seen, announced to the recipient, still anonymous.
        status(mod.post_form("/collections/winter_swap/reveal", {"what": "works"}), 303)
        for c in (guest, reader):
            page = c.get("/works/%d" % wid).text
            contains(page, "Snowfall Secret")
            contains(page, "by <bdi>Anonymous</bdi>")
            not_contains(page, "secret_writer")
            not_contains(c.get("/users/secret_writer").text, "Snowfall Secret")
            listing = c.get("/works").text
            contains(listing, "Snowfall Secret")
            not_contains(listing, "secret_writer")
            not_contains(c.get("/search?q=secret_writer").text, "Snowfall Secret")
        contains(recipient.get("/inbox").text, "A gift for you: Snowfall Secret")
        page = guest.get("/works/%d" % wid).text
        contains(page, "for ")
        contains(page, 'href="/users/lucky_reader/gifts"')
        contains(page, "My Aunt Jo")
        contains(guest.get("/users/lucky_reader/gifts").text, "Snowfall Secret")

        # Then the creators.
        status(mod.post_form("/collections/winter_swap/reveal", {"what": "creators"}), 303)
        page = guest.get("/works/%d" % wid).text
        contains(page, 'href="/users/secret_writer"')
        contains(guest.get("/users/secret_writer").text, "Snowfall Secret")

        # Refusing the gift: the work no longer names the recipient.
        gifts = recipient.get("/users/lucky_reader/gifts").text
        gid = int(re.search(r'action="/gifts/(\d+)/refuse"', gifts).group(1))
        status(reader.post_form("/gifts/%d/refuse" % gid, {"refused": "1"}), 404)
        status(recipient.post_form("/gifts/%d/refuse" % gid, {"refused": "1"}), 303)
        not_contains(guest.get("/works/%d" % wid).text, "lucky_reader")
        not_contains(guest.get("/users/lucky_reader/gifts").text, "Snowfall Secret")
        contains(recipient.get("/users/lucky_reader/gifts").text, "You refused this gift.")


def test_scheduled_reveal_invalidates_cached_pages():
    with Server(env={"QUIRE_REVEAL_CHECK_SECONDS": "1"}) as srv:
        mod = user(srv, "sched_mod")
        status(new_collection(mod, "timed_swap", "Timed Swap", unrevealed="1"), 303)
        writer = user(srv, "sched_writer")
        wid = post_work(writer, title="Clockwork Gift", collections="timed_swap")
        guest = srv.client()
        for _ in range(2):  # the second answer comes from the cache
            not_contains(guest.get("/works").text, "Clockwork Gift")
            status(guest.get("/works/%d" % wid), 404)
        # A reveal date in the past: the background check reveals it, and the cached listing goes.
        status(settings(mod, "timed_swap", unrevealed="1", reveal_at="2020-01-01 00:00"), 303)
        import time
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Clockwork Gift" not in guest.get("/works").text:
            time.sleep(0.2)
        contains(guest.get("/works").text, "Clockwork Gift")
        status(guest.get("/works/%d" % wid), 200)


def test_collections_api():
    with Server() as srv:
        user(srv, "api_mod")
        user(srv, "api_writer")
        mod, writer = token_for(srv, "api_mod"), token_for(srv, "api_writer")
        r = api(srv, "POST", "/api/v1/collections", {"name": "api_swap", "title": "API Swap", "unrevealed": True,
                                                     "anonymous": True, "challenge": "gift_exchange"}, mod)
        status(r, 201)
        eq(r.header("Location"), "/api/v1/collections/api_swap", "Location")
        c = r.json()
        eq((c["name"], c["role"], c["unrevealed"], c["challenge"]), ("api_swap", "owner", True, "gift_exchange"),
           "collection")
        status(api(srv, "POST", "/api/v1/collections", {"name": "api_swap", "title": "Again"}, mod), 422)
        r = api(srv, "POST", "/api/v1/collections", {"name": 7, "title": "Bad"}, mod)
        status(r, 400)
        r = api(srv, "PATCH", "/api/v1/collections/api_swap", {"faq": "Ask away.", "moderated": False}, mod)
        status(r, 200)
        eq(r.json()["faq_html"], "<p>Ask away.</p>", "faq_html")
        status(api(srv, "PATCH", "/api/v1/collections/api_swap", {"title": "Mine now"}, writer), 403)
        status(api(srv, "GET", "/api/v1/collections/nope"), 404)
        names = [x["name"] for x in api(srv, "GET", "/api/v1/collections").json()["collections"]]
        check("api_swap" in names, "listed: %r" % names)

        # Members: PUT and DELETE.
        status(api(srv, "PUT", "/api/v1/collections/api_swap/members/api_writer", {"role": "member"}, mod), 204)
        members = api(srv, "GET", "/api/v1/collections/api_swap/members", token=mod).json()["members"]
        eq(sorted((m["name"], m["role"]) for m in members), [("api_mod", "owner"), ("api_writer", "member")], "members")
        # Anonymous: its members (its writers) are listed to its moderators only.
        answer = api(srv, "GET", "/api/v1/collections/api_swap/members").json()
        eq([m["name"] for m in answer["members"]], ["api_mod"], "members shown to a guest")
        eq(answer["members_hidden"], True)
        status(api(srv, "PUT", "/api/v1/collections/api_swap/members/api_writer", {"role": "owner"}, writer), 403)
        status(api(srv, "PUT", "/api/v1/collections/api_swap/members/api_writer", {"role": "king"}, mod), 400)

        # A work posted into it through the API: hidden and anonymous in every answer to others.
        body = {"title": "API Secret", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
                "fandoms": ["API Fandom"], "collections": ["api_swap"], "gifts": ["api_mod"],
                "chapter": {"content": "A secret story told through the API.", "format": "text"}}
        r = api(srv, "POST", "/api/v1/works", body, writer)
        status(r, 201)
        wid = r.json()["id"]
        eq((r.json()["unrevealed"], r.json()["anonymous"]), (True, True), "flags")
        eq([x["name"] for x in r.json()["collections"]], ["api_swap"], "collections")
        eq(r.json()["creators"][0]["name"], "api_writer", "the creator sees their name")
        status(api(srv, "GET", "/api/v1/works/%d" % wid), 404)
        works = api(srv, "GET", "/api/v1/collections/api_swap/works").json()["works"]
        eq(works, [], "guest listing before the reveal")
        works = api(srv, "GET", "/api/v1/collections/api_swap/works", token=mod).json()["works"]
        eq([x["id"] for x in works], [wid], "the moderator's listing")
        eq(works[0]["creators"][0]["name"], "Anonymous", "the moderator sees Anonymous")
        items = api(srv, "GET", "/api/v1/collections/api_swap/items", token=mod).json()["items"]
        eq([x["work_id"] for x in items], [wid], "items")
        status(api(srv, "GET", "/api/v1/collections/api_swap/items", token=writer), 403)

        status(api(srv, "POST", "/api/v1/collections/api_swap/reveal", {"works": True}, writer), 403)
        status(api(srv, "POST", "/api/v1/collections/api_swap/reveal", {}, mod), 400)
        status(api(srv, "POST", "/api/v1/collections/api_swap/reveal", {"works": True}, mod), 204)
        w = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq(w["creators"], [{"name": "Anonymous"}], "anonymous to guests")
        not_contains(json_text(w), "api_writer")
        works = api(srv, "GET", "/api/v1/works?creator=api_writer").json()["works"]
        eq(works, [], "the creator's listing hides the anonymous work")
        gifts = api(srv, "GET", "/api/v1/users/api_mod/gifts").json()["gifts"]
        eq([(g["work"]["id"], g["work"]["creator"]) for g in gifts], [(wid, "Anonymous")], "gifts")
        status(api(srv, "POST", "/api/v1/gifts/%d/refuse" % gifts[0]["id"], {"refused": True}, writer), 404)
        status(api(srv, "POST", "/api/v1/gifts/%d/refuse" % gifts[0]["id"], {"refused": True}, mod), 204)
        eq(api(srv, "GET", "/api/v1/users/api_mod/gifts").json()["gifts"], [], "refused gifts leave the list")
        status(api(srv, "POST", "/api/v1/collections/api_swap/reveal", {"creators": True}, mod), 204)
        eq(api(srv, "GET", "/api/v1/works/%d" % wid).json()["creators"], [{"name": "api_writer"}], "revealed")

        # Items by API: remove; then the owner deletes the collection.
        status(api(srv, "POST", "/api/v1/collections/api_swap/items/%d" % wid, {"action": "remove"}, writer), 204)
        status(api(srv, "POST", "/api/v1/collections/api_swap/items", {"work_id": wid}, writer), 204)
        status(api(srv, "DELETE", "/api/v1/collections/api_swap", token=writer), 403)
        status(api(srv, "DELETE", "/api/v1/collections/api_swap", token=mod), 204)


def json_text(o):
    import json
    return json.dumps(o)


if __name__ == "__main__":
    raise SystemExit(main(globals()))
