/* PostgreSQL backend: prompt memes (prompts with their tags, claims, fills) and related works (as sqlite/prompt.c
 * and sqlite/related.c). */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/tagname.h"
#include <string.h>

#define LIST_MAX 200
#define RELATIONS_MAX 50

#define PROMPT_COLS "p.id, p.collection_id, coalesce(p.user_id, 0), p.anonymous, p.title, p.description," \
	" p.description_html, p.claims_count, p.fills_count, p.created_at, u.name, c.name, c.title" \
	" FROM prompts p JOIN collections c ON c.id = p.collection_id LEFT JOIN users u ON u.id = p.user_id"
#define PROMPT_CLAIM_COLS "pc.prompt_id, pc.user_id, u.name, pc.created_at, coalesce(pc.work_id, 0), p.title, c.name" \
	" FROM prompt_claims pc JOIN users u ON u.id = pc.user_id JOIN prompts p ON p.id = pc.prompt_id" \
	" JOIN collections c ON c.id = p.collection_id"
#define PROMPT_FILL_COLS "f.prompt_id, f.work_id, coalesce(f.user_id, 0), f.created_at, w.title," \
	" w.draft = 0 AND w.unrevealed = 0, w.restricted, p.title, u.name, c.name, c.title, p.anonymous," \
	" coalesce(p.user_id, 0) FROM prompt_fills f JOIN works w ON w.id = f.work_id JOIN prompts p ON p.id = f.prompt_id" \
	" JOIN collections c ON c.id = p.collection_id LEFT JOIN users u ON u.id = p.user_id"

static struct pg_stmt PROMPT_INSERT = PG_STMT("INSERT INTO prompts(collection_id, user_id, anonymous, title,"
	" description, description_html, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
static struct pg_stmt PROMPT_TAG_ADD = PG_STMT("INSERT INTO prompt_tags(prompt_id, tag_id, dim, position)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
static struct pg_stmt PROMPT_GET = PG_STMT("SELECT " PROMPT_COLS " WHERE p.id = $1");
static struct pg_stmt PROMPT_TAGS = PG_STMT("SELECT pt.dim, t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id"
	" WHERE pt.prompt_id = $1 ORDER BY pt.dim, pt.position");
static struct pg_stmt PROMPT_COLLECTION = PG_STMT("SELECT collection_id FROM prompts WHERE id = $1");
static struct pg_stmt PROMPT_FILL_WORKS = PG_STMT("SELECT work_id FROM prompt_fills WHERE prompt_id = $1");
static struct pg_stmt PROMPT_DELETE = PG_STMT("DELETE FROM prompts WHERE id = $1");
/* $4: enum prompt_state; $5: a tag's folded name (core/tagname.h) or ''. */
static struct pg_stmt PROMPTS_LIST = PG_STMT("SELECT " PROMPT_COLS " WHERE p.collection_id = $1"
	" AND ($2::bigint = 0 OR p.id < $2::bigint) AND ($3::bigint = 0 OR p.user_id = $3::bigint)"
	" AND ($4::int = 0 OR ($4::int = 1 AND p.fills_count = 0) OR ($4::int = 2 AND p.fills_count > 0)"
	" OR ($4::int = 3 AND p.claims_count = 0) OR ($4::int = 4 AND p.claims_count > 0))"
	" AND ($5 = '' OR EXISTS (SELECT 1 FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id"
	" WHERE pt.prompt_id = p.id AND t.norm = $5)) ORDER BY p.id DESC LIMIT $6");
static struct pg_stmt PROMPTS_COUNT = PG_STMT("SELECT count(*) FROM prompts WHERE collection_id = $1"
	" AND ($2::bigint = 0 OR user_id = $2::bigint)");
static struct pg_stmt PROMPT_CLAIM = PG_STMT("INSERT INTO prompt_claims(prompt_id, user_id, created_at)"
	" VALUES ($1, $2, $3)");
static struct pg_stmt PROMPT_CLAIMED = PG_STMT("SELECT count(*) FROM prompt_claims WHERE prompt_id = $1"
	" AND user_id = $2");
static struct pg_stmt PROMPT_UNCLAIM = PG_STMT("DELETE FROM prompt_claims WHERE prompt_id = $1 AND user_id = $2");
static struct pg_stmt PROMPT_CLAIMS = PG_STMT("SELECT " PROMPT_CLAIM_COLS " WHERE pc.prompt_id = $1"
	" ORDER BY pc.created_at, pc.user_id LIMIT 500");
static struct pg_stmt PROMPT_CLAIMS_USER = PG_STMT("SELECT " PROMPT_CLAIM_COLS " WHERE pc.user_id = $1"
	" AND ($2::bigint = 0 OR p.collection_id = $2::bigint) ORDER BY pc.created_at DESC, pc.prompt_id DESC LIMIT 500");
static struct pg_stmt PROMPT_FILL_INSERT = PG_STMT("INSERT INTO prompt_fills(prompt_id, work_id, user_id, created_at)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
static struct pg_stmt PROMPT_CLAIM_FULFILL = PG_STMT("UPDATE prompt_claims SET work_id = $3 WHERE prompt_id = $1"
	" AND user_id = $2 AND work_id IS NULL");
static struct pg_stmt PROMPT_FILLS = PG_STMT("SELECT " PROMPT_FILL_COLS " WHERE f.prompt_id = $1"
	" ORDER BY f.created_at, f.work_id LIMIT 500");
static struct pg_stmt WORK_PROMPTS = PG_STMT("SELECT " PROMPT_FILL_COLS " WHERE f.work_id = $1"
	" ORDER BY f.created_at, f.prompt_id LIMIT 50");

int pgs_prompt_create(struct store *st, const struct prompt *p, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!p || p->collection_id <= 0 || p->user_id <= 0 || !p->title)
		return pgs_refuse(s, Q_EINVAL);
	int64_t pid = 0;
	PG_WRITE(s, c, rc) {
		rc = pgs_query_int(c, &pid, &PROMPT_INSERT, "IIisssI", p->collection_id, p->user_id, (int)p->anonymous, p->title,
		                   p->description.src, p->description.html, pgs_now());
		for (int d = 0; d < EXCHANGE_DIMS && rc == 0; d++)
			for (size_t k = 0; k < p->tags[d].n && rc == 0; k++) {
				int64_t tid = 0;
				rc = pgs_tag_id(c, store_exchange_tag_type[d], p->tags[d].items[k], &tid, NULL);
				if (rc == 0)
					rc = pgs_exec(c, &PROMPT_TAG_ADD, "IIii", pid, tid, d, (int)k);
			}
		pgs_note(s, STORE_CHANGE_COLLECTION, p->collection_id);
	}
	if (rc == 0 && id)
		*id = pid;
	return rc;
}

static void prompt_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct prompt *p = item;
	memset(p, 0, sizeof *p);
	p->id = pgs_int(r, row, 0);
	p->collection_id = pgs_int(r, row, 1);
	p->user_id = pgs_int(r, row, 2);
	p->anonymous = pgs_int(r, row, 3) != 0;
	p->title = pgs_text(a, r, row, 4);
	p->description = (struct text){pgs_text(a, r, row, 5), pgs_text(a, r, row, 6)};
	p->claims_count = pgs_int(r, row, 7);
	p->fills_count = pgs_int(r, row, 8);
	p->created_at = pgs_int(r, row, 9);
	p->user_name = pgs_text(a, r, row, 10);
	p->collection_name = pgs_text(a, r, row, 11);
	p->collection_title = pgs_text(a, r, row, 12);
}

int pgs_prompt_get(struct store *st, struct arena *a, int64_t id, struct prompt *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &PROMPT_GET, &rc, "I", id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			prompt_row(a, r, 0, out);
		PQclear(r);
		if (rc == 0)
			r = pgs_query(c, &PROMPT_TAGS, &rc, "I", id);
		size_t cap[EXCHANGE_DIMS] = {0};
		for (int row = 0; rc == 0 && r && row < PQntuples(r); row++) {
			int d = (int)pgs_int(r, row, 0);
			if (d < 0 || d >= EXCHANGE_DIMS)
				continue;
			struct strlist *l = &out->tags[d];
			l->items = pgs_grow(a, (void *)l->items, l->n, &cap[d], sizeof *l->items);
			l->items[l->n++] = pgs_text(a, r, row, 1);
		}
		if (rc == 0)
			PQclear(r);
	}
	return rc;
}

int pgs_prompt_delete(struct store *st, int64_t id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t cid = 0;
		rc = pgs_query_int(c, &cid, &PROMPT_COLLECTION, "I", id);
		/* The works that fill it name it on their pages. */
		PGresult *r = rc == 0 ? pgs_query(c, &PROMPT_FILL_WORKS, &rc, "I", id) : NULL;
		for (int row = 0; r && row < PQntuples(r); row++)
			pgs_note(s, STORE_CHANGE_WORK, pgs_int(r, row, 0));
		PQclear(r);
		if (rc == 0)
			rc = pgs_exec(c, &PROMPT_DELETE, "I", id);
		pgs_note(s, STORE_CHANGE_COLLECTION, cid);
	}
	return rc;
}

int pgs_prompts_list(struct store *st, struct arena *a, const struct prompt_query *q, struct prompt **out, size_t *n)
{
	int lim = q->limit > 0 && q->limit <= LIST_MAX ? q->limit : 50;
	int state = q->state >= PROMPTS_ALL && q->state <= PROMPTS_CLAIMED ? q->state : PROMPTS_ALL;
	struct arena *t = arena_new();
	char *norm = NULL;
	const char *tag = "";
	if (q->tag && *q->tag)
		tag = tagname_norm(t, q->tag, strlen(q->tag), &norm) == 0 ? norm : "\x01"; /* invalid text: no tag */
	int rc = pgs_read_rows(st, a, sizeof **out, prompt_row, out, n, &PROMPTS_LIST, "IIIisi", q->collection_id,
	                       q->before_id, q->user_id, state, tag, lim);
	arena_free(t);
	return rc;
}

int pgs_prompts_count(struct store *st, int64_t collection_id, int64_t user_id, int64_t *count)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, count, &PROMPTS_COUNT, "II", collection_id, user_id);
	}
	return rc;
}

int pgs_prompt_claim(struct store *st, int64_t prompt_id, int64_t user_id, bool on)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t cid = 0, had = 0;
		rc = pgs_query_int(c, &cid, &PROMPT_COLLECTION, "I", prompt_id);
		if (rc == 0)
			rc = pgs_query_int(c, &had, &PROMPT_CLAIMED, "II", prompt_id, user_id);
		if (rc == 0 && on)
			rc = had ? Q_EEXIST : pgs_exec(c, &PROMPT_CLAIM, "III", prompt_id, user_id, pgs_now());
		else if (rc == 0)
			rc = !had ? Q_ENOTFOUND : pgs_exec(c, &PROMPT_UNCLAIM, "II", prompt_id, user_id);
		pgs_note(s, STORE_CHANGE_COLLECTION, cid);
	}
	return rc;
}

static void claim_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct prompt_claim *x = item;
	x->prompt_id = pgs_int(r, row, 0);
	x->user_id = pgs_int(r, row, 1);
	x->user_name = pgs_text(a, r, row, 2);
	x->created_at = pgs_int(r, row, 3);
	x->work_id = pgs_int(r, row, 4);
	x->prompt_title = pgs_text(a, r, row, 5);
	x->collection_name = pgs_text(a, r, row, 6);
}

int pgs_prompt_claims(struct store *st, struct arena *a, int64_t prompt_id, int64_t collection_id, int64_t user_id,
                      struct prompt_claim **out, size_t *n)
{
	if (prompt_id)
		return pgs_read_rows(st, a, sizeof **out, claim_row, out, n, &PROMPT_CLAIMS, "I", prompt_id);
	return pgs_read_rows(st, a, sizeof **out, claim_row, out, n, &PROMPT_CLAIMS_USER, "II", user_id, collection_id);
}

int pgs_prompt_fill(struct store *st, int64_t prompt_id, int64_t work_id, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t cid = 0;
		rc = pgs_query_int(c, &cid, &PROMPT_COLLECTION, "I", prompt_id);
		if (rc == 0)
			rc = pgs_exec(c, &PROMPT_FILL_INSERT, "IIII", prompt_id, work_id, user_id, pgs_now());
		if (rc == 0)
			rc = pgs_exec(c, &PROMPT_CLAIM_FULFILL, "III", prompt_id, user_id, work_id);
		pgs_note(s, STORE_CHANGE_COLLECTION, cid);
		pgs_note(s, STORE_CHANGE_WORK, work_id);
	}
	return rc;
}

static void fill_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct prompt_fill *f = item;
	f->prompt_id = pgs_int(r, row, 0);
	f->work_id = pgs_int(r, row, 1);
	f->user_id = pgs_int(r, row, 2);
	f->created_at = pgs_int(r, row, 3);
	f->work_title = pgs_text(a, r, row, 4);
	f->work_listed = pgs_int(r, row, 5) != 0;
	f->work_restricted = pgs_int(r, row, 6) != 0;
	f->prompt_title = pgs_text(a, r, row, 7);
	f->prompter_name = pgs_text(a, r, row, 8);
	f->collection_name = pgs_text(a, r, row, 9);
	f->collection_title = pgs_text(a, r, row, 10);
	f->prompt_anonymous = pgs_int(r, row, 11) != 0;
	f->prompter_id = pgs_int(r, row, 12);
}

int pgs_prompt_fills(struct store *st, struct arena *a, int64_t prompt_id, int64_t work_id, struct prompt_fill **out,
                     size_t *n)
{
	if (prompt_id)
		return pgs_read_rows(st, a, sizeof **out, fill_row, out, n, &PROMPT_FILLS, "I", prompt_id);
	return pgs_read_rows(st, a, sizeof **out, fill_row, out, n, &WORK_PROMPTS, "I", work_id);
}

/* ---- Related works ------------------------------------------------------------------------------------------ */

/* A relation with the other work of the pair (joined as o) and its owner. */
#define RELATION_COLS(O) "r.id, r.work_id, r.kind, coalesce(r.parent_id, 0), r.url, r.title, r.author, r.approved," \
	" r.created_at, o.title, ou.name, coalesce(oc.user_id, 0), o.draft = 0 AND o.unrevealed = 0, o.restricted," \
	" o.anonymous FROM work_relations r LEFT JOIN works o ON o.id = " O \
	" LEFT JOIN work_creators oc ON oc.work_id = o.id AND oc.position = 0 LEFT JOIN users ou ON ou.id = oc.user_id"

static struct pg_stmt REL_OLD = PG_STMT("SELECT id, coalesce(parent_id, 0) FROM work_relations WHERE work_id = $1"
	" ORDER BY position, id");
static struct pg_stmt REL_DELETE = PG_STMT("DELETE FROM work_relations WHERE id = $1");
static struct pg_stmt REL_KEEP = PG_STMT("UPDATE work_relations SET kind = $2, position = $3 WHERE id = $1");
static struct pg_stmt REL_INSERT = PG_STMT("INSERT INTO work_relations(work_id, kind, parent_id, url, title, author,"
	" position, approved, created_at) VALUES ($1, $2, NULLIF($3::bigint, 0), $4, $5, $6, $7, 0, $8)");
static struct pg_stmt REL_OF = PG_STMT("SELECT " RELATION_COLS("r.parent_id") " WHERE r.work_id = $1"
	" ORDER BY r.position LIMIT 50");
static struct pg_stmt REL_TO = PG_STMT("SELECT " RELATION_COLS("r.work_id") " WHERE r.parent_id = $1"
	" AND ($2::int = 1 OR r.approved = 1) ORDER BY r.id DESC LIMIT 500");
static struct pg_stmt REL_APPROVE = PG_STMT("UPDATE work_relations SET approved = $3 WHERE id = $1 AND parent_id = $2");
static struct pg_stmt REL_CHILD = PG_STMT("SELECT work_id FROM work_relations WHERE id = $1");

int pgs_relations_set(struct store *st, int64_t work_id, const struct work_relation *r, size_t n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (n > RELATIONS_MAX || (n && !r))
		return pgs_refuse(s, Q_EINVAL);
	for (size_t i = 0; i < n; i++)
		if (r[i].kind < 0 || r[i].kind >= RELATION_KINDS || (!r[i].parent_id && (!r[i].url || !*r[i].url)) ||
		    r[i].parent_id == work_id)
			return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		/* The links there were: a parent kept keeps its row (its id, its approval; nobody is told again). */
		struct old {
			int64_t id, parent;
			bool kept;
		} old[RELATIONS_MAX + 1];
		size_t nold = 0;
		int64_t kept_id[RELATIONS_MAX + 1] = {0};
		PGresult *q = pgs_query(c, &REL_OLD, &rc, "I", work_id);
		for (int row = 0; q && row < PQntuples(q) && nold < RELATIONS_MAX + 1; row++) {
			old[nold] = (struct old){pgs_int(q, row, 0), pgs_int(q, row, 1), false};
			if (old[nold].parent)
				pgs_note(s, STORE_CHANGE_WORK, old[nold].parent);
			nold++;
		}
		PQclear(q);
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; r[i].parent_id && k < nold; k++)
				if (!old[k].kept && old[k].parent == r[i].parent_id) {
					old[k].kept = true;
					kept_id[i] = old[k].id;
					break;
				}
		for (size_t k = 0; k < nold && rc == 0; k++)
			if (!old[k].kept)
				rc = pgs_exec(c, &REL_DELETE, "I", old[k].id);
		int64_t now = pgs_now();
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (kept_id[i])
				rc = pgs_exec(c, &REL_KEEP, "Iii", kept_id[i], r[i].kind, (int)i);
			else
				rc = pgs_exec(c, &REL_INSERT, "IiIsssiI", work_id, r[i].kind, r[i].parent_id,
				              r[i].parent_id ? "" : r[i].url, r[i].parent_id || !r[i].title ? "" : r[i].title,
				              r[i].parent_id || !r[i].author ? "" : r[i].author, (int)i, now);
			if (r[i].parent_id)
				pgs_note(s, STORE_CHANGE_WORK, r[i].parent_id);
		}
		pgs_note(s, STORE_CHANGE_WORK, work_id);
	}
	return rc;
}

static void relation_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct work_relation *x = item;
	memset(x, 0, sizeof *x);
	x->id = pgs_int(r, row, 0);
	x->work_id = pgs_int(r, row, 1);
	x->kind = (int)pgs_int(r, row, 2);
	x->parent_id = pgs_int(r, row, 3);
	x->url = pgs_text(a, r, row, 4);
	x->title = pgs_text(a, r, row, 5);
	x->author = pgs_text(a, r, row, 6);
	x->approved = pgs_int(r, row, 7) != 0;
	x->created_at = pgs_int(r, row, 8);
	x->other_title = pgs_text(a, r, row, 9);
	x->other_creator = pgs_text(a, r, row, 10);
	x->other_owner_id = pgs_int(r, row, 11);
	x->other_listed = pgs_int(r, row, 12) != 0;
	x->other_restricted = pgs_int(r, row, 13) != 0;
	x->other_anonymous = pgs_int(r, row, 14) != 0;
}

int pgs_relations_of(struct store *st, struct arena *a, int64_t work_id, struct work_relation **out, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, relation_row, out, n, &REL_OF, "I", work_id);
}

int pgs_relations_to(struct store *st, struct arena *a, int64_t parent_id, bool with_pending,
                     struct work_relation **out, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, relation_row, out, n, &REL_TO, "Ii", parent_id, (int)with_pending);
}

int pgs_relation_approve(struct store *st, int64_t id, int64_t parent_id, bool approved)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &REL_APPROVE, "IIi", id, parent_id, (int)approved);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		int64_t child = 0;
		if (rc == 0)
			rc = pgs_query_int(c, &child, &REL_CHILD, "I", id);
		if (rc == 0) {
			pgs_note(s, STORE_CHANGE_WORK, parent_id);
			pgs_note(s, STORE_CHANGE_WORK, child);
		}
	}
	return rc;
}
