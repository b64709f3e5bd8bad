#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int cb_sockaddr(const char *address, unsigned port, struct sockaddr_in *out)
{
    memset(out, 0, sizeof(*out));
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, address, &out->sin_addr) == 1 ? 0 : -1;
}

int cb_set_timeouts(int fd, long ms)
{
    struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
        return -1;
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

int cb_set_buffers(int fd, int sndbuf, int rcvbuf)
{
    if (sndbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0)
        return -1;
    if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
        return -1;
    return 0;
}

int cb_sndbuf_granted(int fd)
{
    int granted = 0;
    socklen_t len = sizeof(granted);
    return getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &granted, &len) < 0 ? -1 : granted;
}

int cb_recv_exact(int fd, void *buf, size_t len, const atomic_bool *stop)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = recv(fd, (char *)buf + got, len - got, 0);
        if (n == 0) {
            if (got == 0)
                return 0;
            errno = EPROTO;
            return -1;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (stop != NULL && atomic_load(stop)) {
                    errno = ETIMEDOUT;
                    return -1;
                }
                continue;
            }
            return -1;
        }
        got += (size_t)n;
    }
    return 1;
}

int cb_send_exact(int fd, const void *buf, size_t len, const atomic_bool *stop)
{
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, (const char *)buf + sent, len - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && !(stop != NULL && atomic_load(stop)))
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                errno = ETIMEDOUT;
            return -1;
        }
        sent += (size_t)n;
    }
    return 0;
}

int cb_write_ready_file(const char *path, unsigned port, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "--ready-file %s: %s", path,
                 errno == EEXIST ? "already exists; refusing to overwrite it (pass a path that does not exist)"
                                 : strerror(errno));
        return -1;
    }
    char line[16];
    int len = snprintf(line, sizeof(line), "%u\n", port);
    int e = 0;
    if (write(fd, line, (size_t)len) != len)
        e = errno != 0 ? errno : EIO;
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e != 0) {
        unlink(path);   /* ours, and incomplete */
        snprintf(err, errlen, "--ready-file %s: cannot write the port: %s", path, strerror(e));
        return -1;
    }
    return 0;
}

static long ms_until(const struct timespec *end)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (end->tv_sec - now.tv_sec) * 1000 + (end->tv_nsec - now.tv_nsec) / 1000000;
}

static struct timespec ms_from_now(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

int cb_recv_exact_within(int fd, void *buf, size_t len, long timeout_ms)
{
    struct timespec end = ms_from_now(timeout_ms);
    size_t got = 0;
    while (got < len) {
        long left = ms_until(&end);
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r = left > 0 ? poll(&p, 1, (int)left) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        ssize_t n = recv(fd, (char *)buf + got, len - got, MSG_DONTWAIT);
        if (n == 0) {
            if (got == 0)
                return 0;
            errno = EPROTO;
            return -1;
        }
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    return 1;
}

int cb_connect_within(int fd, const struct sockaddr_in *addr, long timeout_ms)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;
    int r = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
    if (r < 0 && errno == EINPROGRESS) {
        struct timespec end = ms_from_now(timeout_ms);
        for (;;) {
            long left = ms_until(&end);
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            int n = left > 0 ? poll(&p, 1, (int)left) : 0;
            if (n < 0 && errno == EINTR)
                continue;
            if (n == 0) {
                errno = ETIMEDOUT;
                return -1;
            }
            if (n < 0)
                return -1;
            int soerr = 0;
            socklen_t l = sizeof(soerr);
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l) < 0)
                return -1;
            if (soerr != 0) {
                errno = soerr;
                return -1;
            }
            r = 0;
            break;
        }
    }
    if (r < 0)
        return -1;
    return fcntl(fd, F_SETFL, flags);
}
