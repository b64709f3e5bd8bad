#include "memory.h"

#include <stdio.h>
#include <string.h>

#include "protocol.h"
#include "roles.h"
#include "zc_stats.h"

unsigned cb_pool_messages(const struct cb_options *o)
{
    return o->zc_pool ? o->zc_pool : cb_zc_default_pool(o->size);
}

const char *cb_format_bytes(uint64_t bytes, char *buf, size_t len)
{
    static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int u = 0;
    double v = (double)bytes;
    while (v >= 1024 && u < 6) {
        v /= 1024;
        u++;
    }
    if (u == 0 || v >= 100 || v == (double)(uint64_t)v)
        snprintf(buf, len, "%.0f %s", v, unit[u]);
    else
        snprintf(buf, len, "%.1f %s", v, unit[u]);
    return buf;
}

/* Saturating: a plan past 2^64 is simply too big. */
static uint64_t mul(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void server_conn(const struct cb_options *o, struct cb_memory_plan *p)
{
    uint64_t s = o->size, pool = cb_pool_messages(o);
    const char *mode = o->mode != NULL ? o->mode->name : "";
    char sz[32];
    cb_format_bytes(s, sz, sizeof(sz));
    uint64_t b = CB_MEM_SERVER_CONN;
    if (strcmp(mode, "two-copy") == 0) {
        b += 2 * s;
        snprintf(p->what, sizeof(p->what), "a %s message and its flat copy", sz);
    } else if (strcmp(mode, "zero-copy") == 0 || strcmp(mode, "io-uring-zc") == 0) {
        int uzc = mode[0] == 'i';
        b = add(b, add(mul(pool, s), uzc ? CB_MEM_UZC_FIXED + CB_MEM_UZC_PER_BUFFER * pool
                                         : CB_MEM_ZC_FIXED + CB_MEM_ZC_PER_BUFFER * pool));
        snprintf(p->what, sizeof(p->what), "a %s pool of %llu × %s messages", mode, (unsigned long long)pool, sz);
    } else if (strcmp(mode, "sendfile") == 0) {
        b += 3 * s + CB_MEM_SENDFILE_FIXED;
        snprintf(p->what, sizeof(p->what), "a %s message, its memfd and the copy that fills it", sz);
    } else {   /* one-copy, io-uring: the message itself */
        b += s + (strcmp(mode, "io-uring") == 0 ? CB_MEM_URING_FIXED : 0);
        snprintf(p->what, sizeof(p->what), "a %s message", sz);
    }
    p->per_connection = b;
}

size_t cb_stream_read_bytes(size_t message)
{
    return message < CB_MEM_STREAM_READ_MIN ? CB_MEM_STREAM_READ_MIN
         : message > CB_MEM_STREAM_READ_MAX ? CB_MEM_STREAM_READ_MAX : message;
}

void cb_memory_plan(const struct cb_options *o, struct cb_memory_plan *p)
{
    memset(p, 0, sizeof(*p));
    p->connections = o->threads;
    p->per_process = CB_MEM_PROGRESS_PER_INTERVAL * (uint64_t)(o->duration_ms / 20 + 2);
    if (o->is_server) {
        server_conn(o, p);
    } else if (o->workload == CB_UDP_SINK) {   /* the test receiver: one socket */
        p->connections = 1;
        p->per_connection = o->size + 1 + (8u << 10);
        snprintf(p->what, sizeof(p->what), "a datagram buffer and the senders' table");
    } else if (o->workload == CB_REQUEST_RESPONSE) {
        p->per_connection = CB_MEM_CLIENT_CONN + o->size;
        snprintf(p->what, sizeof(p->what), "a response buffer of %zu B", o->size);
    } else {
        size_t read = cb_stream_read_bytes(o->size);
        char sz[32];
        p->per_connection = CB_MEM_CLIENT_CONN + read;
        snprintf(p->what, sizeof(p->what), "a read buffer of %s", cb_format_bytes(read, sz, sizeof(sz)));
    }
    p->total = add(mul(p->per_connection, p->connections), p->per_process);
}

long cb_grace_ms(const struct cb_options *o)
{
    if (o->workload == CB_UDP_SINK)
        return CB_GRACE_MS;
    uint64_t in_flight = mul(o->size, o->threads);
    uint64_t drain = mul(in_flight, CB_DRAIN_MS_PER_MIB) / (1u << 20) + 1;
    return drain > (uint64_t)CB_MAX_MS ? CB_MAX_MS : CB_GRACE_MS + (long)drain;
}

int cb_memory_check(const struct cb_options *o, char *err, size_t errlen)
{
    if (o->max_memory == 0)
        return 0;
    struct cb_memory_plan p;
    cb_memory_plan(o, &p);
    if (p.total <= o->max_memory)
        return 0;
    char total[32], cap[32], each[32];
    snprintf(err, errlen, "--max-memory %llu: the %s would allocate %s (%llu bytes), more than the cap of %s: "
             "%u connection%s × %s (%s)", (unsigned long long)o->max_memory, o->is_server ? "server" : "client",
             cb_format_bytes(p.total, total, sizeof(total)), (unsigned long long)p.total,
             cb_format_bytes(o->max_memory, cap, sizeof(cap)), p.connections, p.connections == 1 ? "" : "s",
             cb_format_bytes(p.per_connection, each, sizeof(each)), p.what);
    return -1;
}

void cb_explain_oom(char *why, size_t len, const char *what, unsigned count, uint64_t bytes)
{
    char each[32], total[32];
    if (count > 0)
        snprintf(why, len, "out of memory for %s: %u × %s messages (%s)", what, count,
                 cb_format_bytes(bytes, each, sizeof(each)), cb_format_bytes(mul(count, bytes), total, sizeof(total)));
    else
        snprintf(why, len, "out of memory for %s (%s)", what, cb_format_bytes(bytes, total, sizeof(total)));
}
