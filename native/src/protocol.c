#include "protocol.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "message.h"

/* Network byte order on the wire, whatever the host's. */
static void put32(unsigned char *p, uint32_t v) { v = htonl(v); memcpy(p, &v, 4); }
static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return ntohl(v); }

/* "CBH" and the version as one ASCII digit. */
static uint32_t hello_magic(unsigned version) { return CB_HELLO_PREFIX << 8 | ('0' + version); }

void cb_hello_encode(const struct cb_hello *h, unsigned char out[CB_WIRE_BYTES])
{
    put32(out, hello_magic(CB_PROTOCOL_VERSION));
    put32(out + 4, h->workload);
    put32(out + 8, h->size);
    put32(out + 12, h->threads);
}

int cb_hello_parse(const unsigned char *buf, size_t len, struct cb_hello *out, unsigned *peer_version,
                   char *err, size_t errlen)
{
    if (len != CB_WIRE_BYTES) {
        snprintf(err, errlen, "hello has %zu bytes, expected %d", len, CB_WIRE_BYTES);
        return -1;
    }
    uint32_t magic = get32(buf);
    unsigned digit = magic & 0xffu;
    if (magic >> 8 == CB_HELLO_PREFIX && digit >= '1' && digit <= '9' && digit - '0' != CB_PROTOCOL_VERSION) {
        *peer_version = digit - '0';
        snprintf(err, errlen, "the client speaks copybench protocol %u, this server %u: run the same engine version on both hosts",
                 *peer_version, CB_PROTOCOL_VERSION);
        return -2;
    }
    if (magic != hello_magic(CB_PROTOCOL_VERSION)) {
        snprintf(err, errlen, "hello has bad magic 0x%08x", magic);
        return -1;
    }
    out->workload = get32(buf + 4);
    out->size = get32(buf + 8);
    out->threads = get32(buf + 12);
    if (cb_workload_name(out->workload) == NULL || out->workload == CB_UDP_SINK) {
        snprintf(err, errlen, "hello names unknown workload %u", out->workload);
        return -1;
    }
    if (out->size < CB_MIN_MESSAGE || out->size > CB_MAX_MESSAGE) {
        snprintf(err, errlen, "hello names message size %u outside [%u, %u]", out->size,
                 CB_MIN_MESSAGE, CB_MAX_MESSAGE);
        return -1;
    }
    if (out->threads < 1 || out->threads > 1024) {
        snprintf(err, errlen, "hello names %u threads, outside [1, 1024]", out->threads);
        return -1;
    }
    return 0;
}

void cb_refuse_encode(unsigned char out[CB_WIRE_BYTES])
{
    memset(out, 0, CB_WIRE_BYTES);
    put32(out, CB_REFUSE_MAGIC);
    put32(out + 4, CB_PROTOCOL_VERSION);
}

int cb_refuse_parse(const unsigned char *buf, size_t len, unsigned *version)
{
    if (len != CB_WIRE_BYTES || get32(buf) != CB_REFUSE_MAGIC)
        return -1;
    *version = get32(buf + 4);
    return 0;
}

void cb_request_encode(uint32_t seq, uint32_t flags, unsigned char out[CB_WIRE_BYTES])
{
    memset(out, 0, CB_WIRE_BYTES);
    put32(out, CB_REQUEST_MAGIC);
    put32(out + 4, seq);
    put32(out + 8, flags);
}

int cb_request_parse(const unsigned char *buf, size_t len, uint32_t expected_seq, uint32_t *flags,
                     char *err, size_t errlen)
{
    if (len != CB_WIRE_BYTES) {
        snprintf(err, errlen, "request has %zu bytes, expected %d", len, CB_WIRE_BYTES);
        return -1;
    }
    if (get32(buf) != CB_REQUEST_MAGIC) {
        snprintf(err, errlen, "request has bad magic 0x%08x", get32(buf));
        return -1;
    }
    if (get32(buf + 4) != expected_seq) {
        snprintf(err, errlen, "request %u arrived, expected %u", get32(buf + 4), expected_seq);
        return -1;
    }
    if ((get32(buf + 8) & ~CB_REQUEST_AFTER_WINDOW) != 0 || get32(buf + 12) != 0) {
        snprintf(err, errlen, "request has unknown flags or non-zero reserved bytes");
        return -1;
    }
    *flags = get32(buf + 8);
    return 0;
}

void cb_go_encode(unsigned char out[CB_WIRE_BYTES])
{
    memset(out, 0, CB_WIRE_BYTES);
    put32(out, CB_GO_MAGIC);
}

int cb_go_parse(const unsigned char *buf, size_t len)
{
    return len == CB_WIRE_BYTES && get32(buf) == CB_GO_MAGIC ? 0 : -1;
}

void cb_end_encode(unsigned char out[CB_WIRE_BYTES])
{
    memset(out, 0, CB_WIRE_BYTES);
    put32(out, CB_END_MAGIC);
}

int cb_end_parse(const unsigned char *buf, size_t len)
{
    if (len != CB_WIRE_BYTES || get32(buf) != CB_END_MAGIC)
        return -1;
    for (size_t i = 4; i < CB_WIRE_BYTES; i++)
        if (buf[i] != 0)
            return -1;
    return 0;
}

const char *cb_workload_name(uint32_t workload)
{
    switch (workload) {
    case CB_STREAM: return "stream";
    case CB_REQUEST_RESPONSE: return "request-response";
    case CB_UDP_SINK: return "udp-sink";
    default: return NULL;
    }
}

int cb_workload_parse(const char *name)
{
    if (strcmp(name, "stream") == 0)
        return CB_STREAM;
    if (strcmp(name, "request-response") == 0)
        return CB_REQUEST_RESPONSE;
    if (strcmp(name, "udp-sink") == 0)
        return CB_UDP_SINK;
    return -1;
}
