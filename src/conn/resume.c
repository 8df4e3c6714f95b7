/*
 * The context's side of resumption and 0-RTT (include/lucid/lucid.h; RFC 8446
 * 4.6.1, 4.2.9, 4.2.10, 8): the clock, session ticket keys, how many tickets
 * and for how long, 0-RTT data, PSK key exchange modes, and the statistics
 * the connections count.
 *
 * The engine never reads a clock: the context's time hook does, and its
 * default, here, is the wall clock (CLOCK_REALTIME), because ticket times are
 * compared between processes and machines that share a ticket key. Reading a
 * ticket key file is configuration time, as loading certificates is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn/conn.h"
#include "handshake/replay.h"
#include "handshake/ticket.h"
#include "msg/ext/psk_key_exchange_modes.h"

/* The most of a ticket key file that is read: keys are 80 bytes, a few more is fine. */
#define KEY_FILE_MAX 4096

void lc_api_error(lucid_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL) {
        return;
    }
    err->code = code;
    err->alert = -1;
    err->from_peer = 0;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

static uint64_t real_clock(void *arg)
{
    struct timespec ts;

    (void)arg;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int lc_ctx_resume_init(lucid_ctx *ctx)
{
    lc_hs_config *cfg = &ctx->cfg;

    cfg->time = real_clock;
    cfg->tickets = 2;
    cfg->ticket_lifetime = LC_TICKET_LIFETIME_DEFAULT;
    /* 4.2.9: psk_dhe_ke keeps forward secrecy; psk_ke only when asked for */
    cfg->psk_modes = 1u << LC_PSK_DHE_KE;
    if (!cfg->server) {
        return 0;
    }
    /* a key of the context's own until a key file is loaded (ticket.h) */
    if ((cfg->ticket_keys = calloc(1, sizeof(*cfg->ticket_keys))) == NULL) {
        return LC_E_NO_MEMORY;
    }
    return lc_ticket_keys_random(cfg->ticket_keys, cfg->cr);
}

void lc_ctx_resume_free(lucid_ctx *ctx)
{
    if (ctx->cfg.ticket_keys != NULL) {
        lc_wipe(ctx->cfg.ticket_keys, sizeof(*ctx->cfg.ticket_keys));
        free(ctx->cfg.ticket_keys);
        ctx->cfg.ticket_keys = NULL;
    }
    if (!ctx->cfg.replay_shared) {
        lc_replay_free(ctx->cfg.replay);
    }
    ctx->cfg.replay = NULL;
}

void lucid_ctx_set_time(lucid_ctx *ctx, lucid_time_fn *fn, void *arg)
{
    ctx->cfg.time = fn != NULL ? fn : real_clock;
    ctx->cfg.time_arg = fn != NULL ? arg : NULL;
}

int lucid_ctx_set_ticket_key_file(lucid_ctx *ctx, const char *file, lucid_error *err)
{
    uint8_t buf[KEY_FILE_MAX];
    size_t len;
    FILE *f;
    int rc;

    if (!ctx->cfg.server || ctx->cfg.ticket_keys == NULL) {
        lc_api_error(err, LC_E_CONFIG, "%s", "ticket keys are for server contexts");
        return LC_E_CONFIG;
    }
    if ((f = fopen(file, "rb")) == NULL) {
        lc_api_error(err, LC_E_CONFIG, "cannot read ticket key file %s", file);
        return LC_E_CONFIG;
    }
    len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (len < LC_TICKET_KEY_FILE_MIN) {
        lc_api_error(err, LC_E_CONFIG,
                     "ticket key file %s has %zu bytes; it needs %d or more "
                     "(make one with: openssl rand %d > %s)",
                     file, len, LC_TICKET_KEY_FILE_MIN, LC_TICKET_KEY_FILE_MIN, file);
        lc_wipe(buf, sizeof(buf));
        return LC_E_CONFIG;
    }
    rc = lc_ticket_keys_add(ctx->cfg.ticket_keys, ctx->cfg.cr, buf, len);
    lc_wipe(buf, sizeof(buf));
    if (rc != 0) {
        lc_api_error(err, LC_E_CONFIG, "cannot use ticket key file %s: %s", file,
                     ctx->cfg.ticket_keys->count == LC_TICKET_KEYS_MAX
                         ? "too many keys (8 at most)" : "key derivation failed");
        return LC_E_CONFIG;
    }
    return 0;
}

int lucid_ctx_set_ticket_key(lucid_ctx *ctx, const uint8_t *key, size_t len, lucid_error *err)
{
    if (!ctx->cfg.server || ctx->cfg.ticket_keys == NULL) {
        lc_api_error(err, LC_E_CONFIG, "%s", "ticket keys are for server contexts");
        return LC_E_CONFIG;
    }
    if (len < LC_TICKET_KEY_FILE_MIN) {
        lc_api_error(err, LC_E_CONFIG, "a ticket key needs %d bytes or more, not %zu",
                     LC_TICKET_KEY_FILE_MIN, len);
        return LC_E_CONFIG;
    }
    if (lc_ticket_keys_add(ctx->cfg.ticket_keys, ctx->cfg.cr, key, len) != 0) {
        lc_api_error(err, LC_E_CONFIG, "%s", "cannot use the ticket key (8 keys at most)");
        return LC_E_CONFIG;
    }
    return 0;
}

void lucid_ctx_set_tickets(lucid_ctx *ctx, unsigned count)
{
    ctx->cfg.tickets = count < LC_TICKETS_MAX ? count : LC_TICKETS_MAX;
}

int lucid_ctx_set_ticket_lifetime(lucid_ctx *ctx, uint32_t seconds, lucid_error *err)
{
    /* RFC 8446 4.6.1: "Servers MUST NOT use any value greater than 604800 seconds" */
    if (seconds == 0 || seconds > LC_TICKET_LIFETIME_MAX) {
        lc_api_error(err, LC_E_CONFIG, "a ticket lifetime is 1 to %u seconds, not %u",
                     LC_TICKET_LIFETIME_MAX, seconds);
        return LC_E_CONFIG;
    }
    ctx->cfg.ticket_lifetime = seconds;
    return 0;
}

int lucid_ctx_set_early_data(lucid_ctx *ctx, uint32_t max_size, lucid_error *err)
{
    /* a server records the ClientHellos whose 0-RTT data it takes (replay.h) */
    if (ctx->cfg.server && max_size > 0 && ctx->cfg.replay == NULL &&
        (ctx->cfg.replay = lc_replay_new(ctx->cfg.time(ctx->cfg.time_arg))) == NULL) {
        lc_api_error(err, LC_E_NO_MEMORY, "%s",
                     "cannot map memory for the 0-RTT anti-replay record");
        return LC_E_NO_MEMORY;
    }
    ctx->cfg.max_early_data = max_size;
    return 0;
}

/* A record made apart from any context, to share (lucid.h); contexts only borrow it. */
struct lucid_replay {
    lc_replay *rec;
};

lucid_replay *lucid_replay_new(uint64_t now_ms, lucid_error *err)
{
    lucid_replay *r = calloc(1, sizeof(*r));

    if (now_ms == 0) {
        now_ms = real_clock(NULL);
    }
    if (r == NULL || (r->rec = lc_replay_new(now_ms)) == NULL) {
        free(r);
        lc_api_error(err, LC_E_NO_MEMORY, "%s",
                     "cannot map memory for the 0-RTT anti-replay record");
        return NULL;
    }
    return r;
}

void lucid_replay_free(lucid_replay *r)
{
    if (r != NULL) {
        lc_replay_free(r->rec);
        free(r);
    }
}

int lucid_ctx_set_replay(lucid_ctx *ctx, lucid_replay *r, lucid_error *err)
{
    if (!ctx->cfg.server || r == NULL) {
        lc_api_error(err, LC_E_CONFIG, "%s", "an anti-replay record is for a server context");
        return LC_E_CONFIG;
    }
    if (!ctx->cfg.replay_shared) {
        lc_replay_free(ctx->cfg.replay); /* its own, made by lucid_ctx_set_early_data */
    }
    ctx->cfg.replay = r->rec;
    ctx->cfg.replay_shared = true;
    return 0;
}

int lucid_ctx_set_psk_modes(lucid_ctx *ctx, const char *list, lucid_error *err)
{
    static const struct {
        const char *name;
        unsigned bit;
    } modes[] = {
        { "psk_dhe_ke", 1u << LC_PSK_DHE_KE },
        { "psk_ke", 1u << LC_PSK_KE },
    };
    unsigned set = 0;
    const char *p = list;

    while (*p != '\0') {
        size_t len = strcspn(p, ":,");
        unsigned bit = 0;

        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
            if (strlen(modes[i].name) == len && strncmp(modes[i].name, p, len) == 0) {
                bit = modes[i].bit;
            }
        }
        if (bit == 0) {
            lc_api_error(err, LC_E_CONFIG, "unknown PSK key exchange mode '%.*s' "
                         "(psk_dhe_ke, psk_ke)", (int)len, p);
            return LC_E_CONFIG;
        }
        set |= bit;
        p += len;
        p += *p != '\0';
    }
    ctx->cfg.psk_modes = set;
    return 0;
}

void lucid_ctx_get_stats(const lucid_ctx *ctx, lucid_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->handshakes = atomic_load(&ctx->handshakes);
    out->resumed = atomic_load(&ctx->resumed);
    out->tickets_issued = atomic_load(&ctx->tickets);
    out->early_accepted = atomic_load(&ctx->early_accepted);
    out->early_rejected = atomic_load(&ctx->early_rejected);
}
