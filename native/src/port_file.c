#include "port_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A whole line only: the server writes the port and its newline in one write(),
 * but a reader must never take a half-written number for a port. */
static int read_port(const char *path, unsigned *port)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[16] = "";
    int got = fgets(line, sizeof(line), f) != NULL && strchr(line, '\n') != NULL;
    fclose(f);
    if (!got)
        return 0;
    char *end;
    unsigned long v = strtoul(line, &end, 10);
    if (end == line || *end != '\n' || v == 0 || v > 65535)
        return -1;
    *port = (unsigned)v;
    return 1;
}

int cb_port_from_file(const char *path, long limit_ms, unsigned *port, char *err, size_t errlen)
{
    struct timespec tick = { 0, 1000000 };
    for (long waited = 0;; waited++) {
        int r = read_port(path, port);
        if (r > 0)
            return 0;
        if (r < 0) {
            snprintf(err, errlen, "--port-file %s: does not hold a port in [1, 65535]", path);
            return -1;
        }
        if (waited >= limit_ms) {
            snprintf(err, errlen, "--port-file %s: no port within %ld ms (did the server start?)", path, limit_ms);
            return -1;
        }
        while (nanosleep(&tick, &tick) < 0 && errno == EINTR) {
        }
        tick.tv_nsec = 1000000;
    }
}
