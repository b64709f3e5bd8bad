/* one-copy: sendmsg() with an 8-entry iovec pointing at the fields; the only
 * copy is the kernel's, user to kernel. */
#include <errno.h>
#include <stdlib.h>

#include "memory.h"

#include "message.h"
#include "send_mode.h"

static int one_copy_open(struct cb_conn *c)
{
    struct cb_message *m = calloc(1, sizeof(*m));
    if (m == NULL || cb_message_build(m, c->size) < 0) {
        cb_explain_oom(c->why, sizeof(c->why), "the message", 0, c->size);
        free(m);
        errno = ENOMEM;
        return -1;
    }
    c->state = m;
    return 0;
}

static int one_copy_send(struct cb_conn *c, uint32_t seq)
{
    struct cb_message *m = c->state;
    struct iovec iov[CB_FIELDS];
    cb_message_stamp(m, seq);
    cb_message_iov(m, iov);
    if (cb_sendmsg_all(c, iov, CB_FIELDS, 0, NULL) < 0)
        return -1;
    cb_conn_message_done(c);
    return 0;
}

static void one_copy_close(struct cb_conn *c)
{
    struct cb_message *m = c->state;
    if (m == NULL)
        return;
    cb_message_free(m);
    free(m);
    c->state = NULL;
}

const struct cb_send_mode cb_mode_one_copy = {
    .name = "one-copy",
    .transports = CB_OVER_TCP | CB_OVER_UDP,
    .open = one_copy_open,
    .send_message = one_copy_send,
    .close = one_copy_close,
};
