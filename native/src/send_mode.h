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

/* Sends the whole iovec with sendmsg(flags), resuming short writes by
 * advancing the iovec. after_call runs after each successful call (zero-copy
 * registers the call's completion id there; -1 aborts); on ENOBUFS, when on_enobufs is
 * given, it runs and the call is retried. EAGAIN (the socket's send timeout)
 * is retried until *c->stop is set. 0, or -1 with errno. */
int cb_sendmsg_all(struct cb_conn *c, struct iovec *iov, int iovcnt, int flags,
                   int (*after_call)(struct cb_conn *c, void *arg), void *arg,
                   int (*on_enobufs)(struct cb_conn *c));

#endif
