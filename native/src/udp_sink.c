/* The udp-sink workload's sender: transmit only. One connected UDP socket
 * and thread per --threads, each sending one datagram per message to the sink
 * (--connect ADDR --port P, e.g. an address routed to a blackhole). No peer
 * answers, so there is no hello and no go: the sender runs the warm-up and
 * the window itself, and throughput is the bytes it sent in the window. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "roles.h"
#include "sender.h"

int cb_udp_sink_run(const struct cb_options *o)
{
    char err[256] = "";
    struct sockaddr_in addr;
    cb_sockaddr(o->address, o->port, &addr);
    struct cb_window window;
    if (cb_window_init(&window, o->perf_ctl, o->perf_ack, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    atomic_bool stop = false;
    struct cb_sender *senders = calloc(o->threads, sizeof(*senders));
    if (senders == NULL) {
        cb_error("out of memory for %u UDP sockets' state (%zu bytes)", o->threads, o->threads * sizeof(*senders));
        return 1;
    }
    for (unsigned i = 0; i < o->threads; i++) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
            cb_error("cannot open a UDP socket to %s:%u: %s", o->address, o->port, strerror(errno));
            return 1;
        }
        cb_sender_init(&senders[i], o, fd, 1, &window, &stop);
        if (cb_set_timeouts(fd, CB_POLL_MS) < 0 || cb_set_buffers(fd, o->sndbuf, o->rcvbuf) < 0 ||
            o->mode->open(&senders[i].conn) < 0) {
            if (senders[i].conn.why[0] != '\0')
                cb_error("%s on UDP socket %u", senders[i].conn.why, i);
            else
                cb_error("cannot prepare UDP socket %u for %s: %s", i, o->mode->name, strerror(errno));
            return 1;
        }
    }
    fprintf(stderr, "copybench-engine: sending datagrams to %s:%u\n", o->address, o->port);
    int status = cb_senders_run(senders, o->threads, o, &window, &stop, 0);
    free(senders);
    return status;
}
