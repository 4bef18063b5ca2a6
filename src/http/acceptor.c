/* The listening socket's own thread: accepts connections and hands each to libmicrohttpd.
 *
 * Why not let MHD accept: MHD 0.9.75's MHD_quiesce_daemon (the only way to make it stop accepting while
 * requests finish) races with its own epoll worker threads, which also take the listening socket out
 * of their epoll sets once they see the quiesce flag; whichever loses gets ENOENT, and MHD aborts the
 * process ("Failed to remove listen FD from epoll set"). Owning the socket makes a graceful stop a
 * plain close. The cost is one hand-over per new connection, not per request: connections are kept
 * alive. */
#include "http/acceptor.h"
#include "core/alloc.h"
#include "core/log.h"
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define OUT_OF_FDS_PAUSE_MS 100 /* when descriptors run out, the backlog waits instead of spinning */

struct acceptor {
	int listen_fd;
	int wake[2]; /* a byte written to wake[1] tells the thread to end */
	struct MHD_Daemon *daemon;
	pthread_t thread;
};

static bool out_of_resources(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

/* Accepts everything waiting in the backlog. Returns false when descriptors ran out. */
static bool accept_backlog(struct acceptor *a)
{
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof addr;
		int fd = accept4(a->listen_fd, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return !out_of_resources(errno); /* EAGAIN: the backlog is empty */
		}
		/* MHD owns (and on failure closes) the socket from here; a refusal (connection or per-address
		 * limit reached) is MHD's to log. */
		(void)MHD_add_connection(a->daemon, fd, (const struct sockaddr *)&addr, len);
	}
}

static void *accept_loop(void *arg)
{
	struct acceptor *a = arg;
	bool warned = false;
	for (;;) {
		struct pollfd p[2] = {{.fd = a->listen_fd, .events = POLLIN}, {.fd = a->wake[0], .events = POLLIN}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("http: waiting for connections failed: %s", strerror(errno));
			break;
		}
		if (p[1].revents)
			break;
		if (accept_backlog(a)) {
			warned = false;
			continue;
		}
		if (!warned)
			log_warn("http: out of file descriptors: new connections wait (raise the open-file limit)");
		warned = true;
		struct timespec pause = {0, OUT_OF_FDS_PAUSE_MS * 1000000L};
		nanosleep(&pause, NULL);
	}
	return NULL;
}

struct acceptor *acceptor_start(int listen_fd, struct MHD_Daemon *daemon)
{
	struct acceptor *a = xcalloc(1, sizeof *a);
	a->listen_fd = listen_fd;
	a->daemon = daemon;
	if (pipe2(a->wake, O_CLOEXEC) != 0) {
		log_error("http: cannot create the acceptor's wake-up pipe: %s", strerror(errno));
		goto fail;
	}
	if (pthread_create(&a->thread, NULL, accept_loop, a) != 0) {
		log_error("http: cannot start the acceptor thread");
		close(a->wake[0]);
		close(a->wake[1]);
		goto fail;
	}
	return a;
fail:
	close(listen_fd);
	free(a);
	return NULL;
}

void acceptor_stop(struct acceptor *a)
{
	if (!a)
		return;
	char byte = 1;
	while (write(a->wake[1], &byte, 1) < 0 && errno == EINTR)
		;
	pthread_join(a->thread, NULL);
	close(a->listen_fd);
	close(a->wake[0]);
	close(a->wake[1]);
	free(a);
}
