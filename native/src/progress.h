/* Progress inside the measured window, sampled every 20 ms, so a run that was
 * disturbed (the process stopped, starved or stalled) says so in its report
 * instead of only showing a lower mean. Syscall-free, so it is unit-tested;
 * window.c samples, report.c prints.
 *
 * Three things are kept apart, so an honest slow cell is not taken for a
 * disturbed one: an interval without progress (a stall), whether the side was
 * then waiting on its peer (the peer's receive window closed, or nothing to
 * read: the stall is the peer's), and a sampler that woke late (what moved
 * meanwhile is spread over the missed intervals, never counted as zero; when
 * almost nothing moved, the process was not running: frozen or starved). */
#ifndef CB_PROGRESS_H
#define CB_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CB_PROGRESS_INTERVAL_MS 20

/* Per-interval flags */
#define CB_PROGRESS_ON_PEER 1u   /* no progress, and the side was waiting on its peer */
#define CB_PROGRESS_MISSED 2u    /* the sampler was late: not observed on its own */

struct cb_progress {
    uint64_t *bytes;        /* payload per interval */
    uint64_t *units;        /* what a stall is counted on: bytes moved (stream), round trips (request/response) */
    uint8_t *flags;         /* CB_PROGRESS_* */
    size_t n, cap;
    uint64_t missed;        /* intervals the sampler woke too late to see on their own */
};

struct cb_progress_summary {
    int valid;
    size_t intervals;
    double min_gbps, median_gbps, max_gbps;
    long longest_stall_ms;  /* longest run of observed intervals without progress */
    long stall_on_peer_ms;  /* of that run, the intervals this side was waiting on its peer */
    long longest_gap_ms;    /* longest the sampler woke late and this side moved less than in one
                               typical interval the while: it was not running (frozen, starved) */
    uint64_t missed;
};

/* Room for a window of duration_ms. 0, or -1 (ENOMEM). */
int cb_progress_init(struct cb_progress *p, long duration_ms);
void cb_progress_free(struct cb_progress *p);
/* The progress seen after `intervals` (>= 1) intervals elapsed since the last
 * sample; on_peer: the side was waiting on its peer when sampled. A late
 * sampler cannot tell when the progress happened: it spreads it evenly over
 * the intervals and marks all but the last as missed (neither progress nor a
 * stall); a gap in which the side barely moved is its own (longest_gap_ms). */
void cb_progress_record(struct cb_progress *p, uint64_t bytes, uint64_t units, unsigned intervals, int on_peer);
/* Computes the summary; reorders p's samples (call once, at the end). */
void cb_progress_summarize(struct cb_progress *p, struct cb_progress_summary *s);
/* ,"progress":{...} or ,"progress":null when nothing was sampled. mode_wait_ns:
 * the send path's own waits in the window (zero-copy waiting for completions),
 * summed over connections: the mode's time, reported beside its progress. */
void cb_progress_json(FILE *out, const struct cb_progress_summary *s, uint64_t mode_wait_ns);

#endif
