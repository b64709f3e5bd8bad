/* The receiver: one thread and one connection per client thread. Stream
 * reads until its window is over, sends its end and reads on (uncounted) to
 * the server's EOF; request/response sends a 16-byte request, reads the whole
 * answer and times the round trip, flagging its requests once its window is
 * over until the server declines one. Every message is checked (sequence
 * always, checksum every verify_every-th). How a cell ends: README. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "memory.h"
#include "net.h"
#include "protocol.h"
#include "receiver.h"
#include "report.h"
#include "roles.h"
#include "tcp_peek.h"
#include "watchdog.h"


struct worker {
    pthread_t thread;
    int fd;
    const struct cb_options *o;
    const struct cb_window *window;
    const atomic_bool *stop;
    struct cb_receiver rx;
    struct cb_histogram latency;
    uint64_t window_bytes, window_messages, bytes;
    /* bytes received and round trips done, for the window's progress sampler */
    _Atomic uint64_t progress_bytes, progress_round_trips;
    /* in a receive (a round trip): waiting for the server, for the sampler's attribution */
    atomic_int waiting;
    struct cb_tcp_credit credit;   /* the sampler's own */
    int failed;
    char error[256];
    atomic_bool finished;   /* the server ended the connection (or it failed) */
};

static int in_window(const struct worker *w)
{
    return cb_window_phase(w->window) == CB_PHASE_MEASURE;
}

static void no_end(struct worker *w)
{
    w->failed = 1;
    snprintf(w->error, sizeof(w->error), "the server did not end the cell within %ld ms after the window",
             cb_grace_ms(w->o));
}

static void stream_loop(struct worker *w)
{
    size_t cap = cb_stream_read_bytes(w->o->size);
    unsigned char *buf = malloc(cap);
    if (buf == NULL) {
        w->failed = 1;
        cb_explain_oom(w->error, sizeof(w->error), "the stream read buffer", 0, cap);
        return;
    }
    int ended = 0;   /* our end is sent: the server's EOF is the normal end */
    for (;;) {
        if (atomic_load(w->stop)) {
            no_end(w);
            break;
        }
        if (!ended && cb_window_phase(w->window) == CB_PHASE_DONE) {
            unsigned char end[CB_WIRE_BYTES];
            cb_end_encode(end);
            if (cb_send_exact(w->fd, end, sizeof(end), w->stop) < 0) {
                w->failed = 1;
                snprintf(w->error, sizeof(w->error), "sending the end failed: %s", strerror(errno));
                break;
            }
            ended = 1;
        }
        atomic_store_explicit(&w->waiting, 1, memory_order_relaxed);
        ssize_t n = recv(w->fd, buf, cap, 0);
        atomic_store_explicit(&w->waiting, 0, memory_order_relaxed);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (n == 0 && ended)
            break;   /* the server half-closed after both windows: the cell is over */
        if (n <= 0) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "%s", n == 0 ? "server closed the connection before the window ended"
                                                              : strerror(errno));
            break;
        }
        int counted = in_window(w);
        uint64_t done = cb_receiver_feed(&w->rx, buf, (size_t)n);
        w->bytes += (uint64_t)n;
        atomic_store_explicit(&w->progress_bytes, w->bytes, memory_order_relaxed);
        if (counted) {
            w->window_bytes += (uint64_t)n;
            w->window_messages += done;
        }
    }
    free(buf);
}

static void request_response_loop(struct worker *w)
{
    size_t size = w->o->size;
    unsigned char *buf = malloc(size);
    if (buf == NULL) {
        w->failed = 1;
        cb_explain_oom(w->error, sizeof(w->error), "the response buffer", 0, size);
        return;
    }
    for (uint32_t seq = 0;; seq++) {
        unsigned char req[CB_WIRE_BYTES];
        int after = cb_window_phase(w->window) == CB_PHASE_DONE;
        cb_request_encode(seq, after ? CB_REQUEST_AFTER_WINDOW : 0, req);
        int counted = in_window(w);
        uint64_t t0 = cb_now_ns();
        atomic_store_explicit(&w->waiting, 1, memory_order_relaxed);
        int r = cb_send_exact(w->fd, req, sizeof(req), w->stop) < 0 ? -1 : cb_recv_exact(w->fd, buf, size, w->stop);
        atomic_store_explicit(&w->waiting, 0, memory_order_relaxed);
        if (r == 0 && after)
            break;   /* declined: the server's window has closed too, the cell is over */
        if (r < 0 && errno == ETIMEDOUT && after) {
            no_end(w);
            break;
        }
        if (r != 1) {
            w->failed = 1;
            snprintf(w->error, sizeof(w->error), "round trip %u failed: %s", seq,
                     r == 0 ? "server closed the connection before the window ended" : strerror(errno));
            break;
        }
        uint64_t rtt = cb_now_ns() - t0;
        cb_receiver_feed(&w->rx, buf, size);
        w->bytes += size;
        atomic_store_explicit(&w->progress_bytes, w->bytes, memory_order_relaxed);
        atomic_store_explicit(&w->progress_round_trips, (uint64_t)seq + 1, memory_order_relaxed);
        if (counted && in_window(w)) {   /* the whole round trip inside the window */
            cb_histogram_record(&w->latency, rtt);
            w->window_bytes += size;
            w->window_messages++;
        }
    }
    free(buf);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    if (w->o->workload == CB_STREAM)
        stream_loop(w);
    else
        request_response_loop(w);
    shutdown(w->fd, SHUT_RDWR);
    atomic_store(&w->finished, true);
    return NULL;
}

static int connect_one(const struct cb_options *o, long timeout_ms)
{
    struct sockaddr_in addr;
    cb_sockaddr(o->address, o->port, &addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* the send timeout is set after connect: it would cut connect short */
    if (cb_set_buffers(fd, o->sndbuf, o->rcvbuf) < 0 || cb_connect_within(fd, &addr, timeout_ms) < 0 ||
        cb_set_timeouts(fd, CB_POLL_MS) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    unsigned char hello[CB_WIRE_BYTES];
    struct cb_hello h = { .workload = o->workload, .size = (uint32_t)o->size, .threads = o->threads };
    cb_hello_encode(&h, hello);
    if (cb_send_exact(fd, hello, sizeof(hello), NULL) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct workers {
    struct worker *w;   /* the sampler keeps its credit in each */
    unsigned n;
    int round_trips;   /* request/response: a stall is no completed round trip */
};

/* The window's progress sampler: bytes received, over every connection; in
 * request/response also what the kernel received of a response still being
 * read while no round trip completes, so one large response is progress while
 * it arrives. A stall is the server's when every worker is waiting to receive. */
static void sample(void *arg, uint64_t *bytes, uint64_t *units, int *on_peer)
{
    const struct workers *all = arg;
    uint64_t b = 0, r = 0;
    int peer = all->n > 0;
    for (unsigned i = 0; i < all->n; i++) {
        struct worker *w = &all->w[i];
        uint64_t got = atomic_load_explicit(&w->progress_bytes, memory_order_relaxed);
        b += got;
        if (all->round_trips) {
            cb_tcp_credit_sample(&w->credit, w->fd, got, CB_TCP_RECEIVED, NULL);
            r += atomic_load_explicit(&w->progress_round_trips, memory_order_relaxed) + w->credit.credit;
        }
        peer &= atomic_load_explicit(&w->waiting, memory_order_relaxed);
    }
    *bytes = b;
    *units = all->round_trips ? r : b;
    *on_peer = peer;
}

/* A server of another protocol version answers the first hello with a refusal
 * and exits, so a later connect may fail first: 1 after the clear error line
 * when an opened connection holds a refusal, else 0. */
static int report_refusal(const struct worker *workers, unsigned opened)
{
    for (unsigned i = 0; i < opened; i++) {
        unsigned char buf[CB_WIRE_BYTES];
        unsigned server_version;
        if (recv(workers[i].fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_PEEK) == (ssize_t)sizeof(buf)
            && cb_refuse_parse(buf, sizeof(buf), &server_version) == 0) {
            cb_error("the server speaks copybench protocol %u, this client %u: run the same engine version on both hosts",
                     server_version, CB_PROTOCOL_VERSION);
            return 1;
        }
    }
    return 0;
}

/* Connects every worker and waits for the server's go on each. 0, or -1
 * after one error line; the caller closes what was opened. */
static int open_connections(struct worker *workers, const struct cb_options *o)
{
    char load[96];
    cb_overload(load, sizeof(load), o->threads, "client");
    for (unsigned i = 0; i < o->threads; i++) {
        long limit = cb_wait_limit_ms(CB_CONNECT_MS);
        workers[i].fd = connect_one(o, limit);
        if (workers[i].fd < 0 && report_refusal(workers, i))
            return -1;
        if (workers[i].fd < 0 && errno == ETIMEDOUT) {
            cb_error("%sconnection %u: connect to %s:%u timed out after %ld ms", load, i, o->address, o->port, limit);
            return -1;
        }
        if (workers[i].fd < 0) {
            cb_error("connection %u to %s:%u failed: %s", i, o->address, o->port, strerror(errno));
            return -1;
        }
    }
    /* The window starts only when the server has prepared every connection
     * (pools, rings, memfds): bounded by CB_PREPARE_MS, or what the deadline
     * leaves for set-up when that is more. */
    long go_limit = cb_setup_limit_ms(CB_PREPARE_MS, o->warmup_ms + o->duration_ms + cb_grace_ms(o));
    uint64_t go_end = cb_now_ns() + (uint64_t)go_limit * 1000000ull;
    for (unsigned i = 0; i < o->threads; i++) {
        unsigned char go[CB_WIRE_BYTES];
        uint64_t now = cb_now_ns();
        long left = now < go_end ? (long)((go_end - now) / 1000000ull) : 0;
        int r = cb_recv_exact_within(workers[i].fd, go, sizeof(go), left > 0 ? left : 1);
        if (r < 0 && errno == ETIMEDOUT) {
            cb_error("%sconnection %u: no go from the server within %ld ms (it had not prepared every connection)",
                     load, i, go_limit);
            return -1;
        }
        unsigned server_version;
        if (r == 1 && cb_refuse_parse(go, sizeof(go), &server_version) == 0) {
            cb_error("the server speaks copybench protocol %u, this client %u: run the same engine version on both hosts",
                     server_version, CB_PROTOCOL_VERSION);
            return -1;
        }
        if (r != 1 && report_refusal(workers, o->threads))
            return -1;
        if (r != 1 || cb_go_parse(go, sizeof(go)) < 0) {
            cb_error("%sconnection %u: the server closed it or sent no go", load, i);
            return -1;
        }
    }
    return 0;
}

int cb_client_run(const struct cb_options *o)
{
    char err[256] = "";
    struct cb_window window;
    if (cb_window_init(&window, o->perf_ctl, o->perf_ack, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    atomic_bool stop = false;
    struct worker *workers = calloc(o->threads, sizeof(*workers));
    if (workers == NULL) {
        cb_error("out of memory for %u client connections (%zu bytes)", o->threads, o->threads * sizeof(*workers));
        cb_window_close(&window);
        return 1;
    }
    for (unsigned i = 0; i < o->threads; i++) {
        struct worker *w = &workers[i];
        w->fd = -1;
        w->o = o;
        w->window = &window;
        w->stop = &stop;
        cb_receiver_init(&w->rx, o->size, o->verify_every);
        cb_histogram_init(&w->latency);
    }
    if (open_connections(workers, o) < 0) {
        for (unsigned i = 0; i < o->threads; i++)
            if (workers[i].fd >= 0)
                close(workers[i].fd);
        free(workers);
        cb_window_close(&window);
        return 1;
    }
    for (unsigned i = 0; i < o->threads; i++)
        pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
    struct workers all = { .w = workers, .n = o->threads, .round_trips = o->workload == CB_REQUEST_RESPONSE };
    window.sample = sample;
    window.sample_arg = &all;

    int status = 0;
    if (cb_window_run(&window, o->warmup_ms, o->duration_ms, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        status = 1;
        atomic_store(&window.phase, CB_PHASE_DONE);
    }
    /* The workers end the cell with the server (the handshake); a server that
     * never does is stopped after cb_grace_ms and named by their errors. A
     * failed window has nothing to end gracefully: stop at once. */
    uint64_t grace_end = cb_now_ns() + (status == 0 ? (uint64_t)cb_grace_ms(o) * 1000000ull : 0);
    for (unsigned i = 0; i < o->threads; i++)
        while (!atomic_load(&workers[i].finished) && cb_now_ns() < grace_end)
            cb_sleep_ms(1);
    atomic_store(&stop, true);

    struct cb_totals totals = { 0 };
    struct cb_histogram *latency = malloc(sizeof(*latency));
    if (latency != NULL)
        cb_histogram_init(latency);
    else if (o->workload == CB_REQUEST_RESPONSE && status == 0) {
        char why[128];
        cb_explain_oom(why, sizeof(why), "the merged latency histogram", 0, sizeof(*latency));
        cb_error("%s", why);
        status = 1;
    }
    for (unsigned i = 0; i < o->threads; i++) {
        struct worker *w = &workers[i];
        pthread_join(w->thread, NULL);
        close(w->fd);
        totals.window_bytes += w->window_bytes;
        totals.window_messages += w->window_messages;
        totals.bytes += w->bytes;
        totals.messages += w->rx.messages;
        totals.verified += w->rx.verified;
        totals.integrity_errors += w->rx.integrity_errors;
        if (latency != NULL)
            cb_histogram_merge(latency, &w->latency);
        if (w->failed && status == 0) {
            char load[96];
            cb_overload(load, sizeof(load), o->threads, "client");
            cb_error("%sconnection %u: %s", load, i, w->error);
            status = 1;
        }
    }
    if (o->workload == CB_REQUEST_RESPONSE)
        totals.latency = latency;
    cb_window_close(&window);
    cb_report_print(stdout, o, &window, &totals);
    free(latency);
    free(workers);
    return status;
}
