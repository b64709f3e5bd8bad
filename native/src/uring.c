#include "uring.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "roles.h"
#include "send_mode.h"

int cb_uring_init(struct cb_uring *u, unsigned cq_entries)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof(p));
    p.flags = IORING_SETUP_CQSIZE;
    p.cq_entries = cq_entries;
    int r = io_uring_queue_init_params(8, &u->ring, &p);
    if (r < 0) {
        errno = -r;
        return -1;
    }
    u->ready = 1;
    return 0;
}

void cb_uring_explain_init(char *why, size_t len, unsigned cq_entries, int err)
{
    if (err == ENOMEM)
        snprintf(why, len, "out of memory for an io_uring ring of %u completions "
                 "(before Linux 5.12: RLIMIT_MEMLOCK, ulimit -l)", cq_entries);
    else
        snprintf(why, len, "io_uring ring of %u completions: %s", cq_entries, strerror(err));
}

void cb_uring_exit(struct cb_uring *u)
{
    if (u->ready)
        io_uring_queue_exit(&u->ring);
    u->ready = 0;
}

int cb_uring_probe(int opcode, const char *opname, char *why, size_t why_len)
{
    struct io_uring ring;
    int r = io_uring_queue_init(2, &ring, 0);
    if (r < 0) {
        const char *hint = r == -EPERM ? " (kernel.io_uring_disabled, or a seccomp filter)"
                         : r == -ENOSYS ? " (kernel without io_uring, or a seccomp filter)" : "";
        snprintf(why, why_len, "io_uring_setup: %s%s", strerror(-r), hint);
        return 0;
    }
    struct io_uring_probe *p = io_uring_get_probe_ring(&ring);
    int ok = p != NULL && io_uring_opcode_supported(p, opcode);
    if (p == NULL)
        snprintf(why, why_len, "io_uring cannot list its opcodes (kernel older than 5.6)");
    else if (!ok)
        snprintf(why, why_len, "the kernel's io_uring lacks %s", opname);
    if (p != NULL)
        io_uring_free_probe(p);
    io_uring_queue_exit(&ring);
    return ok;
}

int cb_uring_reap(struct cb_uring *u, long timeout_ms, const struct cb_uring_sink *sink)
{
    int n = 0;
    struct io_uring_cqe *cqe;
    if (timeout_ms > 0) {
        struct __kernel_timespec ts = { .tv_sec = timeout_ms / 1000, .tv_nsec = (timeout_ms % 1000) * 1000000L };
        int r = io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts);
        if (r < 0 && r != -ETIME && r != -EINTR) {
            errno = -r;
            return -1;
        }
    }
    while (io_uring_peek_cqe(&u->ring, &cqe) == 0) {
        uint64_t data = cqe->user_data;
        int32_t res = cqe->res;
        uint32_t flags = cqe->flags;
        io_uring_cqe_seen(&u->ring, cqe);
        if (data != CB_URING_IGNORE)
            sink->cqe(sink->arg, data, res, flags);
        n++;
    }
    return n;
}

/* The state of the one request in flight, shared with the wait's sink. */
struct waiter {
    const struct cb_uring_send *how;
    uint64_t user_data;
    int done;
    int32_t res;
};

static void dispatch(void *arg, uint64_t user_data, int32_t res, uint32_t flags)
{
    struct waiter *w = arg;
    if (!(flags & IORING_CQE_F_NOTIF) && user_data == w->user_data && !w->done) {
        w->done = 1;
        w->res = res;
        if (w->how->result != NULL)
            w->how->result(w->how->arg, user_data, res, (flags & IORING_CQE_F_MORE) != 0);
    } else if (w->how->sink.cqe != NULL) {
        w->how->sink.cqe(w->how->sink.arg, user_data, res, flags);
    }
}

/* Cancels the request in flight and waits (bounded) for its result, so the
 * kernel holds no msghdr of ours when we return. */
static void cancel(struct cb_uring *u, struct waiter *w, const struct cb_uring_sink *sink)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
    if (sqe != NULL) {
        io_uring_prep_cancel64(sqe, w->user_data, 0);
        io_uring_sqe_set_data64(sqe, CB_URING_IGNORE);
        io_uring_submit(&u->ring);
    }
    for (int i = 0; i < 10 && !w->done; i++)
        cb_uring_reap(u, CB_POLL_MS, sink);
}

int cb_uring_sendmsg_all(struct cb_uring *u, struct cb_conn *c, struct iovec *iov, int iovcnt,
                         const struct cb_uring_send *how)
{
    size_t left = 0;
    for (int i = 0; i < iovcnt; i++)
        left += iov[i].iov_len;
    while (left > 0) {
        /* msghdr must stay put until the result: the kernel may read it late */
        struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)iovcnt };
        struct waiter w = { .how = how };
        const struct cb_uring_sink sink = { .cqe = dispatch, .arg = &w };
        if (how->token(how->arg, &w.user_data) < 0)
            return -1;
        struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
        if (sqe == NULL) {   /* one request at a time: the ring is never full */
            errno = EBUSY;
            return -1;
        }
        unsigned flags = (unsigned)cb_send_flags(c);
        if (how->zero_copy) {
            io_uring_prep_sendmsg_zc(sqe, c->fd, &msg, flags);
            sqe->ioprio |= how->zc_flags;
        } else {
            io_uring_prep_sendmsg(sqe, c->fd, &msg, flags);
        }
        io_uring_sqe_set_data64(sqe, w.user_data);
        int r = io_uring_submit(&u->ring);
        if (r < 0) {
            errno = -r;
            return -1;
        }
        while (!w.done) {
            if (cb_uring_reap(u, CB_POLL_MS, &sink) < 0)
                return -1;
            if (!w.done && atomic_load(c->stop)) {
                cancel(u, &w, &sink);
                errno = ETIMEDOUT;
                return -1;
            }
        }
        if (w.res == -EINTR)
            continue;
        if (w.res == -EAGAIN) {   /* only with MSG_DONTWAIT: --nonblocking */
            if (cb_send_wait(c, NULL) < 0)
                return -1;
            continue;
        }
        if (w.res < 0) {
            errno = -w.res;
            return -1;
        }
        size_t n = (size_t)w.res;
        if (n == 0) {   /* nothing taken: wait for room rather than spin */
            if (cb_send_wait(c, NULL) < 0)
                return -1;
            continue;
        }
        cb_conn_sent(c, n, left);
        if (n < left && c->datagram) {   /* a datagram cannot be resumed */
            snprintf(c->why, sizeof(c->why), "io_uring sent %zu of a %zu-byte datagram", n, left);
            errno = EMSGSIZE;
            return -1;
        }
        left -= n;
        cb_iov_advance(&iov, &iovcnt, n);
    }
    return 0;
}
