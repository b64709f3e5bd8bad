/* The two roles of copybench-engine. Each returns the process exit status:
 * 0 when the run was clean; otherwise it has printed one error line. */
#ifndef CB_ROLES_H
#define CB_ROLES_H

#include "options.h"

int cb_server_run(const struct cb_options *o);
int cb_client_run(const struct cb_options *o);
/* udp-sink: the sender (server role) and the optional verifying receiver (client role). */
int cb_udp_sink_run(const struct cb_options *o);
int cb_udp_receiver_run(const struct cb_options *o);

/* One "copybench-engine: error: ..." line on stderr. */
void cb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* When threads exceed 8 per online CPU, a timeout or an early close is most
 * likely the overload itself: writes "1000 client threads on 2 CPUs: " into
 * buf as the message's start; else "". role: "client" or "server". */
void cb_overload(char *buf, size_t len, unsigned threads, const char *role);

/* How long, after its window, a process waits for its peer's half of the
 * end-of-cell handshake (README, "How a cell runs"). */
#define CB_GRACE_MS 5000
/* How long a blocked call waits before it looks at the stop flag again. */
#define CB_POLL_MS 200
/* Longest wait for one connect (a full backlog drops SYNs; the retransmits
 * come after 1 s and 3 s), and for the server to accept every connection and
 * prepare it (1024 zero-copy pools take seconds); less when --deadline-ms is nearer. */
#define CB_CONNECT_MS 5000
#define CB_PREPARE_MS 60000
/* Longest a connection may take to send its hello once accepted. */
#define CB_HELLO_MS 2000
/* Longest the server waits for all its clients to connect. */
#define CB_ACCEPT_MS 30000

#endif
