/*
 * Choosing a site by name (src/server/vhost.c) the way nginx does: exact names first, then
 * the longest wildcard, then the listener's default; case, a port and a trailing dot ignored.
 * And the location of a path: the longest prefix.
 */
#include "test.h"

#include <string.h>

#include "server/internal.h"

static char *names_a[] = { "example.com", "www.example.com" };
static char *names_b[] = { "*.example.com" };
static char *names_c[] = { "*.deep.example.com", ".other.org" };
static char *names_d[] = { "_" };

static struct lc_srv_vhost a = { names_a, 2, NULL, NULL, 0 };
static struct lc_srv_vhost b = { names_b, 1, NULL, NULL, 0 };
static struct lc_srv_vhost c = { names_c, 2, NULL, NULL, 0 };
static struct lc_srv_vhost d = { names_d, 1, NULL, NULL, 0 };

static void test_names(void)
{
    struct lc_srv_vhost *sites[] = { &d, &a, &b, &c }; /* d is the default */
    struct lc_srv_listener ls;
    static const struct {
        const char *name;
        struct lc_srv_vhost *want;
    } cases[] = {
        { "example.com", &a },
        { "EXAMPLE.com", &a },
        { "example.com.", &a },
        { "example.com:8443", &a },
        { "www.example.com", &a },       /* exact beats the wildcard */
        { "img.example.com", &b },
        { "a.b.example.com", &b },       /* a wildcard covers every depth */
        { "x.deep.example.com", &c },    /* the longer wildcard wins */
        { "deep.example.com", &b },
        { "other.org", &c },             /* ".other.org" covers the name itself */
        { "www.other.org", &c },
        { "notother.org", &d },
        { "xexample.com", &d },
        { "_", &d },                     /* "_" matches nothing in particular */
        { "", &d },
        { "[::1]:8443", &d },
        { "127.0.0.1", &d },
    };

    memset(&ls, 0, sizeof(ls));
    ls.vhosts = sites;
    ls.vhost_count = 4;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct lc_srv_vhost *got = lc_srv_vhost_by_name(&ls, cases[i].name, strlen(cases[i].name));
        CHECK(got == cases[i].want);
        if (got != cases[i].want) {
            fprintf(stderr, "  name '%s'\n", cases[i].name);
        }
    }
    /* Only the sites of this listener count: a is elsewhere here. */
    struct lc_srv_vhost *two[] = { &b, &d };
    ls.vhosts = two;
    ls.vhost_count = 2;
    CHECK(lc_srv_vhost_by_name(&ls, "example.com", 11) == &b);
}

static void test_locations(void)
{
    struct lc_srv_vloc locs[] = {
        { "/", 1, "/srv/www", "index.html" },
        { "/img/", 5, "/srv/img", "index.html" },
        { "/img/big/", 9, "/srv/big", "index.html" },
        { "/api", 4, "/srv/api", "index.html" },
    };
    struct lc_srv_vhost vh = { NULL, 0, NULL, locs, 4 };

    CHECK(lc_srv_find_location(&vh, "/index.html") == &locs[0]);
    CHECK(lc_srv_find_location(&vh, "/img/a.png") == &locs[1]);
    CHECK(lc_srv_find_location(&vh, "/img/big/a.png") == &locs[2]);
    CHECK(lc_srv_find_location(&vh, "/img") == &locs[0]); /* "/img/" needs the slash */
    CHECK(lc_srv_find_location(&vh, "/apix") == &locs[3]); /* a prefix, as nginx's */
    vh.loc_count = 3;
    vh.locs = locs + 1;
    CHECK(lc_srv_find_location(&vh, "/other") == NULL);
}

TEST_MAIN(test_names, test_locations)
