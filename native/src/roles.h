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

/* How long, after its window, a process waits for its peer to finish. */
#define CB_GRACE_MS 5000
/* How long the client keeps its peer busy after its window, uncounted. */
#define CB_TAIL_MS 100
/* How long a blocked call waits before it looks at the stop flag again. */
#define CB_POLL_MS 200

#endif
