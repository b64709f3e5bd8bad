/* Ends the engine when its owner (the JVM that started it) is gone or its
 * hard deadline passes, so no engine outlives the run that wanted it. */
#ifndef CB_WATCHDOG_H
#define CB_WATCHDOG_H

int cb_watchdog_start(long owner_pid, long deadline_ms);

/* --exit-on-stdin-eof: ends the engine when its stdin ends (a remote engine's SSH session). */
int cb_watchdog_watch_stdin(void);

/* How long a wait may last: cap_ms, or less when the hard deadline comes
 * sooner: what is left of it minus a quarter (at most 500 ms), so the wait
 * fails with its own message and the process ends before the watchdog's. */
long cb_wait_limit_ms(long cap_ms);

/* How long set-up (accepting and preparing every connection, or waiting for
 * the go) may last: what the hard deadline leaves once after_ms (warm-up,
 * window, grace) is set aside, or cb_wait_limit_ms(cap_ms) when that is more.
 * Without a deadline, cap_ms. A large plan's set-up grows with what it
 * allocates (Java's CellDeadline sizes the deadline for it), so a fixed cap
 * alone would fail a plan its deadline has room for. */
long cb_setup_limit_ms(long cap_ms, long after_ms);

#endif
