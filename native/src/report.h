/* The one JSON object an engine process prints on stdout when it ends. */
#ifndef CB_REPORT_H
#define CB_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "conn.h"
#include "histogram.h"
#include "options.h"
#include "window.h"

struct cb_totals {
    uint64_t window_bytes, window_messages;   /* payload, inside the window */
    uint64_t bytes, messages;                 /* whole run */
    uint64_t send_calls, short_writes;
    uint64_t window_mode_wait_ns;             /* the send path's own waits, summed over connections */
    uint64_t verified, integrity_errors;
    uint64_t rejected_connections;
    void *path_stats;                         /* the send path's own totals (server), or NULL */
    const struct cb_histogram *latency;       /* client request/response, else NULL */
    int sndbuf_granted;                       /* server with --sndbuf: the least SO_SNDBUF read back; 0 unknown */
};

/* Adds one server connection, including the send path's own statistics and,
 * with --sndbuf, the send buffer the kernel granted it (read back while open). */
void cb_totals_add_conn(struct cb_totals *t, const struct cb_send_mode *mode, const struct cb_conn *c);
void cb_report_print(FILE *out, const struct cb_options *o, const struct cb_window *w,
                     const struct cb_totals *t);

#endif
