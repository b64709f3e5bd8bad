/* io-uring-zc: IORING_OP_SENDMSG_ZC with the 8-entry iovec, the io_uring twin
 * of MSG_ZEROCOPY + iovec. The kernel reads a buffer until the request's
 * notification CQE (IORING_CQE_F_NOTIF), so messages come from a pool and a
 * message is rewritten only after every request that sent from it is settled
 * (uzc_ledger.c). Copies are counted with IORING_SEND_ZC_REPORT_USAGE; a
 * kernel that refuses the flag leaves the copied share unknown, not 0.
 *
 * The guard: independently of the ledger, each request's user_data carries
 * its buffer, and a per-buffer count of notifications announced minus read is
 * kept from the CQEs alone; reusing a buffer whose count is not 0 aborts. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "memory.h"
#include "message.h"
#include "roles.h"
#include "send_mode.h"
#include "uring.h"
#include "uzc_ledger.h"

/* Longest we wait for one notification before giving up on the connection. */
#define STALL_LIMIT_MS 10000
#define BUFFER_BITS 16   /* user_data = token << 16 | buffer; --zc-pool is at most 65536 */

struct uring_zc {
    struct cb_zc_stats stats;
    struct cb_uring u;
    struct cb_uzc_ledger ledger;
    struct cb_message *pool;
    unsigned pool_size;
    unsigned next;        /* round-robin cursor over the pool */
    unsigned current;     /* buffer of the message being sent */
    int *owed;            /* the guard: per buffer, notifications announced minus read */
    uint16_t zc_flags;
};

static const char *const USAGE_REFUSED = "the kernel refused IORING_SEND_ZC_REPORT_USAGE (before Linux 6.2)";

/* Does the kernel accept IORING_SEND_ZC_REPORT_USAGE? A request on an
 * unconnected UDP socket fails after the flags are checked (EDESTADDRREQ);
 * EINVAL only with the flag means the flag is what the kernel refused. */
static int try_zc_flags(uint16_t flags)
{
    struct io_uring ring;
    if (io_uring_queue_init(4, &ring, 0) < 0)
        return -ENOSYS;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    char byte = 0;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    int res = -EBADF;
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    if (fd >= 0 && sqe != NULL) {
        io_uring_prep_sendmsg_zc(sqe, fd, &msg, MSG_DONTWAIT);
        sqe->ioprio |= flags;
        io_uring_submit(&ring);
        struct io_uring_cqe *cqe;
        /* the result, then perhaps a notification: the first is the result */
        if (io_uring_wait_cqe(&ring, &cqe) == 0) {
            res = cqe->res;
            io_uring_cqe_seen(&ring, cqe);
        }
    }
    if (fd >= 0)
        close(fd);
    io_uring_queue_exit(&ring);
    return res;
}

static int report_usage_supported(void)
{
    return !(try_zc_flags(IORING_SEND_ZC_REPORT_USAGE) == -EINVAL && try_zc_flags(0) != -EINVAL);
}

static int uring_zc_probe(char *why, size_t why_len)
{
    return cb_uring_probe(IORING_OP_SENDMSG_ZC, "IORING_OP_SENDMSG_ZC (Linux 6.1)", why, why_len);
}

static void uring_zc_close(struct cb_conn *c)
{
    struct uring_zc *s = c->state;
    if (s == NULL)
        return;
    cb_uring_exit(&s->u);   /* before the buffers: nothing of ours in flight after this */
    for (unsigned i = 0; s->pool != NULL && i < s->pool_size; i++)
        cb_message_free(&s->pool[i]);
    free(s->pool);
    free(s->owed);
    cb_uzc_ledger_destroy(&s->ledger);
    free(s);
    c->state = NULL;
}

static int uring_zc_open(struct cb_conn *c)
{
    struct uring_zc *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        cb_explain_oom(c->why, sizeof(c->why), "the io-uring-zc state", 0, sizeof(*s));
        return -1;
    }
    c->state = s;
    s->pool_size = c->pool ? c->pool : cb_zc_default_pool(c->size);
    s->pool = calloc(s->pool_size, sizeof(*s->pool));
    s->owed = calloc(s->pool_size, sizeof(*s->owed));
    /* the completion queue holds every notification the ledger lets be owed */
    if (s->pool == NULL || s->owed == NULL || cb_uzc_ledger_init(&s->ledger, 4096, s->pool_size, &s->stats) < 0) {
        cb_explain_oom(c->why, sizeof(c->why), "the io-uring-zc ledger", 0,
                       (uint64_t)s->pool_size * (sizeof(*s->pool) + 8) + 20480);
        uring_zc_close(c);
        errno = ENOMEM;
        return -1;
    }
    if (cb_uring_init(&s->u, 2 * 4096) < 0) {
        int err = errno;
        cb_uring_explain_init(c->why, sizeof(c->why), 2 * 4096, err);
        uring_zc_close(c);
        errno = err;
        return -1;
    }
    for (unsigned i = 0; i < s->pool_size; i++) {
        if (cb_message_build(&s->pool[i], c->size) < 0) {
            cb_explain_oom(c->why, sizeof(c->why), "the io-uring-zc pool", s->pool_size, c->size);
            uring_zc_close(c);
            errno = ENOMEM;
            return -1;
        }
    }
    if (report_usage_supported())
        s->zc_flags = IORING_SEND_ZC_REPORT_USAGE;
    else
        s->stats.copied_unknown = USAGE_REFUSED;
    return 0;
}

static void on_notification(void *arg, uint64_t user_data, int32_t res, uint32_t flags)
{
    struct uring_zc *s = arg;
    if (!(flags & IORING_CQE_F_NOTIF)) {   /* a result nobody waits for: cannot happen */
        s->stats.reconcile_errors++;
        return;
    }
    unsigned buffer = (unsigned)(user_data & ((1u << BUFFER_BITS) - 1));
    if (buffer < s->pool_size)
        s->owed[buffer]--;
    int copied = s->stats.copied_unknown == NULL && ((uint32_t)res & IORING_NOTIF_USAGE_ZC_COPIED) != 0;
    cb_uzc_ledger_notify(&s->ledger, user_data >> BUFFER_BITS, copied);
}

static void on_result(void *arg, uint64_t user_data, int32_t res, int more)
{
    struct uring_zc *s = arg;
    if (more)
        s->owed[user_data & ((1u << BUFFER_BITS) - 1)]++;
    cb_uzc_ledger_result(&s->ledger, user_data >> BUFFER_BITS, res, more);
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Reads notifications until pred holds; -1 (ETIMEDOUT) if they stop coming. */
static int wait_until(struct cb_conn *c, int (*pred)(struct uring_zc *s), long limit_ms, int honour_stop)
{
    struct uring_zc *s = c->state;
    const struct cb_uring_sink sink = { .cqe = on_notification, .arg = s };
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!pred(s)) {
        if (cb_uring_reap(&s->u, 100, &sink) < 0)
            return -1;
        if (!pred(s) && (elapsed_ms(&start) > limit_ms || (honour_stop && atomic_load(c->stop)))) {
            errno = ETIMEDOUT;
            return -1;
        }
    }
    return 0;
}

static int next_buffer_free(struct uring_zc *s)
{
    return cb_uzc_ledger_buffer_free(&s->ledger, s->next);
}

static int ledger_has_room(struct uring_zc *s)
{
    return !cb_uzc_ledger_full(&s->ledger);
}

static int all_settled(struct uring_zc *s)
{
    return cb_uzc_ledger_outstanding(&s->ledger) == 0;
}

/* A wait of the path's own, for notifications to free a buffer or the ledger:
 * its time, measured (mode_wait_s), never a stall of the flow. */
static int waited(struct cb_conn *c, int (*pred)(struct uring_zc *s))
{
    cb_conn_wait_begin(c);
    int r = wait_until(c, pred, STALL_LIMIT_MS, 1);
    cb_conn_wait_end(c);
    return r;
}

static int next_token(void *arg, uint64_t *user_data)
{
    struct cb_conn *c = arg;
    struct uring_zc *s = c->state;
    if (!ledger_has_room(s) && waited(c, ledger_has_room) < 0)
        return -1;
    uint64_t token = cb_uzc_ledger_submit(&s->ledger, s->current);
    *user_data = token << BUFFER_BITS | s->current;
    return 0;
}

static void result_of(void *arg, uint64_t user_data, int32_t res, int more)
{
    struct cb_conn *c = arg;
    on_result(c->state, user_data, res, more);
}

static int uring_zc_send(struct cb_conn *c, uint32_t seq)
{
    struct uring_zc *s = c->state;
    const struct cb_uring_sink sink = { .cqe = on_notification, .arg = s };
    if (cb_uring_reap(&s->u, 0, &sink) < 0)
        return -1;
    if (!next_buffer_free(s)) {
        s->stats.pool_waits++;
        if (waited(c, next_buffer_free) < 0)
            return -1;
    }
    unsigned buffer = s->next;
    if (s->owed[buffer] != 0) {   /* the guard: never rewrite what the kernel may still read */
        cb_error("io-uring-zc: buffer %u about to be rewritten with %d notification(s) outstanding", buffer,
                 s->owed[buffer]);
        abort();
    }
    s->next = (s->next + 1) % s->pool_size;
    s->current = buffer;
    struct cb_message *m = &s->pool[buffer];
    struct iovec iov[CB_FIELDS];
    cb_message_stamp(m, seq);
    cb_message_iov(m, iov);
    const struct cb_uring_send how = {
        .zero_copy = 1, .zc_flags = s->zc_flags, .token = next_token, .result = result_of, .arg = c, .sink = sink,
    };
    if (cb_uring_sendmsg_all(&s->u, c, iov, CB_FIELDS, &how) < 0) {
        if (errno == EMSGSIZE && c->datagram)
            cb_zc_explain_emsgsize(c->why, sizeof(c->why), cb_message_pages(m));
        return -1;
    }
    cb_conn_message_done(c);
    return 0;
}

static int uring_zc_finish(struct cb_conn *c, long timeout_ms)
{
    return wait_until(c, all_settled, timeout_ms, 0);
}

static void uring_zc_stats_add(void *total, const struct cb_conn *c)
{
    const struct uring_zc *s = c->state;
    if (s != NULL)
        cb_zc_stats_add(total, &s->stats);
}

static void uring_zc_stats_json(FILE *out, const void *total)
{
    cb_zc_stats_json(out, total, 1);
}

static int uring_zc_stats_check(const void *total, char *err, size_t errlen)
{
    return cb_zc_stats_check(total, 1, err, errlen);
}

const struct cb_send_mode cb_mode_io_uring_zc = {
    .name = "io-uring-zc",
    .transports = CB_OVER_TCP | CB_OVER_UDP,
    .probe = uring_zc_probe,
    .open = uring_zc_open,
    .send_message = uring_zc_send,
    .finish = uring_zc_finish,
    .close = uring_zc_close,
    .stats_size = sizeof(struct cb_zc_stats),
    .stats_add = uring_zc_stats_add,
    .stats_json = uring_zc_stats_json,
    .stats_check = uring_zc_stats_check,
};
