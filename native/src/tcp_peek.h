/* What the kernel knows of a TCP connection's progress, read by the window's
 * progress sampler from its own thread: bytes move while a blocking send or
 * receive of one large message is still in flight, so progress is credited as
 * they move, not when the call returns. */
#ifndef CB_TCP_PEEK_H
#define CB_TCP_PEEK_H

#include <stdint.h>

struct cb_tcp_peek {
    uint64_t bytes_acked;     /* sent and acknowledged by the peer */
    uint64_t bytes_received;  /* received by this side's kernel */
    int peer_window_closed;   /* the peer advertises no room: it is not reading */
    int nothing_to_read;      /* the receive queue is empty: waiting for the peer */
    int nothing_to_send;      /* the send queue is empty (nothing unacknowledged, nothing unsent) */
};

/* 0, or -1 (not TCP, or a kernel without these TCP_INFO fields). */
int cb_tcp_peek(int fd, struct cb_tcp_peek *p);

#endif
