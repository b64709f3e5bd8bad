/* `copybench-engine --list-modes`: one line per send path,
 * "<name>\t<available|unavailable: reason>", from each path's own probe. */
#ifndef CB_MODES_LIST_H
#define CB_MODES_LIST_H

#include <stdio.h>

/* 0, or -1 when stdout could not be written. */
int cb_list_modes(FILE *out);

#endif
