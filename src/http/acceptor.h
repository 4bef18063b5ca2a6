/* The listening socket's own thread: accepts connections and hands each to libmicrohttpd; stopping it
 * closes the door at once (new connections are refused) while MHD finishes what it already has. */
#ifndef QUIRE_HTTP_ACCEPTOR_H
#define QUIRE_HTTP_ACCEPTOR_H

struct MHD_Daemon;
struct acceptor;

/* Starts accepting on listen_fd (non-blocking, already listening), which the acceptor owns from now on,
 * and closes when stopped. Returns NULL (and closes listen_fd) when the thread cannot start. */
struct acceptor *acceptor_start(int listen_fd, struct MHD_Daemon *daemon);

/* Stops accepting and closes the listening socket: connections not yet accepted are refused. Returns
 * after the thread has ended, so MHD can be stopped safely afterwards. NULL does nothing. */
void acceptor_stop(struct acceptor *a);

#endif
