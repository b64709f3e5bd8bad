/* The udp-sink workload's optional receiver, for tests over loopback (a real
 * cell sends to a blackhole and has none): binds --connect ADDR --port P
 * (port 0: any, written to --ready-file), and checks every datagram: its
 * length, its header's checksum, and that each sender's sequence numbers
 * only grow (UDP may drop; it must not corrupt or repeat). It receives
 * through its window and then until the senders fall silent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "message.h"
#include "net.h"
#include "report.h"
#include "roles.h"

#define MAX_SENDERS 1024
#define SILENCE_MS 500   /* after the window: this long without a datagram ends the run */

struct sender_seq {
    uint16_t port;
    uint32_t next;   /* lowest acceptable next sequence number */
};

/* 0 when seq is acceptable from this sender (and records it), -1 otherwise. */
static int check_order(struct sender_seq *table, unsigned *n, uint16_t port, uint32_t seq)
{
    for (unsigned i = 0; i < *n; i++) {
        if (table[i].port == port) {
            if (seq < table[i].next)
                return -1;
            table[i].next = seq + 1;
            return 0;
        }
    }
    if (*n == MAX_SENDERS)
        return -1;
    table[(*n)++] = (struct sender_seq){ .port = port, .next = seq + 1 };
    return 0;
}

int cb_udp_receiver_run(const struct cb_options *o)
{
    char err[256] = "";
    struct sockaddr_in addr;
    cb_sockaddr(o->address, o->port, &addr);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || cb_set_buffers(fd, 0, o->rcvbuf > 0 ? o->rcvbuf : 4 << 20) < 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || cb_set_timeouts(fd, 50) < 0) {
        cb_error("cannot bind UDP %s:%u: %s", o->address, o->port, strerror(errno));
        return 1;
    }
    socklen_t len = sizeof(addr);
    getsockname(fd, (struct sockaddr *)&addr, &len);
    if (o->ready_file != NULL && cb_write_ready_file(o->ready_file, ntohs(addr.sin_port), err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    struct cb_window window;
    if (cb_window_init(&window, o->perf_ctl, o->perf_ack, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    struct sender_seq *table = calloc(MAX_SENDERS, sizeof(*table));
    unsigned senders = 0;
    char *buf = malloc(o->size + 1);   /* one byte more: a longer datagram shows as such */
    if (table == NULL || buf == NULL) {
        cb_error("out of memory for the datagram buffer and the senders' table (%zu bytes)",
                 o->size + 1 + MAX_SENDERS * sizeof(*table));
        free(table);
        free(buf);
        close(fd);
        return 1;
    }
    struct cb_totals totals = { 0 };
    uint64_t warmup_end = cb_now_ns() + (uint64_t)o->warmup_ms * 1000000ull;
    uint64_t window_end = warmup_end + (uint64_t)o->duration_ms * 1000000ull;
    uint64_t last_datagram = 0;
    int phase = CB_PHASE_WARMUP;
    for (;;) {
        uint64_t now = cb_now_ns();
        if (phase == CB_PHASE_WARMUP && now >= warmup_end) {
            cb_window_mark_start(&window);
            phase = CB_PHASE_MEASURE;
        }
        if (phase == CB_PHASE_MEASURE && now >= window_end) {
            cb_window_mark_end(&window);
            phase = CB_PHASE_DONE;
        }
        if (phase == CB_PHASE_DONE && now > last_datagram + (uint64_t)SILENCE_MS * 1000000ull &&
            now > window_end + (uint64_t)SILENCE_MS * 1000000ull)
            break;
        struct sockaddr_in from;
        socklen_t from_len = sizeof(from);
        ssize_t n = recvfrom(fd, buf, o->size + 1, 0, (struct sockaddr *)&from, &from_len);
        if (n < 0)
            continue;   /* the 50 ms timeout: look at the clock again */
        last_datagram = cb_now_ns();
        uint32_t seq = 0, check;
        if (n >= CB_HEADER_BYTES)
            cb_header_read(buf, &seq, &check);
        int bad = (size_t)n != o->size || cb_message_verify(buf, o->size, seq) < 0 ||
                  check_order(table, &senders, ntohs(from.sin_port), seq) < 0;
        totals.messages++;
        totals.bytes += (uint64_t)n;
        totals.verified++;
        totals.integrity_errors += (uint64_t)bad;
        if (phase == CB_PHASE_MEASURE) {
            totals.window_messages++;
            totals.window_bytes += (uint64_t)n;
        }
    }
    close(fd);
    free(buf);
    free(table);
    cb_report_print(stdout, o, &window, &totals);
    return 0;
}
