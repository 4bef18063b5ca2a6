/* Descriptions of the Q_E* error codes. */
#include "core/err.h"

const char *err_str(int rc)
{
	switch (rc) {
	case Q_OK: return "ok";
	case Q_ENOTFOUND: return "not found";
	case Q_EEXIST: return "already exists";
	case Q_EINVAL: return "invalid input";
	case Q_EPERM: return "not allowed";
	case Q_ETOOBIG: return "too large";
	case Q_EBUSY: return "busy";
	case Q_EUNAVAIL: return "unavailable for now";
	default: return "internal error";
	}
}
