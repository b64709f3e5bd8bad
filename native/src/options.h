/* Command line of copybench-engine; see native/README.md. */
#ifndef CB_OPTIONS_H
#define CB_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "send_mode.h"

struct cb_options {
    int is_server;
    const struct cb_send_mode *mode;   /* server: the send path */
    uint32_t workload;
    size_t size;
    unsigned threads;
    const char *address;               /* server: bind; client: connect; udp-sink: the sink */
    char address_option;               /* 'b' for --bind, 'c' for --connect */
    unsigned port;                     /* server: 0 picks a free port */
    const char *ready_file;            /* server: written with the port once listening */
    const char *port_file;             /* client: read the port from the server's ready file */
    long warmup_ms, duration_ms;
    long deadline_ms;                  /* hard limit for the whole process */
    const char *perf_ctl, *perf_ack;
    long owner_pid;                    /* exit when this process is gone */
    int sndbuf, rcvbuf;                /* 0: kernel default */
    unsigned verify_every;             /* client: checksum every n-th message */
    unsigned zc_pool;                  /* server zero-copy: buffers per connection */
    int nonblocking;                   /* server: MSG_DONTWAIT sends, poll for room */
    uint64_t max_memory;               /* refuse up front when the planned allocation exceeds it; 0: no cap */
    int cpu;                           /* --cpu: pin every thread to this CPU; -1: not pinned */
    long test_extra_work_ns;           /* server, tests only: busy work after each message, to slow the engine on purpose */
    const char *allowed_address;       /* --allow-address: the one address outside the ranges --bind/--connect may name */
    int exit_on_stdin_eof;             /* exit when stdin ends: a remote engine ends with its SSH session */
};

/* The documented ranges (native/README.md, "Options"). */
#define CB_MAX_THREADS 1024
#define CB_MAX_MS (24L * 3600 * 1000)
#define CB_MAX_PID (1L << 22)            /* the kernel's PID_MAX_LIMIT */
#define CB_MIN_SOCKBUF 1024L
#define CB_MAX_SOCKBUF (1L << 30)
#define CB_MAX_VERIFY_EVERY (1L << 30)
#define CB_MAX_ZC_POOL 65536             /* io-uring-zc keeps the buffer in 16 bits of user_data */
#define CB_MAX_MEMORY (1L << 60)
#define CB_MAX_EXTRA_WORK_NS 1000000000L   /* --test-extra-work-ns: at most 1 s per message */
#define CB_MAX_CPU 1023                  /* CPU_SETSIZE - 1: the largest a cpu_set_t holds */

/* The largest udp-sink message: one IPv4 UDP datagram (65507 B), rounded down to 63 KiB. */
#define CB_MAX_DATAGRAM (63u * 1024u)

/* 0, or -1 with a one-line message in err. */
int cb_options_parse(int argc, char **argv, struct cb_options *o, char *err, size_t errlen);
void cb_options_usage(void);

#endif
