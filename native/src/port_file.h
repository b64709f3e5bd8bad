/* The client may start before the server listens: it then reads the
 * server's port from the server's ready file, once that holds it. */
#ifndef CB_PORT_FILE_H
#define CB_PORT_FILE_H

#include <stddef.h>

/* Waits (polling every millisecond, at most limit_ms) until path holds a
 * port and its newline, and stores it. 0, or -1 with one line in err. */
int cb_port_from_file(const char *path, long limit_ms, unsigned *port, char *err, size_t errlen);

#endif
