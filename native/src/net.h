/* Small socket helpers shared by server and client. */
#ifndef CB_NET_H
#define CB_NET_H

#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

int cb_sockaddr(const char *address, unsigned port, struct sockaddr_in *out);
/* Send and receive timeouts, so blocked threads notice a stop request. */
int cb_set_timeouts(int fd, long ms);
int cb_set_buffers(int fd, int sndbuf, int rcvbuf);
/* SO_SNDBUF as the kernel holds it: twice what was asked (its bookkeeping),
 * capped at twice net.core.wmem_max, at least its minimum (about 4.5 KiB).
 * -1 with errno when it cannot be read. */
int cb_sndbuf_granted(int fd);
/* Receives exactly len bytes. 1 when done, 0 on orderly EOF before any byte,
 * -1 with errno otherwise (ETIMEDOUT once *stop is set, EPROTO on EOF mid-way). */
int cb_recv_exact(int fd, void *buf, size_t len, const atomic_bool *stop);
int cb_send_exact(int fd, const void *buf, size_t len, const atomic_bool *stop);
/* Receives exactly len bytes within timeout_ms: 1, 0 on EOF before any byte,
 * -1 with errno (ETIMEDOUT when the time is up). */
int cb_recv_exact_within(int fd, void *buf, size_t len, long timeout_ms);
/* connect() that gives up after timeout_ms with ETIMEDOUT (a full listen
 * backlog drops SYNs: the first retransmit comes after 1 s). 0, or -1 with errno. */
int cb_connect_within(int fd, const struct sockaddr_in *addr, long timeout_ms);

/* --ready-file: creates path (refusing an existing file: it may be a user's)
 * holding "<port>\n", written by one write() so a reader that sees a non-empty
 * file sees the whole line. 0, or -1 with a message naming the option in err. */
int cb_write_ready_file(const char *path, unsigned port, char *err, size_t errlen);

#endif
