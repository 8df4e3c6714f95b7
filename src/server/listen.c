/*
 * Listening sockets: parsing "ADDR:PORT" the way nginx's listen directive reads it
 * ("127.0.0.1:8443", "[::1]:8443", "*:8443", or a bare "8443" for every IPv4 address), binding
 * non-blocking sockets with SO_REUSEADDR, and naming addresses for URLs and logs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/internal.h"

static const char addr_forms[] = "expected ADDR:PORT, [IPV6]:PORT or PORT";

static int parse_port(const char *s, uint16_t *port)
{
    unsigned long v = 0;

    if (*s == '\0') {
        return -1;
    }
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9') {
            return -1;
        }
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > 65535) {
            return -1;
        }
    }
    *port = (uint16_t)v;
    return 0;
}

int lc_srv_parse_addr(const char *text, struct sockaddr_storage *ss, socklen_t *len, char *err,
                      size_t errlen)
{
    char host[256];
    const char *port_text;
    uint16_t port;

    memset(ss, 0, sizeof(*ss));
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host)) {
            snprintf(err, errlen, "listen address '%s': %s", text, addr_forms);
            return -1;
        }
        memcpy(host, text + 1, (size_t)(close - text - 1));
        host[close - text - 1] = '\0';
        port_text = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon == NULL) {
            strcpy(host, "0.0.0.0"); /* a bare port: every IPv4 address, as nginx does */
            port_text = text;
        } else {
            if (strchr(text, ':') != colon || (size_t)(colon - text) >= sizeof(host)) {
                snprintf(err, errlen,
                         "listen address '%s': %s (an IPv6 address goes in brackets)", text,
                         addr_forms);
                return -1;
            }
            memcpy(host, text, (size_t)(colon - text));
            host[colon - text] = '\0';
            if (strcmp(host, "*") == 0 || host[0] == '\0') {
                strcpy(host, "0.0.0.0");
            }
            port_text = colon + 1;
        }
    }
    if (parse_port(port_text, &port) != 0) {
        snprintf(err, errlen,
                 "listen address '%s': the port must be a number from 0 to 65535 (%s)", text,
                 addr_forms);
        return -1;
    }

    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof(*v6);
        return 0;
    }
    /* A name ("localhost"): its first address. */
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE }, *ai;
    int rc = getaddrinfo(host, NULL, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "listen address '%s': cannot resolve '%s': %s", text, host,
                 gai_strerror(rc));
        return -1;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    if (ss->ss_family == AF_INET) {
        v4->sin_port = htons(port);
    } else {
        v6->sin6_port = htons(port);
    }
    return 0;
}

void lc_srv_format_addr(const struct sockaddr *sa, char *out, size_t cap)
{
    char host[INET6_ADDRSTRLEN];

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
        snprintf(out, cap, "%s:%u", host, ntohs(v4->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
        snprintf(out, cap, "[%s]:%u", host, ntohs(v6->sin6_port));
    } else {
        snprintf(out, cap, "(unknown address family %d)", sa->sa_family);
    }
}

static uint16_t lc_srv_port_of(const struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET ? ntohs(((const struct sockaddr_in *)ss)->sin_port)
                                    : ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

int lc_srv_same_addr(const char *a, const char *b)
{
    struct sockaddr_storage sa, sb;
    socklen_t la, lb;
    char err[256];

    if (lc_srv_parse_addr(a, &sa, &la, err, sizeof(err)) != 0 ||
        lc_srv_parse_addr(b, &sb, &lb, err, sizeof(err)) != 0) {
        return strcmp(a, b) == 0;
    }
    /* Port 0 asks for a port of the kernel's choosing: two such listeners are two ports. */
    if (lc_srv_port_of(&sa) == 0) {
        return 0;
    }
    return la == lb && memcmp(&sa, &sb, la) == 0;
}

/* A new socket bound to ss and listening. */
static int bind_listen(const char *text, const struct sockaddr_storage *ss, socklen_t len,
                       int reuseport, char *err, size_t errlen)
{
    int one = 1;
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s: socket: %s", text, strerror(errno));
        return -1;
    }
    /* SO_REUSEADDR: a restart binds at once, even with old connections in TIME_WAIT.
     * SO_REUSEPORT: each worker has a socket of its own on the address and the kernel spreads
     * new connections across them, so workers never contend for one accept queue. IPv6
     * listeners take IPv6 only, so "[::]:443" and "0.0.0.0:443" can both be configured. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) {
        snprintf(err, errlen, "cannot listen on %s: SO_REUSEPORT: %s", text, strerror(errno));
        close(fd);
        return -1;
    }
    if (ss->ss_family == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 511) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", text, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int lc_srv_bind_socket(const char *text, int port, int reuseport, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t len;

    if (lc_srv_parse_addr(text, &ss, &len, err, errlen) != 0) {
        return -1;
    }
    if (port >= 0 && ss.ss_family == AF_INET) {
        ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
    } else if (port >= 0) {
        ((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
    }
    return bind_listen(text, &ss, len, reuseport, err, errlen);
}

int lc_srv_socket_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        return -1;
    }
    return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                                   : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

int lc_srv_listener_open(struct lc_srv_listener *ls, const char *text, int tls, int fd,
                         int reuseport, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t len;

    ls->kind = LC_SRV_KIND_LISTENER;
    ls->tls = tls;
    ls->fd = -1;
    if (fd >= 0) {
        ls->fd = fd;
    } else {
        if (lc_srv_parse_addr(text, &ss, &len, err, errlen) != 0) {
            return -1;
        }
        if ((ls->fd = bind_listen(text, &ss, len, reuseport, err, errlen)) < 0) {
            return -1;
        }
    }

    /* Name it with the port actually bound (port 0 picks one). */
    char name[80];
    len = sizeof(ss);
    if (getsockname(ls->fd, (struct sockaddr *)&ss, &len) != 0) {
        snprintf(err, errlen, "listener %s: getsockname: %s", text, strerror(errno));
        return -1;
    }
    lc_srv_format_addr((struct sockaddr *)&ss, name, sizeof(name));
    /* Responses are written whole; Nagle would only hold back their last segment. Linux
     * copies the option to every accepted socket, which saves a setsockopt per connection. */
    int one = 1;
    setsockopt(ls->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ls->port = ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                                       : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    snprintf(ls->url, sizeof(ls->url), "%s://%s/ (%s)", tls ? "https" : "http", name,
             tls ? "TLS 1.3" : "plain");
    return 0;
}
