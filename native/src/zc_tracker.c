#include "zc_tracker.h"

#include <stdlib.h>

int cb_zc_tracker_init(struct cb_zc_tracker *t, uint32_t cap, unsigned pool,
                       struct cb_zc_stats *stats)
{
    uint32_t c = 1;
    while (c < cap)
        c <<= 1;
    *t = (struct cb_zc_tracker){ .cap = c, .pool = pool, .stats = stats };
    t->owner = calloc(c, sizeof(*t->owner));
    t->done = calloc(c, sizeof(*t->done));
    t->pending = calloc(pool, sizeof(*t->pending));
    if (t->owner == NULL || t->done == NULL || t->pending == NULL) {
        cb_zc_tracker_destroy(t);
        return -1;
    }
    return 0;
}

void cb_zc_tracker_destroy(struct cb_zc_tracker *t)
{
    free(t->owner);
    free(t->done);
    free(t->pending);
    t->owner = NULL;
    t->done = NULL;
    t->pending = NULL;
}

uint32_t cb_zc_tracker_outstanding(const struct cb_zc_tracker *t)
{
    return t->next_id - t->oldest;
}

int cb_zc_tracker_full(const struct cb_zc_tracker *t)
{
    return cb_zc_tracker_outstanding(t) >= t->cap;
}

void cb_zc_tracker_sent(struct cb_zc_tracker *t, unsigned buffer)
{
    uint32_t slot = t->next_id & (t->cap - 1);
    t->owner[slot] = (int32_t)buffer;
    t->done[slot] = 0;
    t->pending[buffer]++;
    t->next_id++;
    t->stats->calls++;
}

void cb_zc_tracker_complete(struct cb_zc_tracker *t, uint32_t lo, uint32_t hi, int copied)
{
    t->stats->ranges++;
    uint32_t id = lo;
    for (;;) {
        /* in flight means oldest <= id < next_id, in wrapping arithmetic */
        if (id - t->oldest < t->next_id - t->oldest) {
            uint32_t slot = id & (t->cap - 1);
            if (t->done[slot]) {
                t->stats->reconcile_errors++;
            } else {
                t->done[slot] = 1;
                t->pending[t->owner[slot]]--;
                t->stats->completed++;
                if (copied)
                    t->stats->copied++;
            }
        } else {
            t->stats->reconcile_errors++;
        }
        if (id == hi)
            break;
        id++;
        if (id - lo > t->cap) {   /* a range wider than anything in flight */
            t->stats->reconcile_errors++;
            break;
        }
    }
    while (t->oldest != t->next_id && t->done[t->oldest & (t->cap - 1)]) {
        t->done[t->oldest & (t->cap - 1)] = 0;
        t->oldest++;
    }
}

int cb_zc_tracker_buffer_free(const struct cb_zc_tracker *t, unsigned buffer)
{
    return t->pending[buffer] == 0;
}
