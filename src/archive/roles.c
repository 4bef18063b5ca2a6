/* Roles and their powers: one table says what admins, moderators and wranglers may do. */
#include "archive/roles.h"
#include <string.h>

const char *const archive_roles[] = {"user", "moderator", "wrangler", "admin", NULL};

bool archive_role_known(const char *role)
{
	for (size_t i = 0; role && archive_roles[i]; i++)
		if (!strcmp(role, archive_roles[i]))
			return true;
	return false;
}

static bool has_role(const struct user *u, const char *role)
{
	return u && u->role && !strcmp(u->role, role);
}

bool archive_is_admin(const struct user *u)
{
	return has_role(u, "admin");
}

bool archive_is_moderator(const struct user *u)
{
	return has_role(u, "moderator") || has_role(u, "admin");
}

bool archive_may(const struct user *u, enum archive_power p)
{
	if (archive_is_admin(u))
		return p >= 0 && p < POWER_COUNT;
	switch (p) {
	case POWER_REPORTS:
	case POWER_HIDE_WORKS:
	case POWER_COMMENTS:
	case POWER_BOOKMARKS:
	case POWER_SUSPEND:
	case POWER_SPAM:
	case POWER_LOG:
		return has_role(u, "moderator");
	case POWER_WRANGLE:
		return has_role(u, "wrangler");
	default:
		return false;
	}
}

bool archive_may_act_on(const struct user *actor, const struct user *target)
{
	if (!actor || !target || actor->id == target->id)
		return false;
	if (archive_is_admin(actor))
		return true;
	return archive_is_moderator(actor) && !archive_is_moderator(target);
}
