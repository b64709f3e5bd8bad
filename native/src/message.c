#include "message.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t CHECK_MUL = 0x9E3779B97F4A7C15ull;

/* Printable "string" content, different per field and offset: byte j is
 * 'a' + (7i + j) mod 26. One period-aligned block is written byte by byte and
 * then copied on: building is what a large plan's set-up spends its time on
 * (64 connections × 64 MiB), and memcpy is several times faster than the loop. */
static void fill_field(char *f, size_t len, int i)
{
    size_t block = len < 26u * 4096 ? len : 26u * 4096;
    for (size_t j = 0; j < block; j++)
        f[j] = (char)('a' + ((size_t)i * 7 + j) % 26);
    for (size_t off = block; off < len; off += block)
        memcpy(f + off, f, len - off < block ? len - off : block);
}

int cb_message_build(struct cb_message *m, size_t size)
{
    memset(m, 0, sizeof(*m));
    if (size < CB_MIN_MESSAGE || size > CB_MAX_MESSAGE) {
        errno = EINVAL;
        return -1;
    }
    m->size = size;
    size_t base = size / CB_FIELDS, extra = size % CB_FIELDS;
    for (int i = 0; i < CB_FIELDS; i++) {
        m->field_len[i] = base + ((size_t)i < extra ? 1 : 0);
        m->field[i] = malloc(m->field_len[i]);
        if (m->field[i] == NULL) {
            cb_message_free(m);
            errno = ENOMEM;
            return -1;
        }
        fill_field(m->field[i], m->field_len[i], i);
    }
    struct cb_check c;
    cb_check_init(&c);
    size_t offset = 0;
    for (int i = 0; i < CB_FIELDS; i++) {
        size_t len = m->field_len[i];
        if (offset + len > CB_HEADER_BYTES) {
            size_t skip = offset >= CB_HEADER_BYTES ? 0 : CB_HEADER_BYTES - offset;
            cb_check_update(&c, m->field[i] + skip, len - skip);
        }
        offset += len;
    }
    m->body_check = cb_check_final(&c);
    cb_message_stamp(m, 0);
    return 0;
}

void cb_message_free(struct cb_message *m)
{
    for (int i = 0; i < CB_FIELDS; i++) {
        free(m->field[i]);
        m->field[i] = NULL;
    }
}

void cb_message_stamp(struct cb_message *m, uint32_t seq)
{
    unsigned char header[CB_HEADER_BYTES];
    uint32_t wire_seq = htonl(seq), wire_check = htonl(cb_header_check(seq, m->body_check));
    memcpy(header, &wire_seq, 4);
    memcpy(header + 4, &wire_check, 4);
    size_t written = 0;
    for (int i = 0; i < CB_FIELDS && written < CB_HEADER_BYTES; i++) {
        size_t n = m->field_len[i];
        if (n > CB_HEADER_BYTES - written)
            n = CB_HEADER_BYTES - written;
        memcpy(m->field[i], header + written, n);
        written += n;
    }
}

void cb_message_iov(const struct cb_message *m, struct iovec *iov)
{
    for (int i = 0; i < CB_FIELDS; i++) {
        iov[i].iov_base = m->field[i];
        iov[i].iov_len = m->field_len[i];
    }
}

unsigned cb_message_pages(const struct cb_message *m)
{
    const uintptr_t page = 4096;
    unsigned n = 0;
    for (int i = 0; i < CB_FIELDS; i++) {
        if (m->field_len[i] == 0)
            continue;
        uintptr_t first = (uintptr_t)m->field[i] / page;
        uintptr_t last = ((uintptr_t)m->field[i] + m->field_len[i] - 1) / page;
        n += (unsigned)(last - first + 1);
    }
    return n;
}

void cb_message_flatten(const struct cb_message *m, char *flat)
{
    for (int i = 0; i < CB_FIELDS; i++) {
        memcpy(flat, m->field[i], m->field_len[i]);
        flat += m->field_len[i];
    }
}

void cb_check_init(struct cb_check *c)
{
    for (int i = 0; i < CB_CHECK_LANES; i++)
        c->lane[i] = 0x243F6A8885A308D3ull + (uint64_t)i * CHECK_MUL;
    c->pending_len = 0;
    c->total = 0;
}

static inline uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= CHECK_MUL;
    return h ^ (h >> 29);
}

/* Per word only xor and multiply by an odd constant (a bijection, so every
 * changed word changes its lane, and order matters); the shifts that spread
 * high bits down come once per lane, in cb_check_final. */
static inline void mix_block(struct cb_check *c, const unsigned char *block)
{
    for (int i = 0; i < CB_CHECK_LANES; i++) {
        uint64_t w;
        memcpy(&w, block + 8 * i, 8);
        c->lane[i] = (c->lane[i] ^ le64toh(w)) * CHECK_MUL;
    }
}

void cb_check_update(struct cb_check *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    const size_t block = sizeof(c->pending);
    c->total += len;
    if (c->pending_len > 0) {
        size_t take = block - c->pending_len < len ? block - c->pending_len : len;
        memcpy(c->pending + c->pending_len, p, take);
        c->pending_len += (unsigned)take;
        p += take;
        len -= take;
        if (c->pending_len < block)
            return;
        mix_block(c, c->pending);
        c->pending_len = 0;
    }
    for (; len >= block; p += block, len -= block)
        mix_block(c, p);
    memcpy(c->pending, p, len);
    c->pending_len = (unsigned)len;
}

uint32_t cb_check_final(const struct cb_check *c)
{
    uint64_t h = c->total;
    for (int i = 0; i < CB_CHECK_LANES; i++)
        h = mix(h, c->lane[i]);
    for (unsigned off = 0; off < c->pending_len; off += 8) {
        uint64_t w = 0;
        unsigned n = c->pending_len - off < 8 ? c->pending_len - off : 8;
        memcpy(&w, c->pending + off, n);
        h = mix(h, le64toh(w));
    }
    return (uint32_t)(h ^ (h >> 32));
}

void cb_header_read(const void *header, uint32_t *seq, uint32_t *check)
{
    uint32_t s, c;
    memcpy(&s, header, 4);
    memcpy(&c, (const char *)header + 4, 4);
    *seq = ntohl(s);
    *check = ntohl(c);
}

uint32_t cb_header_check(uint32_t seq, uint32_t body_check)
{
    uint64_t h = mix(0x13198A2E03707344ull, ((uint64_t)seq << 32) | body_check);
    return (uint32_t)(h ^ (h >> 32));
}

int cb_message_verify(const void *buf, size_t size, uint32_t expected_seq)
{
    if (size < CB_MIN_MESSAGE)
        return -1;
    uint32_t seq, check;
    cb_header_read(buf, &seq, &check);
    struct cb_check c;
    cb_check_init(&c);
    cb_check_update(&c, (const char *)buf + CB_HEADER_BYTES, size - CB_HEADER_BYTES);
    if (seq != expected_seq || check != cb_header_check(seq, cb_check_final(&c)))
        return -1;
    return 0;
}
