#include "sysstat.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int cb_cpu_line_parse(const char *line, struct cb_cpu_ticks *t)
{
    if (strncmp(line, "cpu ", 4) != 0)
        return -1;
    uint64_t v[8] = { 0 };   /* user nice system idle iowait irq softirq steal */
    const char *p = line + 4;
    int n = 0;
    for (; n < 8; n++) {
        char *end;
        while (*p == ' ')
            p++;
        if (*p < '0' || *p > '9')
            break;
        v[n] = strtoull(p, &end, 10);
        p = end;
    }
    if (n < 4)   /* user nice system idle: in every kernel */
        return -1;
    t->busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    t->idle = v[3] + v[4];
    t->irq = v[5] + v[6];
    t->steal = v[7];
    return 0;
}

void cb_cpu_ticks_read(struct cb_cpu_ticks *t)
{
    memset(t, 0, sizeof(*t));
    FILE *f = fopen("/proc/stat", "re");
    if (f == NULL)
        return;
    char line[512];
    int aggregate = 0;
    /* the cpu lines come first; a longer line (intr) is read in pieces, and
     * its first piece ends the loop */
    while (fgets(line, sizeof(line), f) != NULL && strncmp(line, "cpu", 3) == 0) {
        if (line[3] == ' ')
            aggregate = cb_cpu_line_parse(line, t) == 0;
        else
            t->cpus++;
    }
    fclose(f);
    t->valid = aggregate;
}

static uint64_t ns_of_ticks(uint64_t ticks, long ticks_per_s)
{
    /* ticks × (1e9 / HZ): exact for HZ 100 and 1000; split so it cannot overflow */
    uint64_t hz = (uint64_t)ticks_per_s;
    return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

void cb_sysstat_json(FILE *out, const struct cb_cpu_ticks *a, const struct cb_cpu_ticks *b, long ticks_per_s)
{
    /* the sums should only grow (idle and iowait are estimated on tickless
     * kernels and have gone backwards): anything else is no measurement */
    if (!a->valid || !b->valid || ticks_per_s <= 0 || b->busy < a->busy || b->idle < a->idle || b->irq < a->irq ||
        b->steal < a->steal) {
        fprintf(out, ",\"system\":null");
        return;
    }
    fprintf(out, ",\"system\":{\"busy_ns\":%" PRIu64 ",\"idle_ns\":%" PRIu64 ",\"irq_ns\":%" PRIu64
                 ",\"steal_ns\":%" PRIu64 ",\"cpus\":%u}",
            ns_of_ticks(b->busy - a->busy, ticks_per_s), ns_of_ticks(b->idle - a->idle, ticks_per_s),
            ns_of_ticks(b->irq - a->irq, ticks_per_s), ns_of_ticks(b->steal - a->steal, ticks_per_s), b->cpus);
}
