/* Log-linear latency histogram in nanoseconds: 64 sub-buckets per power of
 * two (under 1.6 % relative error), exact below 128 ns; exact min, max, sum. */
#ifndef CB_HISTOGRAM_H
#define CB_HISTOGRAM_H

#include <stdint.h>

#define CB_HIST_SUB 64
#define CB_HIST_BUCKETS (CB_HIST_SUB * 42)

struct cb_histogram {
    uint64_t count, sum, min, max;
    uint64_t bucket[CB_HIST_BUCKETS];
};

void cb_histogram_init(struct cb_histogram *h);
void cb_histogram_record(struct cb_histogram *h, uint64_t ns);
void cb_histogram_merge(struct cb_histogram *into, const struct cb_histogram *from);
/* The value at quantile q in [0, 1]; 0 for an empty histogram. */
uint64_t cb_histogram_quantile(const struct cb_histogram *h, double q);

#endif
