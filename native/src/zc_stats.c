#include "zc_stats.h"

void cb_zc_stats_add(struct cb_zc_stats *total, const struct cb_zc_stats *part)
{
    total->calls += part->calls;
    total->completed += part->completed;
    total->copied += part->copied;
    total->ranges += part->ranges;
    total->enobufs += part->enobufs;
    total->reconcile_errors += part->reconcile_errors;
    total->pool_waits += part->pool_waits;
    total->sends += part->sends;
    total->notifications += part->notifications;
    if (part->copied_unknown != NULL)
        total->copied_unknown = part->copied_unknown;
}

void cb_zc_stats_json(FILE *out, const struct cb_zc_stats *s, int with_notifications)
{
    fprintf(out, ",\"zerocopy\":{\"calls\":%llu,\"completed\":%llu", (unsigned long long)s->calls,
            (unsigned long long)s->completed);
    if (s->copied_unknown != NULL)   /* unknown is not 0: never report a share we did not see */
        fprintf(out, ",\"copied\":null,\"copied_share\":null,\"copied_unknown\":\"%s\"", s->copied_unknown);
    else
        fprintf(out, ",\"copied\":%llu,\"copied_share\":%.6f", (unsigned long long)s->copied,
                s->completed > 0 ? (double)s->copied / (double)s->completed : 0.0);
    fprintf(out, ",\"ranges\":%llu,\"enobufs\":%llu,\"reconcile_errors\":%llu,\"pool_waits\":%llu",
            (unsigned long long)s->ranges, (unsigned long long)s->enobufs,
            (unsigned long long)s->reconcile_errors, (unsigned long long)s->pool_waits);
    if (with_notifications)
        fprintf(out, ",\"sends\":%llu,\"notifications\":%llu", (unsigned long long)s->sends,
                (unsigned long long)s->notifications);
    fprintf(out, "}");
}

int cb_zc_stats_check(const struct cb_zc_stats *s, int with_notifications, char *err, size_t errlen)
{
    if (s->reconcile_errors > 0) {
        snprintf(err, errlen, "zero-copy completions do not reconcile: %llu ids completed twice or never sent",
                 (unsigned long long)s->reconcile_errors);
        return -1;
    }
    if (with_notifications && s->notifications != s->sends) {
        snprintf(err, errlen, "io_uring zero-copy notifications do not reconcile: %llu sends, %llu notifications",
                 (unsigned long long)s->sends, (unsigned long long)s->notifications);
        return -1;
    }
    return 0;
}

unsigned cb_zc_default_pool(size_t size)
{
    size_t n = (8u << 20) / size;
    if (n < 8)
        n = 8;
    if (n > 1024)
        n = 1024;
    return (unsigned)n;
}

void cb_zc_explain_emsgsize(char *why, size_t why_len, unsigned pages)
{
    snprintf(why, why_len, "EMSGSIZE: a zero-copy datagram must fit in one skb's page fragments "
             "(MAX_SKB_FRAGS, 17 by default) and this message's 8 fields span %u pages; use a smaller --size", pages);
}
