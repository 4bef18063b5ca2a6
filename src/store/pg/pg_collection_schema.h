/* PostgreSQL schema of collections and gifts, gift exchanges, prompt memes and related works: the text of one
 * migration (appended to pg_migrate.c's list; never edited once released, a change is a new migration), the
 * equivalent of the SQLite backend's collection_schema.h and related_schema.h. Included by pg_migrate.c only,
 * after its T, ID, TRIGGER_FN, NOT_CREATOR, WANTS_MAIL and OWNER. */
#ifndef QUIRE_STORE_PG_PG_COLLECTION_SCHEMA_H
#define QUIRE_STORE_PG_PG_COLLECTION_SCHEMA_H

#define PGC_NOW "extract(epoch FROM now())::bigint"
/* Listed: posted and not hidden by an unrevealed collection. */
#define PGC_LISTED(W) "(" W ".draft = 0 AND " W ".unrevealed = 0)"

/* ---- Collections and gifts (SQLite's 20) ---------------------------------------------------------------
 * A work's anonymous and unrevealed flags say whether any collection it counts in hides its creators or itself;
 * the operations keep them. items_count: works approved on both sides. */
#define PGC_COLLECTIONS \
	"ALTER TABLE works ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;" \
	"ALTER TABLE works ADD COLUMN unrevealed INTEGER NOT NULL DEFAULT 0;" \
	"CREATE TABLE collections (" \
	" id" ID "," \
	" name" T " NOT NULL," \
	" title" T " NOT NULL," \
	" parent_id BIGINT REFERENCES collections(id) ON DELETE SET NULL," \
	" description" T " NOT NULL DEFAULT '', description_html" T " NOT NULL DEFAULT ''," \
	" intro" T " NOT NULL DEFAULT '', intro_html" T " NOT NULL DEFAULT ''," \
	" rules" T " NOT NULL DEFAULT '', rules_html" T " NOT NULL DEFAULT ''," \
	" faq" T " NOT NULL DEFAULT '', faq_html" T " NOT NULL DEFAULT ''," \
	" closed INTEGER NOT NULL DEFAULT 0," \
	" moderated INTEGER NOT NULL DEFAULT 0," \
	" unrevealed INTEGER NOT NULL DEFAULT 0," \
	" anonymous INTEGER NOT NULL DEFAULT 0," \
	" reveal_at BIGINT NOT NULL DEFAULT 0," \
	" reveal_creators_at BIGINT NOT NULL DEFAULT 0," \
	" challenge INTEGER NOT NULL DEFAULT 0," \
	" items_count BIGINT NOT NULL DEFAULT 0," \
	" created_at BIGINT NOT NULL," \
	" updated_at BIGINT NOT NULL);" \
	"CREATE UNIQUE INDEX collections_name ON collections (quire_nocase(name));" \
	"CREATE INDEX collections_parent ON collections(parent_id, quire_nocase(name)) WHERE parent_id IS NOT NULL;" \
	"CREATE INDEX collections_reveal ON collections(reveal_at) WHERE unrevealed = 1 AND reveal_at > 0;" \
	"CREATE INDEX collections_reveal_creators ON collections(reveal_creators_at)" \
	" WHERE anonymous = 1 AND reveal_creators_at > 0;" \
	"CREATE TABLE collection_members (" \
	" collection_id BIGINT NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" role INTEGER NOT NULL CHECK (role BETWEEN 0 AND 2)," \
	" created_at BIGINT NOT NULL," \
	" PRIMARY KEY (collection_id, user_id));" \
	"CREATE INDEX collection_members_user ON collection_members(user_id);" \
	"CREATE TABLE collection_items (" \
	" collection_id BIGINT NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" work_id BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" by_collection INTEGER NOT NULL DEFAULT 0 CHECK (by_collection BETWEEN -1 AND 1)," \
	" by_creator INTEGER NOT NULL DEFAULT 0 CHECK (by_creator BETWEEN -1 AND 1)," \
	" added_by BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" created_at BIGINT NOT NULL," \
	" PRIMARY KEY (collection_id, work_id));" \
	"CREATE INDEX collection_items_work ON collection_items(work_id);" \
	"CREATE INDEX collection_items_recent ON collection_items(collection_id, created_at);" \
	TRIGGER_FN("quire_collection_items_count", \
	" IF TG_OP = 'INSERT' THEN" \
	"  UPDATE collections SET items_count = items_count + 1 WHERE id = NEW.collection_id;" \
	" ELSIF TG_OP = 'DELETE' THEN" \
	"  UPDATE collections SET items_count = items_count - 1 WHERE id = OLD.collection_id;" \
	" ELSE" \
	"  UPDATE collections SET items_count = items_count" \
	"   + (CASE WHEN NEW.by_collection = 1 AND NEW.by_creator = 1 THEN 1 ELSE -1 END) WHERE id = NEW.collection_id;" \
	" END IF;") \
	"CREATE TRIGGER collection_items_count_ins AFTER INSERT ON collection_items FOR EACH ROW" \
	" WHEN (NEW.by_collection = 1 AND NEW.by_creator = 1) EXECUTE FUNCTION quire_collection_items_count();" \
	"CREATE TRIGGER collection_items_count_upd AFTER UPDATE OF by_collection, by_creator ON collection_items" \
	" FOR EACH ROW WHEN ((OLD.by_collection = 1 AND OLD.by_creator = 1) <> (NEW.by_collection = 1 AND" \
	" NEW.by_creator = 1)) EXECUTE FUNCTION quire_collection_items_count();" \
	"CREATE TRIGGER collection_items_count_del AFTER DELETE ON collection_items FOR EACH ROW" \
	" WHEN (OLD.by_collection = 1 AND OLD.by_creator = 1) EXECUTE FUNCTION quire_collection_items_count();" \
	"CREATE TABLE gifts (" \
	" id" ID "," \
	" work_id BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" user_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" name" T " NOT NULL," \
	" position INTEGER NOT NULL DEFAULT 0," \
	" refused INTEGER NOT NULL DEFAULT 0," \
	" created_at BIGINT NOT NULL);" \
	"CREATE UNIQUE INDEX gifts_work_name ON gifts(work_id, quire_nocase(name));" \
	"CREATE INDEX gifts_user ON gifts(user_id, id) WHERE user_id IS NOT NULL;" \
	"ALTER TABLE outbox ADD COLUMN ref_id BIGINT;"

/* ---- Visibility (SQLite's 21) -------------------------------------------------------------------------
 * Works not yet revealed are listed and counted nowhere; anonymous works' creators leave the search documents
 * and the creator sort order; notifications wait for the reveal, and gifts are announced when they can be seen
 * (outbox kind 7 (OUTBOX_GIFT), inbox kind 'gift'). */
#define PGC_VISIBILITY \
	"DROP INDEX works_by_updated, works_by_published, works_by_kudos, works_by_hits, works_by_comments," \
	" works_by_bookmarks, works_by_words, works_by_title, works_by_creator, works_listing;" \
	"CREATE INDEX works_by_updated ON works(updated_at, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_published ON works(published_at, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_kudos ON works(kudos_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_hits ON works(hits_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_comments ON works(comments_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_bookmarks ON works(bookmarks_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_words ON works(word_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_title ON works(quire_nocase(title), id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_creator ON works(quire_nocase(creator_sort), id, restricted)" \
	" WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_listing ON works(id) INCLUDE (draft, restricted, unrevealed, anonymous, complete, crossover," \
	" word_count, updated_at, published_at, kudos_count, hits_count, comments_count, bookmarks_count, language," \
	" filter_tags);" \
	/* Counters and tag counts: "posted" now means listed. */ \
	"CREATE OR REPLACE FUNCTION quire_works_counters() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" IF TG_OP = 'INSERT' THEN" \
	"  UPDATE counters SET value = value + " PGC_LISTED("NEW") "::int WHERE name = 'works_posted';" \
	"  UPDATE counters SET value = value + (" PGC_LISTED("NEW") " AND NEW.restricted = 0)::int" \
	"   WHERE name = 'works_public';" \
	" ELSE" \
	"  UPDATE counters SET value = value + " PGC_LISTED("NEW") "::int - " PGC_LISTED("OLD") "::int" \
	"   WHERE name = 'works_posted';" \
	"  UPDATE counters SET value = value + (" PGC_LISTED("NEW") " AND NEW.restricted = 0)::int" \
	"   - (" PGC_LISTED("OLD") " AND OLD.restricted = 0)::int WHERE name = 'works_public';" \
	"  UPDATE tags SET works_count = works_count + " PGC_LISTED("NEW") "::int - " PGC_LISTED("OLD") "::int," \
	"   public_count = public_count + (" PGC_LISTED("NEW") " AND NEW.restricted = 0)::int" \
	"   - (" PGC_LISTED("OLD") " AND OLD.restricted = 0)::int" \
	"   WHERE id IN (SELECT tag_id FROM filter_taggings WHERE work_id = NEW.id);" \
	" END IF; RETURN NULL; END $$;" \
	"DROP TRIGGER works_counters_upd ON works;" \
	"CREATE TRIGGER works_counters_upd AFTER UPDATE OF draft, restricted, unrevealed ON works FOR EACH ROW" \
	" WHEN (OLD.draft <> NEW.draft OR OLD.restricted <> NEW.restricted OR OLD.unrevealed <> NEW.unrevealed)" \
	" EXECUTE FUNCTION quire_works_counters();" \
	"CREATE OR REPLACE FUNCTION quire_works_counters_del() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" DELETE FROM filter_taggings WHERE work_id = OLD.id;" \
	" UPDATE counters SET value = value - " PGC_LISTED("OLD") "::int WHERE name = 'works_posted';" \
	" UPDATE counters SET value = value - (" PGC_LISTED("OLD") " AND OLD.restricted = 0)::int" \
	"  WHERE name = 'works_public';" \
	" RETURN OLD; END $$;" \
	"CREATE OR REPLACE FUNCTION quire_filter_taggings_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" IF TG_OP = 'INSERT' THEN" \
	"  UPDATE tags SET works_count = works_count + coalesce((SELECT " PGC_LISTED("w") "::int FROM works w" \
	"   WHERE w.id = NEW.work_id), 0), public_count = public_count + coalesce((SELECT (" PGC_LISTED("w") \
	"   AND w.restricted = 0)::int FROM works w WHERE w.id = NEW.work_id), 0) WHERE id = NEW.tag_id;" \
	" ELSE" \
	"  UPDATE tags SET works_count = works_count - coalesce((SELECT " PGC_LISTED("w") "::int FROM works w" \
	"   WHERE w.id = OLD.work_id), 0), public_count = public_count - coalesce((SELECT (" PGC_LISTED("w") \
	"   AND w.restricted = 0)::int FROM works w WHERE w.id = OLD.work_id), 0) WHERE id = OLD.tag_id;" \
	" END IF; RETURN NULL; END $$;" \
	/* The creator sort order: Anonymous while anonymous. */ \
	"CREATE OR REPLACE FUNCTION quire_work_owner() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" UPDATE works SET creator_sort = CASE WHEN anonymous = 1 THEN 'Anonymous' ELSE" \
	"  coalesce((SELECT name FROM users WHERE id = NEW.user_id), '') END WHERE id = NEW.work_id;" \
	" RETURN NULL; END $$;" \
	/* Search: an anonymous work's documents name no creator (the rest as in migration 1). */ \
	"CREATE OR REPLACE FUNCTION quire_search_refresh(wid BIGINT) RETURNS void LANGUAGE plpgsql AS $$" \
	" DECLARE t text; anon integer; tags_text text; metatags text; creators text; meta tsvector;" \
	" old_meta tsvector;" \
	" BEGIN" \
	" SELECT title, anonymous, search_meta INTO t, anon, old_meta FROM works WHERE id = wid;" \
	" IF NOT FOUND THEN RETURN; END IF;" \
	" SELECT string_agg(tg.name || coalesce(' (' || m.name || ')', ''), ', ' ORDER BY tg.type, wt.position)," \
	"  string_agg(tg.name, ', ' ORDER BY tg.type, wt.position) FILTER (WHERE tg.type >= 3) INTO tags_text, metatags" \
	"  FROM work_tags wt JOIN tags tg ON tg.id = wt.tag_id LEFT JOIN tags m ON m.id = tg.merger_id" \
	"  WHERE wt.work_id = wid;" \
	" IF anon = 0 THEN" \
	"  SELECT string_agg(u.name, ', ' ORDER BY c.position) INTO creators FROM work_creators c" \
	"   JOIN users u ON u.id = c.user_id WHERE c.work_id = wid AND c.accepted = 1;" \
	" END IF;" \
	" meta := to_tsvector('quire', t || coalesce(' ' || metatags, '') || coalesce(' ' || creators, ''));" \
	" UPDATE works SET search = ts_filter(search, '{d}')" \
	"  || setweight(to_tsvector('quire', coalesce(tags_text, '')), 'B')" \
	"  || setweight(to_tsvector('quire', coalesce(creators, '')), 'C'), search_meta = meta WHERE id = wid;" \
	" IF meta IS DISTINCT FROM old_meta THEN" \
	"  UPDATE chapters SET search = ts_filter(search, '{d}') || setweight(meta, 'A') WHERE work_id = wid;" \
	" END IF;" \
	" END $$;" \
	TRIGGER_FN("quire_work_anonymous", \
	" UPDATE works SET creator_sort = CASE WHEN NEW.anonymous = 1 THEN 'Anonymous' ELSE" \
	"  coalesce((SELECT u.name FROM work_creators c JOIN users u ON u.id = c.user_id WHERE c.work_id = NEW.id" \
	"  AND c.position = 0), '') END WHERE id = NEW.id;" \
	" PERFORM quire_search_refresh(NEW.id);") \
	"CREATE TRIGGER work_anonymous AFTER UPDATE OF anonymous ON works FOR EACH ROW" \
	" WHEN (OLD.anonymous <> NEW.anonymous) EXECUTE FUNCTION quire_work_anonymous();" \
	/* Notifications: none of a hidden work; at its reveal, what was held back. */ \
	"CREATE FUNCTION quire_fanout_gifts(wid BIGINT, gid BIGINT) RETURNS void LANGUAGE plpgsql AS $$ BEGIN" \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT g.user_id, 'gift', w.id, CASE WHEN w.anonymous = 1 THEN NULL ELSE " OWNER("w.id") " END," \
	"   'A gift for you: ' || w.title, 0, " PGC_NOW \
	"  FROM gifts g JOIN works w ON w.id = g.work_id WHERE g.work_id = wid AND g.user_id IS NOT NULL" \
	"  AND g.refused = 0 AND (gid IS NULL OR g.id = gid)" \
	"  AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id AND x.user_id = g.user_id);" \
	" INSERT INTO outbox(kind, user_id, work_id, next_attempt_at, created_at)" \
	"  SELECT 7, g.user_id, w.id, " PGC_NOW ", " PGC_NOW \
	"  FROM gifts g JOIN works w ON w.id = g.work_id WHERE g.work_id = wid AND g.user_id IS NOT NULL" \
	"  AND g.refused = 0 AND (gid IS NULL OR g.id = gid)" \
	"  AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id AND x.user_id = g.user_id);" \
	" END $$;" \
	"CREATE OR REPLACE FUNCTION quire_notify_new_chapter() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" IF (SELECT unrevealed FROM works WHERE id = NEW.work_id) <> 0 THEN RETURN NULL; END IF;" \
	" INSERT INTO inbox(user_id, kind, work_id, chapter_id, actor_id, body, read, created_at)" \
	"  SELECT s.user_id, 'new_chapter', NEW.work_id, NEW.id, CASE WHEN w.anonymous = 1 THEN NULL ELSE " \
	OWNER("NEW.work_id") " END, 'Chapter ' || NEW.position || ' of ' || w.title, 0, NEW.published_at" \
	"  FROM subscriptions s JOIN works w ON w.id = NEW.work_id" \
	"  WHERE s.work_id = NEW.work_id AND " NOT_CREATOR("NEW.work_id") ";" \
	" INSERT INTO outbox(kind, user_id, subscription_id, work_id, chapter_id, next_attempt_at, created_at)" \
	"  SELECT 0, s.user_id, s.id, NEW.work_id, NEW.id, NEW.published_at, NEW.published_at" \
	"  FROM subscriptions s WHERE s.work_id = NEW.work_id AND " NOT_CREATOR("NEW.work_id") " AND " WANTS_MAIL ";" \
	" RETURN NULL; END $$;" \
	"CREATE OR REPLACE FUNCTION quire_notify_new_work() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" IF (SELECT draft = 0 AND unrevealed = 0 AND anonymous = 0 FROM works WHERE id = NEW.work_id) THEN" \
	"  PERFORM quire_fanout_author(NEW.work_id, NEW.user_id); END IF;" \
	" RETURN NULL; END $$;" \
	"CREATE OR REPLACE FUNCTION quire_notify_posted_draft() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" PERFORM quire_fanout_gifts(NEW.id, NULL);" \
	" IF NEW.anonymous = 0 THEN" \
	"  PERFORM quire_fanout_author(NEW.id, " OWNER("NEW.id") ");" \
	"  PERFORM quire_fanout_series(NEW.id, (SELECT ws.series_id FROM work_series ws WHERE ws.work_id = NEW.id));" \
	" END IF;" \
	" RETURN NULL; END $$;" \
	"DROP TRIGGER notify_posted_draft ON works;" \
	"CREATE TRIGGER notify_posted_draft AFTER UPDATE OF draft ON works FOR EACH ROW" \
	" WHEN (OLD.draft = 1 AND NEW.draft = 0 AND NEW.unrevealed = 0) EXECUTE FUNCTION quire_notify_posted_draft();" \
	"CREATE OR REPLACE FUNCTION quire_notify_series_part() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" IF (SELECT draft = 0 AND unrevealed = 0 AND anonymous = 0 FROM works WHERE id = NEW.work_id) THEN" \
	"  PERFORM quire_fanout_series(NEW.work_id, NEW.series_id); END IF;" \
	" RETURN NULL; END $$;" \
	TRIGGER_FN("quire_notify_revealed", " PERFORM quire_fanout_gifts(NEW.id, NULL);") \
	"CREATE TRIGGER notify_revealed AFTER UPDATE OF unrevealed ON works FOR EACH ROW" \
	" WHEN (OLD.unrevealed = 1 AND NEW.unrevealed = 0 AND NEW.draft = 0) EXECUTE FUNCTION quire_notify_revealed();" \
	TRIGGER_FN("quire_notify_creators_revealed", \
	" PERFORM quire_fanout_author(NEW.id, " OWNER("NEW.id") ");" \
	" PERFORM quire_fanout_series(NEW.id, (SELECT ws.series_id FROM work_series ws WHERE ws.work_id = NEW.id));") \
	"CREATE TRIGGER notify_creators_revealed AFTER UPDATE OF unrevealed, anonymous ON works FOR EACH ROW" \
	" WHEN ((OLD.unrevealed = 1 OR OLD.anonymous = 1) AND NEW.unrevealed = 0 AND NEW.anonymous = 0" \
	" AND NEW.draft = 0) EXECUTE FUNCTION quire_notify_creators_revealed();" \
	TRIGGER_FN("quire_notify_gift", \
	" IF (SELECT draft = 0 AND unrevealed = 0 FROM works WHERE id = NEW.work_id) THEN" \
	"  PERFORM quire_fanout_gifts(NEW.work_id, NEW.id); END IF;") \
	"CREATE TRIGGER notify_gift AFTER INSERT ON gifts FOR EACH ROW" \
	" WHEN (NEW.user_id IS NOT NULL AND NEW.refused = 0) EXECUTE FUNCTION quire_notify_gift();"

/* ---- Gift exchanges (SQLite's 22) ------------------------------------------------------------------------ */
#define PGC_EXCHANGES \
	"CREATE TABLE exchanges (" \
	" collection_id BIGINT PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE," \
	" signups_open INTEGER NOT NULL DEFAULT 0," \
	" signups_open_at BIGINT NOT NULL DEFAULT 0," \
	" signups_close_at BIGINT NOT NULL DEFAULT 0," \
	" assignments_due_at BIGINT NOT NULL DEFAULT 0," \
	" requests_min INTEGER NOT NULL DEFAULT 1, requests_max INTEGER NOT NULL DEFAULT 3," \
	" offers_min INTEGER NOT NULL DEFAULT 1, offers_max INTEGER NOT NULL DEFAULT 3," \
	" tags_min" T " NOT NULL DEFAULT '1 0 0 0', tags_max" T " NOT NULL DEFAULT '1 4 2 5'," \
	" match" T " NOT NULL DEFAULT '1 0 0 0', allow_any" T " NOT NULL DEFAULT '0 1 1 1'," \
	" instructions" T " NOT NULL DEFAULT '', instructions_html" T " NOT NULL DEFAULT ''," \
	" matched_at BIGINT NOT NULL DEFAULT 0," \
	" sent_at BIGINT NOT NULL DEFAULT 0," \
	" signups_count BIGINT NOT NULL DEFAULT 0);" \
	"CREATE TABLE exchange_tags (" \
	" collection_id BIGINT NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" tag_id BIGINT NOT NULL REFERENCES tags(id)," \
	" dim INTEGER NOT NULL," \
	" PRIMARY KEY (collection_id, dim, tag_id));" \
	"CREATE TABLE signups (" \
	" id" ID "," \
	" collection_id BIGINT NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" pinch_hitter INTEGER NOT NULL DEFAULT 0," \
	" created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL," \
	" UNIQUE (collection_id, user_id));" \
	"CREATE INDEX signups_user ON signups(user_id);" \
	TRIGGER_FN("quire_signups_count", \
	" IF TG_OP = 'INSERT' THEN" \
	"  UPDATE exchanges SET signups_count = signups_count + 1 WHERE collection_id = NEW.collection_id;" \
	" ELSE" \
	"  UPDATE exchanges SET signups_count = signups_count - 1 WHERE collection_id = OLD.collection_id;" \
	" END IF;") \
	"CREATE TRIGGER signups_count AFTER INSERT OR DELETE ON signups FOR EACH ROW" \
	" EXECUTE FUNCTION quire_signups_count();" \
	"CREATE TABLE signup_items (" \
	" id" ID "," \
	" signup_id BIGINT NOT NULL REFERENCES signups(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (0, 1))," \
	" position INTEGER NOT NULL," \
	" any_mask INTEGER NOT NULL DEFAULT 0," \
	" description" T " NOT NULL DEFAULT '', description_html" T " NOT NULL DEFAULT '');" \
	"CREATE INDEX signup_items_signup ON signup_items(signup_id, kind, position);" \
	"CREATE TABLE signup_item_tags (" \
	" item_id BIGINT NOT NULL REFERENCES signup_items(id) ON DELETE CASCADE," \
	" tag_id BIGINT NOT NULL REFERENCES tags(id)," \
	" dim INTEGER NOT NULL," \
	" position INTEGER NOT NULL," \
	" PRIMARY KEY (item_id, tag_id));" \
	"CREATE TABLE assignments (" \
	" id" ID "," \
	" collection_id BIGINT NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" giver_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" recipient_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" request_signup_id BIGINT REFERENCES signups(id) ON DELETE SET NULL," \
	" offer_signup_id BIGINT REFERENCES signups(id) ON DELETE SET NULL," \
	" pinch_hit INTEGER NOT NULL DEFAULT 0," \
	" defaulted_by BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" sent_at BIGINT NOT NULL DEFAULT 0," \
	" defaulted_at BIGINT NOT NULL DEFAULT 0," \
	" fulfilled_work_id BIGINT REFERENCES works(id) ON DELETE SET NULL," \
	" created_at BIGINT NOT NULL);" \
	"CREATE INDEX assignments_collection ON assignments(collection_id, id);" \
	"CREATE INDEX assignments_giver ON assignments(giver_id, id) WHERE giver_id IS NOT NULL;" \
	"CREATE INDEX assignments_recipient ON assignments(recipient_id, id) WHERE recipient_id IS NOT NULL;" \
	"CREATE INDEX assignments_work ON assignments(fulfilled_work_id) WHERE fulfilled_work_id IS NOT NULL;" \
	"CREATE INDEX assignments_request ON assignments(request_signup_id) WHERE request_signup_id IS NOT NULL;" \
	"CREATE INDEX assignments_offer ON assignments(offer_signup_id) WHERE offer_signup_id IS NOT NULL;" \
	"ALTER TABLE inbox ADD COLUMN url" T ";"

/* ---- Prompt memes (SQLite's 23) and related works (SQLite's 24) ------------------------------------------- */
#define PGC_PROMPTS \
	"CREATE TABLE prompts (" \
	" id" ID "," \
	" collection_id BIGINT NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" user_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" anonymous INTEGER NOT NULL DEFAULT 0," \
	" title" T " NOT NULL," \
	" description" T " NOT NULL DEFAULT '', description_html" T " NOT NULL DEFAULT ''," \
	" claims_count BIGINT NOT NULL DEFAULT 0," \
	" fills_count BIGINT NOT NULL DEFAULT 0," \
	" created_at BIGINT NOT NULL);" \
	"CREATE INDEX prompts_collection ON prompts(collection_id, id);" \
	"CREATE INDEX prompts_user ON prompts(user_id, collection_id) WHERE user_id IS NOT NULL;" \
	"CREATE TABLE prompt_tags (" \
	" prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE," \
	" tag_id BIGINT NOT NULL REFERENCES tags(id)," \
	" dim INTEGER NOT NULL," \
	" position INTEGER NOT NULL," \
	" PRIMARY KEY (prompt_id, tag_id));" \
	"CREATE INDEX prompt_tags_tag ON prompt_tags(tag_id, prompt_id);" \
	"CREATE TABLE prompt_claims (" \
	" prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE," \
	" user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" work_id BIGINT REFERENCES works(id) ON DELETE SET NULL," \
	" created_at BIGINT NOT NULL," \
	" PRIMARY KEY (prompt_id, user_id));" \
	"CREATE INDEX prompt_claims_user ON prompt_claims(user_id, prompt_id);" \
	"CREATE INDEX prompt_claims_work ON prompt_claims(work_id) WHERE work_id IS NOT NULL;" \
	"CREATE TABLE prompt_fills (" \
	" prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE," \
	" work_id BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" user_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" created_at BIGINT NOT NULL," \
	" PRIMARY KEY (prompt_id, work_id));" \
	"CREATE INDEX prompt_fills_work ON prompt_fills(work_id, prompt_id);" \
	TRIGGER_FN("quire_prompt_claims_count", \
	" IF TG_OP = 'INSERT' THEN UPDATE prompts SET claims_count = claims_count + 1 WHERE id = NEW.prompt_id;" \
	" ELSE UPDATE prompts SET claims_count = claims_count - 1 WHERE id = OLD.prompt_id; END IF;") \
	"CREATE TRIGGER prompt_claims_count AFTER INSERT OR DELETE ON prompt_claims FOR EACH ROW" \
	" EXECUTE FUNCTION quire_prompt_claims_count();" \
	TRIGGER_FN("quire_prompt_fills_count", \
	" IF TG_OP = 'INSERT' THEN UPDATE prompts SET fills_count = fills_count + 1 WHERE id = NEW.prompt_id;" \
	" ELSE UPDATE prompts SET fills_count = fills_count - 1 WHERE id = OLD.prompt_id; END IF;") \
	"CREATE TRIGGER prompt_fills_count AFTER INSERT OR DELETE ON prompt_fills FOR EACH ROW" \
	" EXECUTE FUNCTION quire_prompt_fills_count();" \
	/* The prompters of the prompts work wid fills (pid: that prompt only), told once it can be seen. */ \
	"CREATE FUNCTION quire_fanout_fills(wid BIGINT, pid BIGINT) RETURNS void LANGUAGE plpgsql AS $$ BEGIN" \
	" INSERT INTO inbox(user_id, kind, work_id, body, url, read, created_at)" \
	"  SELECT p.user_id, 'prompt_fill', w.id, 'Your prompt ' || p.title || ' was filled: ' || w.title," \
	"   '/prompts/' || p.id, 0, " PGC_NOW \
	"  FROM prompt_fills f JOIN prompts p ON p.id = f.prompt_id JOIN works w ON w.id = f.work_id" \
	"  WHERE f.work_id = wid AND (pid IS NULL OR f.prompt_id = pid) AND p.user_id IS NOT NULL" \
	"  AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id AND x.user_id = p.user_id);" \
	" END $$;" \
	TRIGGER_FN("quire_notify_fill", \
	" IF (SELECT draft = 0 AND unrevealed = 0 FROM works WHERE id = NEW.work_id) THEN" \
	"  PERFORM quire_fanout_fills(NEW.work_id, NEW.prompt_id); END IF;") \
	"CREATE TRIGGER notify_fill AFTER INSERT ON prompt_fills FOR EACH ROW EXECUTE FUNCTION quire_notify_fill();" \
	"CREATE TABLE work_relations (" \
	" id" ID "," \
	" work_id BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2))," \
	" parent_id BIGINT REFERENCES works(id) ON DELETE SET NULL," \
	" url" T " NOT NULL DEFAULT '', title" T " NOT NULL DEFAULT '', author" T " NOT NULL DEFAULT ''," \
	" position INTEGER NOT NULL DEFAULT 0," \
	" approved INTEGER NOT NULL DEFAULT 0," \
	" created_at BIGINT NOT NULL);" \
	"CREATE INDEX work_relations_work ON work_relations(work_id, position);" \
	"CREATE INDEX work_relations_parent ON work_relations(parent_id, id) WHERE parent_id IS NOT NULL;" \
	/* The owners of the works wid is related to (rid: that link only), told once wid can be seen. */ \
	"CREATE FUNCTION quire_fanout_related(wid BIGINT, rid BIGINT) RETURNS void LANGUAGE plpgsql AS $$ BEGIN" \
	" INSERT INTO inbox(user_id, kind, work_id, body, url, read, created_at)" \
	"  SELECT o.user_id, 'related', w.id, CASE r.kind WHEN 1 THEN 'A translation of ' WHEN 2 THEN 'A podfic of '" \
	"   ELSE 'A work inspired by ' END || p.title || ': ' || w.title || ' (approve the link back on your work)'," \
	"   '/works/' || p.id || '/related', 0, " PGC_NOW \
	"  FROM work_relations r JOIN works w ON w.id = r.work_id JOIN works p ON p.id = r.parent_id" \
	"  JOIN work_creators o ON o.work_id = p.id AND o.position = 0" \
	"  WHERE r.work_id = wid AND (rid IS NULL OR r.id = rid)" \
	"  AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id AND x.user_id = o.user_id);" \
	" END $$;" \
	TRIGGER_FN("quire_notify_related", \
	" IF (SELECT draft = 0 AND unrevealed = 0 FROM works WHERE id = NEW.work_id) THEN" \
	"  PERFORM quire_fanout_related(NEW.work_id, NEW.id); END IF;") \
	"CREATE TRIGGER notify_related AFTER INSERT ON work_relations FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL)" \
	" EXECUTE FUNCTION quire_notify_related();" \
	/* A work shown at last (posted, or revealed): the prompters and related works' owners it held back. */ \
	TRIGGER_FN("quire_notify_shown", \
	" PERFORM quire_fanout_fills(NEW.id, NULL);" \
	" PERFORM quire_fanout_related(NEW.id, NULL);") \
	"CREATE TRIGGER notify_shown AFTER UPDATE OF draft, unrevealed ON works FOR EACH ROW" \
	" WHEN ((OLD.draft = 1 OR OLD.unrevealed = 1) AND NEW.draft = 0 AND NEW.unrevealed = 0)" \
	" EXECUTE FUNCTION quire_notify_shown();"

#define PG_MIGRATION_COLLECTIONS PGC_COLLECTIONS PGC_VISIBILITY PGC_EXCHANGES PGC_PROMPTS
#endif
