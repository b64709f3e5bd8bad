/* The registry of send paths and the short-write-safe sendmsg loop the
 * sendmsg-based paths share. Each path is defined in its own mode_*.c as
 * `const struct cb_send_mode cb_mode_<id>`; adding one is one X(...) line. */
#include "send_mode.h"

#include "roles.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>

#define CB_MODES(X) \
    X(two_copy)     \
    X(one_copy)     \
    X(zero_copy)    \
    X(sendfile)     \
    X(io_uring)     \
    X(io_uring_zc)

#define DECLARE(id) extern const struct cb_send_mode cb_mode_##id;
CB_MODES(DECLARE)
#define ENTRY(id) &cb_mode_##id,
static const struct cb_send_mode *const modes[] = { CB_MODES(ENTRY) };
#define MODE_COUNT (sizeof(modes) / sizeof(modes[0]))

unsigned cb_send_mode_count(void)
{
    return (unsigned)MODE_COUNT;
}

const struct cb_send_mode *cb_send_mode_at(unsigned i)
{
    return i < MODE_COUNT ? modes[i] : NULL;
}

const struct cb_send_mode *cb_send_mode_find(const char *name)
{
    for (size_t i = 0; i < MODE_COUNT; i++)
        if (strcmp(modes[i]->name, name) == 0)
            return modes[i];
    return NULL;
}

const char *cb_send_mode_names(void)
{
    static char names[256];   /* built once, from the registry, on the main thread */
    if (names[0] == '\0') {
        for (size_t i = 0; i < MODE_COUNT; i++) {
            if (i > 0)
                strncat(names, ", ", sizeof(names) - strlen(names) - 1);
            strncat(names, modes[i]->name, sizeof(names) - strlen(names) - 1);
        }
    }
    return names;
}

int cb_send_mode_probe(const struct cb_send_mode *m, char *why, size_t why_len)
{
    if (why_len > 0)
        why[0] = '\0';
    if (m->probe == NULL)
        return 1;
    return m->probe(why, why_len) == 1 ? 1 : 0;
}

void cb_iov_advance(struct iovec **iov, int *iovcnt, size_t n)
{
    while (*iovcnt > 0 && n >= (*iov)->iov_len) {
        n -= (*iov)->iov_len;
        (*iov)++;
        (*iovcnt)--;
    }
    if (*iovcnt > 0 && n > 0) {
        (*iov)->iov_base = (char *)(*iov)->iov_base + n;
        (*iov)->iov_len -= n;
    }
}

int cb_send_flags(const struct cb_conn *c)
{
    return MSG_NOSIGNAL | (c->nonblocking ? MSG_DONTWAIT : 0);
}

int cb_send_wait(struct cb_conn *c, int (*on_error_queue)(struct cb_conn *c))
{
    if (atomic_load(c->stop)) {
        errno = ETIMEDOUT;
        return -1;
    }
    if (!c->nonblocking)
        return 0;   /* the blocking call already waited CB_POLL_MS */
    struct pollfd p = { .fd = c->fd, .events = POLLOUT };
    if (poll(&p, 1, CB_POLL_MS) < 0 && errno != EINTR)
        return -1;
    if ((p.revents & POLLERR) && on_error_queue != NULL)
        return on_error_queue(c);
    return 0;
}

int cb_send_retry(struct cb_conn *c, int (*on_error_queue)(struct cb_conn *c))
{
    if (errno == EINTR)
        return 0;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return cb_send_wait(c, on_error_queue);
    return -1;
}

int cb_sendmsg_all(struct cb_conn *c, struct iovec *iov, int iovcnt, int flags,
                   const struct cb_send_hooks *hooks)
{
    static const struct cb_send_hooks none;
    if (hooks == NULL)
        hooks = &none;
    size_t left = 0;
    for (int i = 0; i < iovcnt; i++)
        left += iov[i].iov_len;
    while (left > 0) {
        struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)iovcnt };
        ssize_t n = sendmsg(c->fd, &msg, flags | cb_send_flags(c));
        if (n < 0) {
            if (errno == ENOBUFS && hooks->on_enobufs != NULL) {
                if (hooks->on_enobufs(c) < 0)
                    return -1;
                continue;
            }
            if (cb_send_retry(c, hooks->on_error_queue) < 0)
                return -1;
            continue;
        }
        cb_conn_sent(c, (size_t)n, left);
        if (hooks->after_call != NULL && hooks->after_call(c, hooks->arg) < 0)
            return -1;
        left -= (size_t)n;
        cb_iov_advance(&iov, &iovcnt, (size_t)n);
    }
    return 0;
}
