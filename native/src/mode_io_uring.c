/* io-uring: plain IORING_OP_SENDMSG with the same 8-entry iovec as one-copy,
 * the control that separates io_uring's own cost from zero-copy's
 * (io-uring-zc). The kernel copies the data during the request, so one
 * message suffices, restamped once its request has completed. */
#include <errno.h>
#include <stdlib.h>

#include "memory.h"
#include "message.h"
#include "send_mode.h"
#include "uring.h"

struct uring_plain {
    struct cb_uring u;
    struct cb_message msg;
    uint64_t next_token;
};

static int uring_probe(char *why, size_t why_len)
{
    return cb_uring_probe(IORING_OP_SENDMSG, "IORING_OP_SENDMSG (Linux 5.3)", why, why_len);
}

static void uring_close(struct cb_conn *c)
{
    struct uring_plain *s = c->state;
    if (s == NULL)
        return;
    cb_uring_exit(&s->u);
    cb_message_free(&s->msg);
    free(s);
    c->state = NULL;
}

static int uring_open(struct cb_conn *c)
{
    struct uring_plain *s = calloc(1, sizeof(*s));
    if (s == NULL || cb_message_build(&s->msg, c->size) < 0) {
        cb_explain_oom(c->why, sizeof(c->why), "the message", 0, c->size + sizeof(*s));
        free(s);
        errno = ENOMEM;
        return -1;
    }
    c->state = s;
    if (cb_uring_init(&s->u, 16) < 0) {
        int err = errno;
        cb_uring_explain_init(c->why, sizeof(c->why), 16, err);
        uring_close(c);
        errno = err;
        return -1;
    }
    return 0;
}

static int next_token(void *arg, uint64_t *user_data)
{
    struct uring_plain *s = arg;
    *user_data = s->next_token++;
    return 0;
}

static void stray_completion(void *arg, uint64_t user_data, int32_t res, uint32_t flags)
{
    (void)arg;   /* a cancelled request's late result: nothing to do */
    (void)user_data;
    (void)res;
    (void)flags;
}

static int uring_send(struct cb_conn *c, uint32_t seq)
{
    struct uring_plain *s = c->state;
    struct iovec iov[CB_FIELDS];
    cb_message_stamp(&s->msg, seq);
    cb_message_iov(&s->msg, iov);
    const struct cb_uring_send how = {
        .token = next_token, .arg = s, .sink = { .cqe = stray_completion },
    };
    if (cb_uring_sendmsg_all(&s->u, c, iov, CB_FIELDS, &how) < 0)
        return -1;
    cb_conn_message_done(c);
    return 0;
}

const struct cb_send_mode cb_mode_io_uring = {
    .name = "io-uring",
    .transports = CB_OVER_TCP | CB_OVER_UDP,
    .probe = uring_probe,
    .open = uring_open,
    .send_message = uring_send,
    .close = uring_close,
};
