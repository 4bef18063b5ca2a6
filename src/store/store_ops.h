/* The store's operations, declared once: the ops table, the store_* wrappers and each backend's functions come from here. */
#ifndef QUIRE_STORE_STORE_OPS_H
#define QUIRE_STORE_STORE_OPS_H

/* X(return type, name, (parameters), (arguments)) for every operation a backend provides.
 * From each line come: the member `name` of struct store_ops, the public wrapper store_<name>
 * (declared in store.h, defined in store.c), and in each backend its function (sqls_<name> in
 * src/store/sqlite/) and its entry in the backend's ops table. Adding an operation is one line here plus the backend's
 * function. The return type is int or void (store.c's wrappers know these two).
 * close is not listed: it is the backend's destructor and its wrapper accepts NULL.
 * Write operations join the calling thread's open store_tx; see store.h for the rules. */
#define STORE_OPS(X) \
	X(int, backup, (struct store *st, const char *path), (st, path)) \
	/* Workflow transactions (store.h) */ \
	X(int, tx_begin, (struct store *st), (st)) \
	X(int, tx_commit, (struct store *st), (st)) \
	X(void, tx_rollback, (struct store *st), (st)) \
	/* Request snapshots (store.h) */ \
	X(void, snapshot_begin, (struct store *st), (st)) \
	X(void, snapshot_end, (struct store *st), (st)) \
	/* Settings: site-wide key/value pairs */ \
	X(int, setting_get, (struct store *st, struct arena *a, const char *key, char **value), \
	  (st, a, key, value)) \
	X(int, setting_set, (struct store *st, const char *key, const char *value), (st, key, value)) \
	/* Accounts */ \
	X(int, user_create, (struct store *st, const char *name, const char *email, const char *pwhash, \
	                     const char *role, int64_t *id), (st, name, email, pwhash, role, id)) \
	X(int, user_get, (struct store *st, struct arena *a, int64_t id, struct user *out), (st, a, id, out)) \
	X(int, user_get_by_name, (struct store *st, struct arena *a, const char *name, struct user *out), \
	  (st, a, name, out)) \
	X(int, user_get_by_email, (struct store *st, struct arena *a, const char *email, struct user *out), \
	  (st, a, email, out)) \
	X(int, user_set_password, (struct store *st, int64_t id, const char *pwhash), (st, id, pwhash)) \
	X(int, user_set_role, (struct store *st, int64_t id, const char *role), (st, id, role)) \
	X(int, user_delete, (struct store *st, int64_t id, bool orphan_works), (st, id, orphan_works)) \
	X(int, user_count, (struct store *st, int64_t *count), (st, count)) \
	/* Blocks between users (store.h: struct user_block) */ \
	X(int, user_block_set, (struct store *st, int64_t blocker_id, int64_t blocked_id, bool on, int max), \
	  (st, blocker_id, blocked_id, on, max)) \
	X(int, user_blocks_list, (struct store *st, struct arena *a, int64_t blocker_id, int limit, \
	                          struct user_block **out, size_t *n), (st, a, blocker_id, limit, out, n)) \
	/* Whether user_id and other_id create a work together (each its owner or an accepted co-creator). */ \
	X(int, creators_shared, (struct store *st, int64_t user_id, int64_t other_id, bool *out), (st, user_id, other_id, out)) \
	X(int, user_blocked_by, (struct store *st, int64_t user_id, int64_t work_id, int64_t other_id, int *by), \
	  (st, user_id, work_id, other_id, by)) \
	/* Sessions */ \
	X(int, session_create, (struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at), \
	  (st, token_hash, user_id, expires_at)) \
	X(int, session_user, (struct store *st, struct arena *a, const char *token_hash, int64_t now, \
	                      struct user *out), (st, a, token_hash, now, out)) \
	X(int, session_delete, (struct store *st, const char *token_hash), (st, token_hash)) \
	X(int, session_delete_for_user, (struct store *st, int64_t user_id, const char *except_hash), \
	  (st, user_id, except_hash)) \
	/* API tokens */ \
	X(int, token_create, (struct store *st, int64_t user_id, const char *token_hash, const char *name, \
	                      int64_t *id), (st, user_id, token_hash, name, id)) \
	X(int, token_user, (struct store *st, struct arena *a, const char *token_hash, struct user *out), \
	  (st, a, token_hash, out)) \
	X(int, token_list, (struct store *st, struct arena *a, int64_t user_id, struct api_token **out, \
	                    size_t *n), (st, a, user_id, out, n)) \
	X(int, token_revoke, (struct store *st, int64_t user_id, int64_t token_id), (st, user_id, token_id)) \
	/* Works */ \
	X(int, work_create, (struct store *st, const struct work *w, const struct chapter *first, \
	                     int64_t owner_id, int64_t *work_id, int64_t *chapter_id), \
	  (st, w, first, owner_id, work_id, chapter_id)) \
	X(int, work_update, (struct store *st, const struct work *w), (st, w)) \
	X(int, work_delete, (struct store *st, int64_t work_id), (st, work_id)) \
	X(int, work_get, (struct store *st, struct arena *a, int64_t work_id, struct work *out), \
	  (st, a, work_id, out)) \
	X(int, work_list, (struct store *st, struct arena *a, const struct work_query *q, struct work_page *out), \
	  (st, a, q, out)) \
	X(int, work_invite, (struct store *st, int64_t work_id, int64_t user_id), (st, work_id, user_id)) \
	X(int, work_accept, (struct store *st, int64_t work_id, int64_t user_id), (st, work_id, user_id)) \
	X(int, invites_for_user, (struct store *st, struct arena *a, int64_t user_id, struct work **out, \
	                          size_t *n), (st, a, user_id, out, n)) \
	/* Chapters */ \
	X(int, chapter_create, (struct store *st, const struct chapter *c, int64_t *chapter_id), \
	  (st, c, chapter_id)) \
	X(int, chapter_update, (struct store *st, const struct chapter *c), (st, c)) \
	X(int, chapter_delete, (struct store *st, int64_t work_id, int64_t chapter_id), (st, work_id, chapter_id)) \
	X(int, chapter_get, (struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, \
	                     struct chapter *out), (st, a, work_id, chapter_id, out)) \
	X(int, chapter_list, (struct store *st, struct arena *a, int64_t work_id, bool with_content, \
	                      struct chapter **out, size_t *n), (st, a, work_id, with_content, out, n)) \
	X(int, chapter_reorder, (struct store *st, int64_t work_id, const int64_t *ids, size_t n), \
	  (st, work_id, ids, n)) \
	/* Look-alike names (the archive layer computes skeletons with ICU; users.skeleton) */ \
	X(int, user_set_skeleton, (struct store *st, int64_t id, const char *skeleton), (st, id, skeleton)) \
	/* a user whose name has this skeleton (lowest id); Q_ENOTFOUND when none */ \
	X(int, user_get_by_skeleton, (struct store *st, struct arena *a, const char *skeleton, struct user *out), \
	  (st, a, skeleton, out)) \
	/* up to limit users whose skeleton is not set yet (accounts made before it was kept), lowest id first */ \
	X(int, users_without_skeleton, (struct store *st, struct arena *a, int limit, struct user **out, \
	                                size_t *n), (st, a, limit, out, n)) \
	/* removes user_id from the work's creators; the next accepted co-creator becomes owner when needed; \
	 * Q_ENOTFOUND when not on the work, Q_EINVAL when nobody accepted would be left */ \
	X(int, work_creator_remove, (struct store *st, int64_t work_id, int64_t user_id), (st, work_id, user_id)) \
	/* ---- Mail: subscriptions, notification preferences, the outbox, account mail tokens ---- */ \
	/* Subscribing twice gives Q_EEXIST (nothing changes); a missing target Q_ENOTFOUND. mail: -1, 0 or 1. */ \
	X(int, subscription_add, (struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail, int64_t *id), (st, user_id, kind, target_id, mail, id)) \
	X(int, subscription_get, (struct store *st, struct arena *a, int64_t id, struct subscription *out), (st, a, id, out)) \
	/* The user's subscription to (kind, target_id), or Q_ENOTFOUND. */ \
	X(int, subscription_find, (struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind, int64_t target_id, struct subscription *out), (st, a, user_id, kind, target_id, out)) \
	/* The user's subscriptions with id > after_id, oldest first, at most limit (1..200). */ \
	X(int, subscription_list, (struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit, struct subscription **out, size_t *n), (st, a, user_id, after_id, limit, out, n)) \
	/* Q_ENOTFOUND unless subscription id belongs to user_id. */ \
	X(int, subscription_set_mail, (struct store *st, int64_t user_id, int64_t id, int mail), (st, user_id, id, mail)) \
	X(int, subscription_delete, (struct store *st, int64_t user_id, int64_t id), (st, user_id, id)) \
	X(int, series_get, (struct store *st, struct arena *a, int64_t id, struct series_info *out), (st, a, id, out)) \
	/* Defaults (notify_mail, no confirmed address) for an account without settings. */ \
	X(int, mail_settings_get, (struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out), (st, a, user_id, out)) \
	X(int, mail_settings_set_notify, (struct store *st, int64_t user_id, bool notify_mail), (st, user_id, notify_mail)) \
	/* Queues account mail (OUTBOX_PASSWORD_RESET with user_id 0, or OUTBOX_EMAIL_CONFIRM), due now. */ \
	X(int, outbox_add, (struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id), (st, kind, user_id, to_addr, id)) \
	/* Marks up to max queued rows due at now as being sent by this store (one more attempt each; OUTBOX_LEASE_SECONDS) and returns them, with any rows this store claimed before and did not finish; rows whose sender died are claimed again. Several servers may claim at once: no row is claimed twice. */ \
	X(int, outbox_claim, (struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out, size_t *n), (st, a, now, max, out, n)) \
	/* Records what became of claimed rows, in one transaction (call it for each mail as the relay takes it: a crash then repeats at most the mail in flight); rows claimed by another store are left alone; renews this store's other claims. */ \
	X(int, outbox_finish, (struct store *st, const struct outbox_done *done, size_t n, int64_t now), (st, done, n, now)) \
	/* Puts rows claimed by senders that are gone back in the queue, due at once: this store's own (a sender stopping) and those of stores that died (SQLite, owned by one server: every claim). */ \
	X(int, outbox_release, (struct store *st), (st)) \
	/* When the earliest queued row is due; Q_ENOTFOUND when nothing is queued. */ \
	X(int, outbox_next_due, (struct store *st, int64_t *at), (st, at)) \
	/* Deletes sent, failed and dropped rows finished before `before`. */ \
	X(int, outbox_purge, (struct store *st, int64_t before), (st, before)) \
	/* fn(arg) runs (inside the writing transaction, on the writer's thread) whenever outbox rows are added; it must be quick and must not call the store. NULL fn stops it. */ \
	X(int, outbox_listen, (struct store *st, void (*fn)(void *arg), void *arg), (st, fn, arg)) \
	/* Stores a single-use link token (its hash) for user_id and the address it was sent to. */ \
	X(int, mail_token_create, (struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id, const char *email, int64_t expires_at), (st, kind, token_hash, user_id, email, expires_at)) \
	/* The account of an unexpired token and the address it was sent to; Q_ENOTFOUND otherwise. */ \
	X(int, mail_token_user, (struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash, int64_t now, struct user *out, char **email), (st, a, kind, token_hash, now, out, email)) \
	/* Sets a new password and ends every session and reset link of the account, in one transaction: the account of an unexpired reset token_hash (used up), or user_id when token_hash is NULL. */ \
	X(int, password_reset, (struct store *st, int64_t user_id, const char *token_hash, int64_t now, const char *pwhash, int64_t *reset_user_id), (st, user_id, token_hash, now, pwhash, reset_user_id)) \
	/* Follows an e-mail confirmation link: the account's address becomes the token's (Q_EEXIST when another account took it meanwhile) and counts as confirmed; the token is used up. */ \
	X(int, email_confirm, (struct store *st, const char *token_hash, int64_t now, int64_t *user_id), (st, token_hash, now, user_id)) \
	/* ---- The reader's response: comments, kudos, bookmarks, history, inbox, hits, statistics ---- */ \
	/* (store.h says what each does, and how their writes reach caches) */ \
	X(int, response_counts, (struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out), \
	  (st, work_id, chapter_id, out)) \
	X(int, response_settings_set, (struct store *st, int64_t work_id, int policy, bool moderated), \
	  (st, work_id, policy, moderated)) \
	X(int, comment_create, (struct store *st, const struct comment *c, const int64_t *notify, size_t nnotify, \
	                        bool notify_parent, int64_t *id), (st, c, notify, nnotify, notify_parent, id)) \
	X(int, comment_get, (struct store *st, struct arena *a, int64_t id, struct comment *out), (st, a, id, out)) \
	X(int, comment_list, (struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, \
	                      int64_t after_root, int threads, struct comment **out, size_t *n, int64_t *next_root), \
	  (st, a, work_id, chapter_id, after_root, threads, out, n, next_root)) \
	X(int, comment_edit, (struct store *st, int64_t id, const struct text *body, int sanitizer_version), \
	  (st, id, body, sanitizer_version)) \
	X(int, comment_set_state, (struct store *st, int64_t id, int state), (st, id, state)) \
	X(int, comment_freeze, (struct store *st, int64_t id, bool frozen), (st, id, frozen)) \
	X(int, kudos_add, (struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id, \
	                   const char *guest_hash), (st, work_id, chapter_id, user_id, guest_hash)) \
	X(int, kudos_names, (struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit, \
	                     const char ***names, size_t *n), (st, a, work_id, chapter_id, limit, names, n)) \
	X(int, bookmark_create, (struct store *st, const struct bookmark *b, int64_t *id), (st, b, id)) \
	X(int, bookmark_update, (struct store *st, const struct bookmark *b), (st, b)) \
	X(int, bookmark_delete, (struct store *st, int64_t user_id, int64_t id), (st, user_id, id)) \
	X(int, bookmark_get, (struct store *st, struct arena *a, int64_t id, struct bookmark *out), (st, a, id, out)) \
	X(int, bookmark_find, (struct store *st, struct arena *a, int64_t user_id, int64_t work_id, \
	                       struct bookmark *out), (st, a, user_id, work_id, out)) \
	X(int, bookmark_list, (struct store *st, struct arena *a, int64_t user_id, bool with_private, \
	                       int64_t before_id, int limit, struct bookmark **out, size_t *n), \
	  (st, a, user_id, with_private, before_id, limit, out, n)) \
	X(int, readings_record, (struct store *st, const struct reading *r, size_t n), (st, r, n)) \
	X(int, reading_set_later, (struct store *st, int64_t user_id, int64_t work_id, bool later), \
	  (st, user_id, work_id, later)) \
	X(int, reading_list, (struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before, \
	                      int limit, struct reading **out, size_t *n), \
	  (st, a, user_id, later_only, before, limit, out, n)) \
	X(int, inbox_list, (struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id, \
	                    int limit, struct inbox_item **out, size_t *n), \
	  (st, a, user_id, unread_only, before_id, limit, out, n)) \
	X(int, inbox_mark, (struct store *st, int64_t user_id, int64_t id, bool read), (st, user_id, id, read)) \
	X(int, inbox_mark_all, (struct store *st, int64_t user_id), (st, user_id)) \
	X(int, inbox_unread, (struct store *st, int64_t user_id, int64_t *count), (st, user_id, count)) \
	X(int, hits_add, (struct store *st, const struct hit_count *h, size_t n), (st, h, n)) \
	X(int, stats_work, (struct store *st, struct arena *a, int64_t work_id, int64_t since_day, \
	                    struct stats_row **rows, size_t *nrows, struct stats_day **days, size_t *ndays), \
	  (st, a, work_id, since_day, rows, nrows, days, ndays)) \
	X(int, stats_user, (struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n), \
	  (st, a, user_id, rows, n)) \
	X(int, chapter_work, (struct store *st, int64_t chapter_id, int64_t *work_id), (st, chapter_id, work_id)) \
	/* ---- Finding works: tags, wrangling, listings, search ---- */ \
	/* Every tag whose name folds like name (any type), fandoms first, then relationships, characters, freeforms, ratings, warnings, categories. *n = 0 when none. */ \
	X(int, tag_find, (struct store *st, struct arena *a, const char *name, struct tag **out, size_t *n), (st, a, name, out, n)) \
	/* A tag with its fandoms, the characters/relationships/freeforms under it (a fandom's biggest 100), its meta and sub tags, synonyms and look-alikes. Q_ENOTFOUND when missing. */ \
	X(int, tag_detail, (struct store *st, struct arena *a, int64_t id, struct tag_detail *out), (st, a, id, out)) \
	/* Up to limit tags (type < 0: any) each of whose words given (search/terms.h) begins a word of its name, most used first (then shortest, then by name); none for no words. Only tags a posted work the viewer may see carries (member: members-only works count), and the fixed kinds. */ \
	X(int, tag_autocomplete, (struct store *st, struct arena *a, int type, const struct search_prefixes *words, int limit, bool member, struct tag **out, size_t *n), (st, a, type, words, limit, member, out, n)) \
	/* Whether a posted work the viewer may see (member: members-only works too) carries tag_id itself (not through a synonym or a sub tag). */ \
	X(int, tag_in_use, (struct store *st, int64_t tag_id, bool member, bool *used), (st, tag_id, member, used)) \
	/* Applies a wrangler's changes to one tag (joining the caller's store_tx), refreshing the filters and search text of every work they touch. Refusals (Q_EINVAL, nothing changed) come with *why, a sentence naming the tags: merging into a tag that is itself a synonym or not canonical, a meta tag cycle, unknown tags, wrong types. */ \
	X(int, tag_wrangle, (struct store *st, struct arena *a, const struct tag_wrangle *req, const char **why), (st, a, req, why)) \
	/* Re-filing: a wrangle that reaches more works than it may refresh in its own transaction queues them (the wrangle is done; listings show them under their new tags once re-filed). This refreshes up to max (at most STORE_REFILE_BATCH_MAX) queued works, their filter tags and search text, in one short write, and takes them off the queue; *more when there may be more. woken: refile_listen's fn ran since the last call (a wrangle queued works, perhaps not committed yet): wait for it rather than trust a first look at an empty queue. The "refile" job (store_jobs_add) calls it. */ \
	X(int, refile_queued, (struct store *st, int max, bool woken, bool *more), (st, max, woken, more)) \
	/* fn(arg) runs (inside the writing transaction, on the writer's thread) whenever works are queued for re-filing; it must be quick and must not call the store. NULL fn stops it. */ \
	X(int, refile_listen, (struct store *st, void (*fn)(void *arg), void *arg), (st, fn, arg)) \
	/* Fandoms with unwrangled tags, most first (at most 200). */ \
	X(int, wrangling_fandoms, (struct store *st, struct arena *a, struct queue_fandom **out, size_t *n), (st, a, out, n)) \
	/* The unwrangled tags seen with one fandom (fandom_id 0: with none), newest first. */ \
	X(int, wrangling_queue, (struct store *st, struct arena *a, int64_t fandom_id, int limit, int offset, struct tag **out, size_t *n), (st, a, fandom_id, limit, offset, out, n)) \
	/* For each of media (in that order; "" = uncategorized): its fandom count and top biggest fandoms. */ \
	X(int, media_directory, (struct store *st, struct arena *a, const char *const *media, size_t nmedia, int top, bool member, struct media_entry **out), (st, a, media, nmedia, top, member, out)) \
	/* A medium's fandoms, biggest first, with how many there are. */ \
	X(int, media_fandoms, (struct store *st, struct arena *a, const char *media, int limit, int offset, struct tag **out, size_t *n, int64_t *total), (st, a, media, limit, offset, out, n, total)) \
	/* Lists works (see struct listing_query). Tags are matched through their canonical tags, synonyms and meta tags; unknown excluded tags are ignored. Q_EINVAL for a page past LISTING_MAX_PAGES. */ \
	X(int, work_find, (struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out), (st, a, q, out)) \
	/* The visible works before and after work_id in its series (member: members-only works count). */ \
	X(int, series_neighbors, (struct store *st, struct arena *a, int64_t work_id, bool member, struct series_neighbors *out), (st, a, work_id, member, out)) \
	/* Rendering again (store.h: struct stale_text) */ \
	X(int, stale_texts, (struct store *st, struct arena *a, int version, int limit, struct stale_text **out, \
	                     size_t *n), (st, a, version, limit, out, n)) \
	X(int, stale_text_save, (struct store *st, const struct stale_text *t, int version), (st, t, version)) \
	X(int, stale_mark_media, (struct store *st, int64_t *marked), (st, marked)) \
	/* The writer's check: words remembered for a work or a writer (store.h: struct writing_word) */ \
	X(int, writing_word_set, (struct store *st, int64_t work_id, int64_t user_id, int kind, const char *word, \
	                          bool on, int max), (st, work_id, user_id, kind, word, on, max)) \
	X(int, writing_words_list, (struct store *st, struct arena *a, int64_t work_id, int64_t user_id, int limit, \
	                            struct writing_word **out, size_t *n), (st, a, work_id, user_id, limit, out, n)) \
	/* Readers' suggestions on a passage (store.h: struct reader_suggestion) */ \
	X(int, suggestions_enabled_set, (struct store *st, int64_t work_id, bool on), (st, work_id, on)) \
	X(int, suggestions_enabled, (struct store *st, int64_t work_id, bool *on), (st, work_id, on)) \
	X(int, suggestion_create, (struct store *st, const struct reader_suggestion *s, int64_t since, int max_since, \
	                           int max_open, int64_t *id), (st, s, since, max_since, max_open, id)) \
	X(int, suggestion_get, (struct store *st, struct arena *a, int64_t id, struct reader_suggestion *out), \
	  (st, a, id, out)) \
	X(int, suggestions_list, (struct store *st, struct arena *a, const struct suggestion_query *q, \
	                          struct reader_suggestion **out, size_t *n), (st, a, q, out, n)) \
	X(int, suggestion_set_state, (struct store *st, int64_t id, int from_state, int state, const char *reply, \
	                              int64_t by), (st, id, from_state, state, reply, by)) \
	/* ---- Several servers on one store: what they share (store.h, "Shared state") ---- */ \
	X(int, setting_init, (struct store *st, struct arena *a, const char *key, const char *value, char **stored), (st, a, key, value, stored)) \
	X(int, job_lease, (struct store *st, const char *job, int64_t until_ms, bool *held), (st, job, until_ms, held)) \
	X(int, limit_count, (struct store *st, const char *bucket, const char *key, int64_t since, int64_t *count, int64_t *oldest), (st, bucket, key, since, count, oldest)) \
	X(int, limit_add, (struct store *st, const char *bucket, const char *key, int64_t at), (st, bucket, key, at)) \
	X(int, limit_clear, (struct store *st, const char *bucket, const char *key), (st, bucket, key)) \
	X(int, hits_seen, (struct store *st, int64_t day, const uint64_t *digests, size_t n, bool *fresh), (st, day, digests, n, fresh)) \
	X(int, shared_purge, (struct store *st, int64_t before, int64_t before_day), (st, before, before_day)) \
	/* ---- Read replicas: read-your-writes (store.h) ---- */ \
	X(int, read_after, (struct store *st, const char *mark), (st, mark)) \
	X(int, write_mark, (struct store *st, char *buf, size_t len), (st, buf, len)) \
	/* ---- Running a community: the audit log, moderated works, reports, notices, shared counters (store_admin.h) ---- */ \
	/* Appends an entry to the audit log (id and created_at are the store's). Q_EEXIST when e->undoes was undone already. */ \
	X(int, mod_log_add, (struct store *st, const struct mod_entry *e, int64_t *id), (st, e, id)) \
	X(int, mod_log_get, (struct store *st, struct arena *a, int64_t id, struct mod_entry *out), (st, a, id, out)) \
	X(int, mod_log_list, (struct store *st, struct arena *a, const struct mod_log_query *q, struct mod_entry **out, size_t *n), (st, a, q, out, n)) \
	/* Moves a posted, hidden or deleted work to state (0 posted, 2 hidden, 3 deleted by moderators) with why and the log entry; back to 0 publishes chapters added meanwhile. Q_EINVAL for a draft (or another state), Q_ENOTFOUND for no such work. A normal work change for caches and counts. */ \
	X(int, work_moderate, (struct store *st, int64_t work_id, int state, const char *reason, int64_t log_id), (st, work_id, state, reason, log_id)) \
	/* Why work_id is hidden or deleted; Q_ENOTFOUND when it is neither. */ \
	X(int, work_moderation_get, (struct store *st, struct arena *a, int64_t work_id, struct work_moderation *out), (st, a, work_id, out)) \
	/* Works deleted by moderators (state 3) before before, oldest first, at most limit. */ \
	X(int, works_purgeable, (struct store *st, struct arena *a, int64_t before, int limit, int64_t **ids, size_t *n), (st, a, before, limit, ids, n)) \
	/* Forgets the kept text of comments and bookmarks moderators removed before before (their undo is then impossible); counts what went. */ \
	X(int, quarantine_purge, (struct store *st, int64_t before, int64_t *comments, int64_t *bookmarks), (st, before, comments, bookmarks)) \
	X(int, report_create, (struct store *st, const struct report *r, int64_t *id), (st, r, id)) \
	X(int, report_get, (struct store *st, struct arena *a, int64_t id, struct report *out), (st, a, id, out)) \
	/* Reports newest first with ids below before_id (0: newest): of one status (status < 0: any), or assigned to assignee_id (> 0, any status). */ \
	X(int, report_list, (struct store *st, struct arena *a, int status, int64_t assignee_id, int64_t before_id, int limit, struct report **out, size_t *n), (st, a, status, assignee_id, before_id, limit, out, n)) \
	/* Sets a report's status (< 0: leave) and assignee (< 0: leave; 0: nobody). Q_ENOTFOUND when missing. */ \
	X(int, report_set, (struct store *st, int64_t id, int status, int64_t assignee_id), (st, id, status, assignee_id)) \
	X(int, report_counts, (struct store *st, struct report_counts *out), (st, out)) \
	X(int, report_note_add, (struct store *st, const struct report_note *note, int64_t *id), (st, note, id)) \
	X(int, report_notes, (struct store *st, struct arena *a, int64_t report_id, struct report_note **out, size_t *n), (st, a, report_id, out, n)) \
	/* Tells someone: an inbox message (kind "notice", about work_id when not 0) when user_id and inbox_text are given, and a mail (subject, body) to to_addr, or to user_id's address when to_addr is NULL, when subject is given. */ \
	X(int, notice_add, (struct store *st, int64_t user_id, const char *to_addr, int64_t work_id, const char *inbox_text, const char *subject, const char *body), (st, user_id, to_addr, work_id, inbox_text, subject, body)) \
	/* Counts one more for key in the period starting at period and returns the new count; shared by every server on the store. */ \
	X(int, rate_bump, (struct store *st, const char *key, int64_t period, int64_t *count), (st, key, period, count)) \
	X(int, rate_get, (struct store *st, const char *key, int64_t period, int64_t *count), (st, key, period, count)) \
	/* Forgets counts of periods that started before before. */ \
	X(int, rate_purge, (struct store *st, int64_t before), (st, before)) \
	/* Suspends or bans an account (replacing a sanction it has): until then (0: for good) it has no working session or token. */ \
	X(int, user_sanction_set, (struct store *st, int64_t user_id, int kind, int64_t until, const char *reason, int64_t log_id), (st, user_id, kind, until, reason, log_id)) \
	/* Lifts an account's sanction; Q_ENOTFOUND when it has none. */ \
	X(int, user_sanction_clear, (struct store *st, int64_t user_id), (st, user_id)) \
	/* The account's sanction, over or not (the caller compares until with now); Q_ENOTFOUND when none. */ \
	X(int, user_sanction_get, (struct store *st, struct arena *a, int64_t user_id, struct user_sanction *out), (st, a, user_id, out)) \
	/* Sanctions in force at now, newest first (at most 500). */ \
	X(int, user_sanctions_list, (struct store *st, struct arena *a, int64_t now, struct user_sanction **out, size_t *n), (st, a, now, out, n)) \
	/* Hides every posted work user_id owns, each marked with the entry log_id and reason; *n how many. */ \
	X(int, works_hide_owned, (struct store *st, int64_t user_id, const char *reason, int64_t log_id, int64_t *n), (st, user_id, reason, log_id, n)) \
	/* Shows again the works the entry log_id hid (and that are still hidden by it); *n how many. */ \
	X(int, works_show_logged, (struct store *st, int64_t log_id, int64_t *n), (st, log_id, n)) \
	/* Renames an account (skeleton: the new name's look-alike key); its works' sort and search text follow. Q_EEXIST when taken. */ \
	X(int, user_rename, (struct store *st, int64_t user_id, const char *name, const char *skeleton), (st, user_id, name, skeleton)) \
	/* Deletes a comment as moderators do: its text is kept aside (with the entry log_id) and the comment shows as deleted; Q_EINVAL when it is deleted already. */ \
	X(int, comment_quarantine, (struct store *st, int64_t comment_id, int64_t log_id), (st, comment_id, log_id)) \
	/* Puts a quarantined comment back as it was; Q_ENOTFOUND when none is kept. */ \
	X(int, comment_restore, (struct store *st, int64_t comment_id), (st, comment_id)) \
	/* Removes a bookmark as moderators do (kept aside for an undo, with the entry log_id). */ \
	X(int, bookmark_quarantine, (struct store *st, int64_t bookmark_id, int64_t log_id), (st, bookmark_id, log_id)) \
	/* Puts a removed bookmark back; Q_EEXIST when its reader bookmarked the work again meanwhile, Q_ENOTFOUND when none is kept. */ \
	X(int, bookmark_restore, (struct store *st, int64_t bookmark_id), (st, bookmark_id)) \
	/* Locks (or unlocks) a work's comments: nobody comments until moderators unlock them. */ \
	X(int, work_comments_lock, (struct store *st, int64_t work_id, bool locked), (st, work_id, locked)) \
	/* Admins, moderators and wranglers, by role then name (pwhash not read). */ \
	X(int, users_staff, (struct store *st, struct arena *a, struct user **out, size_t *n), (st, a, out, n)) \
	/* ---- The site's pages, terms, news, invitations (sqlite_site.c) ---- */ \
	X(int, site_page_get, (struct store *st, struct arena *a, const char *slug, struct site_page *out), (st, a, slug, out)) \
	/* Saves a page (slug, title, body, body_html, in_footer, updated_by): a new one is version 1; new_version keeps the current text as it was and adds the next version, else the current version's text is replaced. *version is the page's version now. */ \
	X(int, site_page_put, (struct store *st, const struct site_page *p, bool new_version, int64_t *version), (st, p, new_version, version)) \
	X(int, site_pages_list, (struct store *st, struct arena *a, struct site_page **out, size_t *n), (st, a, out, n)) \
	X(int, site_page_delete, (struct store *st, const char *slug), (st, slug)) \
	/* Records that user_id accepted the site's terms at version. */ \
	X(int, policy_accept, (struct store *st, int64_t user_id, int64_t version), (st, user_id, version)) \
	X(int, news_create, (struct store *st, const struct news_post *p, int64_t *id), (st, p, id)) \
	X(int, news_update, (struct store *st, const struct news_post *p), (st, p)) \
	X(int, news_delete, (struct store *st, int64_t id), (st, id)) \
	X(int, news_get, (struct store *st, struct arena *a, int64_t id, struct news_post *out), (st, a, id, out)) \
	/* News newest first, published before before_id's post (0: from the newest), at most limit. */ \
	X(int, news_list, (struct store *st, struct arena *a, int64_t before_id, int limit, struct news_post **out, size_t *n), (st, a, before_id, limit, out, n)) \
	X(int, news_comment_add, (struct store *st, const struct news_comment *c, int64_t *id), (st, c, id)) \
	/* A post's comments in order (deleted ones too), at most limit. */ \
	X(int, news_comments, (struct store *st, struct arena *a, int64_t news_id, int limit, struct news_comment **out, size_t *n), (st, a, news_id, limit, out, n)) \
	X(int, news_comment_get, (struct store *st, struct arena *a, int64_t id, struct news_comment *out), (st, a, id, out)) \
	X(int, news_comment_set_state, (struct store *st, int64_t id, int state), (st, id, state)) \
	X(int, invite_create, (struct store *st, const struct invitation *inv), (st, inv)) \
	X(int, invite_get, (struct store *st, struct arena *a, const char *code, struct invitation *out), (st, a, code, out)) \
	/* Marks an unused code used by user_id; Q_EEXIST when it was used meanwhile, Q_ENOTFOUND when there is none. */ \
	X(int, invite_use, (struct store *st, const char *code, int64_t user_id), (st, code, user_id)) \
	/* Codes made by created_by (0: every code), newest first, at most limit. */ \
	X(int, invites_list, (struct store *st, struct arena *a, int64_t created_by, int limit, struct invitation **out, size_t *n), (st, a, created_by, limit, out, n)) \
	/* How many of created_by's codes are unused, and how many they made since since. */ \
	X(int, invites_count, (struct store *st, int64_t created_by, int64_t since, int64_t *unused, int64_t *made), (st, created_by, since, unused, made)) \
	/* Queues a request for an invitation (Q_EEXIST when that address asked already); *ahead: how many wait before it. */ \
	X(int, invite_request_add, (struct store *st, const char *email, int64_t *id, int64_t *ahead), (st, email, id, ahead)) \
	/* Requests of a status, oldest first (the queue's order) after after_id, at most limit. */ \
	X(int, invite_requests_list, (struct store *st, struct arena *a, int status, int64_t after_id, int limit, struct invite_request **out, size_t *n), (st, a, status, after_id, limit, out, n)) \
	/* How many requests wait, and how many were sent invitations since since. */ \
	X(int, invite_requests_count, (struct store *st, int64_t since, int64_t *waiting, int64_t *sent), (st, since, waiting, sent)) \
	/* Marks a request sent (with its code) or declined. */ \
	X(int, invite_request_mark, (struct store *st, int64_t id, int status, const char *code), (st, id, status, code)) \
	/* ---- Spam (sqlite_spam.c) ---- */ \
	X(int, spam_hold, (struct store *st, const struct spam_item *it, int64_t *id), (st, it, id)) \
	X(int, spam_get, (struct store *st, struct arena *a, int64_t id, struct spam_item *out), (st, a, id, out)) \
	/* Items of a status, newest first, ids below before_id (0: newest). */ \
	X(int, spam_list, (struct store *st, struct arena *a, int status, int64_t before_id, int limit, struct spam_item **out, size_t *n), (st, a, status, before_id, limit, out, n)) \
	X(int, spam_held_count, (struct store *st, int64_t *n), (st, n)) \
	/* Decides a held item (SPAM_SPAM or SPAM_HAM); Q_EEXIST when it was decided already. */ \
	X(int, spam_decide, (struct store *st, int64_t id, int status, const char *by), (st, id, status, by)) \
	/* Addresses (keyed hashes) that sent spam. */ \
	X(int, spam_address_mark, (struct store *st, const char *address_hash), (st, address_hash)) \
	X(int, spam_address_known, (struct store *st, const char *address_hash, bool *known), (st, address_hash, known)) \
	/* The sign-up blocklist: a domain ("example.com", also its subdomains) or an address. */ \
	X(int, spam_block_add, (struct store *st, const char *pattern, const char *by), (st, pattern, by)) \
	X(int, spam_block_remove, (struct store *st, const char *pattern), (st, pattern)) \
	X(int, spam_block_list, (struct store *st, struct arena *a, const char ***out, size_t *n), (st, a, out, n)) \
	/* Whether email, or its domain or a parent domain, is on the blocklist. */ \
	X(int, spam_blocked, (struct store *st, const char *email, bool *blocked), (st, email, blocked)) \
	/* Deletes every comment user_id wrote (kept in quarantine with the entry log_id, as a moderator's delete); *n how many. */ \
	X(int, comments_remove_by_user, (struct store *st, int64_t user_id, int64_t log_id, int64_t *n), (st, user_id, log_id, n)) \
	/* ---- Mutes (sqlite_site.c) ---- */ \
	/* Mutes (on) or unmutes a target for user_id: Q_ETOOBIG once the reader has max mutes (0 when already so). Changes nothing anyone else sees: no change event. */ \
	X(int, mute_set, (struct store *st, int64_t user_id, int kind, int64_t target, bool on, int max), (st, user_id, kind, target, on, max)) \
	/* A reader's mutes with their names now, accounts first. */ \
	X(int, mutes_list, (struct store *st, struct arena *a, int64_t user_id, struct mute **out, size_t *n), (st, a, user_id, out, n)) \
	/* The dashboard's numbers; signups and works_posted count from since. */ \
	X(int, site_stats, (struct store *st, struct arena *a, int64_t since, struct site_stats *out), (st, a, since, out))

#endif
