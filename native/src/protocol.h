/* The few control bytes of a cell: the client's hello on connect (so a
 * misconfigured pair fails loudly); the server's "go" on every connection
 * once all are accepted and prepared, so both windows start together; in
 * request/response, one request per message, flagged once the client's window
 * has closed; in stream, the client's "end" once its window has closed (how a
 * cell ends: README, "How a cell runs"). All are 16 bytes in network byte
 * order, since the two ends may run on different hosts. The hello opens with
 * "CBH" and the protocol version as one ASCII digit; a server refuses a hello
 * of another version with a refusal record naming its own, so both ends say
 * which versions met (the first engines, which wrote host byte order, sent
 * "CBH1"). Parsing is strict: anything else is rejected with a reason and the
 * connection closed. */
#ifndef CB_PROTOCOL_H
#define CB_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

/* The wire protocol this engine speaks; a peer of another version is refused. */
#define CB_PROTOCOL_VERSION 2u
#define CB_HELLO_PREFIX 0x434248u     /* "CBH", followed by the version digit */
#define CB_REQUEST_MAGIC 0x43425251u  /* "CBRQ" */
#define CB_GO_MAGIC 0x4342474fu       /* "CBGO" */
#define CB_END_MAGIC 0x4342454eu      /* "CBEN" */
#define CB_REFUSE_MAGIC 0x43424e4fu   /* "CBNO": the server's answer to a hello of another version */

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
/* 0, or -1 with a reason in err; -2 when the hello is of another protocol
 * version (*peer_version set; the caller answers with a refusal). */
int cb_hello_parse(const unsigned char *buf, size_t len, struct cb_hello *out, unsigned *peer_version,
                   char *err, size_t errlen);

/* The refusal names the server's version, so the client can say which met. */
void cb_refuse_encode(unsigned char out[CB_WIRE_BYTES]);
/* 0 and the server's version in *version when buf is a refusal, else -1. */
int cb_refuse_parse(const unsigned char *buf, size_t len, unsigned *version);

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
