/* System-wide CPU time over the measured window, as netperf's service demand
 * counts it: /proc/stat's aggregate "cpu" line at the window's open and close.
 * It covers every CPU, so softirq work and the receiving process are counted,
 * which the server's own task-clock misses (zero-copy over veth does much of
 * its work in the receiver's softirq). It is the whole machine: other tenants'
 * load is in it too: irq/softirq and steal are reported apart, so that Java can
 * subtract the engines' own CPU time and say what the others used (HostLoad).
 *
 * Precision: the counters are in USER_HZ ticks (sysconf(_SC_CLK_TCK), 100 on
 * Linux: 10 ms), sampled per tick, so each edge is uncertain by about a tick
 * per CPU: fine for windows of 200 ms and more, coarse below. */
#ifndef CB_SYSSTAT_H
#define CB_SYSSTAT_H

#include <stdint.h>
#include <stdio.h>

struct cb_cpu_ticks {
    int valid;
    uint64_t busy;    /* user + nice + system + irq + softirq + steal (guest is inside user) */
    uint64_t idle;    /* idle + iowait */
    uint64_t irq;     /* irq + softirq (inside busy): the network's receive work, nobody's process time */
    uint64_t steal;   /* inside busy: time the hypervisor gave to another guest */
    unsigned cpus;    /* per-CPU lines: the online CPUs */
};

/* Parses the aggregate line "cpu  user nice system idle iowait irq softirq
 * steal ..." (older kernels end earlier: missing fields count 0). 0, or -1. */
int cb_cpu_line_parse(const char *line, struct cb_cpu_ticks *t);
/* Reads /proc/stat's cpu lines; t->valid is 0 when it cannot. */
void cb_cpu_ticks_read(struct cb_cpu_ticks *t);
/* ,"system":{"busy_ns":..,"idle_ns":..,"irq_ns":..,"steal_ns":..,"cpus":..} for the span from a to b,
 * in ns at ticks_per_s; ,"system":null unless both reads worked. */
void cb_sysstat_json(FILE *out, const struct cb_cpu_ticks *a, const struct cb_cpu_ticks *b, long ticks_per_s);

#endif
