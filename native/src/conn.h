/* One connection (a TCP connection, or a connected UDP socket for udp-sink)
 * of the engine and what every send path counts on it. What a path counts
 * beyond this lives in the path's own state (see send_mode.h). Window
 * accounting: bytes and messages are counted "in the window" only while the
 * process's phase is CB_PHASE_MEASURE (see window.h). */
#ifndef CB_CONN_H
#define CB_CONN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "window.h"

struct cb_send_stats {
    uint64_t bytes, messages;           /* whole run */
    uint64_t window_bytes, window_messages;
    uint64_t send_calls, short_writes;
};

struct cb_conn {
    int fd;
    int datagram;                /* a UDP socket: one message is one datagram, never resumed */
    size_t size;                 /* message size */
    unsigned pool;               /* messages in flight per connection for paths that keep
                                    several (--zc-pool; 0: the path's default) */
    int nonblocking;             /* sends use MSG_DONTWAIT and poll for room */
    int sndbuf_asked;            /* --sndbuf set on it; 0: the kernel's autotuning */
    const struct cb_window *window;
    const atomic_bool *stop;     /* set by the main thread to end a blocked sender */
    void *state;                 /* private to the send path */
    struct cb_send_stats stats;
    /* stats.bytes and .messages again, stored atomically for the window's
     * progress sampler (one writer: a plain store on x86) */
    _Atomic uint64_t progress_bytes, progress_messages;
    char why[200];               /* a path may explain its failure here; "" otherwise */
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
    atomic_store_explicit(&c->progress_bytes, c->stats.bytes, memory_order_relaxed);
    if (cb_conn_in_window(c))
        c->stats.window_bytes += n;
}

static inline void cb_conn_message_done(struct cb_conn *c)
{
    c->stats.messages++;
    atomic_store_explicit(&c->progress_messages, c->stats.messages, memory_order_relaxed);
    if (cb_conn_in_window(c))
        c->stats.window_messages++;
}

#endif
