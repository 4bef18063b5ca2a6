/* Co-creators (sqlite_cocreators.c): the migration that tells invitees and owners through the inbox and the
 * outbox, and the statements of the co-creator rules. Parameters are always bound. */
#ifndef QUIRE_STORE_SQLITE_COCREATORS_SQL_H
#define QUIRE_STORE_SQLITE_COCREATORS_SQL_H

#define COCREATORS_NOW "CAST(strftime('%s', 'now') AS INTEGER)"
#define COCREATORS_OWNER(W) "(SELECT o.user_id FROM work_creators o WHERE o.work_id = " W " AND o.position = 0)"

/* The migration. An invitation (a creator row not accepted) reaches the invitee's inbox (kind cocreator_invite,
 * the inviting owner as actor) and mail (outbox kind 6, written when sent: dropped if accepted or withdrawn by
 * then). Accepting turns the inbox row into cocreator_joined (read), tells the owner (cocreator_accepted) and
 * ends blocks between the new co-creator and the work's other creators (co-creators cannot block each other);
 * a withdrawn invitation leaves the invitee's inbox. */
#define SQLS_MIGRATION_COCREATORS \
	"CREATE TRIGGER cocreator_invited AFTER INSERT ON work_creators" \
	" WHEN NEW.accepted = 0 AND NEW.position > 0 BEGIN" \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT NEW.user_id, 'cocreator_invite', NEW.work_id, " COCREATORS_OWNER("NEW.work_id") ", w.title, 0, " \
	COCREATORS_NOW " FROM works w WHERE w.id = NEW.work_id;" \
	" INSERT INTO outbox(kind, user_id, work_id, next_attempt_at, created_at)" \
	"  VALUES (6, NEW.user_id, NEW.work_id, " COCREATORS_NOW ", " COCREATORS_NOW ");" \
	" END;" \
	"CREATE TRIGGER cocreator_accepted AFTER UPDATE OF accepted ON work_creators" \
	" WHEN OLD.accepted = 0 AND NEW.accepted = 1 BEGIN" \
	" UPDATE inbox SET kind = 'cocreator_joined', read = 1" \
	"  WHERE user_id = NEW.user_id AND work_id = NEW.work_id AND kind = 'cocreator_invite';" \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT o.user_id, 'cocreator_accepted', NEW.work_id, NEW.user_id, w.title, 0, " COCREATORS_NOW \
	"  FROM work_creators o JOIN works w ON w.id = o.work_id" \
	"  WHERE o.work_id = NEW.work_id AND o.position = 0 AND o.user_id != NEW.user_id;" \
	" DELETE FROM user_blocks WHERE (blocked_id = NEW.user_id OR blocker_id = NEW.user_id)" \
	"  AND (CASE WHEN blocked_id = NEW.user_id THEN blocker_id ELSE blocked_id END) IN" \
	"  (SELECT x.user_id FROM work_creators x WHERE x.work_id = NEW.work_id AND (x.accepted = 1 OR x.position = 0));" \
	" END;" \
	"CREATE TRIGGER cocreator_withdrawn AFTER DELETE ON work_creators WHEN OLD.accepted = 0 BEGIN" \
	" DELETE FROM inbox WHERE user_id = OLD.user_id AND work_id = OLD.work_id AND kind = 'cocreator_invite';" \
	" END;"

#define SQLS_COCREATORS_STATEMENTS(X) \
	X(SQL_CREATORS_SHARED, "SELECT EXISTS (SELECT 1 FROM work_creators a JOIN work_creators b" \
		" ON b.work_id = a.work_id AND b.user_id = ?2 AND (b.accepted = 1 OR b.position = 0)" \
		" WHERE a.user_id = ?1 AND (a.accepted = 1 OR a.position = 0))")
#endif
