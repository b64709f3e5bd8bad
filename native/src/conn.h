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
    uint64_t mode_wait_ns, window_mode_wait_ns;   /* the path's own waits (see cb_conn_wait_begin) */
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
    /* stats.mode_wait_ns again, and when the wait under way began (0: none) */
    _Atomic uint64_t progress_wait_ns, wait_since_ns;
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

/* A wait that is the path's own (zero-copy waiting for completions to free a
 * pool buffer, or draining them on ENOBUFS): time the mode costs, measured and
 * reported, and progress for the sampler, never a stall of the flow. */
static inline void cb_conn_wait_begin(struct cb_conn *c)
{
    atomic_store_explicit(&c->wait_since_ns, cb_now_ns(), memory_order_relaxed);
}

static inline void cb_conn_wait_end(struct cb_conn *c)
{
    uint64_t since = atomic_load_explicit(&c->wait_since_ns, memory_order_relaxed);
    if (since == 0)
        return;
    uint64_t waited = cb_now_ns() - since;
    c->stats.mode_wait_ns += waited;
    if (cb_conn_in_window(c))
        c->stats.window_mode_wait_ns += waited;
    atomic_store_explicit(&c->progress_wait_ns, c->stats.mode_wait_ns, memory_order_relaxed);
    atomic_store_explicit(&c->wait_since_ns, 0, memory_order_relaxed);
}

/* For the sampler: the path's waits so far, the one under way included. */
static inline uint64_t cb_conn_waited_ns(const struct cb_conn *c, uint64_t now)
{
    uint64_t since = atomic_load_explicit(&c->wait_since_ns, memory_order_relaxed);
    uint64_t waited = atomic_load_explicit(&c->progress_wait_ns, memory_order_relaxed);
    return waited + (since != 0 && now > since ? now - since : 0);
}

#endif
