#include "receiver.h"

#include <string.h>

static void start_message(struct cb_receiver *r)
{
    r->pos = 0;
    r->verifying = r->verify_every > 0 && r->expected_seq % r->verify_every == 0;
    if (r->verifying)
        cb_check_init(&r->check);
}

void cb_receiver_init(struct cb_receiver *r, size_t size, unsigned verify_every)
{
    memset(r, 0, sizeof(*r));
    r->size = size;
    r->verify_every = verify_every;
    start_message(r);
}

static void end_message(struct cb_receiver *r)
{
    uint32_t seq, check;
    cb_header_read(r->header, &seq, &check);
    int bad = seq != r->expected_seq;
    if (!bad && r->verifying) {
        r->verified++;
        bad = check != cb_header_check(seq, cb_check_final(&r->check));
    }
    if (bad)
        r->integrity_errors++;
    r->messages++;
    r->expected_seq++;
    start_message(r);
}

uint64_t cb_receiver_feed(struct cb_receiver *r, const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t done = 0;
    while (len > 0) {
        if (r->pos < CB_HEADER_BYTES) {
            size_t n = CB_HEADER_BYTES - r->pos;
            if (n > len)
                n = len;
            memcpy(r->header + r->pos, p, n);
            r->pos += n;
            p += n;
            len -= n;
        } else {
            size_t n = r->size - r->pos;
            if (n > len)
                n = len;
            if (r->verifying)
                cb_check_update(&r->check, p, n);
            r->pos += n;
            p += n;
            len -= n;
        }
        if (r->pos == r->size) {
            end_message(r);
            done++;
        }
    }
    return done;
}
