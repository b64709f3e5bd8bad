/* copybench-engine: the native server and client of copybench. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "affinity.h"
#include "memory.h"
#include "modes_list.h"
#include "options.h"
#include "port_file.h"
#include "protocol.h"
#include "roles.h"
#include "version.h"
#include "watchdog.h"

/* How long a client started with the server waits for its port. */
#define CB_PORT_FILE_MS 10000

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        if (printf("copybench-engine %s\n", cb_version()) < 0 || fflush(stdout) != 0)
            return 1;
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--list-modes") == 0)
        return cb_list_modes(stdout) < 0 ? 1 : 0;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cb_options_usage();
        return 0;
    }
    struct cb_options o;
    char err[512];
    if (cb_options_parse(argc, argv, &o, err, sizeof(err)) < 0) {
        cb_error("%s (see --help)", err);
        return 2;
    }
    /* before anything is allocated: refuse a run that would not fit */
    if (cb_memory_check(&o, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 2;
    }
    /* before the first thread: every thread inherits the main thread's mask */
    if (o.cpu >= 0 && cb_affinity_pin(o.cpu, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (cb_watchdog_start(o.owner_pid, o.deadline_ms) < 0
        || (o.exit_on_stdin_eof && cb_watchdog_watch_stdin() < 0)) {
        cb_error("cannot start the watchdog thread");
        return 1;
    }
    /* started together with the server, the client learns its port here */
    if (!o.is_server && o.port_file != NULL
        && cb_port_from_file(o.port_file, cb_wait_limit_ms(CB_PORT_FILE_MS), &o.port, err, sizeof(err)) < 0) {
        cb_error("%s", err);
        return 1;
    }
    if (o.workload == CB_UDP_SINK)
        return o.is_server ? cb_udp_sink_run(&o) : cb_udp_receiver_run(&o);
    return o.is_server ? cb_server_run(&o) : cb_client_run(&o);
}
