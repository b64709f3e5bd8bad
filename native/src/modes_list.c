#include "modes_list.h"

#include "send_mode.h"

int cb_list_modes(FILE *out)
{
    for (unsigned i = 0; i < cb_send_mode_count(); i++) {
        const struct cb_send_mode *m = cb_send_mode_at(i);
        char why[200];
        if (cb_send_mode_probe(m, why, sizeof(why)))
            fprintf(out, "%s\tavailable\n", m->name);
        else
            fprintf(out, "%s\tunavailable: %s\n", m->name, why[0] != '\0' ? why : "probe failed");
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
