/* Roles: the people who look after the archive (admins, moderators, wranglers) and what each role may do.
 * One table of powers, so pages, the API and the CLI ask the same question the same way. */
#ifndef QUIRE_ARCHIVE_ROLES_H
#define QUIRE_ARCHIVE_ROLES_H
#include <stdbool.h>
#include "store/store.h"

/* Every role an account may hold ("orphan" is the orphan account's, never granted). */
extern const char *const archive_roles[]; /* "user", "moderator", "wrangler", "admin", NULL */
bool archive_role_known(const char *role);

/* What a role may do. Admins may do everything; moderators look after people and what they post; wranglers
 * look after tags. */
enum archive_power {
	POWER_REPORTS,      /* read and handle abuse reports */
	POWER_HIDE_WORKS,   /* hide works (and show them again) */
	POWER_COMMENTS,     /* delete any comment, lock a work's comments */
	POWER_BOOKMARKS,    /* remove bookmarks */
	POWER_SUSPEND,      /* suspend accounts for a time */
	POWER_SPAM,         /* the spam queue: spam or ham */
	POWER_LOG,          /* read the audit log */
	POWER_BAN,          /* ban accounts for good */
	POWER_DELETE_WORKS, /* delete works (restorable for a while) */
	POWER_RENAME,       /* change a user name */
	POWER_ROLES,        /* grant and take roles */
	POWER_SETTINGS,     /* site settings, sign-up mode, blocklists */
	POWER_SITE_PAGES,   /* site pages, terms, news, the banner */
	POWER_INVITATIONS,  /* the invitation queue and codes for anyone */
	POWER_WRANGLE,      /* tags */
	POWER_COUNT
};
bool archive_may(const struct user *u, enum archive_power p);

bool archive_is_admin(const struct user *u);
/* Moderators and admins: the people who see hidden works and act on reports. */
bool archive_is_moderator(const struct user *u);
/* Whether actor may act as a moderator on target's account or what target posted: never on themselves
 * (except to show their own things again), never a moderator on an admin or another moderator. */
bool archive_may_act_on(const struct user *actor, const struct user *target);
#endif
