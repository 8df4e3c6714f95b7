/* Tests for src/server/log.c: what a client sent reaches the logs escaped and bounded, and an
 * access log line has every field in its place. */
#include "test.h"

#include <time.h>

#include "server/internal.h"

static void test_copy_line(void)
{
    char out[32];

    lc_srv_copy_line(out, sizeof(out), "GET / HTTP/1.1", 14);
    CHECK(strcmp(out, "GET / HTTP/1.1") == 0);
    /* Quotes, backslashes, controls and non-ASCII bytes become \xHH. */
    lc_srv_copy_line(out, sizeof(out), "a\"b\\c\n\x1b\xff", 8);
    CHECK(strcmp(out, "a\\x22b\\x5cc\\x0a\\x1b\\xff") == 0);
    /* Too long: cut, and marked so. */
    char big[100];
    memset(big, 'x', sizeof(big));
    lc_srv_copy_line(out, sizeof(out), big, sizeof(big));
    CHECK(strlen(out) < sizeof(out));
    CHECK(strcmp(out + strlen(out) - 3, "...") == 0);
    lc_srv_copy_line(out, sizeof(out), "", 0);
    CHECK(out[0] == '\0');
}

static struct lc_srv srv; /* large (its scratch buffer): not on the stack */

/* One access log line for c, as written. */
static void log_line(struct lc_srv_conn *c, char *out, size_t cap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    CHECK(f != NULL);
    srv.access_log = f;
    c->srv = &srv;
    lc_srv_log_access(c);
    fclose(f);
    srv.access_log = NULL;
    snprintf(out, cap, "%s", buf != NULL ? buf : "");
    free(buf);
}

static void test_access_line(void)
{
    char *names[] = { "www.example.com", "example.com" };
    struct lc_srv_vhost vh = { .names = names, .name_count = 2 };
    struct lc_srv_conn c;
    char line[2048], when[64], peer[64], proto[64], site[256], request[1100], subject[256];
    int status = 0;
    unsigned long long bytes = 0;
    double secs = -1;

    memset(&c, 0, sizeof(c));
    snprintf(c.peer, sizeof(c.peer), "127.0.0.1:50000");
    c.vhost = &vh;
    static char request_line[LC_SRV_LOG_LINE];
    c.line = request_line;
    lc_srv_copy_line(c.line, LC_SRV_LOG_LINE, "GET /a\"b HTTP/1.1", 17);
    c.status = 206;
    c.head_len = 300;
    c.sent = 300 + 1234;
    clock_gettime(CLOCK_REALTIME, &c.started);
    c.started.tv_sec -= 2; /* took two seconds */

    log_line(&c, line, sizeof(line));
    CHECK(line[strlen(line) - 1] == '\n');
    int n = sscanf(line, "%63s %63s %63s %255s \"%1099[^\"]\" %d %llu %lf %255s", when, peer,
                   proto, site, request, &status, &bytes, &secs, subject);
    CHECK(n == 9);
    if (n != 9) {
        fprintf(stderr, "  line: %s", line);
        return;
    }
    /* 2025-05-06T12:00:00+0000 */
    CHECK(strlen(when) == 24 && when[4] == '-' && when[10] == 'T' &&
          (when[19] == '+' || when[19] == '-'));
    CHECK(strcmp(peer, "127.0.0.1:50000") == 0);
    CHECK(strcmp(proto, "plain") == 0);
    CHECK(strcmp(site, "www.example.com") == 0);    /* the site's first name */
    CHECK(strcmp(request, "GET /a\\x22b HTTP/1.1") == 0); /* its quote escaped */
    CHECK(status == 206);
    CHECK(bytes == 1234);                               /* the body, not the head */
    CHECK(secs >= 2.0 && secs < 10.0);
    CHECK(strcmp(subject, "-") == 0);                   /* no client certificate */

    /* No site name, no request line (a timeout before one came), nothing sent. */
    struct lc_srv_vhost nameless = { .names = NULL, .name_count = 0 };
    c.vhost = &nameless;
    c.line = NULL;
    c.status = 408;
    c.sent = 0;
    clock_gettime(CLOCK_REALTIME, &c.started);
    log_line(&c, line, sizeof(line));
    n = sscanf(line, "%63s %63s %63s %255s \"%1099[^\"]\" %d %llu %lf %255s", when, peer,
               proto, site, request, &status, &bytes, &secs, subject);
    CHECK(n == 9);
    CHECK(strcmp(site, "-") == 0 && strcmp(request, "-") == 0);
    CHECK(status == 408 && bytes == 0 && secs >= 0.0 && secs < 5.0);

    /* A name from a configuration cannot break the line either. */
    char *odd[] = { "a\nb" };
    struct lc_srv_vhost oddvh = { .names = odd, .name_count = 1 };
    c.vhost = &oddvh;
    log_line(&c, line, sizeof(line));
    CHECK(strchr(line, '\n') == line + strlen(line) - 1);
    CHECK(strstr(line, " a\\x0ab ") != NULL);
}

TEST_MAIN(test_copy_line, test_access_line)
