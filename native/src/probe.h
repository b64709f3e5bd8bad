/* Exported through libcopybench.so for Java (JNA): capability probes and the
 * message routines, so Java tests check the same code the engine runs. */
#ifndef CB_PROBE_H
#define CB_PROBE_H

#include <stddef.h>
#include <stdint.h>

/* 1 when a TCP socket accepts SO_ZEROCOPY, else -errno. */
int cb_probe_so_zerocopy(void);
/* 1 when perf_event_open(type, config) counts for this process, else -errno. */
int cb_probe_perf_event(uint32_t type, uint64_t config);
/* 1 when this process may create a network namespace (tried in a child), else -errno. */
int cb_probe_netns(void);
/* 1 when the send path called name can run in this process, else 0 with a
 * one-line reason in why (an unknown name is unavailable too). The same
 * answer `copybench-engine --list-modes` prints. */
int cb_probe_mode(const char *name, char *why, size_t why_len);
/* Builds a message of size bytes stamped with seq and writes its wire form
 * (size bytes) to out. 0, or -errno (EINVAL for a size outside [8, 64 MiB]). */
int cb_wire_message(size_t size, uint32_t seq, char *out);
/* 0 when buf holds the intact message numbered seq, else -1. */
int cb_verify_message(const char *buf, size_t size, uint32_t seq);
/* The version baked in at build time ("dev" unless `make VERSION=...`), the
 * same string `copybench-engine --version` prints. Defined in version.c. */
const char *cb_version(void);

#endif
