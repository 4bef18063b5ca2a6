/* Confusable skeletons (UTS #39) of user names: the same ICU skeletons that flag look-alike tags. */
#include "archive/names.h"
#include "core/log.h"
#include "core/tagname.h"

const char *archive_name_skeleton(struct arena *a, const char *name)
{
	if (!name)
		return NULL;
	/* A skeleton does not depend on the checks a spoof checker is set to, so names and tags share one. */
	const char *s = tagname_skeleton(a, name);
	if (!s)
		log_error("names: no skeleton for a name");
	return s;
}
