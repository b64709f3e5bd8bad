#include "affinity.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void cb_cpu_list(const cpu_set_t *set, char *buf, size_t len)
{
    size_t used = 0;
    if (len > 0)
        buf[0] = '\0';
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, set))
            continue;
        int last = cpu;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
            last++;
        int n = last == cpu ? snprintf(buf + used, len - used, "%s%d", used ? "," : "", cpu)
                            : snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "", cpu, last);
        if (n < 0 || (size_t)n >= len - used)
            return;   /* truncated: what fits is still a valid prefix */
        used += (size_t)n;
        cpu = last;
    }
}

int cb_affinity_pin(int cpu, char *err, size_t errlen)
{
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0) {
        snprintf(err, errlen, "--cpu %d: cannot read this process's CPUs: %s", cpu, strerror(errno));
        return -1;
    }
    char list[256];
    cb_cpu_list(&allowed, list, sizeof(list));
    /* the allowed set is the cgroup's cpuset and taskset's mask, not just what is online */
    if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed)) {
        snprintf(err, errlen, "--cpu %d: not a CPU this process may run on; allowed: %s", cpu, list);
        return -1;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof(one), &one) < 0) {
        snprintf(err, errlen, "--cpu %d: sched_setaffinity failed: %s (allowed: %s)", cpu, strerror(errno), list);
        return -1;
    }
    return 0;
}
