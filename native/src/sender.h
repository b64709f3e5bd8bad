/* The sending half the server and the UDP sink share: one thread per
 * connection driving the send path through the workload, then the window,
 * the drain, the totals and the report. Names no send path. */
#ifndef CB_SENDER_H
#define CB_SENDER_H

#include <pthread.h>
#include <stdatomic.h>

#include "conn.h"
#include "options.h"

struct cb_sender {
    pthread_t thread;
    struct cb_conn conn;
    const struct cb_options *o;
    int failed;
    char error[320];
    atomic_bool finished;
};

/* Fills s->conn for fd with the options' size, pool and blocking mode. */
void cb_sender_init(struct cb_sender *s, const struct cb_options *o, int fd, int datagram,
                    const struct cb_window *window, const atomic_bool *stop);

/* Starts every sender's thread, runs the window, waits for the senders (the
 * peer's close, or the window's end for udp-sink), drains the send path,
 * closes the connections and prints the report. Returns the exit status. */
int cb_senders_run(struct cb_sender *s, unsigned n, const struct cb_options *o, struct cb_window *window,
                   atomic_bool *stop, int rejected_connections);

#endif
