"""End-to-end: a prompt meme from prompt to fill (anonymous and signed prompts, tags and filters, claims and their
limits, a fill posted from the prompt's page into the meme, the prompter told, the work naming its prompt), and the
same through the API."""
import re

from quire_e2e import check, contains, eq, main, not_contains, status, Server
from test_collections import new_collection
from test_response import api, token_for
from test_works import user, work_fields, work_id_from


def post_prompt(c, meme, **over):
    f = {"title": "Lighthouse keepers", "fandoms": "Harbour Street (TV)", "characters": "", "relationships": "",
         "freeforms": "Fluff, Storms", "description": "Two keepers, one <em>storm</em>.", "anonymous": ""}
    f.update(over)
    c.get("/collections/%s/prompts/new" % meme)
    return c.post_form("/collections/%s/prompts" % meme, [(k, v) for k, v in f.items() if v is not None])


def prompt_id(r):
    m = re.search(r"/prompts/(\d+)", r.header("Location") or "")
    check(m is not None, "a prompt's address in %r" % r.header("Location"))
    return int(m.group(1))


def test_prompt_meme_from_prompt_to_fill():
    with Server() as srv:
        mod = user(srv, "meme_mod")
        status(new_collection(mod, "storm_meme", "Storm Meme", challenge="prompt_meme"), 303)
        contains(mod.get("/collections/storm_meme").text, 'href="/collections/storm_meme/prompts"')
        guest = srv.client()
        # Not a meme: no prompts there.
        status(new_collection(mod, "plain_coll", "Plain"), 303)
        status(guest.get("/collections/plain_coll/prompts"), 404)

        prompter = user(srv, "meme_prompter")
        r = post_prompt(prompter, "storm_meme", fandoms="")
        status(r, 422)
        contains(r.text, "Name a fandom at least.")
        contains(r.text, "Lighthouse keepers")  # kept
        r = post_prompt(prompter, "storm_meme", anonymous="1")
        status(r, 303)
        pid = prompt_id(r)
        contains(prompter.get(r.header("Location")).text, "Your prompt was posted.")
        pid2 = prompt_id(post_prompt(prompter, "storm_meme", title="Harbour ghosts", freeforms="Ghosts"))

        # An anonymous prompt names nobody but to its prompter and the moderators.
        page = guest.get("/prompts/%d" % pid).text
        contains(page, "Lighthouse keepers")
        contains(page, "Two keepers, one <em>storm</em>.")
        not_contains(page, "meme_prompter")
        contains(page, "by Anonymous")
        contains(guest.get("/prompts/%d" % pid2).text, "meme_prompter")
        listing = guest.get("/collections/storm_meme/prompts").text
        eq(listing.count(">meme_prompter<"), 1, "only the signed prompt names its prompter")
        contains(prompter.get("/prompts/%d" % pid).text, "meme_prompter")
        contains(mod.get("/prompts/%d" % pid).text, "meme_prompter")
        api_answer = api(srv, "GET", "/api/v1/prompts/%d" % pid).json()
        eq(api_answer["prompter"], None)
        eq(api_answer["tags"]["freeforms"], ["Fluff", "Storms"])

        # Filters: by tag, by state.
        page = guest.get("/collections/storm_meme/prompts?tag=Ghosts").text
        contains(page, "Harbour ghosts")
        not_contains(page, "Lighthouse keepers")
        contains(guest.get("/collections/storm_meme/prompts?state=unclaimed").text, "Lighthouse keepers")

        # A writer claims it; once only; their claims page lists it.
        writer = user(srv, "meme_writer")
        contains(guest.post_form("/prompts/%d/claim" % pid, [], csrf=False).header("Location") or "", "/login")
        r = writer.post_form("/prompts/%d/claim" % pid, [])
        status(r, 303)
        page = writer.get(r.header("Location")).text
        contains(page, "You claimed the prompt")
        contains(page, "meme_writer")
        status(writer.post_form("/prompts/%d/claim" % pid, []), 422)
        contains(writer.get("/users/meme_writer/claims").text, "Lighthouse keepers")
        status(prompter.get("/users/meme_writer/claims"), 403)
        page = guest.get("/collections/storm_meme/prompts?state=claimed").text
        contains(page, "Lighthouse keepers")
        not_contains(page, "Harbour ghosts")
        contains(guest.get("/collections/storm_meme/participants").text, "meme_writer")

        # Filling from the prompt's page: the form carries the prompt, its meme and its tags.
        form = writer.get("/works/new?prompt=%d" % pid).text
        contains(form, 'name="prompt" value="%d"' % pid)
        contains(form, "storm_meme")
        contains(form, "Fluff, Storms")
        bad = writer.post_form("/works", work_fields(title="Bad Fill", prompt="999999", collections=""))
        status(bad, 422)
        contains(bad.text, "There is no such prompt.")
        r = writer.post_form("/works", work_fields(title="The Lamp Room", prompt=str(pid), collections=""))
        wid = work_id_from(r)
        page = guest.get("/works/%d" % wid).text
        contains(page, "In response to an anonymous prompt")
        contains(page, 'href="/prompts/%d"' % pid)
        contains(page, 'href="/collections/storm_meme"')
        not_contains(page, "meme_prompter")
        contains(guest.get("/collections/storm_meme/works").text, "The Lamp Room")
        page = guest.get("/prompts/%d" % pid).text
        contains(page, "The Lamp Room")
        contains(page, "(filled)")
        contains(guest.get("/collections/storm_meme/prompts?state=filled").text, "Lighthouse keepers")
        contains(prompter.get("/inbox").text, "Your prompt Lighthouse keepers was filled: The Lamp Room")
        contains(writer.get("/users/meme_writer/claims").text, 'href="/works/%d"' % wid)
        work = api(srv, "GET", "/api/v1/works/%d" % wid).json()
        eq([p["id"] for p in work["prompts"]], [pid])
        eq(work["prompts"][0]["prompter"], None)

        # A signed prompt is named on its fill.
        wid2 = work_id_from(writer.post_form("/works", work_fields(title="Ghost Light", prompt=str(pid2),
                                                                   collections="")))
        contains(guest.get("/works/%d" % wid2).text, "In response to a prompt by")

        # Giving a claim up; deleting: the prompter or a moderator, nobody else.
        writer.post_form("/prompts/%d/claim" % pid2, [])
        status(writer.post_form("/prompts/%d/unclaim" % pid2, []), 303)
        status(writer.post_form("/prompts/%d/unclaim" % pid2, []), 404)
        status(writer.post_form("/prompts/%d/delete" % pid2, []), 403)
        status(prompter.post_form("/prompts/%d/delete" % pid2, []), 303)
        status(guest.get("/prompts/%d" % pid2), 404)
        status(guest.get("/works/%d" % wid2), 200)  # the work stays
        not_contains(guest.get("/works/%d" % wid2).text, "In response to")

        # A closed meme takes prompts and claims from its moderators only.
        r = mod.get("/collections/storm_meme/edit")
        status(mod.post_form("/collections/storm_meme", {
            "title": "Storm Meme", "parent": "", "description": "", "intro": "", "rules": "", "faq": "",
            "reveal_at": "", "reveal_creators_at": "", "challenge": "prompt_meme", "closed": "1"}), 303)
        status(post_prompt(prompter, "storm_meme", title="Closed now"), 403)
        status(post_prompt(mod, "storm_meme", title="Mods may"), 303)


def test_prompt_meme_api():
    with Server() as srv:
        mod = user(srv, "api_meme_mod")
        status(new_collection(mod, "api_meme", "API Meme", challenge="prompt_meme", anonymous="1"), 303)
        user(srv, "api_prompter")
        user(srv, "api_writer")
        pt, wt = token_for(srv, "api_prompter"), token_for(srv, "api_writer")
        r = api(srv, "POST", "/api/v1/collections/api_meme/prompts",
                {"title": "Tea", "tags": {"fandoms": ["Harbour Street (TV)"], "freeforms": "Tea, Rain"},
                 "description": "Rain and tea.", "anonymous": True}, pt)
        status(r, 201)
        p = r.json()
        eq(p["prompter"], "api_prompter")  # their own
        eq(p["tags"]["freeforms"], ["Tea", "Rain"])
        status(api(srv, "POST", "/api/v1/collections/api_meme/prompts", {"title": "No fandom"}, pt), 422)
        status(api(srv, "POST", "/api/v1/collections/api_meme/prompts", {"title": "Guest",
                                                                        "tags": {"fandoms": ["X"]}}), 401)
        status(api(srv, "POST", "/api/v1/collections/api_meme/prompts", {"title": 5}, pt), 400)
        lst = api(srv, "GET", "/api/v1/collections/api_meme/prompts?state=unclaimed").json()
        eq([x["id"] for x in lst["prompts"]], [p["id"]])
        eq(lst["prompts"][0]["prompter"], None)
        status(api(srv, "GET", "/api/v1/collections/api_meme/prompts?state=nope"), 400)
        status(api(srv, "POST", "/api/v1/prompts/%d/claim" % p["id"], {}, wt), 204)
        status(api(srv, "POST", "/api/v1/prompts/%d/claim" % p["id"], {}, wt), 409)
        # The meme hides its writers: claims are counted, not named, but to the claimer and the moderators.
        got = api(srv, "GET", "/api/v1/prompts/%d" % p["id"]).json()
        eq(got["claims"], [])
        eq(got["claims_count"], 1)
        eq(got["claims_named"], False)
        eq([c["user"] for c in api(srv, "GET", "/api/v1/prompts/%d" % p["id"], token=wt).json()["claims"]],
           ["api_writer"])
        not_contains(srv.client().get("/prompts/%d" % p["id"]).text, "api_writer")
        claims = api(srv, "GET", "/api/v1/claims", token=wt).json()["claims"]
        eq([c["prompt_id"] for c in claims], [p["id"]])
        body = {"title": "Rainy Tea", "fandoms": ["Harbour Street (TV)"], "rating": "General Audiences",
                "warnings": ["No Archive Warnings Apply"], "language": "English", "prompt": p["id"],
                "chapter": {"content": "Rain. Tea.", "format": "text"}}
        r = api(srv, "POST", "/api/v1/works", body, wt)
        status(r, 201)
        work = r.json()
        eq([x["id"] for x in work["prompts"]], [p["id"]])
        eq([c["name"] for c in work["collections"]], ["api_meme"])
        eq(api(srv, "GET", "/api/v1/claims", token=wt).json()["claims"][0]["work_id"], work["id"])
        eq(api(srv, "GET", "/api/v1/prompts/%d" % p["id"]).json()["fills"][0]["work_id"], work["id"])
        status(api(srv, "DELETE", "/api/v1/prompts/%d/claim" % p["id"], token=wt), 204)
        status(api(srv, "DELETE", "/api/v1/prompts/%d" % p["id"], token=wt), 403)
        status(api(srv, "DELETE", "/api/v1/prompts/%d" % p["id"], token=pt), 204)
        status(api(srv, "GET", "/api/v1/prompts/%d" % p["id"]), 404)


if __name__ == "__main__":
    main(globals())
