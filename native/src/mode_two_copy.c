/* two-copy: the 8 fields are memcpy'd into one flat buffer for every message
 * (the user-space copy this mode is named after), then send() it. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "memory.h"
#include "message.h"
#include "send_mode.h"

struct two_copy {
    struct cb_message msg;
    char *flat;
};

static int two_copy_open(struct cb_conn *c)
{
    struct two_copy *s = calloc(1, sizeof(*s));
    if (s == NULL || cb_message_build(&s->msg, c->size) < 0 || (s->flat = malloc(c->size)) == NULL) {
        cb_explain_oom(c->why, sizeof(c->why), "the message and its flat copy", 0, 2 * (uint64_t)c->size);
        if (s != NULL)
            cb_message_free(&s->msg);
        free(s);
        errno = ENOMEM;
        return -1;
    }
    c->state = s;
    return 0;
}

static int two_copy_send(struct cb_conn *c, uint32_t seq)
{
    struct two_copy *s = c->state;
    cb_message_stamp(&s->msg, seq);
    cb_message_flatten(&s->msg, s->flat);
    size_t off = 0;
    while (off < c->size) {
        ssize_t n = send(c->fd, s->flat + off, c->size - off, cb_send_flags(c));
        if (n < 0) {
            if (cb_send_retry(c, NULL) < 0)
                return -1;
            continue;
        }
        cb_conn_sent(c, (size_t)n, c->size - off);
        off += (size_t)n;
    }
    cb_conn_message_done(c);
    return 0;
}

static void two_copy_close(struct cb_conn *c)
{
    struct two_copy *s = c->state;
    if (s == NULL)
        return;
    cb_message_free(&s->msg);
    free(s->flat);
    free(s);
    c->state = NULL;
}

const struct cb_send_mode cb_mode_two_copy = {
    .name = "two-copy",
    .transports = CB_OVER_TCP | CB_OVER_UDP,
    .open = two_copy_open,
    .send_message = two_copy_send,
    .close = two_copy_close,
};
