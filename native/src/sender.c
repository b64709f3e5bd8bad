#include "sender.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "memory.h"
#include "net.h"
#include "protocol.h"
#include "report.h"
#include "roles.h"
#include "tcp_peek.h"
#include "window.h"

void cb_sender_init(struct cb_sender *s, const struct cb_options *o, int fd, int datagram,
                    const struct cb_window *window, const atomic_bool *stop)
{
    s->o = o;
    s->conn = (struct cb_conn){ .fd = fd, .datagram = datagram, .size = o->size, .pool = o->zc_pool,
                                .nonblocking = o->nonblocking, .sndbuf_asked = o->sndbuf, .window = window,
                                .stop = stop };
}

/* --test-extra-work-ns: spin after each message, so tests can make a deliberately slower engine
 * (a regression a baseline comparison must catch). Never set by a benchmark. */
static void extra_work(const struct cb_options *o)
{
    if (o->test_extra_work_ns <= 0)
        return;
    uint64_t until = cb_now_ns() + (uint64_t)o->test_extra_work_ns;
    while (cb_now_ns() < until)
        ;
}

static int peer_closed(int err)
{
    return err == EPIPE || err == ECONNRESET;
}

static void send_failed(struct cb_sender *w, int err)
{
    w->failed = 1;
    if (w->conn.why[0] != '\0')
        snprintf(w->error, sizeof(w->error), "%s send failed: %s", w->o->mode->name, w->conn.why);
    else
        snprintf(w->error, sizeof(w->error), "%s send failed: %s", w->o->mode->name, strerror(err));
}

/* The client's half of the handshake did not come within cb_grace_ms after
 * the window: the main thread stopped this sender. */
static void no_end(struct cb_sender *w)
{
    w->failed = 1;
    snprintf(w->error, sizeof(w->error), "the client did not end the cell within %ld ms after the window",
             cb_grace_ms(w->o));
}

/* After this process's window, between messages: has the client's end
 * (its window closed) arrived? Read without waiting; 1 yes (or the client
 * is gone: nothing left to feed), 0 not yet, -1 a bad end. */
static int client_ended(struct cb_sender *w, unsigned char *end, size_t *got)
{
    ssize_t n = recv(w->conn.fd, end + *got, CB_WIRE_BYTES - *got, MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : 1;
    if (n == 0)
        return 1;   /* closed without an end: after our window, as a client that failed would; it says why */
    *got += (size_t)n;
    if (*got < CB_WIRE_BYTES)
        return 0;
    if (cb_end_parse(end, CB_WIRE_BYTES) < 0) {
        w->failed = 1;
        snprintf(w->error, sizeof(w->error), "the client sent something other than its end after the window");
        return -1;
    }
    return 1;
}

/* TCP stream: sends until both windows have closed, this process's and the
 * client's (its end), then half-closes: the client reads to that EOF. So
 * neither window ends starved, however far apart the two are. */
static void stream_loop(struct cb_sender *w)
{
    struct cb_conn *c = &w->conn;
    unsigned char end[CB_WIRE_BYTES];
    size_t got = 0;
    for (uint32_t seq = 0;; seq++) {
        if (cb_window_phase(c->window) == CB_PHASE_DONE) {
            int r = client_ended(w, end, &got);
            if (r != 0) {
                shutdown(c->fd, SHUT_WR);   /* our FIN follows the last whole message */
                return;
            }
            if (atomic_load(c->stop)) {
                no_end(w);
                return;
            }
        }
        if (w->o->mode->send_message(c, seq) == 0) {
            extra_work(w->o);
            continue;
        }
        int err = errno;
        if (peer_closed(err) && cb_window_phase(c->window) == CB_PHASE_DONE)
            return;   /* the client is gone after our window: our measurement is whole; it says why */
        if (peer_closed(err)) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "client closed the connection before the window ended");
        } else if (err == ETIMEDOUT && cb_window_phase(c->window) == CB_PHASE_DONE) {
            no_end(w);
        } else {
            send_failed(w, err);
        }
        return;
    }
}

/* udp-sink: nobody answers or closes; the window's end is the end. */
static void sink_loop(struct cb_sender *w)
{
    struct cb_conn *c = &w->conn;
    for (uint32_t seq = 0; cb_window_phase(c->window) != CB_PHASE_DONE; seq++) {
        if (w->o->mode->send_message(c, seq) == 0) {
            extra_work(w->o);
            continue;
        }
        int err = errno;
        if (err == ETIMEDOUT && cb_window_phase(c->window) == CB_PHASE_DONE)
            return;   /* stopped while waiting for room after the window */
        if (err == ECONNREFUSED) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "the sink answered ICMP port unreachable: it is a local address "
                     "with no socket; send to a blackhole route (or run a udp-sink client there)");
            return;
        }
        send_failed(w, err);
        return;
    }
}

/* Request/response: the client drives. It flags its requests once its window
 * has closed; the first flagged request that arrives after this process's
 * window has closed too is declined: a half-close instead of an answer, which
 * the client reads as the end. Until then every request is answered, so
 * neither window ends starved. */
static void request_response_loop(struct cb_sender *w)
{
    struct cb_conn *c = &w->conn;
    for (uint32_t seq = 0;; seq++) {
        unsigned char req[CB_WIRE_BYTES];
        int r = cb_recv_exact(c->fd, req, sizeof(req), c->stop);
        int done = cb_window_phase(c->window) == CB_PHASE_DONE;
        if (r == 0 && done)
            return;   /* the client is gone after our window: our measurement is whole; it says why */
        if (r < 0 && errno == ETIMEDOUT && done) {
            no_end(w);
            return;
        }
        if (r <= 0) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "receiving request %u failed: %s", seq,
                     r == 0 ? "client closed before the window ended" : strerror(errno));
            return;
        }
        char why[128];
        uint32_t flags;
        if (cb_request_parse(req, sizeof(req), seq, &flags, why, sizeof(why)) < 0) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "bad request: %s", why);
            return;
        }
        if ((flags & CB_REQUEST_AFTER_WINDOW) && done) {
            shutdown(c->fd, SHUT_WR);
            return;
        }
        if (w->o->mode->send_message(c, seq) < 0) {
            int err = errno;
            if (peer_closed(err) && cb_window_phase(c->window) == CB_PHASE_DONE)
                return;
            send_failed(w, err);
            return;
        }
        extra_work(w->o);
    }
}

static void *sender_main(void *arg)
{
    struct cb_sender *w = arg;
    if (w->o->workload == CB_STREAM)
        stream_loop(w);
    else if (w->o->workload == CB_UDP_SINK)
        sink_loop(w);
    else
        request_response_loop(w);
    const struct cb_send_mode *m = w->o->mode;
    if (m->finish != NULL && m->finish(&w->conn, 2000) < 0 && !w->failed) {
        w->failed = 1;
        snprintf(w->error, sizeof(w->error), "%s: completions still outstanding 2 s after the last send", m->name);
    }
    atomic_store(&w->finished, true);
    return NULL;
}

struct senders {
    const struct cb_sender *s;
    unsigned n;
    int round_trips;                 /* request/response: a stall is no answer sent, not no byte */
    struct cb_tcp_credit *credit;    /* per connection, the sampler's own */
};

/* The window's progress sampler. Over TCP, bytes count as the peer
 * acknowledges them while a send stands still, so one large message in flight
 * is progress while it moves, not only when its send returns; over UDP, bytes
 * handed to the kernel. The path's own waits (zero-copy completions) are
 * progress too: the mode's time, measured (mode_wait_s), not a stall. A stall
 * is the client's when every connection waits on it: bytes queued that it does
 * not acknowledge (its window closed, or it drops them), or (request/response)
 * nothing queued: no request to answer. */
static void sample(void *arg, uint64_t *bytes, uint64_t *units, int *on_peer)
{
    const struct senders *all = arg;
    uint64_t b = 0, m = 0, waited = 0, now = cb_now_ns();
    int peer = all->n > 0;
    for (unsigned i = 0; i < all->n; i++) {
        const struct cb_conn *c = &all->s[i].conn;
        uint64_t app = atomic_load_explicit(&c->progress_bytes, memory_order_relaxed);
        struct cb_tcp_credit *t = all->credit != NULL ? &all->credit[i] : NULL;
        int queued = 0;
        if (t != NULL) {
            uint64_t before = t->credit;
            cb_tcp_credit_sample(t, c->datagram ? -1 : c->fd, app, CB_TCP_ACKED, &queued);
            b += t->credit;
            peer &= t->credit == before && t->kernel_known && (queued || all->round_trips);
        } else {
            b += app;
            peer = 0;
        }
        m += atomic_load_explicit(&c->progress_messages, memory_order_relaxed);
        waited += cb_conn_waited_ns(c, now);
    }
    *bytes = b;
    *units = (all->round_trips ? m + b : b) + waited;
    *on_peer = peer;
}

int cb_senders_run(struct cb_sender *s, unsigned n, const struct cb_options *o, struct cb_window *window,
                   atomic_bool *stop, int rejected_connections)
{
    char err[256] = "";
    /* without room for the credits, the sampler counts bytes handed to the kernel only */
    struct senders all = { .s = s, .n = n, .round_trips = o->workload == CB_REQUEST_RESPONSE,
                           .credit = calloc(n, sizeof(struct cb_tcp_credit)) };
    window->sample = sample;
    window->sample_arg = &all;
    for (unsigned i = 0; i < n; i++)
        pthread_create(&s[i].thread, NULL, sender_main, &s[i]);

    int status = 0;
    if (cb_window_run(window, o->warmup_ms, o->duration_ms, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        status = 1;
        atomic_store(&window->phase, CB_PHASE_DONE);
    }
    /* the client ends each connection after its own window (the handshake);
     * give it time, unless the window failed: then there is nothing to end */
    uint64_t grace_end = cb_now_ns() + (status == 0 ? (uint64_t)cb_grace_ms(o) * 1000000ull : 0);
    for (unsigned i = 0; i < n; i++)
        while (!atomic_load(&s[i].finished) && cb_now_ns() < grace_end)
            cb_sleep_ms(1);   /* the handshake takes microseconds on an idle host */
    atomic_store(stop, true);
    free(all.credit);   /* the window, and its sampler, are over */
    all.credit = NULL;

    struct cb_totals totals = { .rejected_connections = (uint64_t)rejected_connections };
    if (o->mode->stats_size > 0 && (totals.path_stats = calloc(1, o->mode->stats_size)) == NULL && status == 0) {
        cb_error("out of memory for the %s statistics (%zu bytes)", o->mode->name, o->mode->stats_size);
        status = 1;
    }
    for (unsigned i = 0; i < n; i++) {
        struct cb_sender *w = &s[i];
        pthread_join(w->thread, NULL);
        cb_totals_add_conn(&totals, o->mode, &w->conn);
        o->mode->close(&w->conn);
        close(w->conn.fd);
        if (w->failed && status == 0) {
            char load[96];
            cb_overload(load, sizeof(load), n, o->workload == CB_UDP_SINK ? "sender" : "client");
            cb_error("%sconnection %u: %s", load, i, w->error);
            status = 1;
        }
    }
    if (totals.path_stats != NULL && o->mode->stats_check != NULL &&
        o->mode->stats_check(totals.path_stats, err, sizeof(err)) < 0 && status == 0) {
        cb_error("%s", err);
        status = 1;
    }
    cb_window_close(window);
    cb_report_print(stdout, o, window, &totals);
    free(totals.path_stats);
    return status;
}
