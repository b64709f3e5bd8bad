/* Bookkeeping of io_uring zero-copy sends (IORING_OP_SENDMSG_ZC), free of
 * syscalls so it can be unit-tested. Every request gets a token (its
 * user_data). Its result CQE says, with IORING_CQE_F_MORE, that a
 * notification CQE (IORING_CQE_F_NOTIF, same user_data) will follow once the
 * kernel no longer reads the buffer; without F_MORE nothing follows. A pool
 * buffer may be reused only when every request that sent from it is settled:
 * result without F_MORE, or its notification read. The counterpart of
 * zc_tracker.c for MSG_ZEROCOPY. */
#ifndef CB_UZC_LEDGER_H
#define CB_UZC_LEDGER_H

#include <stdint.h>

#include "zc_stats.h"

struct cb_uzc_ledger {
    uint64_t next;        /* token of the next request */
    uint64_t oldest;      /* oldest token not yet settled */
    uint32_t cap;         /* ring capacity, a power of two */
    uint8_t *state;       /* ring: token -> slot state */
    uint32_t *buffer;     /* ring: token -> pool buffer */
    unsigned pool;
    unsigned *pending;    /* per buffer: requests not yet settled */
    uint64_t owed;        /* notifications announced and not yet read */
    struct cb_zc_stats *stats;
};

/* cap is rounded up to a power of two. 0, or -1 (ENOMEM). */
int cb_uzc_ledger_init(struct cb_uzc_ledger *l, uint32_t cap, unsigned pool, struct cb_zc_stats *stats);
void cb_uzc_ledger_destroy(struct cb_uzc_ledger *l);

/* True when no request can be issued until older ones settle. */
int cb_uzc_ledger_full(const struct cb_uzc_ledger *l);
/* Registers a request sending from buffer; returns its token (< 2^48). */
uint64_t cb_uzc_ledger_submit(struct cb_uzc_ledger *l, unsigned buffer);
/* The request's result: res bytes sent (or -errno); more: IORING_CQE_F_MORE. */
void cb_uzc_ledger_result(struct cb_uzc_ledger *l, uint64_t token, int32_t res, int more);
/* Its notification; copied: the kernel reported a copy (IORING_NOTIF_USAGE_ZC_COPIED). */
void cb_uzc_ledger_notify(struct cb_uzc_ledger *l, uint64_t token, int copied);
int cb_uzc_ledger_buffer_free(const struct cb_uzc_ledger *l, unsigned buffer);
/* Requests not yet settled. */
uint64_t cb_uzc_ledger_outstanding(const struct cb_uzc_ledger *l);

#endif
