/* --cpu N: pins the whole process to one CPU. Called on the main thread
 * before any other thread exists (the watchdog, the connection threads), so
 * every thread inherits the mask: sched_setaffinity sets only the caller's. */
#ifndef CB_AFFINITY_H
#define CB_AFFINITY_H

#include <sched.h>
#include <stddef.h>

/* Pins the calling thread to cpu. 0, or -1 with one line in err naming
 * --cpu, the value and the CPUs this process may run on. */
int cb_affinity_pin(int cpu, char *err, size_t errlen);

/* "0-3,6,8-9": the CPUs in set as ranges (syscall-free, unit-tested). */
void cb_cpu_list(const cpu_set_t *set, char *buf, size_t len);

#endif
