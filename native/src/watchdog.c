#include "watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "window.h"

static long owner;
static long deadline;
static uint64_t started_ns;

static void *watch(void *arg)
{
    (void)arg;
    for (;;) {
        cb_sleep_ms(100);
        if (owner > 0 && kill((pid_t)owner, 0) < 0 && errno == ESRCH) {
            fprintf(stderr, "copybench-engine: error: owner process %ld is gone; exiting\n", owner);
            _exit(3);
        }
        if (deadline > 0 && cb_now_ns() - started_ns > (uint64_t)deadline * 1000000ull) {
            fprintf(stderr, "copybench-engine: error: hard deadline of %ld ms exceeded; exiting\n", deadline);
            _exit(4);
        }
    }
    return NULL;
}

long cb_wait_limit_ms(long cap_ms)
{
    if (deadline <= 0)
        return cap_ms;
    long left = deadline - (long)((cb_now_ns() - started_ns) / 1000000ull);
    left -= left / 4 < 500 ? left / 4 : 500;
    if (left < 1)
        left = 1;
    return left < cap_ms ? left : cap_ms;
}

long cb_setup_limit_ms(long cap_ms, long after_ms)
{
    long capped = cb_wait_limit_ms(cap_ms);
    if (deadline <= 0)
        return capped;
    long left = deadline - (long)((cb_now_ns() - started_ns) / 1000000ull) - after_ms;
    return left > capped ? left : capped;
}

/* Blocks on stdin; its end (the SSH session that started a remote engine
 * closed: the JVM ended, or was killed) ends the engine, as the owner check
 * does for a local one. Whatever arrives on stdin is ignored. */
static void *watch_stdin(void *arg)
{
    (void)arg;
    char buf[256];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
        if (n == 0 || (n < 0 && errno != EINTR)) {
            fprintf(stderr, "copybench-engine: error: stdin closed (the session that started it ended); exiting\n");
            _exit(3);
        }
    }
    return NULL;
}

int cb_watchdog_watch_stdin(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, watch_stdin, NULL) != 0)
        return -1;
    return pthread_detach(t) == 0 ? 0 : -1;
}

int cb_watchdog_start(long owner_pid, long deadline_ms)
{
    owner = owner_pid;
    deadline = deadline_ms;
    started_ns = cb_now_ns();
    if (owner <= 0 && deadline <= 0)
        return 0;
    pthread_t t;
    if (pthread_create(&t, NULL, watch, NULL) != 0)
        return -1;
    return pthread_detach(t) == 0 ? 0 : -1;
}
