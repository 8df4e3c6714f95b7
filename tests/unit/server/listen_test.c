/* Tests for src/server/listen.c: the listen address forms, their errors, and a bound
 * listener's URL. */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "server/internal.h"

static int parse(const char *text, struct sockaddr_storage *ss, char *err, size_t errlen)
{
    socklen_t len;

    err[0] = '\0';
    return lc_srv_parse_addr(text, ss, &len, err, errlen);
}

static void test_forms(void)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    char err[256], name[80];

    CHECK(parse("127.0.0.1:8443", &ss, err, sizeof(err)) == 0);
    CHECK(ss.ss_family == AF_INET && ntohs(v4->sin_port) == 8443);
    CHECK(v4->sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    lc_srv_format_addr((struct sockaddr *)&ss, name, sizeof(name));
    CHECK(strcmp(name, "127.0.0.1:8443") == 0);

    /* A bare port, "*:port" and ":port" mean every IPv4 address, as in nginx. */
    CHECK(parse("8443", &ss, err, sizeof(err)) == 0);
    CHECK(ss.ss_family == AF_INET && v4->sin_addr.s_addr == htonl(INADDR_ANY));
    CHECK(parse("*:80", &ss, err, sizeof(err)) == 0);
    CHECK(ss.ss_family == AF_INET && ntohs(v4->sin_port) == 80);
    CHECK(parse(":0", &ss, err, sizeof(err)) == 0);

    CHECK(parse("[::1]:8443", &ss, err, sizeof(err)) == 0);
    CHECK(ss.ss_family == AF_INET6 && ntohs(v6->sin6_port) == 8443);
    lc_srv_format_addr((struct sockaddr *)&ss, name, sizeof(name));
    CHECK(strcmp(name, "[::1]:8443") == 0);
    CHECK(parse("[::]:443", &ss, err, sizeof(err)) == 0);
}

static void test_errors(void)
{
    static const char *const bad[] = { "", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                                       "127.0.0.1:80x", "::1:80", "[::1]", "[::1]80",
                                       "[::1:80", "-1" };
    struct sockaddr_storage ss;
    char err[256];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse(bad[i], &ss, err, sizeof(err));
        /* Each error quotes the address and says what was expected. */
        CHECK(rc == -1 && strstr(err, "listen address '") != NULL &&
              strstr(err, "expected") != NULL);
        if (rc != -1 || strstr(err, "expected") == NULL) {
            fprintf(stderr, "  '%s': %d '%s'\n", bad[i], rc, err);
        }
    }
    CHECK(parse("::1:80", &ss, err, sizeof(err)) == -1);
    CHECK(strstr(err, "brackets") != NULL);
}

static void test_open(void)
{
    struct lc_srv_listener ls, again;
    char err[256];

    CHECK(lc_srv_listener_open(&ls, "127.0.0.1:0", 1, -1, 0, err, sizeof(err)) == 0);
    CHECK(ls.port != 0);
    char want[64];
    snprintf(want, sizeof(want), "https://127.0.0.1:%u/ (TLS 1.3)", ls.port);
    CHECK(strcmp(ls.url, want) == 0);

    /* The same port again: the error names the address and the reason. */
    char addr[32];
    snprintf(addr, sizeof(addr), "127.0.0.1:%u", ls.port);
    CHECK(lc_srv_listener_open(&again, addr, 0, -1, 0, err, sizeof(err)) == -1);
    CHECK(strstr(err, "cannot listen on 127.0.0.1:") != NULL);
    CHECK(strstr(err, "in use") != NULL);
    CHECK(again.fd == -1);
    close(ls.fd);
}

/* Worker sockets: SO_REUSEPORT lets several bind one port; a socket given is named, not
 * bound again. Port 0 twice is two ports; the same port written two ways is one address. */
static void test_reuseport(void)
{
    char err[256];
    int a = lc_srv_bind_socket("127.0.0.1:0", -1, 1, err, sizeof(err));
    CHECK(a >= 0);
    int port = lc_srv_socket_port(a);
    CHECK(port > 0);
    int b = lc_srv_bind_socket("127.0.0.1:0", port, 1, err, sizeof(err));
    CHECK(b >= 0 && lc_srv_socket_port(b) == port);
    int c = lc_srv_bind_socket("127.0.0.1:0", port, 0, err, sizeof(err));
    CHECK(c == -1 && strstr(err, "in use") != NULL); /* without SO_REUSEPORT: refused */

    struct lc_srv_listener ls;
    CHECK(lc_srv_listener_open(&ls, "127.0.0.1:0", 0, b, 0, err, sizeof(err)) == 0);
    CHECK(ls.fd == b && ls.port == port);
    close(a);
    close(b);

    CHECK(lc_srv_same_addr("8443", "0.0.0.0:8443"));
    CHECK(lc_srv_same_addr("*:8443", "8443"));
    CHECK(lc_srv_same_addr("[::1]:443", "[0:0::1]:443"));
    CHECK(!lc_srv_same_addr("127.0.0.1:443", "127.0.0.1:444"));
    CHECK(!lc_srv_same_addr("127.0.0.1:0", "127.0.0.1:0"));
}

TEST_MAIN(test_forms, test_errors, test_open, test_reuseport)
