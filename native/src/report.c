#include "report.h"

#include <sys/time.h>
#include <unistd.h>

#include "net.h"
#include "protocol.h"

void cb_totals_add_conn(struct cb_totals *t, const struct cb_send_mode *mode, const struct cb_conn *c)
{
    t->window_bytes += c->stats.window_bytes;
    t->window_messages += c->stats.window_messages;
    t->bytes += c->stats.bytes;
    t->messages += c->stats.messages;
    t->send_calls += c->stats.send_calls;
    t->short_writes += c->stats.short_writes;
    t->window_mode_wait_ns += c->stats.window_mode_wait_ns;
    if (t->path_stats != NULL && mode->stats_add != NULL)
        mode->stats_add(t->path_stats, c);
    if (c->sndbuf_asked > 0) {
        int granted = cb_sndbuf_granted(c->fd);
        if (granted > 0 && (t->sndbuf_granted == 0 || granted < t->sndbuf_granted))
            t->sndbuf_granted = granted;
    }
}

static double tv_seconds(struct timeval a, struct timeval b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_usec - a.tv_usec) / 1e6;
}

static uint64_t ns_of(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void cb_report_print(FILE *out, const struct cb_options *o, const struct cb_window *w,
                     const struct cb_totals *t)
{
    double seconds = cb_window_seconds(w);
    fprintf(out, "{\"role\":\"%s\",\"mode\":\"%s\",\"workload\":\"%s\",\"size\":%zu,\"threads\":%u",
            o->is_server ? "server" : "client", o->mode ? o->mode->name : "",
            cb_workload_name(o->workload), o->size, o->threads);
    fprintf(out, ",\"seconds\":%.9f,\"bytes\":%llu,\"messages\":%llu,\"gbps\":%.6f,\"messages_per_s\":%.3f",
            seconds, (unsigned long long)t->window_bytes, (unsigned long long)t->window_messages,
            seconds > 0 ? (double)t->window_bytes * 8 / seconds / 1e9 : 0.0,
            seconds > 0 ? (double)t->window_messages / seconds : 0.0);
    fprintf(out, ",\"total_bytes\":%llu,\"total_messages\":%llu,\"send_calls\":%llu,\"short_writes\":%llu",
            (unsigned long long)t->bytes, (unsigned long long)t->messages,
            (unsigned long long)t->send_calls, (unsigned long long)t->short_writes);
    fprintf(out, ",\"verified_messages\":%llu,\"integrity_errors\":%llu,\"rejected_connections\":%llu",
            (unsigned long long)t->verified, (unsigned long long)t->integrity_errors,
            (unsigned long long)t->rejected_connections);
    if (t->latency != NULL && t->latency->count > 0) {
        const struct cb_histogram *h = t->latency;
        fprintf(out, ",\"latency_ns\":{\"count\":%llu,\"mean\":%.1f,\"min\":%llu,\"p50\":%llu,\"p90\":%llu,"
                     "\"p99\":%llu,\"p999\":%llu,\"max\":%llu}",
                (unsigned long long)h->count, (double)h->sum / (double)h->count, (unsigned long long)h->min,
                (unsigned long long)cb_histogram_quantile(h, 0.50), (unsigned long long)cb_histogram_quantile(h, 0.90),
                (unsigned long long)cb_histogram_quantile(h, 0.99), (unsigned long long)cb_histogram_quantile(h, 0.999),
                (unsigned long long)h->max);
    } else {
        fprintf(out, ",\"latency_ns\":null");
    }
    /* The path writes its own section; without one, "zerocopy" is null so
     * every report has the key Java reads the COPIED share from. */
    if (o->is_server && o->mode->stats_json != NULL && t->path_stats != NULL)
        o->mode->stats_json(out, t->path_stats);
    else
        fprintf(out, ",\"zerocopy\":null");
    /* What --sndbuf asked and what the kernel holds (doubled, capped by
     * net.core.wmem_max): Java says so when they differ beyond the doubling. */
    if (o->is_server && o->sndbuf > 0 && t->sndbuf_granted > 0)
        fprintf(out, ",\"sndbuf\":{\"asked\":%d,\"granted\":%d}", o->sndbuf, t->sndbuf_granted);
    else
        fprintf(out, ",\"sndbuf\":null");
    if (o->cpu >= 0)
        fprintf(out, ",\"cpu\":%d", o->cpu);
    else
        fprintf(out, ",\"cpu\":null");
    cb_progress_json(out, &w->progress_summary, t->window_mode_wait_ns);
    fprintf(out, ",\"rusage\":{\"user_s\":%.6f,\"system_s\":%.6f,\"voluntary_ctx\":%ld,\"involuntary_ctx\":%ld}",
            tv_seconds(w->usage_start.ru_utime, w->usage_end.ru_utime),
            tv_seconds(w->usage_start.ru_stime, w->usage_end.ru_stime),
            w->usage_end.ru_nvcsw - w->usage_start.ru_nvcsw, w->usage_end.ru_nivcsw - w->usage_start.ru_nivcsw);
    cb_sysstat_json(out, &w->system_start, &w->system_end, sysconf(_SC_CLK_TCK));
    fprintf(out, ",\"window\":{\"start_ns\":%llu,\"end_ns\":%llu}}\n",
            (unsigned long long)ns_of(w->start), (unsigned long long)ns_of(w->end));
    fflush(out);
}
