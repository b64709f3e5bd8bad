/* The version baked in at build time (`make VERSION=x.y.z`; default "dev"). */
#ifndef CB_VERSION_H
#define CB_VERSION_H

/* The version string, e.g. "0.1.0" or "dev"; static storage, never NULL. */
const char *cb_version(void);

#endif
