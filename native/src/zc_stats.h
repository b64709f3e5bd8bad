/* What the zero-copy paths (MSG_ZEROCOPY and io_uring SENDMSG_ZC) count, and
 * the one JSON section they share, so Java reads the COPIED share the same
 * way whichever path produced it. */
#ifndef CB_ZC_STATS_H
#define CB_ZC_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cb_zc_stats {
    uint64_t calls;             /* successful zero-copy calls (that handed bytes to the kernel) */
    uint64_t completed;         /* calls whose completion/notification arrived */
    uint64_t copied;            /* of those, reported as copied by the kernel */
    uint64_t ranges;            /* completion notifications read */
    uint64_t enobufs;           /* ENOBUFS answers (option memory exhausted) */
    uint64_t reconcile_errors;  /* completions for calls never made, or completed twice */
    uint64_t pool_waits;        /* times no buffer was free and we waited */
    /* io_uring only: requests that announced a notification (IORING_CQE_F_MORE),
     * and notification CQEs (IORING_CQE_F_NOTIF); equal once drained. */
    uint64_t sends, notifications;
    /* Set when the kernel cannot say which sends were copied; `copied` is then
     * meaningless and reported as null with this reason. */
    const char *copied_unknown;
};

void cb_zc_stats_add(struct cb_zc_stats *total, const struct cb_zc_stats *part);

/* Writes ,"zerocopy":{...}; with_notifications adds sends and notifications. */
void cb_zc_stats_json(FILE *out, const struct cb_zc_stats *s, int with_notifications);

/* 0 when completions reconcile (no error; with notifications, one per send),
 * else -1 with a message in err. */
int cb_zc_stats_check(const struct cb_zc_stats *s, int with_notifications, char *err, size_t errlen);

/* Messages per connection a zero-copy path keeps in flight by default:
 * about 8 MiB worth, 8 ... 1024. */
unsigned cb_zc_default_pool(size_t size);

/* Why a zero-copy datagram got EMSGSIZE: it spans more pages than an skb
 * has fragments (MAX_SKB_FRAGS, 17 unless the kernel was built otherwise). */
void cb_zc_explain_emsgsize(char *why, size_t why_len, unsigned pages);

#endif
