#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "roles.h"

void cb_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "copybench-engine: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

void cb_overload(char *buf, size_t len, unsigned threads, const char *role)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (len > 0)
        buf[0] = '\0';
    if (cpus > 0 && threads > 8 * (unsigned long)cpus)
        snprintf(buf, len, "%u %s threads on %ld CPU%s: ", threads, role, cpus, cpus == 1 ? "" : "s");
}
