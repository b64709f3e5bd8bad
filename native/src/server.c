/* The sender. Listens, accepts one connection per client thread (each opened
 * with a hello that must match this server's workload, size and threads),
 * prepares every connection and sends each a go, then runs one thread per
 * connection: stream sends messages until the
 * client closes after its window; request/response answers each request
 * with one message. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "protocol.h"
#include "report.h"
#include "roles.h"

struct worker {
    pthread_t thread;
    struct cb_conn conn;
    const struct cb_options *o;
    int failed;
    char error[256];
    atomic_bool finished;
};

static int peer_closed(int err)
{
    return err == EPIPE || err == ECONNRESET;
}

static void send_failed(struct worker *w, int err)
{
    w->failed = 1;
    if (err == ENOBUFS)
        snprintf(w->error, sizeof(w->error), "%s send failed: ENOBUFS persists with no notification "
                 "outstanding; net.core.optmem_max of the server's namespace cannot hold one", w->o->mode->name);
    else
        snprintf(w->error, sizeof(w->error), "%s send failed: %s", w->o->mode->name, strerror(err));
}

static void stream_loop(struct worker *w)
{
    struct cb_conn *c = &w->conn;
    for (uint32_t seq = 0;; seq++) {
        if (w->o->mode->send_message(c, seq) == 0)
            continue;
        int err = errno;
        if (peer_closed(err) && cb_window_phase(c->window) == CB_PHASE_DONE)
            return;   /* the client closes after its window: the normal end */
        if (peer_closed(err)) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "client closed the connection before the window ended");
        } else if (err == ETIMEDOUT) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "client did not close within %d ms after the window", CB_GRACE_MS);
        } else {
            send_failed(w, err);
        }
        return;
    }
}

static void request_response_loop(struct worker *w)
{
    struct cb_conn *c = &w->conn;
    for (uint32_t seq = 0;; seq++) {
        unsigned char req[CB_WIRE_BYTES];
        int r = cb_recv_exact(c->fd, req, sizeof(req), c->stop);
        if (r == 0 && cb_window_phase(c->window) == CB_PHASE_DONE)
            return;
        if (r <= 0) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "receiving request %u failed: %s", seq,
                     r == 0 ? "client closed before the window ended" : strerror(errno));
            return;
        }
        char why[128];
        if (cb_request_parse(req, sizeof(req), seq, why, sizeof(why)) < 0) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "bad request: %s", why);
            return;
        }
        if (w->o->mode->send_message(c, seq) < 0) {
            int err = errno;
            if (peer_closed(err) && cb_window_phase(c->window) == CB_PHASE_DONE)
                return;
            send_failed(w, err);
            return;
        }
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    if (w->o->workload == CB_STREAM)
        stream_loop(w);
    else
        request_response_loop(w);
    if (w->o->mode->finish(&w->conn, 2000) < 0 && !w->failed) {
        w->failed = 1;
        snprintf(w->error, sizeof(w->error), "%s: completions still outstanding 2 s after the last send",
                 w->o->mode->name);
    }
    atomic_store(&w->finished, true);
    return NULL;
}

static int write_ready_file(const char *path, unsigned port)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return -1;
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);   /* appears whole or not at all */
}

/* Accepts one connection and reads its hello; -1 for a rejected one. */
static int accept_client(int listen_fd, const struct cb_options *o, long timeout_ms, int *rejected)
{
    struct pollfd p = { .fd = listen_fd, .events = POLLIN };
    int r = poll(&p, 1, (int)timeout_ms);
    if (r <= 0) {
        errno = r == 0 ? ETIMEDOUT : errno;
        return -2;
    }
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return errno == EINTR || errno == ECONNABORTED ? -1 : -2;
    unsigned char buf[CB_WIRE_BYTES];
    struct cb_hello h;
    char why[128];
    if (cb_set_timeouts(fd, 2000) < 0 || cb_recv_exact(fd, buf, sizeof(buf), NULL) != 1) {
        snprintf(why, sizeof(why), "no complete hello within 2 s");
    } else if (cb_hello_parse(buf, sizeof(buf), &h, why, sizeof(why)) == 0) {
        if (h.workload == o->workload && h.size == o->size && h.threads == o->threads)
            return fd;
        snprintf(why, sizeof(why), "client wants %s, %u bytes, %u threads; server runs %s, %zu bytes, %u threads",
                 cb_workload_name(h.workload), h.size, h.threads, cb_workload_name(o->workload), o->size, o->threads);
    }
    fprintf(stderr, "copybench-engine: warning: rejected a connection: %s\n", why);
    (*rejected)++;
    close(fd);
    return -1;
}

int cb_server_run(const struct cb_options *o)
{
    char err[256] = "";
    struct sockaddr_in addr;
    cb_sockaddr(o->address, o->port, &addr);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 128) < 0) {
        cb_error("cannot listen on %s:%u: %s", o->address, o->port, strerror(errno));
        return 1;
    }
    socklen_t len = sizeof(addr);
    getsockname(lfd, (struct sockaddr *)&addr, &len);
    unsigned port = ntohs(addr.sin_port);
    if (o->ready_file != NULL && write_ready_file(o->ready_file, port) < 0) {
        cb_error("cannot write ready file %s: %s", o->ready_file, strerror(errno));
        return 1;
    }
    fprintf(stderr, "copybench-engine: listening on %s:%u\n", o->address, port);

    struct cb_window window;
    if (cb_window_init(&window, o->perf_ctl, o->perf_ack, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    atomic_bool stop = false;
    struct worker *workers = calloc(o->threads, sizeof(*workers));
    int rejected = 0;
    long accept_ms = o->deadline_ms > 0 ? o->deadline_ms : 30000;
    for (unsigned i = 0; i < o->threads;) {
        int fd = accept_client(lfd, o, accept_ms, &rejected);
        if (fd == -2) {
            cb_error("only %u of %u clients connected: %s", i, o->threads, strerror(errno));
            return 1;
        }
        if (fd < 0)
            continue;
        struct worker *w = &workers[i++];
        w->o = o;
        w->conn = (struct cb_conn){ .fd = fd, .size = o->size, .zc_pool = o->zc_pool,
                                     .nonblocking = o->nonblocking,
                                     .window = &window, .stop = &stop };
        if (cb_set_timeouts(fd, CB_POLL_MS) < 0 || cb_set_buffers(fd, o->sndbuf, o->rcvbuf) < 0 ||
            o->mode->open(&w->conn) < 0) {
            cb_error("cannot prepare connection %u for %s: %s", i, o->mode->name, strerror(errno));
            return 1;
        }
    }
    close(lfd);
    unsigned char go[CB_WIRE_BYTES];
    cb_go_encode(go);
    for (unsigned i = 0; i < o->threads; i++) {
        if (cb_send_exact(workers[i].conn.fd, go, sizeof(go), NULL) < 0) {
            cb_error("cannot start connection %u: %s", i, strerror(errno));
            return 1;
        }
    }
    for (unsigned i = 0; i < o->threads; i++)
        pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);

    int status = 0;
    if (cb_window_run(&window, o->warmup_ms, o->duration_ms, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        status = 1;
        atomic_store(&window.phase, CB_PHASE_DONE);
    }
    /* the client closes its connections after its own window; give it time */
    uint64_t grace_end = cb_now_ns() + (uint64_t)CB_GRACE_MS * 1000000ull;
    for (unsigned i = 0; i < o->threads; i++)
        while (!atomic_load(&workers[i].finished) && cb_now_ns() < grace_end)
            cb_sleep_ms(5);
    atomic_store(&stop, true);

    struct cb_totals totals = { .rejected_connections = (uint64_t)rejected };
    for (unsigned i = 0; i < o->threads; i++) {
        struct worker *w = &workers[i];
        pthread_join(w->thread, NULL);
        cb_totals_add_conn(&totals, &w->conn);
        o->mode->close(&w->conn);
        close(w->conn.fd);
        if (w->failed && status == 0) {
            cb_error("connection %u: %s", i, w->error);
            status = 1;
        }
    }
    if (totals.zc.reconcile_errors > 0 && status == 0) {
        cb_error("zero-copy completions do not reconcile: %llu ids completed twice or never sent",
                 (unsigned long long)totals.zc.reconcile_errors);
        status = 1;
    }
    cb_window_close(&window);
    free(workers);
    cb_report_print(stdout, o, &window, &totals);
    return status;
}
