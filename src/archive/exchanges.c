/* Gift exchanges: settings and tag sets, sign-ups, matching through src/match, assignments from draft to gift. */
#include "archive/exchanges.h"
#include "archive/collections.h"
#include "archive/set.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/tagname.h"
#include "core/utf8.h"
#include "match/match.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const dim_keys[EXCHANGE_DIMS] = {"fandoms", "characters", "relationships", "freeforms"};
static const char *const dim_labels[EXCHANGE_DIMS] = {"Fandoms", "Characters", "Relationships", "Additional tags"};

const char *exchange_dim_key(int dim)
{
	return dim >= 0 && dim < EXCHANGE_DIMS ? dim_keys[dim] : "";
}

void exchange_defaults(struct exchange *x, int64_t collection_id)
{
	memset(x, 0, sizeof *x);
	x->collection_id = collection_id;
	x->requests_min = x->offers_min = 1;
	x->requests_max = x->offers_max = 3;
	static const int tmin[EXCHANGE_DIMS] = {1, 0, 0, 0}, tmax[EXCHANGE_DIMS] = {1, 4, 2, 5};
	memcpy(x->tags_min, tmin, sizeof tmin);
	memcpy(x->tags_max, tmax, sizeof tmax);
	x->match[EXCHANGE_FANDOM] = 1;
	x->allow_any[EXCHANGE_CHARACTER] = x->allow_any[EXCHANGE_RELATIONSHIP] = x->allow_any[EXCHANGE_FREEFORM] = true;
	x->instructions = (struct text){"", ""};
}

bool exchange_signups_open(const struct exchange *x, int64_t now)
{
	return x->signups_open && !x->sent_at && (!x->signups_open_at || now >= x->signups_open_at) &&
	       (!x->signups_close_at || now < x->signups_close_at);
}

int archive_exchange_load(struct store *st, struct arena *a, const struct user *u, const char *name,
                          struct collection *c, struct exchange *x, int *role)
{
	int rc = archive_collection_load(st, a, u, name, c, role);
	if (rc == 0 && c->challenge != CHALLENGE_GIFT_EXCHANGE)
		rc = Q_ENOTFOUND;
	if (rc == 0) {
		rc = store_exchange_get(st, a, c->id, x);
		if (rc == Q_ENOTFOUND) { /* settings never saved: the defaults */
			exchange_defaults(x, c->id);
			rc = 0;
		}
	}
	return rc;
}

/* ---- Settings ------------------------------------------------------------------------------------------- */

/* A whole number lo..hi from a form field (empty: def); a field error otherwise. */
static int number(struct arena *a, struct field_errors *e, const char *field, const char *s, int def, int lo, int hi)
{
	if (!s || !*s)
		return def;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi) {
		field_error(e, field, arena_printf(a, "Give a whole number from %d to %d.", lo, hi));
		return def;
	}
	return (int)v;
}

static int64_t date(struct arena *a, struct field_errors *e, const char *field, const char *s)
{
	int64_t t = collection_parse_time(s ? archive_trim(a, s) : "");
	if (t < 0) {
		field_error(e, field, "Give a date as 2026-12-24, or a date and time as 2026-12-24 18:00 (UTC).");
		return 0;
	}
	return t;
}

void exchange_tag_names(struct arena *a, struct field_errors *e, const char *field, const char *label, const char *text,
                      size_t max, struct strlist *out)
{
	char *t = arena_strdup(a, text ? text : "");
	for (char *p = t; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ',';
	struct strlist raw;
	archive_split_list(a, t, max + 1, &raw);
	out->items = arena_calloc(a, raw.n + 1, sizeof *out->items);
	out->n = 0;
	if (raw.n > max) {
		field_error(e, field, arena_printf(a, "%s: at most %zu, please.", label, max));
		return;
	}
	struct archive_set *seen = archive_set_new(a, raw.n);
	for (size_t i = 0; i < raw.n; i++) {
		const char *name = archive_clean_line(a, raw.items[i]);
		if (!utf8_valid(name, strlen(name))) {
			field_error(e, field, arena_printf(a, "%s contains invalid UTF-8.", label));
			return;
		}
		if (!*name || archive_text_invisible(name, strlen(name)))
			continue;
		if (utf8_length(name, strlen(name)) > TAG_NAME_MAX) {
			field_error(e, field, arena_printf(a, "%s: tags are at most %d characters (%s).", label, TAG_NAME_MAX,
			                                   archive_quote(a, name)));
			return;
		}
		if (archive_tag_forbidden_char(name)) {
			field_error(e, field, arena_printf(a, "%s: tags cannot contain " ARCHIVE_TAG_FORBIDDEN_SHOWN " (%s).",
			                                   label, archive_quote(a, name)));
			return;
		}
		if (archive_set_add_str(seen, name))
			out->items[out->n++] = name;
	}
}

int archive_exchange_settings(struct store *st, struct arena *a, const struct user *u, const char *name,
                              const struct exchange_input *in, struct field_errors *e)
{
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct exchange x;
	int role;
	rc = archive_exchange_load(st, a, u, name, &c, &x, &role);
	if (rc == 0 && !collection_can_moderate(role))
		rc = Q_EPERM;
	struct strlist sets[EXCHANGE_DIMS];
	memset(sets, 0, sizeof sets);
	if (rc == 0) {
		x.signups_open = in->signups_open;
		x.signups_open_at = date(a, e, "signups_open_at", in->signups_open_at);
		x.signups_close_at = date(a, e, "signups_close_at", in->signups_close_at);
		x.assignments_due_at = date(a, e, "assignments_due_at", in->assignments_due_at);
		x.requests_min = number(a, e, "requests_min", in->requests_min, 1, 0, EXCHANGE_ITEMS_MAX);
		x.requests_max = number(a, e, "requests_max", in->requests_max, 3, 1, EXCHANGE_ITEMS_MAX);
		x.offers_min = number(a, e, "offers_min", in->offers_min, 1, 0, EXCHANGE_ITEMS_MAX);
		x.offers_max = number(a, e, "offers_max", in->offers_max, 3, 1, EXCHANGE_ITEMS_MAX);
		if (x.requests_min > x.requests_max)
			field_error(e, "requests_min", "At least cannot be more than at most.");
		if (x.offers_min > x.offers_max)
			field_error(e, "offers_min", "At least cannot be more than at most.");
		for (int d = 0; d < EXCHANGE_DIMS; d++) {
			const char *k = dim_keys[d];
			x.tags_min[d] = number(a, e, arena_printf(a, "tags_min_%s", k), in->tags_min[d], x.tags_min[d], 0,
			                       EXCHANGE_ITEM_TAGS_MAX);
			x.tags_max[d] = number(a, e, arena_printf(a, "tags_max_%s", k), in->tags_max[d], x.tags_max[d], 0,
			                       EXCHANGE_ITEM_TAGS_MAX);
			x.match[d] = number(a, e, arena_printf(a, "match_%s", k), in->match[d], x.match[d], 0,
			                    EXCHANGE_ITEM_TAGS_MAX);
			x.allow_any[d] = in->allow_any[d];
			if (x.tags_min[d] > x.tags_max[d])
				field_error(e, arena_printf(a, "tags_min_%s", k), "At least cannot be more than at most.");
			if (in->tag_set[d])
				exchange_tag_names(a, e, arena_printf(a, "tag_set_%s", k), dim_labels[d], in->tag_set[d],
				          EXCHANGE_TAG_SET_MAX, &sets[d]);
		}
		archive_render_text(a, e, "instructions", "Instructions", in->instructions, EXCHANGE_INSTRUCTIONS_MAX,
		                    WORK_NOTES_ALLOW, &x.instructions);
		if (e->n)
			rc = Q_EINVAL;
	}
	if (rc == 0)
		rc = store_exchange_set(st, &x);
	for (int d = 0; rc == 0 && d < EXCHANGE_DIMS; d++)
		if (in->tag_set[d])
			rc = store_exchange_tags_set(st, c.id, d, sets[d].items, sets[d].n);
	return archive_tx_end(st, rc);
}

/* ---- Sign-ups ------------------------------------------------------------------------------------------- */

/* Builds one request or offer; false when it is blank (skipped). */
static bool build_item(struct store *st, struct arena *a, const struct exchange *x, const char *prefix, int kind,
                       const struct signup_item_input *in, struct signup_item *out, struct field_errors *e, int *rc)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	bool blank = !in->description || !*archive_trim(a, in->description);
	for (int d = 0; d < EXCHANGE_DIMS; d++)
		blank &= !in->any[d] && (!in->tags[d] || !*archive_trim(a, in->tags[d]));
	if (blank)
		return false;
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		const char *field = arena_printf(a, "%s_%s", prefix, dim_keys[d]);
		if (in->any[d]) {
			if (!x->allow_any[d])
				field_error(e, field, arena_printf(a, "%s: this exchange does not take \"any\".", dim_labels[d]));
			out->any_mask |= 1u << d;
			continue;
		}
		exchange_tag_names(a, e, field, dim_labels[d], in->tags[d], EXCHANGE_ITEM_TAGS_MAX, &out->tags[d]);
		size_t n = out->tags[d].n;
		if ((int)n < x->tags_min[d] || (int)n > x->tags_max[d]) {
			field_error(e, field, x->tags_min[d] == x->tags_max[d]
			                              ? arena_printf(a, "%s: name %d from the tag set%s.", dim_labels[d],
			                                             x->tags_min[d], x->allow_any[d] ? " (or choose any)" : "")
			                              : arena_printf(a, "%s: name %d to %d from the tag set%s.", dim_labels[d],
			                                             x->tags_min[d], x->tags_max[d],
			                                             x->allow_any[d] ? " (or choose any)" : ""));
			continue;
		}
		out->tag_ids[d] = arena_calloc(a, n + 1, sizeof *out->tag_ids[d]);
		if (n && (*rc = store_exchange_tags_find(st, x->collection_id, d, out->tags[d].items, n, out->tag_ids[d])))
			return true;
		const char *missing = NULL;
		for (size_t k = 0; k < n; k++)
			if (!out->tag_ids[d][k])
				missing = missing ? missing : out->tags[d].items[k];
		if (missing)
			field_error(e, field, arena_printf(a, "%s: %s is not in this exchange's tag set.", dim_labels[d],
			                                   archive_quote(a, missing)));
	}
	archive_render_text(a, e, arena_printf(a, "%s_description", prefix), "Description", in->description,
	                    EXCHANGE_DESCRIPTION_MAX, WORK_SUMMARY_ALLOW, &out->description);
	return true;
}

int archive_signup_save(struct store *st, struct arena *a, const struct user *u, const char *name,
                        const struct signup_input *in, struct field_errors *e)
{
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct exchange x;
	int role;
	rc = archive_exchange_load(st, a, u, name, &c, &x, &role);
	struct signup old;
	bool had = rc == 0 && store_signup_get(st, a, 0, c.id, u->id, &old) == 0;
	if (rc == 0 && !exchange_signups_open(&x, (int64_t)time(NULL))) {
		field_error(e, "signup", "Sign-ups for this exchange are closed.");
		rc = Q_EPERM;
	}
	if (rc == 0 && !had && role == COLLECTION_NOBODY && archive_collection_blocks(st, a, c.id, u->id, &rc)) {
		field_error(e, "signup", "You cannot sign up to this exchange.");
		rc = rc ? rc : Q_EPERM;
	}
	if (rc == 0 && !had && x.signups_count >= EXCHANGE_SIGNUPS_MAX) {
		field_error(e, "signup", arena_printf(a, "This exchange is full (%d sign-ups).", EXCHANGE_SIGNUPS_MAX));
		rc = Q_ETOOBIG;
	}
	if (rc == 0 && !had) {
		struct collection *mine;
		size_t n = 0;
		struct collection_query q = {.parent_id = -1, .open = -1, .challenge = CHALLENGE_GIFT_EXCHANGE,
		                             .member_id = u->id, .limit = 200};
		rc = store_collection_list(st, a, &q, &mine, &n);
		size_t signed_up = 0;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			struct signup s;
			signed_up += store_signup_get(st, a, 0, mine[i].id, u->id, &s) == 0;
		}
		if (rc == 0 && signed_up >= EXCHANGE_SIGNUPS_PER_USER) {
			field_error(e, "signup", arena_printf(a, "You are signed up to %d exchanges, the most at once.",
			                                      EXCHANGE_SIGNUPS_PER_USER));
			rc = Q_ETOOBIG;
		}
	}
	struct signup su;
	memset(&su, 0, sizeof su);
	if (rc == 0) {
		su.collection_id = c.id;
		su.user_id = u->id;
		su.pinch_hitter = in->pinch_hitter;
		su.items = arena_calloc(a, 2 * EXCHANGE_ITEMS_MAX + 2, sizeof *su.items);
		size_t nreq = 0, noff = 0;
		if (in->nrequests > EXCHANGE_ITEMS_MAX || in->noffers > EXCHANGE_ITEMS_MAX)
			field_error(e, "requests", arena_printf(a, "At most %d requests and %d offers.", EXCHANGE_ITEMS_MAX,
			                                        EXCHANGE_ITEMS_MAX));
		for (size_t i = 0; rc == 0 && i < in->nrequests && i < EXCHANGE_ITEMS_MAX; i++)
			if (build_item(st, a, &x, arena_printf(a, "request_%zu", i + 1), 0, &in->requests[i], &su.items[su.nitems],
			               e, &rc))
				su.nitems++, nreq++;
		for (size_t i = 0; rc == 0 && i < in->noffers && i < EXCHANGE_ITEMS_MAX; i++)
			if (build_item(st, a, &x, arena_printf(a, "offer_%zu", i + 1), 1, &in->offers[i], &su.items[su.nitems], e,
			               &rc))
				su.nitems++, noff++;
		if ((int)nreq < x.requests_min || (int)nreq > x.requests_max)
			field_error(e, "requests", arena_printf(a, "Make %d to %d requests.", x.requests_min, x.requests_max));
		if ((int)noff < x.offers_min || (int)noff > x.offers_max)
			field_error(e, "offers", arena_printf(a, "Make %d to %d offers.", x.offers_min, x.offers_max));
		if (rc == 0 && e->n)
			rc = Q_EINVAL;
	}
	/* Signing up joins the collection (its participants are those who signed up, and its members). */
	if (rc == 0 && role == COLLECTION_NOBODY)
		rc = store_collection_member_set(st, c.id, u->id, COLLECTION_MEMBER);
	if (rc == 0)
		rc = store_signup_save(st, &su, NULL);
	return archive_tx_end(st, rc);
}

int archive_signup_delete(struct store *st, struct arena *a, const struct user *u, const char *name, const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct exchange x;
	int role;
	rc = archive_exchange_load(st, a, u, name, &c, &x, &role);
	if (rc == 0 && !exchange_signups_open(&x, (int64_t)time(NULL))) {
		rc = Q_EPERM;
		*why = "Sign-ups are closed: ask the moderators to take you out of the exchange.";
	}
	if (rc == 0)
		rc = store_signup_delete(st, c.id, u->id);
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = rc == Q_ENOTFOUND ? "You are not signed up to this exchange." : "The sign-up could not be withdrawn.";
	return rc;
}

/* ---- Matching ------------------------------------------------------------------------------------------- */

struct exchange_compat {
	struct match_signup *signups;
	int64_t *ids;      /* sign-up ids, in the order of signups */
	size_t n;
	struct match_rules rules;
};

/* The matcher's view of every sign-up of the exchange. */
int exchange_compat_load(struct store *st, struct arena *a, int64_t collection_id, const struct exchange *x,
                         struct exchange_compat **out)
{
	struct signup_tags *list;
	size_t n;
	int rc = store_signups_for_matching(st, a, collection_id, &list, &n);
	if (rc)
		return rc;
	struct exchange_compat *cx = arena_calloc(a, 1, sizeof *cx);
	cx->signups = arena_calloc(a, n + 1, sizeof *cx->signups);
	cx->ids = arena_calloc(a, n + 1, sizeof *cx->ids);
	cx->n = n;
	for (int d = 0; d < EXCHANGE_DIMS && d < MATCH_DIMS; d++)
		cx->rules.required[d] = (uint32_t)(x->match[d] > 0 ? x->match[d] : 0);
	for (size_t i = 0; i < n; i++) {
		struct match_item *req = arena_calloc(a, list[i].nitems + 1, sizeof *req);
		struct match_item *off = arena_calloc(a, list[i].nitems + 1, sizeof *off);
		uint32_t nr = 0, no = 0;
		for (size_t k = 0; k < list[i].nitems; k++) {
			struct signup_tag_item *it = &list[i].items[k];
			struct match_item *m = it->kind ? &off[no++] : &req[nr++];
			for (int d = 0; d < EXCHANGE_DIMS && d < MATCH_DIMS; d++) {
				m->tags[d] = it->tags[d];
				m->ntags[d] = it->ntags[d];
			}
			match_item_normalize((uint32_t **)m->tags, m->ntags);
			m->any = (uint8_t)it->any_mask;
		}
		cx->signups[i] = (struct match_signup){req, nr, off, no};
		cx->ids[i] = list[i].signup_id;
	}
	*out = cx;
	return 0;
}

static size_t compat_index(const struct exchange_compat *cx, int64_t signup_id)
{
	size_t lo = 0, hi = cx->n; /* ids are in ascending order (sign-up order) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cx->ids[mid] < signup_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cx->n && cx->ids[lo] == signup_id ? lo : cx->n;
}

bool exchange_compatible(const struct exchange_compat *cx, int64_t giver_signup, int64_t recipient_signup)
{
	size_t g = compat_index(cx, giver_signup), r = compat_index(cx, recipient_signup);
	return g < cx->n && r < cx->n && g != r && match_compatible(&cx->signups[g], &cx->signups[r], &cx->rules);
}

int archive_exchange_match(struct store *st, struct arena *a, const struct user *u, const char *name,
                           struct exchange_match_report *out, const char **why)
{
	memset(out, 0, sizeof *out);
	*why = NULL;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct exchange x;
	int role;
	rc = archive_exchange_load(st, a, u, name, &c, &x, &role);
	if (rc == 0 && !collection_can_moderate(role)) {
		rc = Q_EPERM;
		*why = "Only the exchange's moderators run the matching.";
	}
	if (rc == 0 && x.sent_at) {
		rc = Q_EINVAL;
		*why = "The assignments were sent already: edit them one by one instead.";
	}
	struct exchange_compat *cx = NULL;
	if (rc == 0)
		rc = exchange_compat_load(st, a, c.id, &x, &cx);
	int32_t *giver = NULL;
	if (rc == 0) {
		giver = arena_calloc(a, cx->n + 1, sizeof *giver);
		struct match_result res = {.giver = giver};
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = match_run(cx->signups, cx->n, &cx->rules, (uint64_t)c.id * 0x9e3779b97f4a7c15ULL ^ (uint64_t)time(NULL),
		               &res);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc == Q_ETOOBIG)
			*why = "This exchange is too large or its requests too open to match within the limits.";
		out->signups = cx->n;
		out->matched = res.matched;
		out->unmatched = cx->n - res.matched;
		out->mutual = res.mutual;
		out->cover = res.cover;
		out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	}
	if (rc == 0) {
		int64_t (*pairs)[2] = arena_calloc(a, cx->n + 1, sizeof *pairs);
		for (size_t i = 0; i < cx->n; i++) {
			pairs[i][0] = cx->ids[i];
			pairs[i][1] = giver[i] >= 0 ? cx->ids[giver[i]] : 0;
		}
		rc = store_assignments_replace_drafts(st, c.id, (const int64_t(*)[2])pairs, cx->n);
	}
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = rc == Q_ENOTFOUND ? "There is no such exchange." : "The matching could not be saved.";
	return rc;
}

/* ---- Assignments ------------------------------------------------------------------------------------------- */

int archive_assignment_load(struct store *st, struct arena *a, const struct user *u, int64_t id,
                            struct assignment *out, int *role)
{
	*role = COLLECTION_NOBODY;
	if (!u || id <= 0)
		return Q_ENOTFOUND;
	int rc = store_assignment_get(st, a, id, out);
	if (rc == 0)
		rc = store_collection_member_role(st, out->collection_id, u->id, role);
	if (rc)
		return rc;
	bool open = out->sent_at && !out->giver_id && !out->fulfilled_work_id;
	bool giver = out->giver_id == u->id && out->sent_at;
	if (collection_can_moderate(*role) || giver || (open && *role >= COLLECTION_MEMBER && out->recipient_id != u->id))
		return 0;
	return Q_ENOTFOUND; /* recipients never learn who writes for them */
}

/* The moderators' own collection check for an assignment, inside a transaction. */
static int moderated_assignment(struct store *st, struct arena *a, const struct user *u, const char *name, int64_t id,
                                struct collection *c, struct assignment *out, const char **why)
{
	int role;
	int rc = archive_collection_load(st, a, u, name, c, &role);
	if (rc == 0)
		rc = store_assignment_get(st, a, id, out);
	if (rc == 0 && out->collection_id != c->id)
		rc = Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND)
		*why = "There is no such assignment.";
	if (rc == 0 && !collection_can_moderate(role)) {
		rc = Q_EPERM;
		*why = "Only the exchange's moderators change assignments.";
	}
	return rc;
}

int archive_assignment_edit(struct store *st, struct arena *a, const struct user *u, const char *name, int64_t id,
                            const char *giver, const char **why)
{
	*why = NULL;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct assignment x;
	rc = moderated_assignment(st, a, u, name, id, &c, &x, why);
	int64_t gid = 0, gsignup = 0;
	const char *gname = archive_trim(a, giver);
	if (rc == 0 && *gname) {
		struct user g;
		rc = store_user_get_by_name(st, a, gname, &g);
		if (rc == 0 && !strcmp(g.role, "orphan"))
			rc = Q_ENOTFOUND;
		if (rc == Q_ENOTFOUND) {
			rc = Q_EINVAL;
			*why = arena_printf(a, "There is no user named %s.", archive_quote(a, gname));
		} else if (rc == 0 && g.id == x.recipient_id) {
			rc = Q_EINVAL;
			*why = "Nobody writes their own gift.";
		} else if (rc == 0) {
			gid = g.id;
			struct signup su;
			if (store_signup_get(st, a, 0, c.id, g.id, &su) == 0)
				gsignup = su.id;
		}
	}
	if (rc == 0 && x.fulfilled_work_id) {
		rc = Q_EINVAL;
		*why = "That assignment is fulfilled already.";
	}
	if (rc == 0)
		rc = store_assignment_set_giver(st, id, gid, gsignup, x.sent_at && gid);
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = "The assignment could not be changed.";
	return rc;
}

int archive_assignments_send(struct store *st, struct arena *a, const struct user *u, const char *name,
                             const char **why)
{
	*why = NULL;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct exchange x;
	int role;
	rc = archive_exchange_load(st, a, u, name, &c, &x, &role);
	if (rc == 0 && !collection_can_moderate(role)) {
		rc = Q_EPERM;
		*why = "Only the exchange's moderators send its assignments.";
	}
	if (rc == 0 && !x.matched_at) {
		rc = Q_EINVAL;
		*why = "Run the matching first.";
	}
	if (rc == 0)
		rc = store_assignments_send(st, c.id);
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = "The assignments could not be sent.";
	return rc;
}

int archive_assignment_default(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	rc = store_assignment_default(st, id, u->id);
	rc = archive_tx_end(st, rc);
	if (rc)
		*why = rc == Q_ENOTFOUND ? "That is not an assignment of yours to give up." : "The assignment could not be changed.";
	(void)a;
	return rc;
}

int archive_assignment_claim(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct assignment x;
	int role;
	rc = store_assignment_get(st, a, id, &x);
	if (rc == 0)
		rc = store_collection_member_role(st, x.collection_id, u->id, &role);
	struct signup su;
	bool signed_up = rc == 0 && store_signup_get(st, a, 0, x.collection_id, u->id, &su) == 0;
	if (rc == 0 && !(x.sent_at && !x.giver_id && !x.fulfilled_work_id)) {
		rc = Q_EINVAL;
		*why = "That assignment is not open: someone writes it already.";
	} else if (rc == 0 && x.recipient_id == u->id) {
		rc = Q_EPERM;
		*why = "Nobody writes their own gift.";
	} else if (rc == 0 && role < COLLECTION_MEMBER && !signed_up) {
		rc = Q_EPERM;
		*why = "Join the exchange to take pinch hits.";
	}
	if (rc == 0) {
		int by = BLOCKED_BY_NOBODY;
		rc = store_user_blocked_by(st, u->id, 0, x.recipient_id, &by);
		if (rc == 0 && by != BLOCKED_BY_NOBODY) {
			rc = Q_EPERM;
			*why = "You cannot take this assignment.";
		}
	}
	if (rc == 0)
		rc = store_assignment_set_giver(st, id, u->id, signed_up ? su.id : 0, true);
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = rc == Q_ENOTFOUND ? "There is no such assignment." : "The assignment could not be taken.";
	return rc;
}

int archive_assignment_for_work(struct store *st, struct arena *a, const struct user *u, int64_t id,
                                struct assignment *out, struct field_errors *e)
{
	int rc = u ? store_assignment_get(st, a, id, out) : Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND || (rc == 0 && (out->giver_id != u->id || !out->sent_at))) {
		field_error(e, "assignment", "That is not an assignment of yours.");
		return 0;
	}
	if (rc == 0 && out->fulfilled_work_id)
		field_error(e, "assignment", "That assignment is fulfilled already.");
	return rc;
}

int archive_assignment_fulfill(struct store *st, int64_t id, int64_t work_id)
{
	return store_assignment_fulfill(st, id, work_id);
}
