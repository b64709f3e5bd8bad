/* zero-copy: SO_ZEROCOPY + sendmsg(MSG_ZEROCOPY) from a per-connection pool of
 * messages. The kernel may still read a buffer after sendmsg returns, so a
 * buffer goes back to the pool only when all its calls have completed.
 * Completions are read from the socket's error queue and reconciled; ENOBUFS
 * (option memory exhausted by pending notifications) is answered by draining
 * completions, then retrying. */
#include <errno.h>
#include <time.h> /* before errqueue.h, which uses struct timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "memory.h"
#include "message.h"
#include "send_mode.h"
#include "zc_tracker.h"

#ifndef SO_EE_ORIGIN_ZEROCOPY
#define SO_EE_ORIGIN_ZEROCOPY 5
#endif
#ifndef SO_EE_CODE_ZEROCOPY_COPIED
#define SO_EE_CODE_ZEROCOPY_COPIED 1
#endif
#ifndef IPV6_RECVERR
#define IPV6_RECVERR 25
#endif

/* Longest we wait for one completion before giving up on the connection. */
#define STALL_LIMIT_MS 10000
/* Longest ENOBUFS may persist while no notification is outstanding: nothing
 * left to drain, so optmem_max cannot hold even one notification. */
#define HOPELESS_ENOBUFS_MS 1000

struct zero_copy {
    struct cb_zc_stats stats;
    struct cb_message *pool;
    unsigned pool_size;
    unsigned next;       /* round-robin cursor over the pool */
    struct cb_zc_tracker tracker;
    struct timespec enobufs_idle_since;   /* first ENOBUFS with nothing outstanding */
    int enobufs_idle;
};

static void zero_copy_close(struct cb_conn *c)
{
    struct zero_copy *s = c->state;
    if (s == NULL)
        return;
    for (unsigned i = 0; i < s->pool_size; i++)
        cb_message_free(&s->pool[i]);
    free(s->pool);
    cb_zc_tracker_destroy(&s->tracker);
    free(s);
    c->state = NULL;
}

static int zero_copy_open(struct cb_conn *c)
{
    int one = 1;
    if (setsockopt(c->fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)) < 0)
        return -1;
    struct zero_copy *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        cb_explain_oom(c->why, sizeof(c->why), "the zero-copy state", 0, sizeof(*s));
        return -1;
    }
    c->state = s;
    s->pool_size = c->pool ? c->pool : cb_zc_default_pool(c->size);
    s->pool = calloc(s->pool_size, sizeof(*s->pool));
    if (s->pool == NULL || cb_zc_tracker_init(&s->tracker, 4096, s->pool_size, &s->stats) < 0) {
        cb_explain_oom(c->why, sizeof(c->why), "the zero-copy completion tracker", 0,
                       (uint64_t)s->pool_size * (sizeof(*s->pool) + 4) + CB_MEM_ZC_FIXED);
        zero_copy_close(c);
        errno = ENOMEM;
        return -1;
    }
    for (unsigned i = 0; i < s->pool_size; i++) {
        if (cb_message_build(&s->pool[i], c->size) < 0) {
            cb_explain_oom(c->why, sizeof(c->why), "the zero-copy pool", s->pool_size, c->size);
            zero_copy_close(c);
            errno = ENOMEM;
            return -1;
        }
    }
    return 0;
}

/* Reads every completion queued now. Returns how many notifications were read. */
static int read_completions(struct cb_conn *c)
{
    struct zero_copy *s = c->state;
    int read = 0;
    for (;;) {
        char control[128];
        struct msghdr msg = { .msg_control = control, .msg_controllen = sizeof(control) };
        if (recvmsg(c->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
            if (errno == EINTR)
                continue;
            return read;   /* EAGAIN: queue empty */
        }
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
            int ip4 = cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR;
            int ip6 = cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR;
            if (!ip4 && !ip6)
                continue;
            struct sock_extended_err ee;
            memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
            if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY || ee.ee_errno != 0)
                continue;
            cb_zc_tracker_complete(&s->tracker, ee.ee_info, ee.ee_data,
                                   (ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED) != 0);
            read++;
        }
    }
}

/* Waits up to timeout_ms for the error queue to become readable, then reads it. */
static int wait_completions(struct cb_conn *c, int timeout_ms)
{
    struct pollfd p = { .fd = c->fd, .events = 0 };   /* POLLERR is always reported */
    if (poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
        return -1;
    return read_completions(c);
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Blocks until pred holds, reading completions; -1 (ETIMEDOUT) if none come. */
static int wait_until(struct cb_conn *c, int (*pred)(struct cb_conn *c), long limit_ms, int honour_stop)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!pred(c)) {
        if (wait_completions(c, 100) < 0)
            return -1;
        if (elapsed_ms(&start) > limit_ms || (honour_stop && atomic_load(c->stop))) {
            errno = ETIMEDOUT;
            return -1;
        }
    }
    return 0;
}

static int tracker_has_room(struct cb_conn *c)
{
    struct zero_copy *s = c->state;
    return !cb_zc_tracker_full(&s->tracker);
}

static int next_buffer_free(struct cb_conn *c)
{
    struct zero_copy *s = c->state;
    return cb_zc_tracker_buffer_free(&s->tracker, s->next);
}

static int all_completed(struct cb_conn *c)
{
    struct zero_copy *s = c->state;
    return cb_zc_tracker_outstanding(&s->tracker) == 0;
}

static int record_call(struct cb_conn *c, void *buffer)
{
    struct zero_copy *s = c->state;
    cb_zc_tracker_sent(&s->tracker, *(unsigned *)buffer);
    /* Keep the error queue short so notifications don't exhaust optmem. */
    read_completions(c);
    /* A message may take several calls (short writes): room for the next one. */
    if (tracker_has_room(c))
        return 0;
    cb_conn_wait_begin(c);
    int r = wait_until(c, tracker_has_room, STALL_LIMIT_MS, 1);
    cb_conn_wait_end(c);
    return r;
}

static int drain_enobufs(struct cb_conn *c);

/* ENOBUFS: a wait of the path's own, for completions to free option memory. */
static int drain_on_enobufs(struct cb_conn *c)
{
    cb_conn_wait_begin(c);
    int r = drain_enobufs(c);
    cb_conn_wait_end(c);
    return r;
}

static int drain_enobufs(struct cb_conn *c)
{
    struct zero_copy *s = c->state;
    s->stats.enobufs++;
    if (!all_completed(c)) {
        s->enobufs_idle = 0;
        return wait_completions(c, 10) < 0 ? -1 : 0;
    }
    if (!s->enobufs_idle) {
        s->enobufs_idle = 1;
        clock_gettime(CLOCK_MONOTONIC, &s->enobufs_idle_since);
    }
    if (atomic_load(c->stop)) {
        errno = ETIMEDOUT;   /* being stopped, like any other wait for room */
        return -1;
    }
    if (elapsed_ms(&s->enobufs_idle_since) > HOPELESS_ENOBUFS_MS) {
        snprintf(c->why, sizeof(c->why), "ENOBUFS persists with no notification outstanding; "
                 "net.core.optmem_max of the server's namespace cannot hold one");
        errno = ENOBUFS;
        return -1;
    }
    return wait_completions(c, 10) < 0 ? -1 : 0;
}

static int zero_copy_send(struct cb_conn *c, uint32_t seq)
{
    struct zero_copy *s = c->state;
    read_completions(c);
    if (!next_buffer_free(c)) {
        s->stats.pool_waits++;
        cb_conn_wait_begin(c);
        int r = wait_until(c, next_buffer_free, STALL_LIMIT_MS, 1);
        cb_conn_wait_end(c);
        if (r < 0)
            return -1;
    }
    unsigned buffer = s->next;
    s->next = (s->next + 1) % s->pool_size;
    struct cb_message *m = &s->pool[buffer];
    struct iovec iov[CB_FIELDS];
    cb_message_stamp(m, seq);
    cb_message_iov(m, iov);
    const struct cb_send_hooks hooks = {
        .after_call = record_call, .arg = &buffer,
        .on_enobufs = drain_on_enobufs, .on_error_queue = read_completions,
    };
    if (cb_sendmsg_all(c, iov, CB_FIELDS, MSG_ZEROCOPY, &hooks) < 0) {
        if (errno == EMSGSIZE && c->datagram)
            cb_zc_explain_emsgsize(c->why, sizeof(c->why), cb_message_pages(m));
        return -1;
    }
    s->enobufs_idle = 0;
    cb_conn_message_done(c);
    return 0;
}

static int zero_copy_finish(struct cb_conn *c, long timeout_ms)
{
    return wait_until(c, all_completed, timeout_ms, 0);
}

/* Available when a socket accepts SO_ZEROCOPY (Linux 4.14 for TCP, 5.0 for UDP). */
static int zero_copy_probe(char *why, size_t why_len)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(why, why_len, "socket: %s", strerror(errno));
        return 0;
    }
    int one = 1;
    int ok = setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)) == 0;
    if (!ok)
        snprintf(why, why_len, "setsockopt(SO_ZEROCOPY): %s", strerror(errno));
    close(fd);
    return ok;
}

static void zero_copy_stats_add(void *total, const struct cb_conn *c)
{
    const struct zero_copy *s = c->state;
    if (s != NULL)
        cb_zc_stats_add(total, &s->stats);
}

static void zero_copy_stats_json(FILE *out, const void *total)
{
    cb_zc_stats_json(out, total, 0);
}

static int zero_copy_stats_check(const void *total, char *err, size_t errlen)
{
    return cb_zc_stats_check(total, 0, err, errlen);
}

const struct cb_send_mode cb_mode_zero_copy = {
    .name = "zero-copy",
    .transports = CB_OVER_TCP | CB_OVER_UDP,
    .probe = zero_copy_probe,
    .open = zero_copy_open,
    .send_message = zero_copy_send,
    .finish = zero_copy_finish,
    .close = zero_copy_close,
    .stats_size = sizeof(struct cb_zc_stats),
    .stats_add = zero_copy_stats_add,
    .stats_json = zero_copy_stats_json,
    .stats_check = zero_copy_stats_check,
};
