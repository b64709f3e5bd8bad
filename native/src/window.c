#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "watchdog.h"
#include "window.h"

#define PERF_ACK_TIMEOUT_MS 5000
/* Longest we wait for perf to open the control fifo (less if the deadline is nearer). */
#define PERF_OPEN_TIMEOUT_MS 10000

uint64_t cb_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void cb_sleep_ms(long ms)
{
    struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &t, &t) == EINTR)
        ;
}

int cb_window_init(struct cb_window *w, const char *ctl_path, const char *ack_path,
                   char *err, size_t errlen)
{
    memset(w, 0, sizeof(*w));
    atomic_init(&w->phase, CB_PHASE_WARMUP);
    w->perf_ctl_fd = -1;
    w->perf_ack_fd = -1;
    w->perf_ctl_path = ctl_path;
    w->perf_ack_path = ack_path;
    if (ctl_path == NULL)
        return 0;
    /* perf holds both fifos open read-write. A blocking open for writing would
     * wait forever for a reader that never comes (no perf, or a fifo nobody
     * reads); non-blocking it fails with ENXIO until one exists, so retry, bounded. */
    long limit = cb_wait_limit_ms(PERF_OPEN_TIMEOUT_MS);
    uint64_t end = cb_now_ns() + (uint64_t)limit * 1000000ull;
    while ((w->perf_ctl_fd = open(ctl_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0 &&
           (errno == ENXIO || errno == EINTR) && cb_now_ns() < end)
        cb_sleep_ms(10);
    if (w->perf_ctl_fd < 0) {
        if (errno == ENXIO)
            snprintf(err, errlen, "--perf-ctl %s: nobody opened the fifo for reading within %ld ms "
                     "(is perf stat --control running?)", ctl_path, limit);
        else
            snprintf(err, errlen, "--perf-ctl %s: %s", ctl_path, strerror(errno));
        return -1;
    }
    if (ack_path != NULL) {
        /* a non-blocking read end opens at once; reads are bounded by poll */
        w->perf_ack_fd = open(ack_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (w->perf_ack_fd < 0) {
            snprintf(err, errlen, "--perf-ack %s: %s", ack_path, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int perf_command(struct cb_window *w, const char *cmd, char *err, size_t errlen)
{
    if (w->perf_ctl_fd < 0)
        return 0;
    size_t len = strlen(cmd);
    /* non-blocking: a fifo that nobody drains fails here instead of hanging */
    if (write(w->perf_ctl_fd, cmd, len) != (ssize_t)len) {
        snprintf(err, errlen, "--perf-ctl %s: writing '%.*s' failed: %s", w->perf_ctl_path, (int)len - 1, cmd,
                 errno == EAGAIN ? "the fifo is full (nobody reads it)" : strerror(errno));
        return -1;
    }
    if (w->perf_ack_fd < 0)
        return 0;
    long limit = cb_wait_limit_ms(PERF_ACK_TIMEOUT_MS);
    uint64_t end = cb_now_ns() + (uint64_t)limit * 1000000ull;
    for (;;) {
        uint64_t now = cb_now_ns();
        struct pollfd p = { .fd = w->perf_ack_fd, .events = POLLIN };
        int r = now < end ? poll(&p, 1, (int)((end - now) / 1000000ull) + 1) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        char ack[16];
        ssize_t n = r > 0 ? read(w->perf_ack_fd, ack, sizeof(ack)) : -1;
        if (n > 0)
            return 0;
        if (n < 0 && r > 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        snprintf(err, errlen, "--perf-ack %s: perf did not acknowledge '%.*s' within %ld ms", w->perf_ack_path,
                 (int)len - 1, cmd, limit);
        return -1;
    }
}

static void sleep_until_ns(uint64_t t)
{
    struct timespec ts = { .tv_sec = (time_t)(t / 1000000000ull), .tv_nsec = (long)(t % 1000000000ull) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* Sleeps through the window, sampling progress at every 20 ms tick from its
 * start (this thread only sleeps and sums counters: the sample is cheap). */
static void measure(struct cb_window *w, uint64_t start, long duration_ms)
{
    const uint64_t step = (uint64_t)CB_PROGRESS_INTERVAL_MS * 1000000ull;
    uint64_t end = start + (uint64_t)duration_ms * 1000000ull;
    if (w->sample == NULL) {
        sleep_until_ns(end);
        return;
    }
    uint64_t bytes0, units0, bytes, units;
    int on_peer;
    w->sample(w->sample_arg, &bytes0, &units0, &on_peer);
    uint64_t full = (end - start) / step;   /* only whole intervals are counted */
    for (uint64_t tick = 1; tick <= full;) {
        sleep_until_ns(start + tick * step);
        uint64_t now = cb_now_ns();
        uint64_t reached = (now - start) / step;
        if (reached > full)
            reached = full;
        if (reached < tick)
            reached = tick;
        w->sample(w->sample_arg, &bytes, &units, &on_peer);
        /* a sum of counters read one by one may step back by a race: no progress, not a wrap */
        bytes = bytes > bytes0 ? bytes : bytes0;
        units = units > units0 ? units : units0;
        cb_progress_record(&w->progress, bytes - bytes0, units - units0, (unsigned)(reached - tick + 1), on_peer);
        bytes0 = bytes;
        units0 = units;
        tick = reached + 1;
    }
    sleep_until_ns(end);
}

int cb_window_run(struct cb_window *w, long warmup_ms, long duration_ms, char *err, size_t errlen)
{
    if (w->sample != NULL && cb_progress_init(&w->progress, duration_ms) < 0) {
        snprintf(err, errlen, "out of memory for the progress samples (%ld intervals)",
                 duration_ms / CB_PROGRESS_INTERVAL_MS + 2);
        return -1;
    }
    cb_sleep_ms(warmup_ms);
    if (perf_command(w, "enable\n", err, errlen) < 0)
        return -1;
    cb_window_mark_start(w);
    atomic_store(&w->phase, CB_PHASE_MEASURE);
    measure(w, (uint64_t)w->start.tv_sec * 1000000000ull + (uint64_t)w->start.tv_nsec, duration_ms);
    atomic_store(&w->phase, CB_PHASE_DONE);
    cb_progress_summarize(&w->progress, &w->progress_summary);
    cb_window_mark_end(w);
    return perf_command(w, "disable\n", err, errlen);
}

void cb_window_mark_start(struct cb_window *w)
{
    cb_cpu_ticks_read(&w->system_start);
    getrusage(RUSAGE_SELF, &w->usage_start);
    clock_gettime(CLOCK_MONOTONIC, &w->start);
}

void cb_window_mark_end(struct cb_window *w)
{
    clock_gettime(CLOCK_MONOTONIC, &w->end);
    getrusage(RUSAGE_SELF, &w->usage_end);
    cb_cpu_ticks_read(&w->system_end);
}

void cb_window_close(struct cb_window *w)
{
    if (w->perf_ctl_fd >= 0)
        close(w->perf_ctl_fd);
    if (w->perf_ack_fd >= 0)
        close(w->perf_ack_fd);
    w->perf_ctl_fd = w->perf_ack_fd = -1;
    cb_progress_free(&w->progress);
}

double cb_window_seconds(const struct cb_window *w)
{
    return (double)(w->end.tv_sec - w->start.tv_sec) + (double)(w->end.tv_nsec - w->start.tv_nsec) / 1e9;
}
