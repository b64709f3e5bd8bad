#include "send_mode.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>

extern const struct cb_send_mode cb_mode_two_copy;
extern const struct cb_send_mode cb_mode_one_copy;
extern const struct cb_send_mode cb_mode_zero_copy;

static const struct cb_send_mode *const modes[] = {
    &cb_mode_two_copy,
    &cb_mode_one_copy,
    &cb_mode_zero_copy,
};

const struct cb_send_mode *cb_send_mode_find(const char *name)
{
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (strcmp(modes[i]->name, name) == 0)
            return modes[i];
    return NULL;
}

const char *cb_send_mode_names(void)
{
    return "two-copy, one-copy, zero-copy";
}

static void iov_advance(struct iovec **iov, int *iovcnt, size_t n)
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

int cb_sendmsg_all(struct cb_conn *c, struct iovec *iov, int iovcnt, int flags,
                   int (*after_call)(struct cb_conn *c, void *arg), void *arg,
                   int (*on_enobufs)(struct cb_conn *c))
{
    size_t left = 0;
    for (int i = 0; i < iovcnt; i++)
        left += iov[i].iov_len;
    while (left > 0) {
        struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)iovcnt };
        ssize_t n = sendmsg(c->fd, &msg, flags | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && !atomic_load(c->stop))
                continue;
            if (errno == ENOBUFS && on_enobufs != NULL) {
                c->zc.enobufs++;
                if (on_enobufs(c) < 0)
                    return -1;
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                errno = ETIMEDOUT;
            return -1;
        }
        cb_conn_sent(c, (size_t)n, left);
        if (after_call != NULL && after_call(c, arg) < 0)
            return -1;
        left -= (size_t)n;
        iov_advance(&iov, &iovcnt, (size_t)n);
    }
    return 0;
}
