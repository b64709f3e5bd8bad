/* A send path is one struct of functions. Adding a path (sendfile,
 * io_uring SEND_ZC) means one new mode_*.c file and one line in modes.c. */
#ifndef CB_SEND_MODE_H
#define CB_SEND_MODE_H

#include <sys/uio.h>

#include "conn.h"

struct cb_send_mode {
    const char *name;
    /* Allocates the mode's per-connection state (messages, buffers). */
    int (*open)(struct cb_conn *c);
    /* Sends one whole message stamped with seq; 0, or -1 with errno. */
    int (*send_message)(struct cb_conn *c, uint32_t seq);
    /* Called once no more messages will be sent: waits (bounded) for
     * anything still owed, e.g. zero-copy completions. 0, or -1 with errno. */
    int (*finish)(struct cb_conn *c, long timeout_ms);
    void (*close)(struct cb_conn *c);
};

const struct cb_send_mode *cb_send_mode_find(const char *name);
/* "two-copy, one-copy, zero-copy": for usage and error messages. */
const char *cb_send_mode_names(void);

/* What a mode adds to cb_sendmsg_all; any member may be NULL. */
struct cb_send_hooks {
    /* After each successful call (zero-copy registers the call's completion
     * id here); -1 aborts. */
    int (*after_call)(struct cb_conn *c, void *arg);
    void *arg;
    /* On ENOBUFS: make room, 0 to retry or -1 to give up. Without it ENOBUFS fails. */
    int (*on_enobufs)(struct cb_conn *c);
    /* A wait for room saw the error queue readable: read it. */
    int (*on_error_queue)(struct cb_conn *c);
};

/* Flags every send of the connection carries. */
int cb_send_flags(const struct cb_conn *c);

/* Called on EAGAIN: a blocking socket's send timeout expired, or a
 * non-blocking socket is full, in which case it polls up to CB_POLL_MS for
 * room. 0 to retry; -1 with ETIMEDOUT once *c->stop is set. */
int cb_send_wait(struct cb_conn *c, int (*on_error_queue)(struct cb_conn *c));

/* Sends the whole iovec with sendmsg(flags), resuming short writes by
 * advancing the iovec. 0, or -1 with errno. */
int cb_sendmsg_all(struct cb_conn *c, struct iovec *iov, int iovcnt, int flags,
                   const struct cb_send_hooks *hooks);

#endif
