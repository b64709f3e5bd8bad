/* The few control bytes of a cell: the client's hello on connect (so a
 * misconfigured pair fails loudly); the server's "go" on every connection
 * once all are accepted and prepared, so both windows start together; in
 * request/response, one request per message, flagged once the client's window
 * has closed; in stream, the client's "end" once its window has closed (how a
 * cell ends: README, "How a cell runs"). All are 16 bytes, host byte order
 * (both ends run on this host). Parsing is strict: anything else is rejected
 * with a reason and the connection closed. */
#ifndef CB_PROTOCOL_H
#define CB_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define CB_HELLO_MAGIC 0x31484243u    /* "CBH1" */
#define CB_REQUEST_MAGIC 0x51524243u  /* "CBRQ" */
#define CB_GO_MAGIC 0x4f474243u       /* "CBGO" */
#define CB_END_MAGIC 0x4e454243u      /* "CBEN" */

/* A request's flags: the client's window has closed; the server may decline
 * the request (close instead of answering) once its own window has too. */
#define CB_REQUEST_AFTER_WINDOW 1u
#define CB_WIRE_BYTES 16

/* udp-sink never travels in a hello: it has no client (see udp_sink.c). */
enum cb_workload { CB_STREAM = 1, CB_REQUEST_RESPONSE = 2, CB_UDP_SINK = 3 };

struct cb_hello {
    uint32_t workload;
    uint32_t size;
    uint32_t threads;
};

void cb_hello_encode(const struct cb_hello *h, unsigned char out[CB_WIRE_BYTES]);
/* 0, or -1 with a reason in err. */
int cb_hello_parse(const unsigned char *buf, size_t len, struct cb_hello *out, char *err, size_t errlen);

void cb_request_encode(uint32_t seq, uint32_t flags, unsigned char out[CB_WIRE_BYTES]);
/* 0 when buf is the request numbered expected_seq (its flags in *flags), else -1 with a reason. */
int cb_request_parse(const unsigned char *buf, size_t len, uint32_t expected_seq, uint32_t *flags,
                     char *err, size_t errlen);

void cb_go_encode(unsigned char out[CB_WIRE_BYTES]);
int cb_go_parse(const unsigned char *buf, size_t len);   /* 0 for a go */

void cb_end_encode(unsigned char out[CB_WIRE_BYTES]);
int cb_end_parse(const unsigned char *buf, size_t len);  /* 0 for an end */

const char *cb_workload_name(uint32_t workload);
int cb_workload_parse(const char *name);   /* -1 when unknown */

#endif
