/* The TCP server. Listens, accepts one connection per client thread (each
 * opened with a hello that must match this server's workload, size and
 * threads), prepares every connection with the send path and sends each a
 * go; then sender.c runs one thread per connection: stream sends messages
 * until the client closes after its window; request/response answers each
 * request with one message. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "memory.h"
#include "net.h"
#include "protocol.h"
#include "roles.h"
#include "sender.h"
#include "watchdog.h"

/* Accepts one connection and reads its hello; -1 for a rejected one. */
static int accept_client(int listen_fd, const struct cb_options *o, uint64_t until_ns, int *rejected)
{
    struct pollfd p = { .fd = listen_fd, .events = POLLIN };
    uint64_t now = cb_now_ns();
    int r = now < until_ns ? poll(&p, 1, (int)((until_ns - now) / 1000000ull) + 1) : 0;
    if (r < 0 && errno == EINTR)
        return -1;
    if (r <= 0) {
        errno = r == 0 ? ETIMEDOUT : errno;
        return -2;
    }
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return errno == EINTR || errno == ECONNABORTED ? -1 : -2;
    unsigned char buf[CB_WIRE_BYTES];
    struct cb_hello h;
    unsigned peer_version = 0;
    char why[192];
    int parsed = 0;
    if (cb_recv_exact_within(fd, buf, sizeof(buf), CB_HELLO_MS) != 1) {
        snprintf(why, sizeof(why), "no complete hello within %d ms", CB_HELLO_MS);
    } else if ((parsed = cb_hello_parse(buf, sizeof(buf), &h, &peer_version, why, sizeof(why))) == 0) {
        if (h.workload == o->workload && h.size == o->size && h.threads == o->threads)
            return fd;
        snprintf(why, sizeof(why), "client wants %s, %u bytes, %u threads; server runs %s, %zu bytes, %u threads",
                 cb_workload_name(h.workload), h.size, h.threads, cb_workload_name(o->workload), o->size, o->threads);
    } else if (parsed == -2) {
        /* another engine version: tell the client ours, and end the cell with the reason,
         * since no client of this run will speak the right one */
        unsigned char refusal[CB_WIRE_BYTES];
        cb_refuse_encode(refusal);
        (void)cb_send_exact(fd, refusal, sizeof(refusal), NULL);
        close(fd);
        cb_error("%s", why);
        errno = EPROTO;
        return -3;
    }
    fprintf(stderr, "copybench-engine: warning: rejected a connection: %s\n", why);
    (*rejected)++;
    close(fd);
    return -1;
}

/* Accepts and prepares every connection; *opened counts those to close.
 * 0, or -1 after one error line. */
static int accept_connections(int lfd, struct cb_sender *senders, unsigned *opened, int *rejected,
                              const struct cb_options *o, const struct cb_window *window, const atomic_bool *stop)
{
    char load[96];
    cb_overload(load, sizeof(load), o->threads, "client");
    /* one budget for all: the clients connect one after another */
    long accept_ms = cb_setup_limit_ms(CB_ACCEPT_MS, o->warmup_ms + o->duration_ms + cb_grace_ms(o));
    uint64_t accept_end = cb_now_ns() + (uint64_t)accept_ms * 1000000ull;
    for (unsigned i = 0; i < o->threads;) {
        int fd = accept_client(lfd, o, accept_end, rejected);
        if (fd == -3)
            return -1;
        if (fd == -2 && errno == ETIMEDOUT) {
            cb_error("%sonly %u of %u clients connected within %ld ms", load, i, o->threads, accept_ms);
            return -1;
        }
        if (fd == -2) {
            cb_error("only %u of %u clients connected: %s", i, o->threads, strerror(errno));
            return -1;
        }
        if (fd < 0)
            continue;
        struct cb_sender *w = &senders[i++];
        cb_sender_init(w, o, fd, 0, window, stop);
        if (cb_set_timeouts(fd, CB_POLL_MS) < 0 || cb_set_buffers(fd, o->sndbuf, o->rcvbuf) < 0) {
            cb_error("cannot set up connection %u: %s", i - 1, strerror(errno));
            close(fd);
            return -1;
        }
        if (o->mode->open(&w->conn) < 0) {
            if (w->conn.why[0] != '\0')
                cb_error("%s on connection %u", w->conn.why, i - 1);
            else
                cb_error("cannot prepare connection %u for %s: %s", i - 1, o->mode->name, strerror(errno));
            close(fd);
            return -1;
        }
        *opened = i;
    }
    return 0;
}

int cb_server_run(const struct cb_options *o)
{
    char err[256] = "";
    struct sockaddr_in addr;
    cb_sockaddr(o->address, o->port, &addr);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, o->threads > 128 ? (int)o->threads : 128) < 0) {
        cb_error("cannot listen on %s:%u: %s", o->address, o->port, strerror(errno));
        return 1;
    }
    socklen_t len = sizeof(addr);
    getsockname(lfd, (struct sockaddr *)&addr, &len);
    unsigned port = ntohs(addr.sin_port);
    if (o->ready_file != NULL && cb_write_ready_file(o->ready_file, port, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    fprintf(stderr, "copybench-engine: listening on %s:%u\n", o->address, port);

    struct cb_window window;
    if (cb_window_init(&window, o->perf_ctl, o->perf_ack, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    atomic_bool stop = false;
    struct cb_sender *senders = calloc(o->threads, sizeof(*senders));
    if (senders == NULL) {
        cb_error("out of memory for %u server connections (%zu bytes)", o->threads, o->threads * sizeof(*senders));
        close(lfd);
        cb_window_close(&window);
        return 1;
    }
    unsigned opened = 0;
    int rejected = 0;
    int ok = accept_connections(lfd, senders, &opened, &rejected, o, &window, &stop) == 0;
    close(lfd);
    unsigned char go[CB_WIRE_BYTES];
    cb_go_encode(go);
    for (unsigned i = 0; ok && i < o->threads; i++) {
        if (cb_send_exact(senders[i].conn.fd, go, sizeof(go), NULL) < 0) {
            cb_error("cannot start connection %u: %s", i, strerror(errno));
            ok = 0;
        }
    }
    if (!ok) {
        for (unsigned i = 0; i < opened; i++) {
            o->mode->close(&senders[i].conn);
            close(senders[i].conn.fd);
        }
        free(senders);
        cb_window_close(&window);
        return 1;
    }
    int status = cb_senders_run(senders, o->threads, o, &window, &stop, rejected);
    free(senders);
    return status;
}
