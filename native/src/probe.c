#include "probe.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdio.h>

#include "message.h"
#include "send_mode.h"

int cb_probe_so_zerocopy(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    int r = setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)) < 0 ? -errno : 1;
    close(fd);
    return r;
}

int cb_probe_perf_event(uint32_t type, uint64_t config)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = type;
    attr.config = config;
    attr.disabled = 1;
    attr.exclude_hv = 1;
    int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
    if (fd < 0)
        return -errno;
    close(fd);
    return 1;
}

int cb_probe_netns(void)
{
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0)
        _exit(unshare(CLONE_NEWNET) == 0 ? 0 : (errno & 0x7f));
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -errno;
    if (!WIFEXITED(status))
        return -ECHILD;
    return WEXITSTATUS(status) == 0 ? 1 : -WEXITSTATUS(status);
}

int cb_wire_message(size_t size, uint32_t seq, char *out)
{
    struct cb_message m;
    if (cb_message_build(&m, size) < 0)
        return -errno;
    cb_message_stamp(&m, seq);
    cb_message_flatten(&m, out);
    cb_message_free(&m);
    return 0;
}

int cb_verify_message(const char *buf, size_t size, uint32_t seq)
{
    return cb_message_verify(buf, size, seq);
}

int cb_probe_mode(const char *name, char *why, size_t why_len)
{
    const struct cb_send_mode *m = name != NULL ? cb_send_mode_find(name) : NULL;
    if (m == NULL) {
        if (why != NULL && why_len > 0)
            snprintf(why, why_len, "no send path is called %s", name != NULL ? name : "(null)");
        return 0;
    }
    char local[200];
    if (why == NULL || why_len == 0) {   /* the caller wants the verdict only */
        why = local;
        why_len = sizeof(local);
    }
    return cb_send_mode_probe(m, why, why_len);
}
