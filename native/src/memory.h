/* The engine's planned allocation, computed from the options before anything
 * is allocated, so --max-memory can refuse a run up front instead of the
 * kernel's OOM killer ending it (or another tenant) half-way. The formula is
 * the table in native/README.md ("Memory"); Java mirrors it. Message-sized
 * buffers are counted exactly, bookkeeping by the constants below. */
#ifndef CB_MEMORY_H
#define CB_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"

/* Per connection, besides the send path's or receiver's buffers. */
#define CB_MEM_SERVER_CONN (1u << 10)          /* struct cb_sender */
#define CB_MEM_CLIENT_CONN (24u << 10)         /* worker with its latency histogram */
/* The client's stream read buffer: one message, within 64 KiB … 1 MiB. Like
 * iperf3 and netperf, which read a message (-l, -M) per call: 64 KiB reads of
 * 1 MiB messages cost the receiver 16 system calls per message, and the
 * receiver bounds throughput over veth. Not below 64 KiB (small messages are
 * read many at a time) nor above 1 MiB (what the checksum reads back should
 * still be in cache). */
#define CB_MEM_STREAM_READ_MIN (64u << 10)
#define CB_MEM_STREAM_READ_MAX (1u << 20)
/* The paths' bookkeeping: zero-copy's completion ring (4096 ids × 5 B) plus 4 B
 * per pool buffer; io-uring-zc's ledger (4096 × 5 B) and ring (8192 CQEs) plus
 * 8 B per pool buffer; io-uring's ring; sendfile's header page. */
#define CB_MEM_ZC_FIXED (20u << 10)
#define CB_MEM_ZC_PER_BUFFER 4u
#define CB_MEM_UZC_FIXED (180u << 10)
#define CB_MEM_UZC_PER_BUFFER 8u
#define CB_MEM_URING_FIXED (16u << 10)
#define CB_MEM_SENDFILE_FIXED (4u << 10)
/* What may still be in flight when a window closes, one message per
 * connection, must be moved and checked before the end-of-cell handshake:
 * a process waits CB_GRACE_MS plus this much per MiB of it for its peer
 * (measured 0.6 ... 6 ms/MiB on a loaded 2-core host; Java's CellDeadline
 * uses the same figure for the cell's deadline). */
#define CB_DRAIN_MS_PER_MIB 10u
/* The progress samples: 16 B per 20 ms interval of the window, per process. */
#define CB_MEM_PROGRESS_PER_INTERVAL 16u

struct cb_memory_plan {
    uint64_t per_connection;   /* bytes */
    unsigned connections;
    uint64_t per_process;
    uint64_t total;
    char what[160];            /* what one connection holds, for messages */
};

/* The zero-copy pool per connection: --zc-pool, or about 8 MiB worth (8 … 1024). */
unsigned cb_pool_messages(const struct cb_options *o);
/* Bytes the client reads at a time in the stream workload. */
size_t cb_stream_read_bytes(size_t message);
void cb_memory_plan(const struct cb_options *o, struct cb_memory_plan *p);
/* How long, after its window, a process waits for its peer's half of the
 * end-of-cell handshake: CB_GRACE_MS, plus the drain of threads × size bytes
 * at CB_DRAIN_MS_PER_MIB (none for udp-sink, which has no peer). */
long cb_grace_ms(const struct cb_options *o);
/* 0 when the plan fits --max-memory (or there is none), else -1 with one line in err. */
int cb_memory_check(const struct cb_options *o, char *err, size_t errlen);
/* The line a failed allocation leaves in why: "out of memory for WHAT
 * (N MiB)", or with count > 0 "out of memory for WHAT: COUNT × SIZE messages (TOTAL)". */
void cb_explain_oom(char *why, size_t len, const char *what, unsigned count, uint64_t bytes);
/* "64 MiB", "4 TiB", "1.5 GiB", "512 B": for messages. */
const char *cb_format_bytes(uint64_t bytes, char *buf, size_t len);

#endif
