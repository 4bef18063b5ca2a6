"""The authorization matrix's rows for collections, gifts, gift exchanges and prompt memes (test_authz_matrix.py reads
them), with the roles they are about: a collection's owner, moderator and participant (a member), a work's creator,
a gift's recipient, and a user the owner and the recipient blocked, beside the guest and an unrelated reader.

The fixture: collection {COLL} (open, not moderated) owned by the owner, with the moderator and the participant;
the creator's work {CW} in it, a gift to the recipient ({GIFT}); the blocked user blocked by the owner and the
recipient; gift exchange {SWAP} and prompt meme {MEME} with the participant's prompt {PROMPT}. {fresh_coll} is a
new collection like {COLL} for rows that delete or change memberships; {fresh_prompt} a new prompt by the
participant ({fresh_claimed_prompt}: claimed by them)."""
import itertools

from quire_e2e import eq

# The collection's moderator is coll_moderator: "moderator" is the site's (test_authz_matrix.py). Suspended and banned
# accounts get the values test_authz_matrix.held_default gives them, unless a row names them.
COLLECTION_ROLES = ["guest", "reader", "owner", "coll_moderator", "participant", "creator", "recipient", "blocked",
                    "suspended", "banned"]
COLLECTION_ACCOUNTS = {"owner": "mx_owner", "coll_moderator": "mx_coll_moderator", "participant": "mx_participant",
                       "recipient": "mx_recipient", "blocked": "mx_coll_blocked"}
LOGIN = "login"


def c(guest, reader, owner, coll_moderator, participant, creator, recipient, blocked, suspended=None, banned=None):
    return dict(zip(COLLECTION_ROLES, (guest, reader, owner, coll_moderator, participant, creator, recipient, blocked,
                                       suspended, suspended if banned is None else banned)))


ALL_200 = c(200, 200, 200, 200, 200, 200, 200, 200)
MODS_ONLY_PAGE = c(LOGIN, 403, 200, 200, 403, 403, 403, 403)

COLLECTION_MATRIX = {
    # -- collections: pages --
    ("GET", "/collections"): ("/collections", None, ALL_200),
    ("GET", "/collections/new"): ("/collections/new", None, c(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/collections"): ("/collections", {"name": "", "title": ""}, c(LOGIN, 422, 422, 422, 422, 422, 422, 422)),
    ("GET", "/collections/:name"): ("/collections/{COLL}", None, ALL_200),
    ("POST", "/collections/:name"): ("/collections/{COLL}", {"title": ""}, c(LOGIN, 403, 422, 422, 403, 403, 403, 403)),
    ("GET", "/collections/:name/edit"): ("/collections/{COLL}/edit", None, MODS_ONLY_PAGE),
    ("POST", "/collections/:name/delete"): ("/collections/{fresh_coll}/delete", {}, c(LOGIN, 403, 303, 403, 403, 403, 403, 403)),
    ("GET", "/collections/:name/profile"): ("/collections/{COLL}/profile", None, ALL_200),
    ("GET", "/collections/:name/rules"): ("/collections/{COLL}/rules", None, ALL_200),
    ("GET", "/collections/:name/faq"): ("/collections/{COLL}/faq", None, ALL_200),
    ("GET", "/collections/:name/works"): ("/collections/{COLL}/works", None, ALL_200),
    ("GET", "/collections/:name/participants"): ("/collections/{COLL}/participants", None, ALL_200),
    ("GET", "/collections/:name/collections"): ("/collections/{COLL}/collections", None, ALL_200),
    ("POST", "/collections/:name/members"): ("/collections/{COLL}/members", {"user": "{BYSTANDER}", "role": "member"}, c(LOGIN, 403, 303, 303, 403, 403, 403, 403)),
    ("POST", "/collections/:name/join"): ("/collections/{fresh_coll}/join", {}, c(LOGIN, 303, 303, 303, 303, 303, 303, 403)),
    ("POST", "/collections/:name/leave"): ("/collections/{fresh_coll}/leave", {}, c(LOGIN, 303, 422, 303, 303, 303, 303, 303)),
    ("GET", "/collections/:name/items"): ("/collections/{COLL}/items", None, MODS_ONLY_PAGE),
    ("POST", "/collections/:name/items"): ("/collections/{COLL}/items", {"work": "{W}"}, c(LOGIN, 403, 303, 303, 403, 303, 403, 403)),
    ("POST", "/collections/:name/items/:id"): ("/collections/{COLL}/items/{CW}", {"action": "approve"}, c(LOGIN, 403, 303, 303, 403, 403, 403, 403)),
    ("POST", "/collections/:name/reveal"): ("/collections/{COLL}/reveal", {"what": "works"}, c(LOGIN, 403, 303, 303, 403, 403, 403, 403)),
    ("GET", "/works/:id/collections"): ("/works/{CW}/collections", None, c(LOGIN, 403, 403, 403, 403, 200, 403, 403)),
    ("POST", "/works/:id/collections"): ("/works/{CW}/collections", {"collection": "{COLL}"}, c(LOGIN, 403, 303, 303, 403, 303, 403, 403)),
    # -- gifts: pages --
    ("GET", "/users/:name/gifts"): ("/users/{RECIPIENT}/gifts", None, ALL_200),
    ("POST", "/gifts/:id/refuse"): ("/gifts/{GIFT}/refuse", {"refused": "0"}, c(LOGIN, 404, 404, 404, 404, 404, 303, 404)),
    # -- collections and gifts: the API --
    ("GET", "/api/v1/collections"): ("/api/v1/collections", None, ALL_200),
    ("POST", "/api/v1/collections"): ("/api/v1/collections", {}, c(401, 422, 422, 422, 422, 422, 422, 422)),
    ("GET", "/api/v1/collections/:name"): ("/api/v1/collections/{COLL}", None, ALL_200),
    ("PATCH", "/api/v1/collections/:name"): ("/api/v1/collections/{COLL}", {"title": ""}, c(401, 403, 422, 422, 403, 403, 403, 403)),
    ("DELETE", "/api/v1/collections/:name"): ("/api/v1/collections/{fresh_coll}", None, c(401, 403, 204, 403, 403, 403, 403, 403)),
    ("GET", "/api/v1/collections/:name/works"): ("/api/v1/collections/{COLL}/works", None, ALL_200),
    ("GET", "/api/v1/collections/:name/members"): ("/api/v1/collections/{COLL}/members", None, ALL_200),
    ("PUT", "/api/v1/collections/:name/members/:user"): ("/api/v1/collections/{COLL}/members/{BYSTANDER}", {"role": "member"}, c(401, 403, 204, 204, 403, 403, 403, 403)),
    ("DELETE", "/api/v1/collections/:name/members/:user"): ("/api/v1/collections/{COLL}/members/{BYSTANDER}", None, c(401, 403, 204, 204, 403, 403, 403, 403)),
    ("GET", "/api/v1/collections/:name/items"): ("/api/v1/collections/{COLL}/items", None, c(401, 403, 200, 200, 403, 403, 403, 403)),
    ("POST", "/api/v1/collections/:name/items"): ("/api/v1/collections/{COLL}/items", {"work_id": "{W}"}, c(401, 403, 204, 204, 403, 204, 403, 403)),
    ("POST", "/api/v1/collections/:name/items/:id"): ("/api/v1/collections/{COLL}/items/{CW}", {"action": "approve"}, c(401, 403, 204, 204, 403, 403, 403, 403)),
    ("POST", "/api/v1/collections/:name/reveal"): ("/api/v1/collections/{COLL}/reveal", {"works": True}, c(401, 403, 204, 204, 403, 403, 403, 403)),
    ("GET", "/api/v1/users/:name/gifts"): ("/api/v1/users/{RECIPIENT}/gifts", None, ALL_200),
    ("POST", "/api/v1/gifts/:id/refuse"): ("/api/v1/gifts/{GIFT}/refuse", {"refused": False}, c(401, 404, 404, 404, 404, 404, 204, 404)),
    # -- gift exchanges: {SWAP} with the participant, the creator and the recipient signed up, matched and sent;
    #    {ASG} the participant writes for the recipient --
    ("GET", "/collections/:name/exchange"): ("/collections/{SWAP}/exchange", None, MODS_ONLY_PAGE),
    ("POST", "/collections/:name/exchange"): ("/collections/{SWAP}/exchange", {"requests_min": "x"}, c(LOGIN, 403, 422, 422, 403, 403, 403, 403)),
    ("GET", "/collections/:name/signup"): ("/collections/{SWAP}/signup", None, ALL_200),
    ("POST", "/collections/:name/signup"): ("/collections/{SWAP}/signup", {}, c(LOGIN, 403, 403, 403, 403, 403, 403, 403)),
    ("POST", "/collections/:name/signup/delete"): ("/collections/{fresh_swap}/signup/delete", {}, c(LOGIN, 404, 404, 404, 303, 404, 404, 404)),
    ("GET", "/collections/:name/signups"): ("/collections/{SWAP}/signups", None, MODS_ONLY_PAGE),
    ("GET", "/collections/:name/signups/:id"): ("/collections/{SWAP}/signups/{SIGNUP}", None, c(LOGIN, 404, 200, 200, 200, 404, 404, 404)),
    ("GET", "/collections/:name/matching"): ("/collections/{SWAP}/matching", None, MODS_ONLY_PAGE),
    ("POST", "/collections/:name/matching"): ("/collections/{SWAP}/matching", {}, c(LOGIN, 403, 422, 422, 403, 403, 403, 403)),
    ("POST", "/collections/:name/assignments/send"): ("/collections/{SWAP}/assignments/send", {}, c(LOGIN, 403, 303, 303, 403, 403, 403, 403)),
    ("GET", "/collections/:name/assignments"): ("/collections/{SWAP}/assignments", None, c(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/collections/:name/assignments/:id"): ("/collections/{SWAP}/assignments/{ASG}", None, c(LOGIN, 404, 200, 200, 200, 404, 404, 404)),
    ("POST", "/collections/:name/assignments/:id"): ("/collections/{SWAP}/assignments/{ASG}", {"giver": "no_such_user_xyz"}, c(LOGIN, 403, 422, 422, 403, 403, 403, 403)),
    ("POST", "/collections/:name/assignments/:id/default"): ("/collections/{fresh_assignment}/default", {}, c(LOGIN, 404, 404, 404, 303, 404, 404, 404)),
    ("POST", "/collections/:name/assignments/:id/claim"): ("/collections/{fresh_pinch_hit}/claim", {}, c(LOGIN, 403, 303, 303, 303, 303, 403, 403)),
    ("GET", "/users/:name/assignments"): ("/users/{PARTICIPANT}/assignments", None, c(LOGIN, 403, 403, 403, 200, 403, 403, 403)),
    ("GET", "/api/v1/collections/:name/exchange"): ("/api/v1/collections/{SWAP}/exchange", None, ALL_200),
    ("PUT", "/api/v1/collections/:name/exchange"): ("/api/v1/collections/{SWAP}/exchange", {"requests": {"min": "x"}}, c(401, 403, 400, 400, 403, 403, 403, 403)),
    ("GET", "/api/v1/collections/:name/signup"): ("/api/v1/collections/{SWAP}/signup", None, c(401, 404, 404, 404, 200, 200, 200, 404)),
    ("PUT", "/api/v1/collections/:name/signup"): ("/api/v1/collections/{SWAP}/signup", {"requests": [], "offers": []}, c(401, 403, 403, 403, 403, 403, 403, 403)),
    ("DELETE", "/api/v1/collections/:name/signup"): ("/api/v1/collections/{fresh_swap}/signup", None, c(401, 404, 404, 404, 204, 404, 404, 404)),
    ("GET", "/api/v1/collections/:name/signups"): ("/api/v1/collections/{SWAP}/signups", None, c(401, 403, 200, 200, 403, 403, 403, 403)),
    ("POST", "/api/v1/collections/:name/matching"): ("/api/v1/collections/{SWAP}/matching", None, c(401, 403, 422, 422, 403, 403, 403, 403)),
    ("POST", "/api/v1/collections/:name/assignments/send"): ("/api/v1/collections/{SWAP}/assignments/send", None, c(401, 403, 204, 204, 403, 403, 403, 403)),
    ("GET", "/api/v1/collections/:name/assignments"): ("/api/v1/collections/{SWAP}/assignments", None, c(401, 403, 200, 200, 403, 403, 403, 403)),
    ("GET", "/api/v1/assignments"): ("/api/v1/assignments", None, c(401, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/assignments/:id"): ("/api/v1/assignments/{ASG}", None, c(401, 404, 200, 200, 200, 404, 404, 404)),
    ("PATCH", "/api/v1/assignments/:id"): ("/api/v1/assignments/{ASG}", {"giver": "no_such_user_xyz"}, c(401, 403, 422, 422, 403, 403, 403, 403)),
    ("POST", "/api/v1/assignments/:id/default"): ("/api/v1/assignments/{fresh_assignment_id}/default", None, c(401, 404, 404, 404, 204, 404, 404, 404)),
    ("POST", "/api/v1/assignments/:id/claim"): ("/api/v1/assignments/{fresh_pinch_hit_id}/claim", None, c(401, 403, 200, 200, 200, 200, 403, 403)),
    # -- prompt memes: {MEME} with {PROMPT}, a signed prompt by the participant --
    ("GET", "/collections/:name/prompts"): ("/collections/{MEME}/prompts", None, ALL_200),
    ("GET", "/collections/:name/prompts/new"): ("/collections/{MEME}/prompts/new", None, c(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/collections/:name/prompts"): ("/collections/{MEME}/prompts", {"title": ""}, c(LOGIN, 422, 422, 422, 422, 422, 422, 403)),
    ("GET", "/prompts/:id"): ("/prompts/{PROMPT}", None, ALL_200),
    ("POST", "/prompts/:id/delete"): ("/prompts/{fresh_prompt}/delete", {}, c(LOGIN, 403, 303, 303, 303, 403, 403, 403)),
    ("POST", "/prompts/:id/claim"): ("/prompts/{fresh_prompt}/claim", {}, c(LOGIN, 303, 303, 303, 303, 303, 303, 403)),
    ("POST", "/prompts/:id/unclaim"): ("/prompts/{fresh_claimed_prompt}/unclaim", {}, c(LOGIN, 404, 404, 404, 303, 404, 404, 404)),
    ("GET", "/users/:name/claims"): ("/users/{PARTICIPANT}/claims", None, c(LOGIN, 403, 403, 403, 200, 403, 403, 403)),
    ("GET", "/api/v1/collections/:name/prompts"): ("/api/v1/collections/{MEME}/prompts", None, ALL_200),
    ("POST", "/api/v1/collections/:name/prompts"): ("/api/v1/collections/{MEME}/prompts", {"title": ""}, c(401, 422, 422, 422, 422, 422, 422, 403)),
    ("GET", "/api/v1/prompts/:id"): ("/api/v1/prompts/{PROMPT}", None, ALL_200),
    ("DELETE", "/api/v1/prompts/:id"): ("/api/v1/prompts/{fresh_prompt}", None, c(401, 403, 204, 204, 204, 403, 403, 403)),
    ("POST", "/api/v1/prompts/:id/claim"): ("/api/v1/prompts/{fresh_prompt}/claim", None, c(401, 204, 204, 204, 204, 204, 204, 403)),
    ("DELETE", "/api/v1/prompts/:id/claim"): ("/api/v1/prompts/{fresh_claimed_prompt}/claim", None, c(401, 404, 404, 404, 204, 404, 404, 404)),
    ("GET", "/api/v1/claims"): ("/api/v1/claims", None, c(401, 200, 200, 200, 200, 200, 200, 200)),
    # -- related works: {REL} links the participant's work to the creator's {CW} --
    ("GET", "/works/:id/related"): ("/works/{CW}/related", None, c(LOGIN, 403, 403, 403, 403, 200, 403, 403)),
    ("POST", "/works/:id/related/:rid"): ("/works/{CW}/related/{REL}", {"action": "approve"}, c(LOGIN, 403, 403, 403, 403, 303, 403, 403)),
    ("GET", "/api/v1/works/:id/related"): ("/api/v1/works/{CW}/related", None, c(401, 403, 403, 403, 403, 200, 403, 403)),
    ("POST", "/api/v1/works/:id/related/:rid"): ("/api/v1/works/{CW}/related/{REL}", {"approved": True}, c(401, 403, 403, 403, 403, 204, 403, 403)),
}

_names = itertools.count(1)


def new_collection(fx, name, **settings):
    r = fx.api("owner", "POST", "/api/v1/collections", dict({"name": name, "title": "Matrix %s" % name}, **settings))
    eq(r.status, 201, "collection: %s" % r.text)
    for who, role in (("coll_moderator", "moderator"), ("participant", "member")):
        r = fx.api("owner", "PUT", "/api/v1/collections/%s/members/%s" % (name, COLLECTION_ACCOUNTS[who]),
                   {"role": role})
        eq(r.status, 204, "member %s: %s" % (who, r.text))
    return name


def new_exchange(fx, name, signed_up=("participant", "creator", "recipient"), send=True):
    """A gift exchange owned by the owner with the moderator; the signed-up roles each offer and request Matrixland.
    Matched and sent (with send), the participant writing for the recipient. Returns (name, that assignment's id)."""
    new_collection(fx, name, challenge="gift_exchange")
    r = fx.api("owner", "PUT", "/api/v1/collections/%s/exchange" % name,
               {"opened": True, "tags": {"fandoms": {"tag_set": ["Matrixland"]}}})
    eq(r.status, 200, "exchange settings: %s" % r.text)
    for who in signed_up:
        r = fx.api(who, "PUT", "/api/v1/collections/%s/signup" % name,
                   {"requests": [{"fandoms": ["Matrixland"]}], "offers": [{"fandoms": ["Matrixland"]}]})
        eq(r.status, 200, "sign-up of %s: %s" % (who, r.text))
    if not send:
        return name, 0
    eq(fx.api("owner", "POST", "/api/v1/collections/%s/matching" % name).status, 200, "matching")
    drafts = fx.api("owner", "GET", "/api/v1/collections/%s/assignments?filter=drafts" % name).json()["assignments"]
    asg = next(a["id"] for a in drafts if a["recipient"] == COLLECTION_ACCOUNTS["recipient"])
    r = fx.api("owner", "PATCH", "/api/v1/assignments/%d" % asg, {"giver": COLLECTION_ACCOUNTS["participant"]})
    eq(r.status, 200, "giver: %s" % r.text)
    eq(fx.api("owner", "POST", "/api/v1/collections/%s/assignments/send" % name).status, 204, "send")
    return name, asg


def pinch_hit(fx, name):
    """A sent assignment its giver defaulted: open to pinch hitters."""
    swap, asg = new_exchange(fx, name)
    eq(fx.api("participant", "POST", "/api/v1/assignments/%d/default" % asg).status, 204, "default")
    return swap, asg


def new_prompt(fx, meme, claimed=False):
    """A signed prompt by the participant in meme (claimed by them with claimed); its id."""
    r = fx.api("participant", "POST", "/api/v1/collections/%s/prompts" % meme,
               {"title": "Matrix prompt", "tags": {"fandoms": ["Matrixland"]}})
    eq(r.status, 201, "prompt: %s" % r.text)
    pid = r.json()["id"]
    if claimed:
        eq(fx.api("participant", "POST", "/api/v1/prompts/%d/claim" % pid).status, 204, "claim")
    return pid


def collection_fixture(fx):
    """Adds the collection objects to fx.ids (after the base fixture is made)."""
    fx.ids["COLL"] = new_collection(fx, "mx_coll")
    fx.ids["RECIPIENT"] = COLLECTION_ACCOUNTS["recipient"]
    body = dict(fx.work_body(), title="Matrix Gift", coauthors=[], series=None, collections=["mx_coll"],
                gifts=[COLLECTION_ACCOUNTS["recipient"]])
    r = fx.api("creator", "POST", "/api/v1/works", body)
    eq(r.status, 201, "gift work: %s" % r.text)
    fx.ids["CW"] = r.json()["id"]
    gifts = fx.api("recipient", "GET", "/api/v1/users/%s/gifts" % COLLECTION_ACCOUNTS["recipient"]).json()["gifts"]
    fx.ids["GIFT"] = gifts[0]["id"]
    for who in ("owner", "recipient"):
        r = fx.api(who, "PUT", "/api/v1/blocks/%s" % COLLECTION_ACCOUNTS["blocked"])
        eq(r.status, 204, "block by %s: %s" % (who, r.text))
    fx.ids["PARTICIPANT"] = COLLECTION_ACCOUNTS["participant"]
    fx.ids["SWAP"], fx.ids["ASG"] = new_exchange(fx, "mx_swap")
    fx.ids["SIGNUP"] = fx.api("participant", "GET", "/api/v1/collections/mx_swap/signup").json()["id"]
    fx.ids["MEME"] = new_collection(fx, "mx_meme", challenge="prompt_meme")
    fx.ids["PROMPT"] = new_prompt(fx, "mx_meme")
    body = dict(fx.work_body(), title="Matrix Remix", coauthors=[], series=None,
                related=[{"kind": "inspired", "work_id": fx.ids["CW"]}])
    eq(fx.api("participant", "POST", "/api/v1/works", body).status, 201, "related work")
    back = fx.api("creator", "GET", "/api/v1/works/%d/related" % fx.ids["CW"]).json()["related_back"]
    fx.ids["REL"] = back[0]["id"]


def collection_makers(fx):
    """Fresh objects for rows that change or delete them."""
    def fresh(maker, form):
        def make():
            name, asg = maker(fx, "mx_fresh_%d" % next(_names))
            return form % {"name": name, "id": asg}
        return make
    return {"fresh_coll": lambda: new_collection(fx, "mx_fresh_%d" % next(_names)),
            "fresh_swap": lambda: new_exchange(fx, "mx_fresh_%d" % next(_names), ("participant",), send=False)[0],
            "fresh_assignment": fresh(new_exchange, "%(name)s/assignments/%(id)d"),
            "fresh_assignment_id": fresh(new_exchange, "%(id)d"),
            "fresh_pinch_hit": fresh(pinch_hit, "%(name)s/assignments/%(id)d"),
            "fresh_pinch_hit_id": fresh(pinch_hit, "%(id)d"),
            "fresh_prompt": lambda: new_prompt(fx, "mx_meme"),
            "fresh_claimed_prompt": lambda: new_prompt(fx, "mx_meme", claimed=True)}
