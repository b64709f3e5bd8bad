/* Splits a received byte stream into messages of a fixed size and verifies
 * them: the sequence number of every message, the checksum of every
 * verify_every-th one. */
#ifndef CB_RECEIVER_H
#define CB_RECEIVER_H

#include <stddef.h>
#include <stdint.h>

#include "message.h"

struct cb_receiver {
    size_t size;
    unsigned verify_every;
    uint32_t expected_seq;
    size_t pos;                              /* bytes of the current message seen */
    unsigned char header[CB_HEADER_BYTES];
    struct cb_check check;
    int verifying;                           /* checksum the current message */
    uint64_t messages, verified, integrity_errors;
};

void cb_receiver_init(struct cb_receiver *r, size_t size, unsigned verify_every);
/* Feeds received bytes; returns how many messages they completed. */
uint64_t cb_receiver_feed(struct cb_receiver *r, const void *data, size_t len);

#endif
