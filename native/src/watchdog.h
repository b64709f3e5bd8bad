/* Ends the engine when its owner (the JVM that started it) is gone or its
 * hard deadline passes, so no engine outlives the run that wanted it. */
#ifndef CB_WATCHDOG_H
#define CB_WATCHDOG_H

int cb_watchdog_start(long owner_pid, long deadline_ms);

#endif
