/* argon2id in a child process: one SOCK_SEQPACKET pair per slot, one request in flight on each. */
#include "auth/password_helper.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/log.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS_MAX 32

enum { OP_HASH = 1, OP_VERIFY = 2 };

struct request {
	uint32_t op;
	uint32_t pwlen;
	uint64_t ops, mem;
	char hash[PASSWORD_HASH_MAX]; /* OP_VERIFY: the stored hash, NUL-terminated */
	char pw[PASSWORD_MAX_LEN];    /* pwlen bytes are sent */
};

struct reply {
	int32_t rc; /* 0 done (or matched), 1 no match, -1 libsodium failed */
	char hash[PASSWORD_HASH_MAX];
};

/* The parent's side. fds and n are set before any thread starts and cleared after they are gone. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int fds[SLOTS_MAX];
	bool busy[SLOTS_MAX];
	unsigned n;
	bool dead; /* a request failed: the helper is gone, hash in process from now on */
	pid_t pid;
} helper = {.lock = PTHREAD_MUTEX_INITIALIZER, .freed = PTHREAD_COND_INITIALIZER, .pid = -1};

/* -- the child -- */

static void *serve_slot(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct request *rq = malloc(sizeof *rq);
	struct reply rp;
	if (!rq)
		goto done;
	for (;;) {
		ssize_t n = recv(fd, rq, sizeof *rq, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the server closed its end or died */
		memset(&rp, 0, sizeof rp);
		if ((size_t)n < offsetof(struct request, pw) || rq->pwlen > PASSWORD_MAX_LEN ||
		    (size_t)n != offsetof(struct request, pw) + rq->pwlen) {
			rp.rc = -1;
		} else if (rq->op == OP_HASH) {
			rp.rc = crypto_pwhash_str_alg(rp.hash, rq->pw, rq->pwlen, rq->ops, (size_t)rq->mem,
			                              crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
		} else if (rq->op == OP_VERIFY) {
			rq->hash[sizeof rq->hash - 1] = '\0';
			rp.rc = crypto_pwhash_str_verify(rq->hash, rq->pw, rq->pwlen) == 0 ? 0 : 1;
		} else {
			rp.rc = -1;
		}
		sodium_memzero(rq, sizeof *rq);
		if (send(fd, &rp, sizeof rp, MSG_NOSIGNAL) != (ssize_t)sizeof rp)
			break;
		sodium_memzero(&rp, sizeof rp);
	}
done:
	free(rq);
	close(fd);
	return NULL;
}

static void child_main(pid_t parent, int *fds, unsigned n)
{
	/* Lives exactly as long as the server: killed with it, and never stopped by a terminal's Ctrl-C
	 * (the server closes our sockets when it is done). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	prctl(PR_SET_NAME, "quire-argon2");
	/* Hashing is throughput work: when the CPU is short, pages and /healthz go first. The threads
	 * started below inherit this. Nothing the server waits on is held here, so nothing inverts. */
	setpriority(PRIO_PROCESS, 0, 5);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) { /* a pipe the server's parent reads to its end must not stay open because of us */
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	if (sodium_init() < 0)
		_exit(1);
	pthread_t threads[SLOTS_MAX];
	unsigned started = 0;
	for (unsigned i = 0; i < n; i++)
		if (pthread_create(&threads[started], NULL, serve_slot, (void *)(intptr_t)fds[i]) == 0)
			started++;
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	_exit(0);
}

/* -- the server's side -- */

int password_helper_start(unsigned slots)
{
	int mine[SLOTS_MAX], theirs[SLOTS_MAX];
	unsigned n = slots < 1 ? 1 : slots > SLOTS_MAX ? SLOTS_MAX : slots;
	unsigned made = 0;
	for (; made < n; made++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
			goto fail;
		mine[made] = sv[0];
		theirs[made] = sv[1];
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		for (unsigned i = 0; i < n; i++)
			close(mine[i]);
		child_main(parent, theirs, n);
	}
	for (unsigned i = 0; i < n; i++) {
		close(theirs[i]);
		helper.fds[i] = mine[i];
		helper.busy[i] = false;
	}
	helper.n = n;
	helper.dead = false;
	helper.pid = pid;
	return 0;
fail:
	log_warn("password helper: %s; hashing in process", strerror(errno));
	for (unsigned i = 0; i < made; i++)
		close(mine[i]), close(theirs[i]);
	return Q_ERR;
}

void password_helper_stop(void)
{
	pthread_mutex_lock(&helper.lock);
	for (unsigned i = 0; i < helper.n; i++)
		close(helper.fds[i]);
	helper.n = 0;
	pid_t pid = helper.pid;
	helper.pid = -1;
	pthread_cond_broadcast(&helper.freed);
	pthread_mutex_unlock(&helper.lock);
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

/* A free slot's index, or -1 when there is no helper. */
static int take_slot(void)
{
	int slot = -1;
	pthread_mutex_lock(&helper.lock);
	for (;;) {
		if (!helper.n || helper.dead)
			break;
		for (unsigned i = 0; i < helper.n && slot < 0; i++)
			if (!helper.busy[i])
				slot = (int)i;
		if (slot >= 0) {
			helper.busy[slot] = true;
			break;
		}
		pthread_cond_wait(&helper.freed, &helper.lock);
	}
	pthread_mutex_unlock(&helper.lock);
	return slot;
}

static void give_slot(int slot, bool failed)
{
	pthread_mutex_lock(&helper.lock);
	helper.busy[slot] = false;
	if (failed && !helper.dead) {
		helper.dead = true;
		log_warn("password helper stopped answering; hashing in process from now on");
	}
	pthread_cond_broadcast(&helper.freed);
	pthread_mutex_unlock(&helper.lock);
}

static int call(struct request *rq, struct reply *rp)
{
	int slot = take_slot();
	if (slot < 0)
		return Q_ENOTFOUND;
	int fd = helper.fds[slot];
	size_t len = offsetof(struct request, pw) + rq->pwlen;
	ssize_t n = send(fd, rq, len, MSG_NOSIGNAL);
	if (n == (ssize_t)len) {
		do
			n = recv(fd, rp, sizeof *rp, 0);
		while (n < 0 && errno == EINTR);
	}
	bool ok = n == (ssize_t)sizeof *rp;
	give_slot(slot, !ok);
	return ok ? 0 : Q_ENOTFOUND;
}

int password_helper_hash(const char *pw, size_t len, unsigned long long ops, size_t mem, char *out, size_t outlen)
{
	struct request rq = {.op = OP_HASH, .pwlen = (uint32_t)len, .ops = ops, .mem = mem};
	struct reply rp;
	if (len > PASSWORD_MAX_LEN)
		return Q_EINVAL;
	memcpy(rq.pw, pw, len);
	int rc = call(&rq, &rp);
	sodium_memzero(&rq, sizeof rq);
	if (rc != 0)
		return rc;
	if (rp.rc != 0 || strnlen(rp.hash, sizeof rp.hash) >= outlen)
		return Q_ERR;
	memcpy(out, rp.hash, strlen(rp.hash) + 1);
	return 0;
}

int password_helper_verify(const char *hash, const char *pw, size_t len, bool *ok)
{
	struct request rq = {.op = OP_VERIFY, .pwlen = (uint32_t)len};
	struct reply rp;
	if (len > PASSWORD_MAX_LEN || strlen(hash) >= sizeof rq.hash)
		return Q_EINVAL;
	memcpy(rq.pw, pw, len);
	memcpy(rq.hash, hash, strlen(hash) + 1);
	int rc = call(&rq, &rp);
	sodium_memzero(&rq, sizeof rq);
	if (rc != 0)
		return rc;
	*ok = rp.rc == 0;
	return 0;
}
