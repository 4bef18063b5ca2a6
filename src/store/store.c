/* The store's public face: the store_* wrappers that dispatch to the backend, and tag type names. */
#include "store/store.h"

const char *tag_type_key(enum tag_type t)
{
	static const char *const keys[TAG_TYPE_COUNT] = {
		[TAG_RATING] = "rating",
		[TAG_WARNING] = "warnings",
		[TAG_CATEGORY] = "categories",
		[TAG_FANDOM] = "fandoms",
		[TAG_RELATIONSHIP] = "relationships",
		[TAG_CHARACTER] = "characters",
		[TAG_FREEFORM] = "freeforms",
	};
	return (unsigned)t < TAG_TYPE_COUNT ? keys[t] : "";
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

/* return for the int operations, nothing for the void ones. */
#define STORE_RET_int return
#define STORE_RET_void
#define STORE_OP_WRAPPER(ret, name, params, args) \
	ret store_##name params \
	{ \
		STORE_RET_##ret st->ops->name args; \
	}
STORE_OPS(STORE_OP_WRAPPER)
#undef STORE_OP_WRAPPER
