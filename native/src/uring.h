/* What the io_uring send paths share: one ring per connection, a probe that
 * says why io_uring cannot be used (kernel.io_uring_disabled, seccomp, an old
 * kernel), and one send request at a time resubmitted until the whole
 * message is sent. One request at a time keeps a TCP byte stream in message
 * order: a short send's rest must go before the next message. */
#ifndef CB_URING_H
#define CB_URING_H

#include <liburing.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conn.h"

/* liburing 2.3 (Debian 12) predates these; the kernel (6.0+) knows them. */
#ifndef IORING_SEND_ZC_REPORT_USAGE
#define IORING_SEND_ZC_REPORT_USAGE (1U << 3)
#endif
#ifndef IORING_NOTIF_USAGE_ZC_COPIED
#define IORING_NOTIF_USAGE_ZC_COPIED (1U << 31)
#endif

/* user_data of requests whose completion nobody wants (a cancel's own). */
#define CB_URING_IGNORE UINT64_MAX

/* Completions seen while waiting for a send's result, other than that result
 * (the zero-copy path's notifications). */
struct cb_uring_sink {
    void (*cqe)(void *arg, uint64_t user_data, int32_t res, uint32_t flags);
    void *arg;
};

struct cb_uring {
    struct io_uring ring;
    int ready;
};

/* A ring able to hold cq_entries completions unread. 0, or -1 with errno. */
int cb_uring_init(struct cb_uring *u, unsigned cq_entries);
void cb_uring_exit(struct cb_uring *u);
/* Why cb_uring_init failed with err, for c->why: ENOMEM names the ring (and,
 * before Linux 5.12, RLIMIT_MEMLOCK, which rings were charged to). */
void cb_uring_explain_init(char *why, size_t len, unsigned cq_entries, int err);

/* 1 when a ring can be created and the kernel supports opcode, else 0 with
 * the reason in why. */
int cb_uring_probe(int opcode, const char *opname, char *why, size_t why_len);

/* How a sendmsg request is prepared. */
struct cb_uring_send {
    int zero_copy;              /* IORING_OP_SENDMSG_ZC, else IORING_OP_SENDMSG */
    uint16_t zc_flags;          /* e.g. IORING_SEND_ZC_REPORT_USAGE */
    /* Gives the user_data of the next request; may refuse (-1 with errno). */
    int (*token)(void *arg, uint64_t *user_data);
    /* The request's result; more: a notification will follow. */
    void (*result)(void *arg, uint64_t user_data, int32_t res, int more);
    void *arg;
    struct cb_uring_sink sink;
};

/* Sends the whole iovec with one request at a time, resuming short sends
 * (res < requested) by advancing the iovec, waiting for room on EAGAIN.
 * The iovec is modified. 0, or -1 with errno (ETIMEDOUT once *c->stop is set). */
int cb_uring_sendmsg_all(struct cb_uring *u, struct cb_conn *c, struct iovec *iov, int iovcnt,
                         const struct cb_uring_send *how);

/* Reads completions for up to timeout_ms (0: only those already there),
 * handing each to the sink. Returns how many, or -1 with errno. */
int cb_uring_reap(struct cb_uring *u, long timeout_ms, const struct cb_uring_sink *sink);

#endif
