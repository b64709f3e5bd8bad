/* Bookkeeping of MSG_ZEROCOPY completions, free of syscalls so it can be
 * unit-tested. The kernel numbers every successful sendmsg(MSG_ZEROCOPY) call
 * on a socket 0, 1, 2, ... (u32, wrapping) and reports completions as
 * inclusive, possibly merged ranges [lo, hi]. A pool buffer may be reused
 * only when every call that sent from it has completed. */
#ifndef CB_ZC_TRACKER_H
#define CB_ZC_TRACKER_H

#include <stdint.h>

#include "zc_stats.h"

struct cb_zc_tracker {
    uint32_t next_id;     /* id the kernel gives the next successful call */
    uint32_t oldest;      /* oldest id not yet completed */
    uint32_t cap;         /* ring capacity, a power of two */
    int32_t *owner;       /* ring: id -> pool buffer */
    uint8_t *done;        /* ring: id completed */
    unsigned pool;
    unsigned *pending;    /* per buffer: calls not yet completed */
    struct cb_zc_stats *stats;
};

/* cap is rounded up to a power of two. 0, or -1 (ENOMEM). */
int cb_zc_tracker_init(struct cb_zc_tracker *t, uint32_t cap, unsigned pool,
                       struct cb_zc_stats *stats);
void cb_zc_tracker_destroy(struct cb_zc_tracker *t);

/* True when no more calls can be recorded until completions arrive. */
int cb_zc_tracker_full(const struct cb_zc_tracker *t);
/* Records one successful call that sent from buffer. */
void cb_zc_tracker_sent(struct cb_zc_tracker *t, unsigned buffer);
/* Applies one completion range; ids never sent or completed twice count as
 * reconcile errors. */
void cb_zc_tracker_complete(struct cb_zc_tracker *t, uint32_t lo, uint32_t hi, int copied);
int cb_zc_tracker_buffer_free(const struct cb_zc_tracker *t, unsigned buffer);
/* Calls sent and not yet completed. */
uint32_t cb_zc_tracker_outstanding(const struct cb_zc_tracker *t);

#endif
