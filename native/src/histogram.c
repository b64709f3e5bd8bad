#include "histogram.h"

#include <string.h>

void cb_histogram_init(struct cb_histogram *h)
{
    memset(h, 0, sizeof(*h));
    h->min = UINT64_MAX;
}

static unsigned index_of(uint64_t v)
{
    if (v < 2 * CB_HIST_SUB)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb - 6;   /* keep 7 significant bits: 64..127 */
    unsigned i = (shift + 1) * CB_HIST_SUB + (unsigned)((v >> shift) - CB_HIST_SUB);
    return i < CB_HIST_BUCKETS ? i : CB_HIST_BUCKETS - 1;
}

/* Midpoint of the bucket's range, a fair representative of its values. */
static uint64_t value_of(unsigned i)
{
    if (i < 2 * CB_HIST_SUB)
        return i;
    unsigned shift = i / CB_HIST_SUB - 1;
    uint64_t low = (uint64_t)(i % CB_HIST_SUB + CB_HIST_SUB) << shift;
    return low + ((1ull << shift) >> 1);
}

void cb_histogram_record(struct cb_histogram *h, uint64_t ns)
{
    h->bucket[index_of(ns)]++;
    h->count++;
    h->sum += ns;
    if (ns < h->min)
        h->min = ns;
    if (ns > h->max)
        h->max = ns;
}

void cb_histogram_merge(struct cb_histogram *into, const struct cb_histogram *from)
{
    for (unsigned i = 0; i < CB_HIST_BUCKETS; i++)
        into->bucket[i] += from->bucket[i];
    into->count += from->count;
    into->sum += from->sum;
    if (from->min < into->min)
        into->min = from->min;
    if (from->max > into->max)
        into->max = from->max;
}

uint64_t cb_histogram_quantile(const struct cb_histogram *h, double q)
{
    if (h->count == 0)
        return 0;
    uint64_t rank = (uint64_t)(q * (double)h->count);
    if (rank >= h->count)
        rank = h->count - 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < CB_HIST_BUCKETS; i++) {
        seen += h->bucket[i];
        if (seen > rank) {
            uint64_t v = value_of(i);
            /* never report outside what was observed */
            return v < h->min ? h->min : v > h->max ? h->max : v;
        }
    }
    return h->max;
}
