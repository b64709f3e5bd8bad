/* sendfile: the message lives in a file in the page cache (a memfd), written
 * once from the 8 fields; per message the header is stamped into the file and
 * sendfile() sends the message's range, resuming short sends.
 *
 * sendfile hands the file's pages to the socket by reference, not by copy:
 * a page may still sit in a send queue, or (over loopback and veth) in the
 * receiver's queue, after sendfile returned. Stamping the header into that
 * page in place would change bytes of a message already "sent". So the page
 * holding the header is replaced instead: its range is punched out of the file
 * (the old page lives on, unchanged, for as long as skbs hold it) and
 * written afresh with the new header. The body pages are never written again.
 * (Punching needs whole pages; with shmem huge pages forced on, the kernel
 * might zero in place instead, and the receiver's checksum would say so.) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "memory.h"
#include "message.h"
#include "send_mode.h"

struct sendfile_state {
    struct cb_message msg;      /* the fields: the source of the file's bytes */
    int file;                   /* memfd holding the message at offset 0 */
    size_t head_len;            /* bytes of the header's page: min(page, size) */
    char *head;                 /* scratch for that page's bytes */
};

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

/* Copies message bytes [0, n) out of the fields. */
static void copy_head(const struct cb_message *m, char *out, size_t n)
{
    for (int i = 0; i < CB_FIELDS && n > 0; i++) {
        size_t k = m->field_len[i] < n ? m->field_len[i] : n;
        memcpy(out, m->field[i], k);
        out += k;
        n -= k;
    }
}

static int write_all(int fd, const char *buf, size_t len, off_t off)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, buf, len, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
        off += n;
    }
    return 0;
}

static void sendfile_close(struct cb_conn *c)
{
    struct sendfile_state *s = c->state;
    if (s == NULL)
        return;
    if (s->file >= 0)
        close(s->file);
    cb_message_free(&s->msg);
    free(s->head);
    free(s);
    c->state = NULL;
}

static int sendfile_open(struct cb_conn *c)
{
    struct sendfile_state *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        cb_explain_oom(c->why, sizeof(c->why), "the sendfile state", 0, sizeof(*s));
        return -1;
    }
    s->file = -1;
    c->state = s;
    size_t page = page_size();
    s->head_len = c->size < page ? c->size : page;
    char *flat = malloc(c->size);
    int ok = flat != NULL && (s->head = malloc(s->head_len)) != NULL && cb_message_build(&s->msg, c->size) == 0;
    if (!ok)
        cb_explain_oom(c->why, sizeof(c->why), "the message and the copy that fills the memfd", 0,
                       2 * (uint64_t)c->size);
    if (ok && !(ok = (s->file = memfd_create("copybench-message", MFD_CLOEXEC)) >= 0))
        snprintf(c->why, sizeof(c->why), "memfd_create: %s", strerror(errno));
    if (ok) {
        cb_message_flatten(&s->msg, flat);
        /* the memfd's pages are shmem: a full tmpfs or memory cgroup says ENOSPC or ENOMEM */
        if (!(ok = write_all(s->file, flat, c->size, 0) == 0)) {
            char sz[32];
            snprintf(c->why, sizeof(c->why), "out of memory for the sendfile memfd (%s): %s",
                     cb_format_bytes(c->size, sz, sizeof(sz)), strerror(errno));
        }
    }
    /* sendfile has no per-call flags: non-blocking sends need O_NONBLOCK on the socket */
    if (ok && c->nonblocking)
        ok = fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) == 0;
    int err = errno;
    free(flat);
    if (!ok) {
        sendfile_close(c);
        errno = err != 0 ? err : ENOMEM;
        return -1;
    }
    return 0;
}

/* Replaces the page holding the header with one carrying seq (see the top). */
static int stamp(struct cb_conn *c, uint32_t seq)
{
    struct sendfile_state *s = c->state;
    cb_message_stamp(&s->msg, seq);
    copy_head(&s->msg, s->head, s->head_len);
    if (fallocate(s->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)page_size()) < 0)
        return -1;
    return write_all(s->file, s->head, s->head_len, 0);
}

static int sendfile_send(struct cb_conn *c, uint32_t seq)
{
    struct sendfile_state *s = c->state;
    if (stamp(c, seq) < 0)
        return -1;
    off_t off = 0;
    while ((size_t)off < c->size) {
        size_t want = c->size - (size_t)off;
        ssize_t n = sendfile(c->fd, s->file, &off, want);
        if (n < 0) {
            if (cb_send_retry(c, NULL) < 0)
                return -1;
            continue;
        }
        cb_conn_sent(c, (size_t)n, want);
        if ((size_t)n < want && c->datagram) {   /* the datagram is gone, cut: cannot be resumed */
            snprintf(c->why, sizeof(c->why), "sendfile sent %zd of a %zu-byte datagram", n, c->size);
            errno = EMSGSIZE;
            return -1;
        }
        if (n == 0) {   /* the file is shorter than the message: cannot happen unless truncated */
            errno = EIO;
            return -1;
        }
    }
    cb_conn_message_done(c);
    return 0;
}

const struct cb_send_mode cb_mode_sendfile = {
    .name = "sendfile",
    .transports = CB_OVER_TCP | CB_OVER_UDP,
    .open = sendfile_open,
    .send_message = sendfile_send,
    .close = sendfile_close,
};
