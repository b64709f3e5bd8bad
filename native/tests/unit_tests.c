/* Unit tests of the engine's pure logic; built and run under ASan + UBSan by
 * `make check`. Each check prints what failed with the values involved. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "affinity.h"
#include "histogram.h"
#include "memory.h"
#include "message.h"
#include "net.h"
#include "options.h"
#include "progress.h"
#include "port_file.h"
#include <unistd.h>
#include "protocol.h"
#include "receiver.h"
#include "report.h"
#include "send_mode.h"
#include "sysstat.h"
#include "uzc_ledger.h"
#include "zc_stats.h"
#include "zc_tracker.h"

static int failures, checks;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fprintf(stderr, "\n");                                         \
        }                                                                  \
    } while (0)

static void test_field_sizes_add_up(void)
{
    size_t sizes[] = { 8, 9, 15, 64, 1000, 4096, 65537, 1 << 20 };
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct cb_message m;
        CHECK(cb_message_build(&m, sizes[k]) == 0, "size %zu", sizes[k]);
        size_t sum = 0, min = (size_t)-1, max = 0;
        for (int i = 0; i < CB_FIELDS; i++) {
            sum += m.field_len[i];
            min = m.field_len[i] < min ? m.field_len[i] : min;
            max = m.field_len[i] > max ? m.field_len[i] : max;
        }
        CHECK(sum == sizes[k], "fields sum to %zu, want %zu", sum, sizes[k]);
        CHECK(max - min <= 1, "remainder not spread: min %zu max %zu", min, max);
        cb_message_free(&m);
    }
}

/* The body is 'a' + (7i + j) mod 26 in field i at offset j, also past the
 * block that is written byte by byte and copied on (8 × 106496 B). */
static void test_field_content_follows_the_pattern(void)
{
    size_t sizes[] = { 64, 8 * 106496 - 8, 8 * 106496 + 13, 3 << 20 };
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct cb_message m;
        CHECK(cb_message_build(&m, sizes[k]) == 0, "size %zu", sizes[k]);
        size_t wrong = 0, offset = 0;
        for (int i = 0; i < CB_FIELDS; i++) {
            for (size_t j = 0; j < m.field_len[i]; j++, offset++)
                if (offset >= CB_HEADER_BYTES && m.field[i][j] != (char)('a' + ((size_t)i * 7 + j) % 26))
                    wrong++;
        }
        CHECK(wrong == 0, "%zu bytes off the pattern at size %zu", wrong, sizes[k]);
        cb_message_free(&m);
    }
}

static void test_rejects_small_and_huge_sizes(void)
{
    struct cb_message m;
    CHECK(cb_message_build(&m, 7) < 0, "size 7 accepted");
    CHECK(cb_message_build(&m, 0) < 0, "size 0 accepted");
    CHECK(cb_message_build(&m, (size_t)CB_MAX_MESSAGE + 1) < 0, "size above cap accepted");
}

static void test_flat_message_verifies_and_detects_corruption(void)
{
    size_t sizes[] = { 8, 13, 64, 4097 };
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        size_t size = sizes[k];
        struct cb_message m;
        cb_message_build(&m, size);
        char *flat = malloc(size);
        cb_message_stamp(&m, 41);
        cb_message_flatten(&m, flat);
        CHECK(cb_message_verify(flat, size, 41) == 0, "intact message of %zu rejected", size);
        CHECK(cb_message_verify(flat, size, 42) < 0, "wrong sequence accepted at %zu", size);
        flat[size - 1] ^= 0x20;
        CHECK(cb_message_verify(flat, size, 41) < 0, "flipped last byte accepted at %zu", size);
        free(flat);
        cb_message_free(&m);
    }
}

static void test_checksum_is_independent_of_chunking(void)
{
    unsigned char data[1000];
    for (int i = 0; i < 1000; i++)
        data[i] = (unsigned char)(i * 31 + 7);
    struct cb_check whole, pieces;
    cb_check_init(&whole);
    cb_check_update(&whole, data, sizeof(data));
    cb_check_init(&pieces);
    size_t off = 0, step = 1;
    while (off < sizeof(data)) {
        size_t n = step < sizeof(data) - off ? step : sizeof(data) - off;
        cb_check_update(&pieces, data + off, n);
        off += n;
        step = step * 3 % 17 + 1;
    }
    CHECK(cb_check_final(&whole) == cb_check_final(&pieces), "chunked %08x != whole %08x",
          cb_check_final(&pieces), cb_check_final(&whole));
}

static uint32_t checksum_of(const unsigned char *data, size_t len)
{
    struct cb_check c;
    cb_check_init(&c);
    cb_check_update(&c, data, len);
    return cb_check_final(&c);
}

/* Every single-bit flip, a swap of two words in one lane, a swap across lanes,
 * and a dropped trailing zero byte each change the checksum. */
static void test_checksum_detects_flips_swaps_and_truncation(void)
{
    unsigned char data[1000];
    for (int i = 0; i < 1000; i++)
        data[i] = (unsigned char)(i * 31 + 7);
    data[999] = 0;
    uint32_t intact = checksum_of(data, sizeof(data));
    int missed = 0;
    for (size_t i = 0; i < sizeof(data); i++) {
        for (int bit = 0; bit < 8; bit++) {
            data[i] ^= (unsigned char)(1u << bit);
            missed += checksum_of(data, sizeof(data)) == intact;
            data[i] ^= (unsigned char)(1u << bit);
        }
    }
    CHECK(missed == 0, "%d of 8000 single-bit flips left the checksum unchanged", missed);
    for (size_t other = 8; other <= 128; other += 120) {   /* 8 B apart: next lane; 128 B: same lane */
        unsigned char swapped[1000];
        memcpy(swapped, data, sizeof(data));
        memcpy(swapped + 64 + other, data + 64, 8);
        memcpy(swapped + 64, data + 64 + other, 8);
        CHECK(checksum_of(swapped, sizeof(swapped)) != intact, "swapping words 64 and %zu went unnoticed", 64 + other);
    }
    CHECK(checksum_of(data, sizeof(data) - 1) != intact, "dropping a trailing zero byte went unnoticed");
}

static void test_receiver_across_arbitrary_chunks(void)
{
    size_t size = 300;
    unsigned count = 20;
    char *stream = malloc(size * count);
    struct cb_message m;
    cb_message_build(&m, size);
    for (unsigned i = 0; i < count; i++) {
        cb_message_stamp(&m, i);
        cb_message_flatten(&m, stream + (size_t)i * size);
    }
    struct cb_receiver r;
    cb_receiver_init(&r, size, 1);
    size_t off = 0, step = 5;
    uint64_t done = 0;
    while (off < size * count) {
        size_t n = step < size * count - off ? step : size * count - off;
        done += cb_receiver_feed(&r, stream + off, n);
        off += n;
        step = step * 7 % 611 + 1;
    }
    CHECK(done == count && r.messages == count, "completed %llu, want %u", (unsigned long long)done, count);
    CHECK(r.integrity_errors == 0, "%llu integrity errors", (unsigned long long)r.integrity_errors);
    CHECK(r.verified == count, "verified %llu of %u", (unsigned long long)r.verified, count);

    stream[size * 3 + 100] ^= 1;             /* corrupt the body of message 3 */
    memcpy(stream + size * 7, stream + size * 8, 4);   /* message 7 carries seq 8 */
    cb_receiver_init(&r, size, 1);
    cb_receiver_feed(&r, stream, size * count);
    CHECK(r.integrity_errors == 2, "want 2 integrity errors, got %llu", (unsigned long long)r.integrity_errors);

    cb_receiver_init(&r, size, 4);           /* sampled: checksum of 0, 4, 8, ... */
    cb_receiver_feed(&r, stream, size * count);
    CHECK(r.verified == 5, "sampled verification checked %llu, want 5", (unsigned long long)r.verified);
    free(stream);
    cb_message_free(&m);
}

static void test_zc_tracker_in_order_merged_ranges(void)
{
    struct cb_zc_stats st = { 0 };
    struct cb_zc_tracker t;
    cb_zc_tracker_init(&t, 16, 4, &st);
    for (unsigned i = 0; i < 10; i++)
        cb_zc_tracker_sent(&t, i % 4);
    CHECK(!cb_zc_tracker_buffer_free(&t, 0), "buffer 0 free while in flight");
    cb_zc_tracker_complete(&t, 0, 5, 1);     /* merged range */
    CHECK(cb_zc_tracker_buffer_free(&t, 1) == 0, "buffer 1 still has call 9 in flight");
    cb_zc_tracker_complete(&t, 6, 9, 0);
    for (unsigned b = 0; b < 4; b++)
        CHECK(cb_zc_tracker_buffer_free(&t, b), "buffer %u not free after all completed", b);
    CHECK(st.calls == 10 && st.completed == 10, "calls %llu completed %llu",
          (unsigned long long)st.calls, (unsigned long long)st.completed);
    CHECK(st.copied == 6, "copied %llu, want 6", (unsigned long long)st.copied);
    CHECK(st.ranges == 2 && st.reconcile_errors == 0, "ranges %llu errors %llu",
          (unsigned long long)st.ranges, (unsigned long long)st.reconcile_errors);
    CHECK(cb_zc_tracker_outstanding(&t) == 0, "outstanding %u", cb_zc_tracker_outstanding(&t));
    cb_zc_tracker_destroy(&t);
}

static void test_zc_tracker_out_of_order_duplicates_and_unknown(void)
{
    struct cb_zc_stats st = { 0 };
    struct cb_zc_tracker t;
    cb_zc_tracker_init(&t, 8, 2, &st);
    for (unsigned i = 0; i < 4; i++)
        cb_zc_tracker_sent(&t, i % 2);
    cb_zc_tracker_complete(&t, 2, 3, 0);
    CHECK(cb_zc_tracker_outstanding(&t) == 4, "oldest advanced past a gap: %u", cb_zc_tracker_outstanding(&t));
    cb_zc_tracker_complete(&t, 0, 1, 0);
    CHECK(cb_zc_tracker_outstanding(&t) == 0, "outstanding %u after gap filled", cb_zc_tracker_outstanding(&t));
    cb_zc_tracker_complete(&t, 1, 1, 0);     /* twice */
    cb_zc_tracker_complete(&t, 9, 9, 0);     /* never sent */
    CHECK(st.reconcile_errors == 2, "reconcile errors %llu, want 2", (unsigned long long)st.reconcile_errors);
    CHECK(st.completed == 4, "completed %llu, want 4", (unsigned long long)st.completed);
    cb_zc_tracker_destroy(&t);
}

static void test_zc_tracker_wraps_u32_ids(void)
{
    struct cb_zc_stats st = { 0 };
    struct cb_zc_tracker t;
    cb_zc_tracker_init(&t, 8, 1, &st);
    t.next_id = t.oldest = UINT32_MAX - 1;   /* the kernel's counter is about to wrap */
    for (int i = 0; i < 4; i++)
        cb_zc_tracker_sent(&t, 0);
    CHECK(cb_zc_tracker_full(&t) == 0, "full with 4 of 8");
    cb_zc_tracker_complete(&t, UINT32_MAX - 1, 1, 0);
    CHECK(st.completed == 4 && st.reconcile_errors == 0, "completed %llu errors %llu across the wrap",
          (unsigned long long)st.completed, (unsigned long long)st.reconcile_errors);
    CHECK(cb_zc_tracker_buffer_free(&t, 0), "buffer not free after wrap");
    cb_zc_tracker_destroy(&t);
}

/* io_uring zero-copy: a buffer is free only once every request from it is
 * settled; results with F_MORE owe a notification; a failed send's
 * notification is a send but not a call, and never counts as copied. */
static void test_uzc_ledger_buffers_wait_for_notifications(void)
{
    struct cb_zc_stats st = { 0 };
    struct cb_uzc_ledger l;
    cb_uzc_ledger_init(&l, 8, 2, &st);
    uint64_t a = cb_uzc_ledger_submit(&l, 0);
    cb_uzc_ledger_result(&l, a, 1000, 1);
    CHECK(!cb_uzc_ledger_buffer_free(&l, 0), "buffer 0 free before its notification");
    uint64_t b = cb_uzc_ledger_submit(&l, 0);   /* the short send's rest, same buffer */
    cb_uzc_ledger_result(&l, b, 24, 1);
    cb_uzc_ledger_notify(&l, a, 1);
    CHECK(!cb_uzc_ledger_buffer_free(&l, 0), "buffer 0 free with the rest's notification owed");
    cb_uzc_ledger_notify(&l, b, 0);
    CHECK(cb_uzc_ledger_buffer_free(&l, 0), "buffer 0 not free after both notifications");
    uint64_t c = cb_uzc_ledger_submit(&l, 1);   /* EAGAIN, yet a notification announced */
    cb_uzc_ledger_result(&l, c, -11, 1);
    cb_uzc_ledger_notify(&l, c, 1);
    uint64_t d = cb_uzc_ledger_submit(&l, 1);   /* failed before any notification existed */
    cb_uzc_ledger_result(&l, d, -22, 0);
    CHECK(cb_uzc_ledger_buffer_free(&l, 1), "buffer 1 not free after settled failures");
    CHECK(st.sends == 3 && st.notifications == 3, "sends %llu notifications %llu, want 3 and 3",
          (unsigned long long)st.sends, (unsigned long long)st.notifications);
    CHECK(st.calls == 2 && st.completed == 2 && st.copied == 1, "calls %llu completed %llu copied %llu, want 2 2 1",
          (unsigned long long)st.calls, (unsigned long long)st.completed, (unsigned long long)st.copied);
    CHECK(st.reconcile_errors == 0 && cb_uzc_ledger_outstanding(&l) == 0, "errors %llu outstanding %llu",
          (unsigned long long)st.reconcile_errors, (unsigned long long)cb_uzc_ledger_outstanding(&l));
    cb_uzc_ledger_destroy(&l);
}

static void test_uzc_ledger_early_twice_unknown_and_full(void)
{
    struct cb_zc_stats st = { 0 };
    struct cb_uzc_ledger l;
    cb_uzc_ledger_init(&l, 4, 1, &st);
    uint64_t a = cb_uzc_ledger_submit(&l, 0);
    cb_uzc_ledger_notify(&l, a, 0);             /* notification before its result */
    CHECK(!cb_uzc_ledger_buffer_free(&l, 0), "free before the result");
    cb_uzc_ledger_result(&l, a, 64, 1);
    CHECK(cb_uzc_ledger_buffer_free(&l, 0) && st.completed == 1 && st.reconcile_errors == 0,
          "early notification not settled: completed %llu errors %llu", (unsigned long long)st.completed,
          (unsigned long long)st.reconcile_errors);
    cb_uzc_ledger_notify(&l, a, 0);             /* twice */
    cb_uzc_ledger_notify(&l, 77, 0);            /* never issued */
    CHECK(st.reconcile_errors == 2, "reconcile errors %llu, want 2", (unsigned long long)st.reconcile_errors);
    for (int i = 0; i < 4; i++)
        cb_uzc_ledger_result(&l, cb_uzc_ledger_submit(&l, 0), 8, 1);
    CHECK(cb_uzc_ledger_full(&l), "not full with 4 of 4 owed");
    cb_uzc_ledger_destroy(&l);
}

/* The page count a zero-copy datagram's EMSGSIZE message quotes. */
static void test_message_pages(void)
{
    struct cb_message m;
    cb_message_build(&m, 64);
    CHECK(cb_message_pages(&m) >= 8 && cb_message_pages(&m) <= 16, "64 B in 8 fields spans %u pages", cb_message_pages(&m));
    cb_message_free(&m);
    cb_message_build(&m, 64512);   /* 8 x 8064 B: at least 2 pages each */
    CHECK(cb_message_pages(&m) >= 16 && cb_message_pages(&m) <= 24, "63 KiB spans %u pages", cb_message_pages(&m));
    cb_message_free(&m);
}

static void test_zc_json_unknown_copied_is_null_not_zero(void)
{
    struct cb_zc_stats st = { .calls = 5, .completed = 5, .sends = 5, .notifications = 5,
                              .copied_unknown = "refused" };
    char buf[512] = "";
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    cb_zc_stats_json(f, &st, 1);
    fclose(f);
    CHECK(strstr(buf, "\"copied\":null") && strstr(buf, "\"copied_share\":null") &&
          strstr(buf, "\"copied_unknown\":\"refused\"") && strstr(buf, "\"notifications\":5"), "%s", buf);
    char err[200];
    st.notifications = 4;
    CHECK(cb_zc_stats_check(&st, 1, err, sizeof(err)) < 0 && strstr(err, "notifications"),
          "4 notifications for 5 sends passed: %s", err);
}

static void test_registry_lists_every_path_once(void)
{
    const char *want[] = { "two-copy", "one-copy", "zero-copy", "sendfile", "io-uring", "io-uring-zc" };
    unsigned n = sizeof(want) / sizeof(want[0]);
    CHECK(cb_send_mode_count() == n, "%u paths registered, want %u", cb_send_mode_count(), n);
    for (unsigned i = 0; i < n; i++) {
        const struct cb_send_mode *m = cb_send_mode_find(want[i]);
        CHECK(m != NULL && m->open != NULL && m->send_message != NULL && m->close != NULL &&
              m->transports != 0, "path %s missing or incomplete", want[i]);
        CHECK(strstr(cb_send_mode_names(), want[i]) != NULL, "%s not in the names", want[i]);
    }
}

static void test_histogram_quantiles(void)
{
    static struct cb_histogram h;
    cb_histogram_init(&h);
    for (uint64_t v = 1; v <= 100000; v++)
        cb_histogram_record(&h, v * 100);    /* 100 ns .. 10 ms uniformly */
    uint64_t p50 = cb_histogram_quantile(&h, 0.5), p99 = cb_histogram_quantile(&h, 0.99);
    CHECK(p50 > 4920000 && p50 < 5080000, "p50 %llu not within 1.6%% of 5e6", (unsigned long long)p50);
    CHECK(p99 > 9740000 && p99 < 10060000, "p99 %llu not within 1.6%% of 9.9e6", (unsigned long long)p99);
    CHECK(h.max == 10000000 && h.min == 100, "min %llu max %llu", (unsigned long long)h.min, (unsigned long long)h.max);
    CHECK(cb_histogram_quantile(&h, 1.0) == h.max, "p100 is not max");
    static struct cb_histogram empty;
    cb_histogram_init(&empty);
    CHECK(cb_histogram_quantile(&empty, 0.5) == 0, "empty histogram quantile not 0");
}

static void test_protocol_parsing(void)
{
    unsigned char buf[CB_WIRE_BYTES];
    struct cb_hello h = { .workload = CB_STREAM, .size = 65536, .threads = 4 }, out;
    char err[192];
    unsigned peer = 0;
    cb_hello_encode(&h, buf);
    CHECK(cb_hello_parse(buf, sizeof(buf), &out, &peer, err, sizeof(err)) == 0, "%s", err);
    CHECK(out.size == 65536 && out.threads == 4 && out.workload == CB_STREAM, "decoded wrong hello");
    CHECK(cb_hello_parse(buf, 15, &out, &peer, err, sizeof(err)) == -1, "short hello accepted");
    buf[0] ^= 1;
    CHECK(cb_hello_parse(buf, sizeof(buf), &out, &peer, err, sizeof(err)) == -1 && strstr(err, "magic"), "bad magic: %s", err);
    h.size = 7;
    cb_hello_encode(&h, buf);
    CHECK(cb_hello_parse(buf, sizeof(buf), &out, &peer, err, sizeof(err)) == -1, "size 7 accepted");
}

/* Both ends may run on different hosts: every field travels in network byte
 * order, and the hello carries the protocol version. */
static void test_protocol_is_network_order_and_versioned(void)
{
    unsigned char buf[CB_WIRE_BYTES];
    struct cb_hello h = { .workload = CB_REQUEST_RESPONSE, .size = 0x00010203, .threads = 0x0102 }, out;
    char err[192];
    unsigned peer = 0;
    cb_hello_encode(&h, buf);
    static const unsigned char expected[CB_WIRE_BYTES] = { 'C', 'B', 'H', '0' + CB_PROTOCOL_VERSION, 0, 0, 0, 2,
                                                           0, 1, 2, 3, 0, 0, 1, 2 };
    CHECK(memcmp(buf, expected, sizeof(buf)) == 0, "hello bytes are not big-endian \"CBH%u\", workload, size, threads",
          CB_PROTOCOL_VERSION);
    cb_request_encode(0x01020304, CB_REQUEST_AFTER_WINDOW, buf);
    CHECK(memcmp(buf, "CBRQ\1\2\3\4\0\0\0\1", 12) == 0, "request bytes are not big-endian");
    cb_go_encode(buf);
    CHECK(memcmp(buf, "CBGO", 4) == 0, "go magic is not \"CBGO\" on the wire");
    cb_end_encode(buf);
    CHECK(memcmp(buf, "CBEN", 4) == 0, "end magic is not \"CBEN\" on the wire");

    /* the first engines' hello: host byte order, "CBH1" */
    unsigned char v1[CB_WIRE_BYTES] = { 'C', 'B', 'H', '1', 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0 };
    CHECK(cb_hello_parse(v1, sizeof(v1), &out, &peer, err, sizeof(err)) == -2 && peer == 1, "a version-1 hello was not refused");
    CHECK(strstr(err, "protocol 1") && strstr(err, "same engine version"), "refusal reason: %s", err);
    cb_hello_encode(&h, buf);
    buf[3] = '9';
    CHECK(cb_hello_parse(buf, sizeof(buf), &out, &peer, err, sizeof(err)) == -2 && peer == 9, "a version-9 hello was not refused");

    unsigned theirs = 0;
    cb_refuse_encode(buf);
    CHECK(memcmp(buf, "CBNO\0\0\0", 7) == 0 && buf[7] == CB_PROTOCOL_VERSION, "refusal bytes");
    CHECK(cb_refuse_parse(buf, sizeof(buf), &theirs) == 0 && theirs == CB_PROTOCOL_VERSION, "refusal not parsed");
    CHECK(cb_go_parse(buf, sizeof(buf)) < 0, "refusal taken for a go");
    cb_go_encode(buf);
    CHECK(cb_refuse_parse(buf, sizeof(buf), &theirs) < 0, "go taken for a refusal");

    /* message headers too: sequence number first, big-endian */
    struct cb_message m;
    CHECK(cb_message_build(&m, 512) == 0, "message build");
    cb_message_stamp(&m, 0x0a0b0c0d);
    char flat[512];
    cb_message_flatten(&m, flat);
    CHECK(memcmp(flat, "\x0a\x0b\x0c\x0d", 4) == 0, "message sequence number is not big-endian");
    CHECK(cb_message_verify(flat, sizeof(flat), 0x0a0b0c0d) == 0, "stamped message does not verify");
    cb_message_free(&m);
    uint32_t flags = 99;
    cb_request_encode(5, 0, buf);
    CHECK(cb_request_parse(buf, sizeof(buf), 5, &flags, err, sizeof(err)) == 0 && flags == 0, "%s", err);
    CHECK(cb_request_parse(buf, sizeof(buf), 6, &flags, err, sizeof(err)) < 0, "out-of-order request accepted");
    cb_request_encode(6, CB_REQUEST_AFTER_WINDOW, buf);
    CHECK(cb_request_parse(buf, sizeof(buf), 6, &flags, err, sizeof(err)) == 0 && flags == CB_REQUEST_AFTER_WINDOW,
          "after-window request: %s, flags %u", err, flags);
    buf[8] = 2;
    CHECK(cb_request_parse(buf, sizeof(buf), 6, &flags, err, sizeof(err)) < 0, "unknown flag accepted");
    cb_request_encode(5, 0, buf);
    buf[12] = 1;
    CHECK(cb_request_parse(buf, sizeof(buf), 5, &flags, err, sizeof(err)) < 0, "reserved bytes accepted");
    cb_end_encode(buf);
    CHECK(cb_end_parse(buf, sizeof(buf)) == 0, "end rejected");
    CHECK(cb_go_parse(buf, sizeof(buf)) < 0 && cb_end_parse(buf, 15) < 0, "end taken for a go, or a short end accepted");
    buf[15] = 1;
    CHECK(cb_end_parse(buf, sizeof(buf)) < 0, "end with reserved bytes accepted");
    cb_go_encode(buf);
    CHECK(cb_end_parse(buf, sizeof(buf)) < 0, "go taken for an end");
}

static int parse(char *err, size_t errlen, int argc, ...)
{
    char *argv[32];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    struct cb_options o;
    return cb_options_parse(argc, argv, &o, err, errlen);
}

static void test_options_reject_bad_input_with_reason(void)
{
    char err[256];
    CHECK(parse(err, sizeof(err), 8, "e", "server", "--mode", "two-copy", "--size", "64", "--bind", "198.18.0.1") == 0,
          "valid server rejected: %s", err);
    CHECK(parse(err, sizeof(err), 8, "e", "server", "--mode", "two-copy", "--size", "64", "--bind", "10.0.0.1") < 0 &&
          strstr(err, "198.18.0.0/15"), "private address accepted or unclear: %s", err);
    CHECK(parse(err, sizeof(err), 8, "e", "server", "--mode", "four-copy", "--size", "64", "--bind", "127.0.0.1") < 0 &&
          strstr(err, "zero-copy"), "unknown mode: %s", err);
    CHECK(parse(err, sizeof(err), 8, "e", "server", "--mode", "one-copy", "--size", "7", "--bind", "127.0.0.1") < 0 &&
          strstr(err, "--size"), "size 7: %s", err);
    CHECK(parse(err, sizeof(err), 6, "e", "client", "--size", "64", "--connect", "127.0.0.1") < 0 &&
          strstr(err, "--port"), "client without port: %s", err);
    CHECK(parse(err, sizeof(err), 12, "e", "server", "--workload", "udp-sink", "--mode", "zero-copy", "--size", "65536",
                "--connect", "198.19.0.1", "--port", "9") < 0 && strstr(err, "64512"), "64 KiB datagram: %s", err);
    CHECK(parse(err, sizeof(err), 12, "e", "server", "--workload", "udp-sink", "--mode", "io-uring-zc", "--size", "64512",
                "--connect", "198.19.0.1", "--port", "9") == 0, "63 KiB datagram refused: %s", err);
    CHECK(parse(err, sizeof(err), 12, "e", "server", "--workload", "udp-sink", "--mode", "sendfile", "--size", "64",
                "--bind", "198.19.0.1", "--port", "9") < 0 && strstr(err, "--connect"), "udp-sink with --bind: %s", err);
    CHECK(parse(err, sizeof(err), 10, "e", "server", "--workload", "udp-sink", "--mode", "one-copy", "--size", "64",
                "--connect", "198.19.0.1") < 0 && strstr(err, "--port"), "udp-sink without port: %s", err);
    CHECK(parse(err, sizeof(err), 8, "e", "server", "--mode", "two-copy", "--size", "64", "--bind", "10.0.0.1") < 0 &&
          strncmp(err, "--bind 10.0.0.1: ", 17) == 0, "the option is named, not its value twice: %s", err);
    CHECK(parse(err, sizeof(err), 8, "e", "server", "--mode", "two-copy", "--size", "64", "--bind", "198.20.0.1") < 0 &&
          strcmp(err, "--bind 198.20.0.1: not an IPv4 address in 198.18.0.0/15 or 127.0.0.0/8 (or the one "
                 "--allow-address names)") == 0, "just outside the benchmark range: %s", err);
}

/* A two-host run uses the user's data address: exactly the one --allow-address names, in either
 * order and spelling, and no other. */
static void test_options_allow_exactly_the_named_address(void)
{
    char err[256];
    struct cb_options o;
    char *ok[] = { "e", "client", "--size", "64", "--port", "9", "--allow-address", "10.1.2.3", "--connect", "10.1.2.3",
                   "--exit-on-stdin-eof" };
    CHECK(cb_options_parse(11, ok, &o, err, sizeof(err)) == 0 && o.exit_on_stdin_eof == 1, "%s", err);
    char *before[] = { "e", "server", "--mode", "one-copy", "--size", "64", "--bind", "10.1.2.3", "--allow-address",
                       "10.1.2.3" };
    CHECK(cb_options_parse(10, before, &o, err, sizeof(err)) == 0 && o.exit_on_stdin_eof == 0, "%s", err);
    CHECK(parse(err, sizeof(err), 10, "e", "client", "--size", "64", "--port", "9", "--allow-address", "10.1.2.3",
                "--connect", "10.1.2.4") < 0 && strstr(err, "--connect 10.1.2.4: "), "a neighbour accepted: %s", err);
    CHECK(parse(err, sizeof(err), 8, "e", "client", "--size", "64", "--port", "9", "--connect", "10.1.2.3") < 0,
          "an address outside the ranges accepted without --allow-address");
}

/* Each bad value, in both spellings (--opt value, --opt=value), gives exactly
 * "--opt value: what is wrong / what is allowed". */
static void test_options_messages_name_option_and_value(void)
{
    static const struct {
        const char *option, *value, *want;
    } cases[] = {
        { "--connect", "8.8.8.8", "--connect 8.8.8.8: not an IPv4 address in 198.18.0.0/15 or 127.0.0.0/8 (or the one --allow-address names)" },
        { "--connect", "example.org", "--connect example.org: not an IPv4 address in 198.18.0.0/15 or 127.0.0.0/8" },
        { "--allow-address", "10.0.0", "--allow-address 10.0.0: not an IPv4 address" },
        { "--duration-ms", "0", "--duration-ms 0: not milliseconds in [1, 86400000]" },
        { "--warmup-ms", "-1", "--warmup-ms -1: not milliseconds in [0, 86400000]" },
        { "--deadline-ms", "1e3", "--deadline-ms 1e3: not milliseconds in [0, 86400000] (0: no deadline)" },
        { "--sndbuf", "512", "--sndbuf 512: not bytes in [1024, 1073741824] (1 KiB to 1 GiB)" },
        { "--rcvbuf", "2147483648", "--rcvbuf 2147483648: not bytes in [1024, 1073741824] (1 KiB to 1 GiB)" },
        { "--size", "7", "--size 7: not a byte count in [8, 67108864] (8 B to 64 MiB)" },
        { "--size", "64k", "--size 64k: not a byte count in [8, 67108864] (8 B to 64 MiB)" },
        { "--threads", "1025", "--threads 1025: not a thread count in [1, 1024]" },
        { "--threads", "0", "--threads 0: not a thread count in [1, 1024]" },
        { "--port", "65536", "--port 65536: not a port in [0, 65535]" },
        { "--owner-pid", "0", "--owner-pid 0: not a process id in [1, 4194304]" },
        { "--verify-every", "-1", "--verify-every -1: not a count in [0, 1073741824] (0: sequence numbers only)" },
        { "--zc-pool", "0", "--zc-pool 0: not a buffer count in [1, 65536]" },
        { "--zc-pool", "65537", "--zc-pool 65537: not a buffer count in [1, 65536]" },
        { "--max-memory", "0", "--max-memory 0: not a byte count in [1, 1152921504606846976] (2^60)" },
        { "--max-memory", "8G", "--max-memory 8G: not a byte count in [1, 1152921504606846976] (2^60)" },
        { "--workload", "bulk", "--workload bulk: unknown workload; use stream, request-response or udp-sink" },
        { "--cpu", "1024", "--cpu 1024: not a CPU number in [0, 1023]" },
        { "--cpu", "-1", "--cpu -1: not a CPU number in [0, 1023]" },
        { "--test-extra-work-ns", "1000000001", "--test-extra-work-ns 1000000001: not nanoseconds in [0, 1000000000]" },
    };
    char err[256], joined[128];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *opt = (char *)cases[i].option, *val = (char *)cases[i].value;
        CHECK(parse(err, sizeof(err), 10, "e", "client", "--size", "64", "--connect", "127.0.0.1", "--port", "9",
                    opt, val) < 0 && strcmp(err, cases[i].want) == 0,
              "%s %s gave \"%s\", want \"%s\"", opt, val, err, cases[i].want);
        snprintf(joined, sizeof(joined), "%s=%s", opt, val);
        CHECK(parse(err, sizeof(err), 9, "e", "client", "--size", "64", "--connect", "127.0.0.1", "--port", "9",
                    joined) < 0 && strcmp(err, cases[i].want) == 0,
              "%s gave \"%s\", want \"%s\"", joined, err, cases[i].want);
    }
    CHECK(parse(err, sizeof(err), 8, "e", "server", "--mode", "four-copy", "--size", "64", "--bind", "127.0.0.1") < 0 &&
          strncmp(err, "--mode four-copy: unknown send path; use one of: two-copy, ", 59) == 0, "%s", err);
    CHECK(parse(err, sizeof(err), 5, "e", "client", "--connect", "127.0.0.1", "--size") < 0 &&
          strcmp(err, "--size: needs a value") == 0, "missing value: %s", err);
    CHECK(parse(err, sizeof(err), 4, "e", "client", "--sizes", "64") < 0 &&
          strcmp(err, "--sizes: unknown option") == 0, "unknown option: %s", err);
    CHECK(parse(err, sizeof(err), 9, "e", "client", "--size", "64", "--connect", "127.0.0.1", "--port", "9", "extra") < 0 &&
          strcmp(err, "extra: unexpected argument (every option starts with --)") == 0, "stray argument: %s", err);
    CHECK(parse(err, sizeof(err), 12, "e", "server", "--workload", "udp-sink", "--mode", "zero-copy", "--size", "65536",
                "--connect", "198.19.0.1", "--port", "9") < 0 &&
          strcmp(err, "--size 65536: too big for udp-sink; one datagram holds at most 64512 bytes (63 KiB)") == 0,
          "%s", err);
}

/* The ranges the README documents are the ones accepted, at both ends. */
static void test_options_accept_documented_bounds(void)
{
    char err[256];
    static const char *const ok[][2] = {
        { "--threads", "1024" }, { "--size", "67108864" }, { "--size", "8" }, { "--port", "65535" },
        { "--zc-pool", "1" }, { "--zc-pool", "65536" }, { "--sndbuf", "1024" }, { "--rcvbuf", "1073741824" },
        { "--duration-ms", "86400000" }, { "--warmup-ms", "0" }, { "--deadline-ms", "0" },
        { "--owner-pid", "4194304" }, { "--verify-every", "0" }, { "--max-memory", "1152921504606846976" },
        { "--cpu", "0" }, { "--cpu", "1023" }, { "--test-extra-work-ns", "0" }, { "--test-extra-work-ns", "1000000000" },
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        CHECK(parse(err, sizeof(err), 10, "e", "client", "--size", "64", "--connect", "127.0.0.1", "--port", "9",
                    (char *)ok[i][0], (char *)ok[i][1]) == 0, "%s %s refused: %s", ok[i][0], ok[i][1], err);
}

static struct cb_options options_of(int argc, ...)
{
    char *argv[32];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    struct cb_options o;
    char err[256];
    if (cb_options_parse(argc, argv, &o, err, sizeof(err)) < 0)
        fprintf(stderr, "options_of: %s\n", err);
    return o;
}

/* The wait for the peer's end grows with what is in flight when the window
 * closes: one message per connection at CB_DRAIN_MS_PER_MIB (Java's
 * CellDeadline.drainMs gives the same figures). */
static void test_grace_grows_with_what_is_in_flight(void)
{
    struct cb_options o = options_of(12, "e", "server", "--mode", "one-copy", "--size", "67108864", "--threads", "64",
                                     "--bind", "127.0.0.1", "--workload", "request-response");
    CHECK(cb_grace_ms(&o) == 5000 + 64 * 64 * 10 + 1, "64 × 64 MiB: %ld ms", cb_grace_ms(&o));
    o = options_of(8, "e", "client", "--size", "65536", "--connect", "127.0.0.1", "--port", "9");
    CHECK(cb_grace_ms(&o) == 5000 + 0 + 1, "one 64 KiB message: %ld ms", cb_grace_ms(&o));
    o = options_of(14, "e", "server", "--workload", "udp-sink", "--mode", "one-copy", "--size", "1024", "--threads", "4",
                   "--connect", "198.18.0.1", "--port", "9");
    CHECK(cb_grace_ms(&o) == 5000, "udp-sink has no peer to drain to: %ld ms", cb_grace_ms(&o));
}

/* The README's "Memory" table, mode by mode, and the refusal's one line. */
static void test_memory_plan_and_refusal(void)
{
    static const struct {
        const char *mode;
        uint64_t per_conn;
    } server[] = {
        { "two-copy", 1024 + 2 * 65536 },
        { "one-copy", 1024 + 65536 },
        { "zero-copy", 1024 + 128 * 65536 + 20480 + 4 * 128 },     /* default pool: 8 MiB / 64 KiB = 128 */
        { "sendfile", 1024 + 3 * 65536 + 4096 },
        { "io-uring", 1024 + 65536 + 16384 },
        { "io-uring-zc", 1024 + 128 * 65536 + 184320 + 8 * 128 },
    };
    for (size_t i = 0; i < sizeof(server) / sizeof(server[0]); i++) {
        struct cb_options o = options_of(10, "e", "server", "--mode", server[i].mode, "--size", "65536", "--threads",
                                         "4", "--bind", "127.0.0.1");
        struct cb_memory_plan p;
        cb_memory_plan(&o, &p);
        CHECK(p.per_connection == server[i].per_conn && p.connections == 4 &&
              p.total == 4 * server[i].per_conn + 16 * (1000 / 20 + 2),
              "%s: %llu per connection (want %llu), total %llu", server[i].mode,
              (unsigned long long)p.per_connection, (unsigned long long)server[i].per_conn,
              (unsigned long long)p.total);
    }
    struct cb_options o = options_of(8, "e", "client", "--size", "1048576", "--connect", "127.0.0.1", "--port", "9");
    struct cb_memory_plan p;
    cb_memory_plan(&o, &p);
    CHECK(p.per_connection == 24576 + 1048576, "stream client: %llu", (unsigned long long)p.per_connection);
    /* one message per read, within 64 KiB … 1 MiB */
    CHECK(cb_stream_read_bytes(64) == 65536 && cb_stream_read_bytes(262144) == 262144 &&
          cb_stream_read_bytes(16u << 20) == 1048576, "stream read sizes");
    o = options_of(10, "e", "client", "--size", "1048576", "--connect", "127.0.0.1", "--port", "9", "--workload",
                   "request-response");
    cb_memory_plan(&o, &p);
    CHECK(p.per_connection == 24576 + 1048576, "request-response client: %llu", (unsigned long long)p.per_connection);

    char err[512];
    o = options_of(12, "e", "server", "--mode", "zero-copy", "--size", "67108864", "--zc-pool", "65536", "--bind",
                   "127.0.0.1", "--max-memory", "8589934592");
    CHECK(cb_memory_check(&o, err, sizeof(err)) < 0 &&
          strcmp(err, "--max-memory 8589934592: the server would allocate 4.0 TiB (4398046795584 bytes), more than "
                      "the cap of 8 GiB: 1 connection × 4.0 TiB (a zero-copy pool of 65536 × 64 MiB messages)") == 0,
          "%s", err);
    o.max_memory = 4398046795584ull;
    CHECK(cb_memory_check(&o, err, sizeof(err)) == 0, "a plan equal to the cap refused: %s", err);
    o.max_memory = 0;
    CHECK(cb_memory_check(&o, err, sizeof(err)) == 0, "no cap, yet refused: %s", err);
    cb_explain_oom(err, sizeof(err), "the zero-copy pool", 65536, 64u << 20);
    CHECK(strcmp(err, "out of memory for the zero-copy pool: 65536 × 64 MiB messages (4 TiB)") == 0, "%s", err);
}

/* The client's port from the server's ready file: only a whole line counts. */
static void test_port_file(void)
{
    char path[] = "/tmp/cb-port-file-XXXXXX", err[256] = "";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    unsigned port = 0;
    CHECK(write(fd, "4242", 4) == 4, "write");
    CHECK(cb_port_from_file(path, 5, &port, err, sizeof(err)) < 0 && strstr(err, "no port within 5 ms") != NULL,
          "a number without its newline is not yet a port: %s", err);
    CHECK(write(fd, "\n", 1) == 1, "write");
    CHECK(cb_port_from_file(path, 5, &port, err, sizeof(err)) == 0 && port == 4242, "port %u: %s", port, err);
    CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, "99999\n", 6, 0) == 6, "rewrite");
    CHECK(cb_port_from_file(path, 5, &port, err, sizeof(err)) < 0 && strstr(err, "does not hold a port") != NULL,
          "%s", err);
    close(fd);
    unlink(path);
}

/* 20 ms samples: a late sampler's missed intervals count as zero; the longest
 * stall is the longest run of intervals without units; gbps from bytes. */
/* --cpu's refusal lists the allowed CPUs as ranges, as taskset and cpusets do. */
static void test_cpu_list(void)
{
    cpu_set_t set;
    char buf[64];
    CPU_ZERO(&set);
    cb_cpu_list(&set, buf, sizeof(buf));
    CHECK(strcmp(buf, "") == 0, "empty set: \"%s\"", buf);
    int cpus[] = { 0, 1, 2, 3, 6, 8, 9, 1023 };
    for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++)
        CPU_SET(cpus[i], &set);
    cb_cpu_list(&set, buf, sizeof(buf));
    CHECK(strcmp(buf, "0-3,6,8-9,1023") == 0, "got \"%s\"", buf);
    cb_cpu_list(&set, buf, 6);
    CHECK(strcmp(buf, "0-3,6") == 0, "truncated to a whole prefix: \"%s\"", buf);
    struct cb_options o = options_of(8, "e", "client", "--size", "64", "--connect", "127.0.0.1", "--port", "9");
    CHECK(o.cpu == -1, "unpinned by default, got %d", o.cpu);
}

/* busy = user nice system irq softirq steal, idle = idle iowait; guest is inside user. */
static void test_system_cpu(void)
{
    struct cb_cpu_ticks a = { .valid = 1, .cpus = 2 }, b = { .valid = 1, .cpus = 2 };
    CHECK(cb_cpu_line_parse("cpu  100 2 30 400 5 6 7 8 50 0\n", &a) == 0 && a.busy == 153 && a.idle == 405
          && a.irq == 13 && a.steal == 8, "busy %llu idle %llu irq %llu steal %llu", (unsigned long long)a.busy,
          (unsigned long long)a.idle, (unsigned long long)a.irq, (unsigned long long)a.steal);
    CHECK(cb_cpu_line_parse("cpu  1 2 3 4\n", &b) == 0 && b.busy == 6 && b.idle == 4, "old kernel: busy %llu idle %llu",
          (unsigned long long)b.busy, (unsigned long long)b.idle);
    CHECK(cb_cpu_line_parse("cpu0 1 2 3 4 5\n", &b) < 0, "a per-CPU line taken for the aggregate");
    CHECK(cb_cpu_line_parse("cpu  1 2\n", &b) < 0, "a truncated line accepted");
    CHECK(cb_cpu_line_parse("cpu  170 2 30 449 6 6 17 8 50 0\n", &b) == 0, "second line");
    char buf[256] = "";
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    cb_sysstat_json(f, &a, &b, 100);   /* 80 busy ticks, 50 idle, at 100 Hz */
    fclose(f);
    CHECK(strcmp(buf, ",\"system\":{\"busy_ns\":800000000,\"idle_ns\":500000000,\"irq_ns\":100000000,"
                      "\"steal_ns\":0,\"cpus\":2}") == 0, "%s", buf);
    f = fmemopen(buf, sizeof(buf) - 1, "w");
    cb_sysstat_json(f, &b, &a, 100);   /* going backwards: not a measurement */
    fclose(f);
    CHECK(strcmp(buf, ",\"system\":null") == 0, "backwards: %s", buf);
    struct cb_cpu_ticks now;
    cb_cpu_ticks_read(&now);
    CHECK(now.valid && now.cpus >= 1, "reading /proc/stat: valid %d cpus %u", now.valid, now.cpus);
}

static void test_progress_summary(void)
{
    struct cb_progress p;
    CHECK(cb_progress_init(&p, 200) == 0 && p.cap == 12, "cap %zu for 200 ms", p.cap);
    cb_progress_record(&p, 2500000, 2500000, 1, 0);     /* 2.5 MB in 20 ms = 1 Gbit/s */
    cb_progress_record(&p, 5000000, 5000000, 1, 0);
    cb_progress_record(&p, 0, 0, 1, 1);                 /* a stall waiting on the peer */
    cb_progress_record(&p, 7500000, 7500000, 4, 0);     /* woke 3 intervals late: spread, not zeros */
    cb_progress_record(&p, 2500000, 0, 1, 0);           /* bytes of a round trip not yet complete: a stall */
    cb_progress_record(&p, 2500000, 0, 1, 1);
    struct cb_progress_summary s;
    cb_progress_summarize(&p, &s);
    CHECK(s.valid && s.intervals == 9 && s.missed == 3, "intervals %zu missed %llu", s.intervals,
          (unsigned long long)s.missed);
    CHECK(s.longest_stall_ms == 40 && s.stall_on_peer_ms == 20, "longest stall %ld ms (on peer %ld), want 40 (20): "
          "missed intervals are not zero progress", s.longest_stall_ms, s.stall_on_peer_ms);
    CHECK(s.longest_gap_ms == 0, "longest gap %ld ms, want 0: the workers moved while the sampler was late",
          s.longest_gap_ms);
    CHECK(s.min_gbps == 0 && s.max_gbps > 1.99 && s.max_gbps < 2.01 && s.median_gbps > 0.74 && s.median_gbps < 0.76,
          "min %f median %f max %f", s.min_gbps, s.median_gbps, s.max_gbps);
    char buf[512] = "";
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    cb_progress_json(f, &s, 250000000);
    fclose(f);
    CHECK(strcmp(buf, ",\"progress\":{\"interval_ms\":20,\"intervals\":9,\"min_gbps\":0.000000,\"median_gbps\":0.750000,"
                      "\"max_gbps\":2.000000,\"longest_stall_ms\":40,\"stall_on_peer_ms\":20,\"longest_gap_ms\":0,"
                      "\"missed_intervals\":3,\"mode_wait_s\":0.250000}") == 0, "%s", buf);
    struct cb_progress frozen;
    CHECK(cb_progress_init(&frozen, 200) == 0, "init");
    cb_progress_record(&frozen, 2500000, 2500000, 1, 0);
    cb_progress_record(&frozen, 2500000, 2500000, 1, 0);
    cb_progress_record(&frozen, 100000, 100000, 6, 0);   /* woke 5 intervals late, little moved: not running */
    cb_progress_record(&frozen, 2500000, 2500000, 1, 0);
    struct cb_progress_summary fs;
    cb_progress_summarize(&frozen, &fs);
    CHECK(fs.longest_gap_ms == 100 && fs.longest_stall_ms == 0, "frozen: gap %ld ms (want 100), stall %ld ms (want 0)",
          fs.longest_gap_ms, fs.longest_stall_ms);
    cb_progress_free(&frozen);
    for (int i = 0; i < 20; i++)
        cb_progress_record(&p, 1, 1, 1, 0);          /* past the window's room: dropped, not overflowed */
    CHECK(p.n == p.cap, "n %zu cap %zu", p.n, p.cap);
    cb_progress_free(&p);
    struct cb_progress_summary none = { 0 };
    buf[0] = '\0';
    f = fmemopen(buf, sizeof(buf) - 1, "w");
    cb_progress_json(f, &none, 0);
    fclose(f);
    CHECK(strcmp(buf, ",\"progress\":null") == 0, "%s", buf);
}

/* --sndbuf is read back: the kernel doubles what is asked and caps it at
 * twice net.core.wmem_max; the report carries both figures (Java says so
 * when they differ beyond the doubling). */
static void test_sndbuf_read_back_is_reported(void)
{
    long wmem_max = 0;
    FILE *proc = fopen("/proc/sys/net/core/wmem_max", "r");
    CHECK(proc != NULL && fscanf(proc, "%ld", &wmem_max) == 1, "net.core.wmem_max unreadable");
    if (proc != NULL)
        fclose(proc);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const long asked = 64L << 20;
    CHECK(fd >= 0 && cb_set_buffers(fd, (int)asked, 0) == 0, "setsockopt: %s", strerror(errno));
    long want = 2 * (asked < wmem_max ? asked : wmem_max);
    CHECK(cb_sndbuf_granted(fd) == want, "granted %d, want %ld (wmem_max %ld)", cb_sndbuf_granted(fd), want, wmem_max);

    struct cb_options o = options_of(12, "e", "server", "--mode", "one-copy", "--size", "65536", "--bind", "127.0.0.1",
                                     "--sndbuf", "67108864", "--duration-ms", "100");
    struct cb_conn c = { .fd = fd, .sndbuf_asked = o.sndbuf };
    struct cb_totals t = { 0 };
    cb_totals_add_conn(&t, o.mode, &c);
    CHECK(t.sndbuf_granted == want, "totals hold %d", t.sndbuf_granted);
    struct cb_window w;
    memset(&w, 0, sizeof(w));
    static char buf[4096];
    char expect[96];
    snprintf(expect, sizeof(expect), ",\"sndbuf\":{\"asked\":67108864,\"granted\":%ld}", want);
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    cb_report_print(f, &o, &w, &t);
    fclose(f);
    CHECK(strstr(buf, expect) != NULL, "want %s in %s", expect, buf);
    o.sndbuf = 0;
    f = fmemopen(buf, sizeof(buf) - 1, "w");
    cb_report_print(f, &o, &w, &t);
    fclose(f);
    CHECK(strstr(buf, ",\"sndbuf\":null") != NULL, "no --sndbuf, yet %s", buf);
    close(fd);
}

int main(void)
{
    test_field_sizes_add_up();
    test_field_content_follows_the_pattern();
    test_rejects_small_and_huge_sizes();
    test_flat_message_verifies_and_detects_corruption();
    test_checksum_is_independent_of_chunking();
    test_checksum_detects_flips_swaps_and_truncation();
    test_receiver_across_arbitrary_chunks();
    test_zc_tracker_in_order_merged_ranges();
    test_zc_tracker_out_of_order_duplicates_and_unknown();
    test_zc_tracker_wraps_u32_ids();
    test_uzc_ledger_buffers_wait_for_notifications();
    test_uzc_ledger_early_twice_unknown_and_full();
    test_zc_json_unknown_copied_is_null_not_zero();
    test_message_pages();
    test_registry_lists_every_path_once();
    test_histogram_quantiles();
    test_protocol_parsing();
    test_options_allow_exactly_the_named_address();
    test_protocol_is_network_order_and_versioned();
    test_options_reject_bad_input_with_reason();
    test_options_messages_name_option_and_value();
    test_options_accept_documented_bounds();
    test_memory_plan_and_refusal();
    test_sndbuf_read_back_is_reported();
    test_grace_grows_with_what_is_in_flight();
    test_progress_summary();
    test_port_file();
    test_cpu_list();
    test_system_cpu();
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
