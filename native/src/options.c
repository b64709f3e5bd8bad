#include "options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "protocol.h"

void cb_options_usage(void)
{
    fprintf(stderr,
        "usage: copybench-engine server --mode M --size BYTES --threads N --bind ADDR [options]\n"
        "       copybench-engine client --size BYTES --threads N --connect ADDR --port P [options]\n"
        "       copybench-engine server --workload udp-sink --mode M --size BYTES --connect ADDR --port P [options]\n"
        "       copybench-engine --list-modes | --version\n"
        "modes: %s; workloads: stream, request-response, udp-sink\n"
        "ADDR must be in 198.18.0.0/15 (benchmark range) or 127.0.0.0/8 (loopback), or be the one\n"
        "address named by --allow-address (a two-host run's configured data address).\n"
        "options: --workload W  --port P  --ready-file F  --port-file F  --warmup-ms MS  --duration-ms MS\n"
        "         --deadline-ms MS  --perf-ctl FIFO  --perf-ack FIFO  --owner-pid PID\n"
        "         --sndbuf B  --rcvbuf B  --verify-every N  --zc-pool N  --max-memory BYTES  --nonblocking\n"
        "         --cpu N  --allow-address ADDR  --exit-on-stdin-eof  --test-extra-work-ns NS\n",
        cb_send_mode_names());
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Traffic only ever goes to the benchmark range or loopback. */
static int address_allowed(const char *s)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1)
        return 0;
    uint32_t h = ntohl(a.s_addr);
    return (h & 0xFFFE0000u) == 0xC6120000u || (h & 0xFF000000u) == 0x7F000000u;
}

/* Options without a short letter. */
enum { OPT_ALLOW_ADDRESS = 0x100, OPT_EXIT_ON_STDIN_EOF };

/* Whether two spellings name the same IPv4 address. */
static int same_address(const char *a, const char *b)
{
    struct in_addr x, y;
    return a != NULL && b != NULL && inet_pton(AF_INET, a, &x) == 1 && inet_pton(AF_INET, b, &y) == 1
        && x.s_addr == y.s_addr;
}

/* udp-sink: the server sends datagrams to --connect ADDR --port P; a client
 * (optional: a verifying sink for tests) binds that address. */
static int check_udp_sink(struct cb_options *o, char *err, size_t errlen)
{
    if (o->size > CB_MAX_DATAGRAM) {
        snprintf(err, errlen, "--size %zu: too big for udp-sink; one datagram holds at most %u bytes (63 KiB)",
                 o->size, CB_MAX_DATAGRAM);
        return -1;
    }
    if (o->address == NULL || o->address_option != 'c') {
        snprintf(err, errlen, "udp-sink needs --connect ADDR (the sink), not --bind");
        return -1;
    }
    if (!o->is_server)
        return 0;   /* the test sink may bind port 0 and write --ready-file */
    if (o->port == 0) {
        snprintf(err, errlen, "udp-sink needs --port P of the sink");
        return -1;
    }
    if (o->mode == NULL) {
        snprintf(err, errlen, "--mode is required for the server; use one of: %s", cb_send_mode_names());
        return -1;
    }
    if (!(o->mode->transports & CB_OVER_UDP)) {
        snprintf(err, errlen, "--mode %s: cannot send UDP datagrams (udp-sink)", o->mode->name);
        return -1;
    }
    return 0;
}

/* Every message about one option's value reads "--option value: what is
 * wrong / what is allowed", so the user sees which option and which value. */
static int bad(char *err, size_t errlen, const char *option, const char *value, const char *what)
{
    snprintf(err, errlen, "--%s %s: %s", option, value, what);
    return -1;
}

int cb_options_parse(int argc, char **argv, struct cb_options *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof(*o));
    o->workload = CB_STREAM;
    o->threads = 1;
    o->warmup_ms = 200;
    o->duration_ms = 1000;
    o->verify_every = 1;
    o->cpu = -1;
    if (argc < 2 || (strcmp(argv[1], "server") != 0 && strcmp(argv[1], "client") != 0)) {
        snprintf(err, errlen, "first argument must be 'server' or 'client'");
        return -1;
    }
    o->is_server = strcmp(argv[1], "server") == 0;
    static const struct option longopts[] = {
        { "mode", required_argument, 0, 'm' },      { "workload", required_argument, 0, 'w' },
        { "size", required_argument, 0, 's' },      { "threads", required_argument, 0, 't' },
        { "bind", required_argument, 0, 'b' },      { "connect", required_argument, 0, 'c' },
        { "port", required_argument, 0, 'p' },      { "ready-file", required_argument, 0, 'r' },
        { "port-file", required_argument, 0, 'f' },
        { "warmup-ms", required_argument, 0, 'W' }, { "duration-ms", required_argument, 0, 'D' },
        { "deadline-ms", required_argument, 0, 'L' }, { "perf-ctl", required_argument, 0, 'C' },
        { "perf-ack", required_argument, 0, 'A' },  { "owner-pid", required_argument, 0, 'O' },
        { "sndbuf", required_argument, 0, 'S' },    { "rcvbuf", required_argument, 0, 'R' },
        { "verify-every", required_argument, 0, 'V' }, { "zc-pool", required_argument, 0, 'Z' },
        { "max-memory", required_argument, 0, 'M' },
        { "nonblocking", no_argument, 0, 'N' },     { "cpu", required_argument, 0, 'P' },
        /* two hosts: the user's own data address, and an engine that ends with its SSH session */
        { "allow-address", required_argument, 0, OPT_ALLOW_ADDRESS },
        { "exit-on-stdin-eof", no_argument, 0, OPT_EXIT_ON_STDIN_EOF },
        { "test-extra-work-ns", required_argument, 0, 'X' },
        { 0, 0, 0, 0 },
    };
    /* argv[1] (the role) stands where getopt expects the program's name;
     * optind 0 resets getopt fully, so parsing again (tests, fuzzer) starts clean */
    int args = argc - 1;
    char **arg = argv + 1;
    optind = 0;
    opterr = 0;
    int ch, index;
    long v;
    char what[200];
    while ((index = -1, ch = getopt_long(args, arg, "+", longopts, &index)) != -1) {
        /* the option's own name, whether given as "--opt value" or "--opt=value" */
        const char *name = index >= 0 ? longopts[index].name : "?";
        switch (ch) {
        case 'm':
            if ((o->mode = cb_send_mode_find(optarg)) == NULL) {
                snprintf(what, sizeof(what), "unknown send path; use one of: %s", cb_send_mode_names());
                return bad(err, errlen, name, optarg, what);
            }
            break;
        case 'w': {
            int w = cb_workload_parse(optarg);
            if (w < 0)
                return bad(err, errlen, name, optarg, "unknown workload; use stream, request-response or udp-sink");
            o->workload = (uint32_t)w;
            break;
        }
        case 's':
            if (parse_long(optarg, CB_MIN_MESSAGE, CB_MAX_MESSAGE, &v) < 0) {
                snprintf(what, sizeof(what), "not a byte count in [%u, %u] (8 B to 64 MiB)", CB_MIN_MESSAGE,
                         CB_MAX_MESSAGE);
                return bad(err, errlen, name, optarg, what);
            }
            o->size = (size_t)v;
            break;
        case 't':
            if (parse_long(optarg, 1, CB_MAX_THREADS, &v) < 0) {
                snprintf(what, sizeof(what), "not a thread count in [1, %d]", CB_MAX_THREADS);
                return bad(err, errlen, name, optarg, what);
            }
            o->threads = (unsigned)v;
            break;
        case 'b':
        case 'c': {
            struct in_addr a;
            /* an address outside the ranges may still be the one --allow-address names: checked below */
            if (inet_pton(AF_INET, optarg, &a) != 1)
                return bad(err, errlen, name, optarg, "not an IPv4 address in 198.18.0.0/15 or 127.0.0.0/8");
            o->address = optarg;
            o->address_option = (char)ch;
            break;
        }
        case OPT_ALLOW_ADDRESS: {
            struct in_addr a;
            if (inet_pton(AF_INET, optarg, &a) != 1)
                return bad(err, errlen, name, optarg, "not an IPv4 address");
            o->allowed_address = optarg;
            break;
        }
        case OPT_EXIT_ON_STDIN_EOF: o->exit_on_stdin_eof = 1; break;
        case 'p':
            if (parse_long(optarg, 0, 65535, &v) < 0)
                return bad(err, errlen, name, optarg, "not a port in [0, 65535]");
            o->port = (unsigned)v;
            break;
        case 'r': o->ready_file = optarg; break;
        case 'f': o->port_file = optarg; break;
        case 'N': o->nonblocking = 1; break;
        case 'C': o->perf_ctl = optarg; break;
        case 'A': o->perf_ack = optarg; break;
        case 'W':
        case 'D':
        case 'L':
            if (parse_long(optarg, ch == 'D' ? 1 : 0, CB_MAX_MS, &v) < 0) {
                snprintf(what, sizeof(what), "not milliseconds in [%d, %ld]%s", ch == 'D' ? 1 : 0, CB_MAX_MS,
                         ch == 'L' ? " (0: no deadline)" : "");
                return bad(err, errlen, name, optarg, what);
            }
            if (ch == 'W') o->warmup_ms = v;
            else if (ch == 'D') o->duration_ms = v;
            else o->deadline_ms = v;
            break;
        case 'O':
            if (parse_long(optarg, 1, CB_MAX_PID, &v) < 0) {
                snprintf(what, sizeof(what), "not a process id in [1, %ld]", CB_MAX_PID);
                return bad(err, errlen, name, optarg, what);
            }
            o->owner_pid = v;
            break;
        case 'S':
        case 'R':
            if (parse_long(optarg, CB_MIN_SOCKBUF, CB_MAX_SOCKBUF, &v) < 0) {
                snprintf(what, sizeof(what), "not bytes in [%ld, %ld] (1 KiB to 1 GiB)", CB_MIN_SOCKBUF,
                         CB_MAX_SOCKBUF);
                return bad(err, errlen, name, optarg, what);
            }
            if (ch == 'S') o->sndbuf = (int)v;
            else o->rcvbuf = (int)v;
            break;
        case 'V':
            if (parse_long(optarg, 0, CB_MAX_VERIFY_EVERY, &v) < 0) {
                snprintf(what, sizeof(what), "not a count in [0, %ld] (0: sequence numbers only)",
                         CB_MAX_VERIFY_EVERY);
                return bad(err, errlen, name, optarg, what);
            }
            o->verify_every = (unsigned)v;
            break;
        case 'Z':
            if (parse_long(optarg, 1, CB_MAX_ZC_POOL, &v) < 0) {
                snprintf(what, sizeof(what), "not a buffer count in [1, %d]", CB_MAX_ZC_POOL);
                return bad(err, errlen, name, optarg, what);
            }
            o->zc_pool = (unsigned)v;
            break;
        case 'M':
            if (parse_long(optarg, 1, CB_MAX_MEMORY, &v) < 0) {
                snprintf(what, sizeof(what), "not a byte count in [1, %ld] (2^60)", CB_MAX_MEMORY);
                return bad(err, errlen, name, optarg, what);
            }
            o->max_memory = (uint64_t)v;
            break;
        case 'P':
            /* whether this process may run there is known only at run time (cpuset): affinity.c */
            if (parse_long(optarg, 0, CB_MAX_CPU, &v) < 0) {
                snprintf(what, sizeof(what), "not a CPU number in [0, %d]", CB_MAX_CPU);
                return bad(err, errlen, name, optarg, what);
            }
            o->cpu = (int)v;
            break;
        case 'X':
            if (parse_long(optarg, 0, CB_MAX_EXTRA_WORK_NS, &v) < 0) {
                snprintf(what, sizeof(what), "not nanoseconds in [0, %ld]", CB_MAX_EXTRA_WORK_NS);
                return bad(err, errlen, name, optarg, what);
            }
            o->test_extra_work_ns = v;
            break;
        default:
            /* getopt_long leaves the option's value in optopt when only its argument is missing */
            for (index = 0; optopt != 0 && longopts[index].name != NULL; index++) {
                if (longopts[index].val == optopt) {
                    snprintf(err, errlen, "--%s: needs a value", longopts[index].name);
                    return -1;
                }
            }
            snprintf(err, errlen, "%s: unknown option", optind > 0 && optind <= args ? arg[optind - 1] : "?");
            return -1;
        }
    }
    if (optind < args) {
        snprintf(err, errlen, "%s: unexpected argument (every option starts with --)", arg[optind]);
        return -1;
    }
    if (o->address != NULL && !address_allowed(o->address) && !same_address(o->address, o->allowed_address))
        return bad(err, errlen, o->address_option == 'b' ? "bind" : "connect", o->address,
                   "not an IPv4 address in 198.18.0.0/15 or 127.0.0.0/8 (or the one --allow-address names)");
    if (o->size == 0) {
        snprintf(err, errlen, "--size is required");
        return -1;
    }
    if ((o->perf_ack != NULL) && o->perf_ctl == NULL) {
        snprintf(err, errlen, "--perf-ack needs --perf-ctl");
        return -1;
    }
    if (o->workload == CB_UDP_SINK)
        return check_udp_sink(o, err, errlen);
    if (o->address == NULL) {
        snprintf(err, errlen, o->is_server ? "--bind is required" : "--connect is required");
        return -1;
    }
    if (o->is_server && o->mode == NULL) {
        snprintf(err, errlen, "--mode is required for the server; use one of: %s", cb_send_mode_names());
        return -1;
    }
    if (!o->is_server && o->port == 0 && o->port_file == NULL) {
        snprintf(err, errlen, "--port (or --port-file) is required for the client");
        return -1;
    }
    return 0;
}
