/* libFuzzer target over everything the engine parses from outside: the
 * 16-byte hello/request/go records a peer sends, the message stream a client
 * receives, and the command line. The first byte picks the parser; each
 * branch also checks the invariants its parser promises, and abort()s (a
 * crash to the fuzzer) when one is broken. Built with ASan and UBSan. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "options.h"
#include "protocol.h"
#include "receiver.h"

#define MAX_ARGS 24

static void wire_records(const uint8_t *data, size_t size)
{
    char err[256];
    for (size_t off = 0; off < size; off += CB_WIRE_BYTES) {
        size_t len = size - off < CB_WIRE_BYTES ? size - off : CB_WIRE_BYTES;
        struct cb_hello h;
        unsigned peer_version;
        if (cb_hello_parse(data + off, len, &h, &peer_version, err, sizeof(err)) == 0) {
            if (h.size < CB_MIN_MESSAGE || h.size > CB_MAX_MESSAGE || h.threads < 1 || h.threads > 1024
                || cb_workload_name(h.workload) == NULL)
                abort();
        }
        uint32_t seq = (uint32_t)(off / CB_WIRE_BYTES);
        uint32_t flags;
        if (cb_request_parse(data + off, len, seq, &flags, err, sizeof(err)) == 0
            && (len != CB_WIRE_BYTES || (flags & ~CB_REQUEST_AFTER_WINDOW) != 0))
            abort();
        if (cb_end_parse(data + off, len) == 0 && len != CB_WIRE_BYTES)
            abort();
        if (cb_go_parse(data + off, len) == 0 && len != CB_WIRE_BYTES)
            abort();
    }
}

static void message_stream(const uint8_t *data, size_t size)
{
    if (size < 3)
        return;
    size_t msg = CB_MIN_MESSAGE + ((size_t)data[0] << 8 | data[1]) % 4096;
    unsigned verify_every = data[2] % 4;
    data += 3;
    size -= 3;
    struct cb_receiver r;
    cb_receiver_init(&r, msg, verify_every);
    size_t fed = 0;
    uint64_t completed = 0;
    while (fed < size) {
        size_t chunk = 1 + data[fed] % 97;   /* arbitrary recv() boundaries */
        if (chunk > size - fed)
            chunk = size - fed;
        completed += cb_receiver_feed(&r, data + fed, chunk);
        fed += chunk;
    }
    if (completed != fed / msg || r.messages != completed || r.integrity_errors > r.messages
        || r.verified > r.messages)
        abort();
}

static void command_line(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (copy == NULL)
        return;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *argv[MAX_ARGS + 3] = { "copybench-engine", size > 0 && data[0] & 1 ? "server" : "client" };
    int argc = 2;
    for (char *p = copy; argc < MAX_ARGS + 2 && p < copy + size; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    struct cb_options o;
    char err[256];
    if (cb_options_parse(argc, argv, &o, err, sizeof(err)) == 0) {
        struct in_addr a;
        uint32_t h = inet_pton(AF_INET, o.address, &a) == 1 ? ntohl(a.s_addr) : 0;
        int allowed = (h & 0xFFFE0000u) == 0xC6120000u || (h & 0xFF000000u) == 0x7F000000u;
        if (!allowed || o.size < CB_MIN_MESSAGE || o.size > CB_MAX_MESSAGE || o.threads < 1 || o.threads > 1024)
            abort();
    } else if (memchr(err, '\0', sizeof(err)) == NULL) {
        abort();
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    switch (data[0] % 3) {
    case 0: wire_records(data + 1, size - 1); break;
    case 1: message_stream(data + 1, size - 1); break;
    default: command_line(data + 1, size - 1); break;
    }
    return 0;
}
