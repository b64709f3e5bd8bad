/* The measured window of one engine process: warm-up, then the window, whose
 * edges the engine itself tells perf about (perf stat -D -1 --control
 * fifo:CTL,ACK) so counters cover exactly the window, timestamped with
 * CLOCK_MONOTONIC. Threads read the phase to decide what counts. */
#ifndef CB_WINDOW_H
#define CB_WINDOW_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

#include "progress.h"
#include "sysstat.h"

enum cb_phase { CB_PHASE_WARMUP = 0, CB_PHASE_MEASURE = 1, CB_PHASE_DONE = 2 };

struct cb_window {
    atomic_int phase;
    struct timespec start, end;
    struct rusage usage_start, usage_end;
    struct cb_cpu_ticks system_start, system_end;   /* the whole machine's CPU time (sysstat.h) */
    int perf_ctl_fd, perf_ack_fd;   /* -1 when not run under perf control */
    const char *perf_ctl_path, *perf_ack_path;
    /* Progress counters to sample every 20 ms in the window (may be NULL):
     * totals since the start, read from atomics the workers store and from the
     * kernel (bytes the peer acknowledged), and whether every connection is
     * waiting on its peer now (progress.h). */
    void (*sample)(void *arg, uint64_t *bytes, uint64_t *units, int *on_peer);
    void *sample_arg;
    struct cb_progress progress;
    struct cb_progress_summary progress_summary;
};

static inline int cb_window_phase(const struct cb_window *w)
{
    return atomic_load_explicit(&w->phase, memory_order_relaxed);
}

/* Opens the perf control fifos (either may be NULL: no perf control).
 * 0, or -1 with a message in err. */
int cb_window_init(struct cb_window *w, const char *ctl_path, const char *ack_path,
                   char *err, size_t errlen);
/* Sleeps the warm-up, opens the window, sleeps the window, closes it.
 * 0, or -1 with a message in err (perf did not acknowledge). */
int cb_window_run(struct cb_window *w, long warmup_ms, long duration_ms, char *err, size_t errlen);
/* Closes the perf fifos and frees the progress samples (the summary stays). */
void cb_window_close(struct cb_window *w);

/* The window's edges: CPU time (the process's and the machine's) and the
 * clock, read in that order at the open and in reverse at the close, so the
 * CPU time spans the clock's window. The phase is the caller's. */
void cb_window_mark_start(struct cb_window *w);
void cb_window_mark_end(struct cb_window *w);

double cb_window_seconds(const struct cb_window *w);

uint64_t cb_now_ns(void);
void cb_sleep_ms(long ms);

#endif
