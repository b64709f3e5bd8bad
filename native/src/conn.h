/* One TCP connection of the engine and what it counts. Window accounting:
 * bytes and messages are counted "in the window" only while the process's
 * phase is CB_PHASE_MEASURE (see window.h). */
#ifndef CB_CONN_H
#define CB_CONN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "window.h"

struct cb_zc_stats {
    uint64_t calls;             /* successful sendmsg(MSG_ZEROCOPY) calls */
    uint64_t completed;         /* calls covered by completion ranges */
    uint64_t copied;            /* of those, flagged SO_EE_CODE_ZEROCOPY_COPIED */
    uint64_t ranges;            /* completion notifications read */
    uint64_t enobufs;           /* ENOBUFS answers (option memory exhausted) */
    uint64_t reconcile_errors;  /* ids completed twice or never sent */
    uint64_t pool_waits;        /* times no buffer was free and we waited */
};

struct cb_send_stats {
    uint64_t bytes, messages;           /* whole run */
    uint64_t window_bytes, window_messages;
    uint64_t send_calls, short_writes;
};

struct cb_conn {
    int fd;
    size_t size;                 /* message size */
    unsigned zc_pool;            /* zero-copy buffers per connection (0: default) */
    int nonblocking;             /* sends use MSG_DONTWAIT and poll for room */
    const struct cb_window *window;
    const atomic_bool *stop;     /* set by the main thread to end a blocked sender */
    void *state;                 /* private to the send mode */
    struct cb_send_stats stats;
    struct cb_zc_stats zc;
};

static inline int cb_conn_in_window(const struct cb_conn *c)
{
    return cb_window_phase(c->window) == CB_PHASE_MEASURE;
}

/* Accounts n bytes handed to the kernel by one send call. */
static inline void cb_conn_sent(struct cb_conn *c, size_t n, size_t wanted)
{
    c->stats.send_calls++;
    c->stats.bytes += n;
    if (n < wanted)
        c->stats.short_writes++;
    if (cb_conn_in_window(c))
        c->stats.window_bytes += n;
}

static inline void cb_conn_message_done(struct cb_conn *c)
{
    c->stats.messages++;
    if (cb_conn_in_window(c))
        c->stats.window_messages++;
}

#endif
