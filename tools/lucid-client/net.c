/*
 * Resolving a host and opening a TCP connection: every address getaddrinfo() gives is tried
 * in its order (RFC 6724 sorting is the resolver's), and the first that accepts wins, so
 * "localhost" works whether the server listens on ::1 or on 127.0.0.1.
 */
#include "client.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int cli_connect(const char *host, const char *port, int *fd, char *addr, size_t addrcap)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV };
    struct addrinfo *res = NULL;
    char last[NI_MAXHOST] = "";
    int rc, err = 0;

    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        return cli_fail(CLI_RESOLVE, "cannot resolve '%s': %s", host,
                        rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    }
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        char num[NI_MAXHOST];
        int s;

        if (getnameinfo(ai->ai_addr, ai->ai_addrlen, num, sizeof(num), NULL, 0,
                        NI_NUMERICHOST) != 0) {
            snprintf(num, sizeof(num), "?");
        }
        s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0) {
            err = errno;
            continue;
        }
        while ((rc = connect(s, ai->ai_addr, ai->ai_addrlen)) != 0 && errno == EINTR) {
        }
        if (rc != 0) {
            err = errno;
            snprintf(last, sizeof(last), "%s", num);
            close(s);
            continue;
        }
        /* A request and a handshake flight are small writes that should leave at once. */
        int one = 1;
        (void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (addr != NULL) {
            snprintf(addr, addrcap, "%.*s", (int)(addrcap > 0 ? addrcap - 1 : 0), num);
        }
        *fd = s;
        freeaddrinfo(res);
        return CLI_OK;
    }
    freeaddrinfo(res);
    return cli_fail(CLI_CONNECT, "cannot connect to %s port %s%s%s%s: %s", host, port,
                    last[0] != '\0' ? " (" : "", last, last[0] != '\0' ? ")" : "",
                    strerror(err != 0 ? err : ECONNREFUSED));
}
