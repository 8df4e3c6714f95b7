/*
 * URLs, as far as an HTTP/1.1 client needs them (RFC 3986 3, RFC 9110 4.2):
 *
 *   http[s]://host[:port][/path][?query][#fragment]
 *
 * host is a name, an IPv4 literal, or an IPv6 literal in brackets ([::1]). The fragment is
 * never sent. Userinfo ("user@") is refused rather than silently sent nowhere, and bytes
 * that cannot appear in a request line (spaces, controls) are refused rather than escaped,
 * so what is sent is exactly what was typed.
 */
#include "client.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A port: 1 to 65535, decimal digits only. */
static bool port_ok(const char *p, size_t n)
{
    unsigned long v = 0;

    if (n == 0 || n > 5) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)p[i])) {
            return false;
        }
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

int cli_split_host_port(const char *text, const char *default_port, char *host, size_t hostcap,
                        char *port, size_t portcap)
{
    const char *h = text, *colon;
    size_t hlen;

    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL) {
            return -1;
        }
        h = text + 1;
        hlen = (size_t)(close - h);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] != '\0' && colon == NULL) {
            return -1;
        }
    } else {
        colon = strrchr(text, ':');
        if (colon != NULL && strchr(text, ':') != colon) {
            return -1; /* an IPv6 literal must be bracketed when a port follows */
        }
        hlen = colon != NULL ? (size_t)(colon - text) : strlen(text);
    }
    if (hlen == 0 || hlen >= hostcap) {
        return -1;
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    const char *p = colon != NULL ? colon + 1 : default_port;
    if (p == NULL || !port_ok(p, strlen(p)) || strlen(p) >= portcap) {
        return -1;
    }
    snprintf(port, portcap, "%s", p);
    return 0;
}

/* Characters that may not appear anywhere in a URL we send as typed. */
static bool has_bad_bytes(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p <= 0x20 || *p == 0x7f) {
            return true;
        }
    }
    return false;
}

int cli_url_parse(const char *text, struct cli_url *u)
{
    const char *sep = strstr(text, "://");
    const char *auth, *auth_end, *host_end;
    size_t hlen;

    memset(u, 0, sizeof(*u));
    if (sep == NULL) {
        return cli_fail(CLI_BAD_URL, "'%s' is not a URL: it should start with https:// or http://",
                        text);
    }
    if ((size_t)(sep - text) == 5 && strncasecmp(text, "https", 5) == 0) {
        u->tls = true;
    } else if ((size_t)(sep - text) == 4 && strncasecmp(text, "http", 4) == 0) {
        u->tls = false;
    } else {
        return cli_fail(CLI_UNSUPPORTED, "'%.*s' URLs are not supported: only https:// and http://",
                        (int)(sep - text), text);
    }
    if (has_bad_bytes(text)) {
        return cli_fail(CLI_BAD_URL, "the URL has a space or a control character; escape it "
                        "as %%20 etc.");
    }

    /* RFC 3986 3.2: the authority ends at the first '/', '?' or '#'. */
    auth = sep + 3;
    auth_end = auth + strcspn(auth, "/?#");
    if (memchr(auth, '@', (size_t)(auth_end - auth)) != NULL) {
        return cli_fail(CLI_BAD_URL, "user names and passwords in URLs are not supported");
    }
    if (auth[0] == '[') {
        const char *close = memchr(auth, ']', (size_t)(auth_end - auth));
        if (close == NULL) {
            return cli_fail(CLI_BAD_URL, "'%s': an IPv6 address must end with ']'", text);
        }
        hlen = (size_t)(close - auth - 1);
        if (hlen == 0 || hlen >= sizeof(u->host)) {
            return cli_fail(CLI_BAD_URL, "'%s': bad IPv6 address", text);
        }
        memcpy(u->host, auth + 1, hlen);
        u->host[hlen] = '\0';
        struct in6_addr a6;
        if (inet_pton(AF_INET6, u->host, &a6) != 1) {
            return cli_fail(CLI_BAD_URL, "'%s' is not an IPv6 address", u->host);
        }
        u->ipv6 = true;
        host_end = close + 1;
        if (host_end != auth_end && *host_end != ':') {
            return cli_fail(CLI_BAD_URL, "'%s': unexpected text after the IPv6 address", text);
        }
    } else {
        host_end = memchr(auth, ':', (size_t)(auth_end - auth));
        if (host_end == NULL) {
            host_end = auth_end;
        }
        hlen = (size_t)(host_end - auth);
        if (hlen == 0 || hlen >= sizeof(u->host)) {
            return cli_fail(CLI_BAD_URL, "'%s' has no host name", text);
        }
        memcpy(u->host, auth, hlen);
        u->host[hlen] = '\0';
    }

    const char *scheme_port = u->tls ? "443" : "80";
    if (host_end < auth_end && *host_end == ':' && host_end + 1 < auth_end) {
        size_t plen = (size_t)(auth_end - host_end - 1);
        if (!port_ok(host_end + 1, plen)) {
            return cli_fail(CLI_BAD_URL, "'%.*s' is not a port number (1 to 65535)", (int)plen,
                            host_end + 1);
        }
        memcpy(u->port, host_end + 1, plen);
        u->port[plen] = '\0';
        /* RFC 9110 4.2.3: ":443" in an https URL is the same origin as no port */
        u->default_port = strtoul(u->port, NULL, 10) == strtoul(scheme_port, NULL, 10);
    } else {
        snprintf(u->port, sizeof(u->port), "%s", scheme_port);
        u->default_port = true;
    }

    /* The request target (RFC 9112 3.2.1, origin-form): path and query, never the fragment. */
    size_t tlen = strcspn(auth_end, "#");
    bool need_slash = tlen == 0 || auth_end[0] != '/';
    u->target = malloc(tlen + 2);
    if (u->target == NULL) {
        return cli_fail(CLI_BAD_URL, "out of memory");
    }
    snprintf(u->target, tlen + 2, "%s%.*s", need_slash ? "/" : "", (int)tlen, auth_end);
    return CLI_OK;
}

void cli_url_free(struct cli_url *u)
{
    free(u->target);
    u->target = NULL;
}
