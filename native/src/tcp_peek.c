#include "tcp_peek.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

void cb_tcp_credit_sample(struct cb_tcp_credit *t, int fd, uint64_t app, enum cb_tcp_counter which, int *queued)
{
    if (queued != NULL)
        *queued = 0;
    if (app > t->seen_app) {
        t->credit += app - t->seen_app;
        t->seen_app = app;
        t->kernel_known = 0;   /* read afresh at the next stand-still: the worker's count covers this */
        return;
    }
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    /* tcpi_notsent_bytes came last of what is read here (Linux 4.6) */
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
        len < offsetof(struct tcp_info, tcpi_notsent_bytes) + sizeof(ti.tcpi_notsent_bytes))
        return;
    uint64_t kernel = which == CB_TCP_ACKED ? ti.tcpi_bytes_acked : ti.tcpi_bytes_received;
    if (t->kernel_known && kernel > t->seen_kernel)
        t->credit += kernel - t->seen_kernel;
    t->seen_kernel = kernel;
    t->kernel_known = 1;
    if (queued != NULL)
        *queued = ti.tcpi_unacked > 0 || ti.tcpi_notsent_bytes > 0;
}
