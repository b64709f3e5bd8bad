/* A send path is one struct of functions and everything path-specific lives
 * behind it: its per-connection state (c->state), its statistics and their
 * JSON section, its capability probe, its completion handling and its drain.
 * Adding a path means one new mode_*.c file and one line in modes.c; the
 * server, the report and the registry name no path. */
#ifndef CB_SEND_MODE_H
#define CB_SEND_MODE_H

#include <stdio.h>
#include <sys/uio.h>

#include "conn.h"

/* Which sockets a path can send on. */
#define CB_OVER_TCP 1u
#define CB_OVER_UDP 2u

struct cb_send_mode {
    const char *name;
    unsigned transports;         /* CB_OVER_TCP | CB_OVER_UDP */
    /* 1 when this process can use the path (kernel, sysctls, seccomp), else 0
     * with a one-line reason in why. NULL: always available. */
    int (*probe)(char *why, size_t why_len);
    /* Allocates the path's per-connection state into c->state. 0, or -1 with errno. */
    int (*open)(struct cb_conn *c);
    /* Sends one whole message stamped with seq; 0, or -1 with errno (and
     * perhaps an explanation in c->why). */
    int (*send_message)(struct cb_conn *c, uint32_t seq);
    /* Called once no more messages will be sent: waits (bounded) for anything
     * still owed, e.g. zero-copy completions. 0, or -1 with errno. NULL: nothing owed. */
    int (*finish)(struct cb_conn *c, long timeout_ms);
    void (*close)(struct cb_conn *c);

    /* The path's own statistics, summed over connections: stats_size bytes
     * (zeroed) hold the total; stats_add adds one connection's (before close);
     * stats_json writes the path's members, each preceded by a comma;
     * stats_check says whether the totals are consistent (0, or -1 with a
     * message). All 0/NULL for a path that counts nothing of its own. */
    size_t stats_size;
    void (*stats_add)(void *total, const struct cb_conn *c);
    void (*stats_json)(FILE *out, const void *total);
    int (*stats_check)(const void *total, char *err, size_t errlen);
};

const struct cb_send_mode *cb_send_mode_find(const char *name);
/* "two-copy, one-copy, ...": for usage and error messages. */
const char *cb_send_mode_names(void);
/* The registry, in order: for --list-modes. */
unsigned cb_send_mode_count(void);
const struct cb_send_mode *cb_send_mode_at(unsigned i);
/* 1 when available, else 0 with the reason in why; unknown names are unavailable. */
int cb_send_mode_probe(const struct cb_send_mode *m, char *why, size_t why_len);

/* What a path adds to cb_sendmsg_all; any member may be NULL. */
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

/* After a send call failed (returned -1): 0 to call it again (interrupted, or
 * no room and cb_send_wait says to retry), -1 to give up with errno. Every
 * send loop's answer to EINTR and EAGAIN, in one place. */
int cb_send_retry(struct cb_conn *c, int (*on_error_queue)(struct cb_conn *c));

/* Sends the whole iovec with sendmsg(flags), resuming short writes by
 * advancing the iovec. 0, or -1 with errno. */
int cb_sendmsg_all(struct cb_conn *c, struct iovec *iov, int iovcnt, int flags,
                   const struct cb_send_hooks *hooks);

/* Advances an iovec past n bytes (a short write's resume point). */
void cb_iov_advance(struct iovec **iov, int *iovcnt, size_t n);

#endif
