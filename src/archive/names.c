/* Confusable skeletons (UTS #39) through ICU's spoof checker, opened once and shared by all threads. */
#include "archive/names.h"
#include "core/log.h"
#include <pthread.h>
#include <string.h>
#include <unicode/uspoof.h>

static USpoofChecker *checker;
static pthread_once_t checker_once = PTHREAD_ONCE_INIT;

static void checker_open(void)
{
	UErrorCode status = U_ZERO_ERROR;
	checker = uspoof_open(&status);
	if (U_FAILURE(status)) {
		log_error("names: ICU spoof checker: %s", u_errorName(status));
		checker = NULL;
	}
}

const char *archive_name_skeleton(struct arena *a, const char *name)
{
	pthread_once(&checker_once, checker_open);
	if (!checker || !name)
		return NULL;
	/* A skeleton is a few times longer than its name at most; ICU says how much it needs when short. */
	int32_t cap = (int32_t)strlen(name) * 4 + 16;
	for (int tries = 0; tries < 2; tries++) {
		char *out = arena_alloc(a, (size_t)cap);
		UErrorCode status = U_ZERO_ERROR;
		/* Shared use of one checker is safe once it is configured (ICU: "thread safe for checking"). */
		int32_t n = uspoof_getSkeletonUTF8(checker, 0, name, -1, out, cap, &status);
		if (status == U_BUFFER_OVERFLOW_ERROR) {
			cap = n + 1;
			continue;
		}
		if (U_FAILURE(status) || n >= cap)
			break;
		out[n] = '\0';
		return out;
	}
	log_error("names: no skeleton for a name");
	return NULL;
}
