/* Progress of one TCP connection as its side's progress sampler credits it:
 * the worker's own counter when it moved, else what the kernel moved, so a
 * blocking call in flight (one large message being sent or received) is
 * progress while its bytes move, not only when it returns. The kernel is
 * asked (TCP_INFO) only when the worker's counter stood still: a flowing
 * connection costs the sampler no system call. Owned by the sampler thread. */
#ifndef CB_TCP_PEEK_H
#define CB_TCP_PEEK_H

#include <stdint.h>

enum cb_tcp_counter { CB_TCP_ACKED, CB_TCP_RECEIVED };

struct cb_tcp_credit {
    uint64_t credit;        /* bytes credited so far: monotonic */
    uint64_t seen_app, seen_kernel;
    int kernel_known;       /* seen_kernel was read at the previous stand-still */
};

/* Credits one sample: the growth of app (the worker's counter of bytes), or,
 * when it did not grow, of the kernel's count (acknowledged by the peer, or
 * received) since the previous stand-still. fd < 0: not TCP, app only.
 * *queued (may be NULL): the connection stood still with bytes queued that the
 * peer has not acknowledged: it is waiting on the peer. */
void cb_tcp_credit_sample(struct cb_tcp_credit *t, int fd, uint64_t app, enum cb_tcp_counter which, int *queued);

#endif
