#include "tcp_peek.h"

#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int cb_tcp_peek(int fd, struct cb_tcp_peek *p)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
        len < offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof(ti.tcpi_snd_wnd))
        return -1;   /* tcpi_snd_wnd came last of these (Linux 5.4) */
    int inq = 0, outq = 0;
    if (ioctl(fd, SIOCINQ, &inq) < 0 || ioctl(fd, SIOCOUTQ, &outq) < 0)
        return -1;
    p->bytes_acked = ti.tcpi_bytes_acked;
    p->bytes_received = ti.tcpi_bytes_received;
    p->peer_window_closed = ti.tcpi_snd_wnd == 0;
    p->nothing_to_read = inq == 0;
    p->nothing_to_send = outq == 0;
    return 0;
}
