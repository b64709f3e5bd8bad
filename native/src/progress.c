#include "progress.h"

#include <stdlib.h>
#include <string.h>

int cb_progress_init(struct cb_progress *p, long duration_ms)
{
    memset(p, 0, sizeof(*p));
    p->cap = (size_t)(duration_ms / CB_PROGRESS_INTERVAL_MS) + 2;
    p->bytes = calloc(p->cap, sizeof(*p->bytes));
    p->units = calloc(p->cap, sizeof(*p->units));
    if (p->bytes == NULL || p->units == NULL) {
        cb_progress_free(p);
        return -1;
    }
    return 0;
}

void cb_progress_free(struct cb_progress *p)
{
    free(p->bytes);
    free(p->units);
    p->bytes = p->units = NULL;
    p->n = p->cap = 0;
}

void cb_progress_record(struct cb_progress *p, uint64_t bytes, uint64_t units, unsigned intervals)
{
    for (unsigned i = 1; i < intervals && p->n < p->cap; i++) {
        p->bytes[p->n] = p->units[p->n] = 0;
        p->n++;
        p->missed++;
    }
    if (intervals > 0 && p->n < p->cap) {
        p->bytes[p->n] = bytes;
        p->units[p->n] = units;
        p->n++;
    }
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

void cb_progress_summarize(struct cb_progress *p, struct cb_progress_summary *s)
{
    memset(s, 0, sizeof(*s));
    if (p->n == 0)
        return;
    size_t run = 0, longest = 0;
    for (size_t i = 0; i < p->n; i++) {
        run = p->units[i] == 0 ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    qsort(p->bytes, p->n, sizeof(*p->bytes), by_value);
    s->valid = 1;
    s->intervals = p->n;
    s->min_gbps = gbps(p->bytes[0]);
    s->max_gbps = gbps(p->bytes[p->n - 1]);
    s->median_gbps = p->n % 2 ? gbps(p->bytes[p->n / 2]) : (gbps(p->bytes[p->n / 2 - 1]) + gbps(p->bytes[p->n / 2])) / 2;
    s->longest_stall_ms = (long)longest * CB_PROGRESS_INTERVAL_MS;
    s->missed = p->missed;
}

void cb_progress_json(FILE *out, const struct cb_progress_summary *s)
{
    if (!s->valid) {
        fprintf(out, ",\"progress\":null");
        return;
    }
    fprintf(out, ",\"progress\":{\"interval_ms\":%d,\"intervals\":%zu,\"min_gbps\":%.6f,\"median_gbps\":%.6f,"
                 "\"max_gbps\":%.6f,\"longest_stall_ms\":%ld,\"missed_intervals\":%llu}",
            CB_PROGRESS_INTERVAL_MS, s->intervals, s->min_gbps, s->median_gbps, s->max_gbps, s->longest_stall_ms,
            (unsigned long long)s->missed);
}
