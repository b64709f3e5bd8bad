/* A complex message: 8 separately heap-allocated string fields whose sizes
 * add up exactly to the requested message size. On the wire the message is
 * the concatenation of its fields; its first 8 bytes are a header holding a
 * sequence number and a checksum of the rest, so a receiver can verify it. */
#ifndef CB_MESSAGE_H
#define CB_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define CB_FIELDS 8
#define CB_HEADER_BYTES 8
#define CB_MIN_MESSAGE CB_FIELDS
#define CB_MAX_MESSAGE (64u * 1024u * 1024u)

struct cb_message {
    size_t size;                    /* total payload bytes */
    char *field[CB_FIELDS];         /* each its own malloc */
    size_t field_len[CB_FIELDS];
    uint32_t body_check;            /* checksum of bytes [8, size), fixed at build */
};

/* Returns 0, or -1 with errno (EINVAL for a size outside [8, 64 MiB]). */
int cb_message_build(struct cb_message *m, size_t size);
void cb_message_free(struct cb_message *m);

/* Writes seq and its check word into the header bytes (which may span fields). */
void cb_message_stamp(struct cb_message *m, uint32_t seq);

/* Fills iov[CB_FIELDS] with the fields, in wire order. */
void cb_message_iov(const struct cb_message *m, struct iovec *iov);

/* Pages the fields span, as the kernel counts them when it sends from
 * them without copying (each page one skb fragment). */
unsigned cb_message_pages(const struct cb_message *m);

/* Copies the message into flat (size bytes): the user-space assembly of two-copy. */
void cb_message_flatten(const struct cb_message *m, char *flat);

/* Streaming checksum, the same whether bytes arrive in one piece or many.
 * Eight independent lanes over 64-byte blocks, so the multiplies overlap and
 * verifying costs the receiver little next to the copy it measures. */
#define CB_CHECK_LANES 8
struct cb_check {
    uint64_t lane[CB_CHECK_LANES];
    unsigned char pending[8 * CB_CHECK_LANES];   /* bytes of a partial block */
    unsigned pending_len;
    uint64_t total;                              /* bytes seen */
};
void cb_check_init(struct cb_check *c);
void cb_check_update(struct cb_check *c, const void *data, size_t len);
uint32_t cb_check_final(const struct cb_check *c);

/* The header's sequence number and check word (network byte order on the wire). */
void cb_header_read(const void *header, uint32_t *seq, uint32_t *check);

/* The header's check word for a message with this sequence and body checksum. */
uint32_t cb_header_check(uint32_t seq, uint32_t body_check);

/* Verifies one contiguous message; 0 when intact, -1 otherwise. */
int cb_message_verify(const void *buf, size_t size, uint32_t expected_seq);

#endif
