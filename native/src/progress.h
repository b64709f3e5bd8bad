/* Progress inside the measured window, sampled every 20 ms, so a run that was
 * disturbed (the process stopped, starved or stalled) says so in its report
 * instead of only showing a lower mean. Syscall-free, so it is unit-tested;
 * window.c samples, report.c prints. */
#ifndef CB_PROGRESS_H
#define CB_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CB_PROGRESS_INTERVAL_MS 20

struct cb_progress {
    uint64_t *bytes;        /* payload per interval */
    uint64_t *units;        /* what a stall is counted on: bytes (stream), round trips (request/response) */
    size_t n, cap;
    uint64_t missed;        /* intervals the sampler woke too late to see on their own */
};

struct cb_progress_summary {
    int valid;
    size_t intervals;
    double min_gbps, median_gbps, max_gbps;
    long longest_stall_ms;  /* longest run of consecutive intervals without progress */
    uint64_t missed;
};

/* Room for a window of duration_ms. 0, or -1 (ENOMEM). */
int cb_progress_init(struct cb_progress *p, long duration_ms);
void cb_progress_free(struct cb_progress *p);
/* The progress seen after `intervals` (>= 1) intervals elapsed since the last
 * sample. A late sampler cannot tell when the progress happened: it puts it in
 * the last interval and counts the others as zero (and as missed); for a
 * stopped process that is the truth, for a merely late sampler "missed" says so. */
void cb_progress_record(struct cb_progress *p, uint64_t bytes, uint64_t units, unsigned intervals);
/* Computes the summary; reorders p's samples (call once, at the end). */
void cb_progress_summarize(struct cb_progress *p, struct cb_progress_summary *s);
/* ,"progress":{...} or ,"progress":null when nothing was sampled. */
void cb_progress_json(FILE *out, const struct cb_progress_summary *s);

#endif
