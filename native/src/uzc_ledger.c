#include "uzc_ledger.h"

#include <stdlib.h>

enum {
    SLOT_FREE = 0,
    SLOT_SUBMITTED,       /* result not seen */
    SLOT_EARLY_COPIED,    /* notification (copied) seen before the result */
    SLOT_EARLY_ZC,        /* notification (not copied) seen before the result */
    SLOT_OWED_DATA,       /* result sent bytes and announced a notification */
    SLOT_OWED_EMPTY,      /* result sent nothing (an error) but announced one */
    SLOT_SETTLED,
};

int cb_uzc_ledger_init(struct cb_uzc_ledger *l, uint32_t cap, unsigned pool, struct cb_zc_stats *stats)
{
    uint32_t c = 1;
    while (c < cap)
        c <<= 1;
    *l = (struct cb_uzc_ledger){ .cap = c, .pool = pool, .stats = stats };
    l->state = calloc(c, sizeof(*l->state));
    l->buffer = calloc(c, sizeof(*l->buffer));
    l->pending = calloc(pool, sizeof(*l->pending));
    if (l->state == NULL || l->buffer == NULL || l->pending == NULL) {
        cb_uzc_ledger_destroy(l);
        return -1;
    }
    return 0;
}

void cb_uzc_ledger_destroy(struct cb_uzc_ledger *l)
{
    free(l->state);
    free(l->buffer);
    free(l->pending);
    l->state = NULL;
    l->buffer = NULL;
    l->pending = NULL;
}

uint64_t cb_uzc_ledger_outstanding(const struct cb_uzc_ledger *l)
{
    return l->next - l->oldest;
}

int cb_uzc_ledger_full(const struct cb_uzc_ledger *l)
{
    return cb_uzc_ledger_outstanding(l) >= l->cap;
}

int cb_uzc_ledger_buffer_free(const struct cb_uzc_ledger *l, unsigned buffer)
{
    return l->pending[buffer] == 0;
}

uint64_t cb_uzc_ledger_submit(struct cb_uzc_ledger *l, unsigned buffer)
{
    uint64_t token = l->next++ & ((1ull << 48) - 1);
    uint32_t slot = (uint32_t)(token & (l->cap - 1));
    l->state[slot] = SLOT_SUBMITTED;
    l->buffer[slot] = buffer;
    l->pending[buffer]++;
    return token;
}

/* The slot of a token in flight, or NULL for one never issued or long settled. */
static uint8_t *slot_of(struct cb_uzc_ledger *l, uint64_t token, uint32_t *slot)
{
    uint64_t mask = (1ull << 48) - 1;
    if (((token - l->oldest) & mask) >= ((l->next - l->oldest) & mask))
        return NULL;
    *slot = (uint32_t)(token & (l->cap - 1));
    return &l->state[*slot];
}

static void settle(struct cb_uzc_ledger *l, uint32_t slot)
{
    l->state[slot] = SLOT_SETTLED;
    l->pending[l->buffer[slot]]--;
    while (l->oldest != l->next && l->state[l->oldest & (l->cap - 1)] == SLOT_SETTLED) {
        l->state[l->oldest & (l->cap - 1)] = SLOT_FREE;
        l->oldest++;
    }
}

static void count_notification(struct cb_uzc_ledger *l, int carried_data, int copied)
{
    if (!carried_data)
        return;   /* a failed send's notification says nothing about copying */
    l->stats->completed++;
    if (copied)
        l->stats->copied++;
}

void cb_uzc_ledger_result(struct cb_uzc_ledger *l, uint64_t token, int32_t res, int more)
{
    uint32_t slot;
    uint8_t *st = slot_of(l, token, &slot);
    if (st == NULL || (*st != SLOT_SUBMITTED && *st != SLOT_EARLY_COPIED && *st != SLOT_EARLY_ZC)) {
        l->stats->reconcile_errors++;
        return;
    }
    if (more) {
        l->stats->sends++;
        if (res > 0)
            l->stats->calls++;
    }
    if (*st == SLOT_SUBMITTED) {
        if (!more)
            settle(l, slot);
        else {
            *st = res > 0 ? SLOT_OWED_DATA : SLOT_OWED_EMPTY;
            l->owed++;
        }
        return;
    }
    /* the notification came first */
    if (!more)
        l->stats->reconcile_errors++;   /* notified, yet no notification was announced */
    else
        count_notification(l, res > 0, *st == SLOT_EARLY_COPIED);
    settle(l, slot);
}

void cb_uzc_ledger_notify(struct cb_uzc_ledger *l, uint64_t token, int copied)
{
    l->stats->notifications++;
    l->stats->ranges++;
    uint32_t slot;
    uint8_t *st = slot_of(l, token, &slot);
    if (st == NULL) {
        l->stats->reconcile_errors++;
        return;
    }
    switch (*st) {
    case SLOT_SUBMITTED:
        *st = copied ? SLOT_EARLY_COPIED : SLOT_EARLY_ZC;
        return;
    case SLOT_OWED_DATA:
    case SLOT_OWED_EMPTY:
        count_notification(l, *st == SLOT_OWED_DATA, copied);
        l->owed--;
        settle(l, slot);
        return;
    default:
        l->stats->reconcile_errors++;   /* notified twice */
        return;
    }
}
