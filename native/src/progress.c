#include "progress.h"

#include <stdlib.h>
#include <string.h>

int cb_progress_init(struct cb_progress *p, long duration_ms)
{
    memset(p, 0, sizeof(*p));
    p->cap = (size_t)(duration_ms / CB_PROGRESS_INTERVAL_MS) + 2;
    p->bytes = calloc(p->cap, sizeof(*p->bytes));
    p->units = calloc(p->cap, sizeof(*p->units));
    p->flags = calloc(p->cap, sizeof(*p->flags));
    if (p->bytes == NULL || p->units == NULL || p->flags == NULL) {
        cb_progress_free(p);
        return -1;
    }
    return 0;
}

void cb_progress_free(struct cb_progress *p)
{
    free(p->bytes);
    free(p->units);
    free(p->flags);
    p->bytes = p->units = NULL;
    p->flags = NULL;
    p->n = p->cap = 0;
}

static void append(struct cb_progress *p, uint64_t bytes, uint64_t units, uint8_t flags)
{
    if (p->n < p->cap) {
        p->bytes[p->n] = bytes;
        p->units[p->n] = units;
        p->flags[p->n] = flags;
        p->n++;
    }
}

void cb_progress_record(struct cb_progress *p, uint64_t bytes, uint64_t units, unsigned intervals, int on_peer)
{
    if (intervals == 0)
        return;
    /* the late sampler's share: what moved is spread, the last interval takes the rest */
    uint64_t bytes_each = bytes / intervals, units_each = units / intervals;
    for (unsigned i = 1; i < intervals; i++) {
        append(p, bytes_each, units_each, CB_PROGRESS_MISSED);
        p->missed++;
    }
    uint64_t last_units = units - units_each * (intervals - 1);
    append(p, bytes - bytes_each * (intervals - 1), last_units, last_units == 0 && on_peer ? CB_PROGRESS_ON_PEER : 0);
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double gbps(uint64_t bytes)
{
    return (double)bytes * 8 / (CB_PROGRESS_INTERVAL_MS / 1e3) / 1e9;
}

/* The longest late wake of the sampler during which this side moved at less
 * than half its typical rate (the median observed interval): it was not
 * running, frozen or starved (what it moved came from the moments around the
 * gap: a receiver drains its socket buffer before the sampler looks). A
 * sampler merely woken late while the workers ran sees their progress, and
 * that gap is nobody's stall. In intervals. */
static size_t longest_frozen_gap(const struct cb_progress *p)
{
    uint64_t *observed = malloc(p->n * sizeof(*observed));
    size_t m = 0;
    for (size_t i = 0; observed != NULL && i < p->n; i++)
        if (!(p->flags[i] & CB_PROGRESS_MISSED))
            observed[m++] = p->bytes[i];
    uint64_t typical = 0;
    if (m > 0) {
        qsort(observed, m, sizeof(*observed), by_value);
        typical = observed[m / 2];
    }
    free(observed);
    size_t longest = 0, gap = 0;
    uint64_t moved = 0;
    for (size_t i = 0; i < p->n; i++) {
        moved += p->bytes[i];
        if (p->flags[i] & CB_PROGRESS_MISSED) {
            gap++;
            continue;
        }
        /* the interval that ends a gap is the sampler's first look after it */
        if (gap > longest && (moved / (gap + 1) < typical / 2 || moved == 0))
            longest = gap;
        gap = 0;
        moved = 0;
    }
    return longest;
}

void cb_progress_summarize(struct cb_progress *p, struct cb_progress_summary *s)
{
    memset(s, 0, sizeof(*s));
    if (p->n == 0)
        return;
    s->longest_gap_ms = (long)longest_frozen_gap(p) * CB_PROGRESS_INTERVAL_MS;
    /* a missed interval neither extends nor ends a stall: it was not observed */
    size_t run = 0, run_on_peer = 0, longest = 0, longest_on_peer = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->flags[i] & CB_PROGRESS_MISSED)
            continue;
        if (p->units[i] == 0) {
            run++;
            run_on_peer += (p->flags[i] & CB_PROGRESS_ON_PEER) != 0;
        } else {
            run = run_on_peer = 0;
        }
        if (run > longest) {
            longest = run;
            longest_on_peer = run_on_peer;
        }
    }
    qsort(p->bytes, p->n, sizeof(*p->bytes), by_value);
    s->valid = 1;
    s->intervals = p->n;
    s->min_gbps = gbps(p->bytes[0]);
    s->max_gbps = gbps(p->bytes[p->n - 1]);
    s->median_gbps = p->n % 2 ? gbps(p->bytes[p->n / 2]) : (gbps(p->bytes[p->n / 2 - 1]) + gbps(p->bytes[p->n / 2])) / 2;
    s->longest_stall_ms = (long)longest * CB_PROGRESS_INTERVAL_MS;
    s->stall_on_peer_ms = (long)longest_on_peer * CB_PROGRESS_INTERVAL_MS;
    s->missed = p->missed;
}

void cb_progress_json(FILE *out, const struct cb_progress_summary *s, uint64_t mode_wait_ns)
{
    if (!s->valid) {
        fprintf(out, ",\"progress\":null");
        return;
    }
    fprintf(out, ",\"progress\":{\"interval_ms\":%d,\"intervals\":%zu,\"min_gbps\":%.6f,\"median_gbps\":%.6f,"
                 "\"max_gbps\":%.6f,\"longest_stall_ms\":%ld,\"stall_on_peer_ms\":%ld,\"longest_gap_ms\":%ld,"
                 "\"missed_intervals\":%llu,\"mode_wait_s\":%.6f}",
            CB_PROGRESS_INTERVAL_MS, s->intervals, s->min_gbps, s->median_gbps, s->max_gbps, s->longest_stall_ms,
            s->stall_on_peer_ms, s->longest_gap_ms, (unsigned long long)s->missed, (double)mode_wait_ns / 1e9);
}
