/*
 * Tests for src/server/config_file.c: configurations that parse, each with every field the
 * parser filled; configurations that do not, each with its exact one-line error; the bounds;
 * relative paths; loading files; and conf/lucid.conf, the commented example.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <unistd.h>

#include "test.h"

#include "server/config_file.h"

/* Every case is read as if from this file, so relative paths resolve against /c. */
#define F "/c/t.conf"

static size_t put(char *out, size_t cap, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t put(char *out, size_t cap, size_t n, const char *fmt, ...)
{
    va_list ap;

    if (n >= cap) {
        return n;
    }
    va_start(ap, fmt);
    int w = vsnprintf(out + n, cap - n, fmt, ap);
    va_end(ap);
    return n + (w > 0 ? (size_t)w : 0);
}

/*
 * The whole parsed configuration as text, one line for the globals and then one per server
 * and per location. Only fields that differ from their defaults are written (workers 1,
 * access log "-", everything else 0 or NULL, tickets on), so an expected line names exactly
 * what its configuration set, and a field set by mistake shows up as a difference.
 */
static void dump(const struct lc_srv_config *c, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    if (c->workers != 1) {
        n = put(out, cap, n, " workers=%u", c->workers);
    }
    if (c->access_log == NULL || strcmp(c->access_log, "-") != 0) {
        n = put(out, cap, n, " access_log=%s", c->access_log ? c->access_log : "off");
    }
    if (c->error_log_path != NULL) {
        n = put(out, cap, n, " error_log=%s", c->error_log_path);
    }
    static const struct {
        const char *name;
        size_t off;
    } times[] = {
        { "handshake", offsetof(struct lc_srv_config, handshake_timeout_ms) },
        { "header", offsetof(struct lc_srv_config, header_timeout_ms) },
        { "keepalive", offsetof(struct lc_srv_config, keepalive_timeout_ms) },
        { "send", offsetof(struct lc_srv_config, send_timeout_ms) },
        { "conns", offsetof(struct lc_srv_config, max_conns) },
    };
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        unsigned v;
        memcpy(&v, (const char *)c + times[i].off, sizeof(v));
        if (v != 0) {
            n = put(out, cap, n, " %s=%u", times[i].name, v);
        }
    }
    for (size_t i = 0; i < c->site_count; i++) {
        const struct lc_srv_site *s = &c->sites[i];
        n = put(out, cap, n, "\nserver");
        for (size_t k = 0; k < s->name_count; k++) {
            n = put(out, cap, n, " name=%s", s->names[k]);
        }
        for (size_t k = 0; k < s->listen_count; k++) {
            n = put(out, cap, n, " listen=%s%s%s", s->listen[k].addr,
                    s->listen[k].tls ? ",ssl" : "", s->listen[k].default_server ? ",default" : "");
        }
        for (size_t k = 0; k < s->cert_count; k++) {
            n = put(out, cap, n, " cert=%s:%s%s%s", s->certs[k].chain, s->certs[k].key,
                    s->certs[k].chain_extra ? ":" : "",
                    s->certs[k].chain_extra ? s->certs[k].chain_extra : "");
        }
        const struct {
            const char *name;
            const char *v;
        } strs[] = {
            { "protocols", s->protocols },
            { "ciphers", s->ciphers },
            { "groups", s->groups },
            { "alpn", s->alpn },
            { "ticket_key", s->ticket_key_file },
            { "client_ca", s->client_ca },
        };
        for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
            if (strs[k].v != NULL) {
                n = put(out, cap, n, " %s=%s", strs[k].name, strs[k].v);
            }
        }
        if (s->tickets != 1) {
            n = put(out, cap, n, " tickets=%d", s->tickets);
        }
        if (s->early_data != 0) {
            n = put(out, cap, n, " early=%u", s->early_data);
        }
        if (s->verify_client != 0) {
            n = put(out, cap, n, " verify=%d", s->verify_client);
        }
        for (size_t k = 0; k < s->location_count; k++) {
            const struct lc_srv_location *l = &s->locations[k];
            n = put(out, cap, n, "\n location %s root=%s%s%s", l->prefix, l->root,
                    l->index ? " index=" : "", l->index ? l->index : "");
        }
    }
    CHECK(n < cap);
}

struct good {
    const char *text;
    const char *want; /* dump(): the globals' line (after its leading space), then the rest */
};

static void check_good(const struct good *cases, size_t count)
{
    static char got[16384];
    char err[1024];

    for (size_t i = 0; i < count; i++) {
        err[0] = '\0';
        struct lc_srv_conf *conf =
            lc_srv_conf_parse(F, cases[i].text, strlen(cases[i].text), err, sizeof(err));
        CHECK(conf != NULL);
        if (conf == NULL) {
            fprintf(stderr, "  text: %s\n  error: %s\n", cases[i].text, err);
            continue;
        }
        const struct lc_srv_config *cfg = lc_srv_conf_get(conf);
        CHECK(cfg->error_log == stderr);
        CHECK(cfg->trace == NULL && cfg->keylog == NULL && cfg->listen_fds == NULL);
        dump(cfg, got, sizeof(got));
        const char *g = got[0] == ' ' ? got + 1 : got;
        CHECK(strcmp(g, cases[i].want) == 0);
        if (strcmp(g, cases[i].want) != 0) {
            fprintf(stderr, "  text: %s\n  got:\n%s\n  want:\n%s\n", cases[i].text, g,
                    cases[i].want);
        }
        lc_srv_conf_free(conf);
    }
}

struct bad {
    const char *text;
    const char *want; /* the whole error line */
};

static void check_bad(const struct bad *cases, size_t count)
{
    char err[1024];

    for (size_t i = 0; i < count; i++) {
        strcpy(err, "(not set)");
        struct lc_srv_conf *conf =
            lc_srv_conf_parse(F, cases[i].text, strlen(cases[i].text), err, sizeof(err));
        CHECK(conf == NULL);
        lc_srv_conf_free(conf);
        CHECK(strcmp(err, cases[i].want) == 0);
        if (strcmp(err, cases[i].want) != 0) {
            fprintf(stderr, "  text: %s\n  got:  %s\n  want: %s\n", cases[i].text, err,
                    cases[i].want);
        }
        CHECK(strchr(err, '\n') == NULL);
    }
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- configurations that parse ----------------------------------------------------------- */

static void test_minimal(void)
{
    static const struct good cases[] = {
        /* the least: one server, one listen, one root (which becomes location /) */
        { "http { server { listen 80; root /w; } }",
          "\nserver listen=0.0.0.0:80\n location / root=/w" },
        /* the same, spread over lines, with comments and quotes */
        { "# a site\nhttp {\n  server {   # the only one\n    listen '80';\n"
          "    root \"/w\";\n  }\n}\n",
          "\nserver listen=0.0.0.0:80\n location / root=/w" },
        /* empty events, empty location-less server with root */
        { "events { }\nhttp { server { listen 80; root /w; } }",
          "\nserver listen=0.0.0.0:80\n location / root=/w" },
    };
    check_good(cases, COUNT(cases));
}

static void test_top_level(void)
{
    static const struct good cases[] = {
        { "worker_processes auto; http { server { listen 80; root /w; } }",
          "workers=0\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "worker_processes 4; http { server { listen 80; root /w; } }",
          "workers=4\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "worker_processes 1024; http { server { listen 80; root /w; } }",
          "workers=1024\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "error_log logs/error.log; http { server { listen 80; root /w; } }",
          "error_log=/c/logs/error.log\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "error_log /var/log/lucid.err; http { server { listen 80; root /w; } }",
          "error_log=/var/log/lucid.err\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "error_log stderr; http { server { listen 80; root /w; } }",
          "\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "events { worker_connections 1024; } http { server { listen 80; root /w; } }",
          "conns=1024\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "worker_connections 1048576; http { server { listen 80; root /w; } }",
          "conns=1048576\nserver listen=0.0.0.0:80\n location / root=/w" },
    };
    check_good(cases, COUNT(cases));
}

static void test_http_level(void)
{
    static const struct good cases[] = {
        { "http { access_log off; server { listen 80; root /w; } }",
          "access_log=off\nserver listen=0.0.0.0:80\n location / root=/w" },
        { "http { access_log logs/access.log; server { listen 80; root /w; } }",
          "access_log=/c/logs/access.log\nserver listen=0.0.0.0:80\n location / root=/w" },
        /* nginx's time units; a bare number is seconds */
        { "http { keepalive_timeout 75; client_header_timeout 10s; ssl_handshake_timeout 500ms;"
          " send_timeout 2m; server { listen 80; root /w; } }",
          "handshake=500 header=10000 keepalive=75000 send=120000\n"
          "server listen=0.0.0.0:80\n location / root=/w" },
        { "http { keepalive_timeout 1h; client_header_timeout 1m30s; ssl_handshake_timeout 1ms;"
          " send_timeout 1d; server { listen 80; root /w; } }",
          "handshake=1 header=90000 keepalive=3600000 send=86400000\n"
          "server listen=0.0.0.0:80\n location / root=/w" },
        { "http { keepalive_timeout 86400; server { listen 80; root /w; } }",
          "keepalive=86400000\nserver listen=0.0.0.0:80\n location / root=/w" },
    };
    check_good(cases, COUNT(cases));
}

static void test_listen(void)
{
    static const struct good cases[] = {
        { "http { server { root /w; listen 8080; listen *:8081; listen 127.0.0.1:8082;"
          " listen 10.1.2.3; listen localhost:8084; listen WWW.Example.TEST:8085; } }",
          "\nserver listen=0.0.0.0:8080 listen=0.0.0.0:8081 listen=127.0.0.1:8082"
          " listen=10.1.2.3:80 listen=localhost:8084 listen=www.example.test:8085"
          "\n location / root=/w" },
        /* IPv6 in inet_ntop's spelling, so that equal addresses compare equal */
        { "http { server { root /w; listen [::]:443 ssl default_server; listen [::1]:8080;"
          " listen [2001:DB8:0:0::1]:65535 default_server ssl; listen [::1];"
          " ssl_certificate c.pem; ssl_certificate_key k.pem; } }",
          "\nserver listen=[::]:443,ssl,default listen=[::1]:8080"
          " listen=[2001:db8::1]:65535,ssl,default listen=[::1]:80"
          " cert=/c/c.pem:/c/k.pem\n location / root=/w" },
        { "http { server { root /w; listen 1; listen 0.0.0.0:2 default_server; } }",
          "\nserver listen=0.0.0.0:1 listen=0.0.0.0:2,default\n location / root=/w" },
        /* port 0: the kernel chooses (tests); "00080" is port 80 */
        { "http { server { root /w; listen 0; listen [::1]:0; listen 127.0.0.1:00080; } }",
          "\nserver listen=0.0.0.0:0 listen=[::1]:0 listen=127.0.0.1:80\n location / root=/w" },
    };
    check_good(cases, COUNT(cases));
}

static void test_server_name(void)
{
    static const struct good cases[] = {
        /* lower-cased, a trailing dot dropped, said-twice kept once; ".x" is "x" and "*.x" */
        { "http { server { listen 80; root /w; server_name Example.COM. *.Example.com;"
          " server_name .b.test _ example.com; server_name [::1] 127.0.0.1 x_y.test; } }",
          "\nserver name=example.com name=*.example.com name=b.test name=*.b.test name=_"
          " name=[::1] name=127.0.0.1 name=x_y.test listen=0.0.0.0:80\n location / root=/w" },
        /* several servers on one address, told apart by name; "_" in each is fine */
        { "http { server { listen 80; server_name a.test _; root /a; }"
          " server { listen 80 default_server; server_name b.test _; root /b; } }",
          "\nserver name=a.test name=_ listen=0.0.0.0:80\n location / root=/a"
          "\nserver name=b.test name=_ listen=0.0.0.0:80,default\n location / root=/b" },
        /* one name on two addresses: two servers */
        { "http { server { listen 80; server_name a.test; root /a; }"
          " server { listen 443 ssl; server_name a.test; root /b;"
          " ssl_certificate c; ssl_certificate_key k; } }",
          "\nserver name=a.test listen=0.0.0.0:80\n location / root=/a"
          "\nserver name=a.test listen=0.0.0.0:443,ssl cert=/c/c:/c/k\n location / root=/b" },
    };
    check_good(cases, COUNT(cases));
}

static void test_tls(void)
{
    static const struct good cases[] = {
        /* every ssl_* directive in one server */
        { "http { server { listen 443 ssl; root /w;\n"
          " ssl_certificate certs/a.pem; ssl_certificate_key certs/a.key;\n"
          " ssl_certificate_chain certs/ca.pem;\n"
          " ssl_certificate /etc/b.pem; ssl_certificate_key /etc/b.key;\n"
          " ssl_protocols TLSv1.3; ssl_ciphers "
          "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256;\n"
          " ssl_groups x25519:secp384r1; ssl_alpn h2 http/1.1;\n"
          " ssl_session_tickets on; ssl_session_ticket_key ticket.key;\n"
          " ssl_early_data on; ssl_early_data_size 32k;\n"
          " ssl_client_certificate ca.pem; ssl_verify_client optional; } }",
          "\nserver listen=0.0.0.0:443,ssl cert=/c/certs/a.pem:/c/certs/a.key:/c/certs/ca.pem"
          " cert=/etc/b.pem:/etc/b.key protocols=TLSv1.3"
          " ciphers=TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256 groups=x25519:secp384r1"
          " alpn=h2,http/1.1 ticket_key=/c/ticket.key client_ca=/c/ca.pem early=32768 verify=2"
          "\n location / root=/w" },
        /* the same from http: inherited by a server that sets none of them */
        { "http { ssl_certificate a.pem; ssl_certificate_key a.key; ssl_certificate_chain ca;\n"
          " ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers TLS_AES_256_GCM_SHA384;\n"
          " ssl_ecdh_curve secp256r1; ssl_alpn http/1.1; ssl_session_tickets on;\n"
          " ssl_session_ticket_key t.key; ssl_early_data on; ssl_client_certificate ca.pem;\n"
          " ssl_verify_client on;\n"
          " server { listen 443 ssl; root /w; } }",
          "\nserver listen=0.0.0.0:443,ssl cert=/c/a.pem:/c/a.key:/c/ca protocols=TLSv1.3"
          " ciphers=TLS_AES_256_GCM_SHA384 groups=secp256r1 alpn=http/1.1 ticket_key=/c/t.key"
          " client_ca=/c/ca.pem early=16384 verify=1\n location / root=/w" },
        /* each directive inherited on its own: the server overrides some */
        { "http { ssl_certificate a.pem; ssl_certificate_key a.key; ssl_groups x25519;\n"
          " ssl_session_tickets off; ssl_early_data_size 1m; ssl_verify_client off;\n"
          " server { listen 443 ssl; root /w; ssl_certificate_key b.key; ssl_groups secp256r1;"
          " ssl_early_data off; }\n"
          " server { listen 8443 ssl; root /w; ssl_session_tickets on; ssl_early_data on; } }",
          "\nserver listen=0.0.0.0:443,ssl cert=/c/a.pem:/c/b.key groups=secp256r1 tickets=0"
          "\n location / root=/w"
          "\nserver listen=0.0.0.0:8443,ssl cert=/c/a.pem:/c/a.key groups=x25519 early=1048576"
          "\n location / root=/w" },
        /* a plain-only server keeps its ssl_* settings and needs no certificate */
        { "http { server { listen 80; root /w; ssl_ciphers TLS_AES_128_GCM_SHA256;"
          " ssl_verify_client on; } }",
          "\nserver listen=0.0.0.0:80 ciphers=TLS_AES_128_GCM_SHA256 verify=1"
          "\n location / root=/w" },
        { "http { server { listen 443 ssl; root /w; ssl_certificate c; ssl_certificate_key k;"
          " ssl_early_data_size 4294967295; ssl_early_data on; } }",
          "\nserver listen=0.0.0.0:443,ssl cert=/c/c:/c/k early=4294967295\n location / root=/w" },
    };
    check_good(cases, COUNT(cases));
}

static void test_locations(void)
{
    static const struct good cases[] = {
        /* locations take the server's root and index; a server root with no "/" location
         * also serves the rest, through an implicit "location /" */
        { "http { server { listen 80; root html; index home.html;\n"
          " location /img/ { root /srv/img; }\n"
          " location /docs { index start.html; }\n"
          " location /a/b/ { root /x; index i.htm; } } }",
          "\nserver listen=0.0.0.0:80"
          "\n location /img/ root=/srv/img index=home.html"
          "\n location /docs root=/c/html index=start.html"
          "\n location /a/b/ root=/x index=i.htm"
          "\n location / root=/c/html index=home.html" },
        /* with its own "/", none is added; no server root needed when every location has one */
        { "http { server { listen 80; location / { root /a; } location /b/ { root /b; } } }",
          "\nserver listen=0.0.0.0:80\n location / root=/a\n location /b/ root=/b" },
        { "http { server { listen 80; root /s; location / { index x.html; } } }",
          "\nserver listen=0.0.0.0:80\n location / root=/s index=x.html" },
        /* roots lose their trailing '/', but "/" stays itself */
        { "http { server { listen 80; location /a { root /srv/www///; } location /b { root /; }"
          " } }",
          "\nserver listen=0.0.0.0:80\n location /a root=/srv/www\n location /b root=/" },
        /* the prefix as written: spaces and UTF-8 through quotes */
        { "http { server { listen 80; root /w; location \"/my docs/\" { }"
          " location /\xc3\xa9t\xc3\xa9/ { } } }",
          "\nserver listen=0.0.0.0:80\n location /my docs/ root=/w"
          "\n location /\xc3\xa9t\xc3\xa9/ root=/w\n location / root=/w" },
    };
    check_good(cases, COUNT(cases));
}

/* Relative paths: joined to the configuration file's directory, not normalised further. */
static void test_paths(void)
{
    static const struct good cases[] = {
        { "http { server { listen 80; root .; location /a { root ./a/; }"
          " location /b { root ././b; } location /c { root ../c; } location /d { root d/e; }"
          " location /e { root \"/abs path\"; } } }",
          "\nserver listen=0.0.0.0:80\n location /a root=/c/a\n location /b root=/c/b"
          "\n location /c root=/c/../c\n location /d root=/c/d/e\n location /e root=/abs path"
          "\n location / root=/c" },
    };
    check_good(cases, COUNT(cases));

    /* a file named relative to the current directory: made absolute with it */
    char cwd[PATH_MAX], want[PATH_MAX + 64], err[256];
    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    static const struct {
        const char *path;
        const char *dir; /* appended to cwd */
    } rel[] = {
        { "site.conf", "" },
        { "./site.conf", "" },
        { "conf/site.conf", "/conf" },
        { "./conf/x/site.conf", "/conf/x" },
    };
    static const char text[] = "http { server { listen 80; root html; } }";
    for (size_t i = 0; i < COUNT(rel); i++) {
        struct lc_srv_conf *conf =
            lc_srv_conf_parse(rel[i].path, text, strlen(text), err, sizeof(err));
        CHECK(conf != NULL);
        if (conf == NULL) {
            continue;
        }
        snprintf(want, sizeof(want), "%s%s/html", strcmp(cwd, "/") == 0 ? "" : cwd, rel[i].dir);
        CHECK(strcmp(lc_srv_conf_get(conf)->sites[0].locations[0].root, want) == 0);
        lc_srv_conf_free(conf);
    }
    /* a file in / */
    struct lc_srv_conf *conf = lc_srv_conf_parse("/x.conf", text, strlen(text), err, sizeof(err));
    CHECK(conf != NULL && strcmp(lc_srv_conf_get(conf)->sites[0].locations[0].root, "/html") == 0);
    lc_srv_conf_free(conf);
}

/* The example of config_file.h, as written there. */
static void test_header_example(void)
{
    static const struct good cases[] = {
        { "worker_processes auto;\n"
          "error_log logs/error.log;\n"
          "events { worker_connections 1024; }\n"
          "http {\n"
          "    access_log logs/access.log;\n"
          "    keepalive_timeout 30s;\n"
          "    client_header_timeout 20s;\n"
          "    ssl_handshake_timeout 10s;\n"
          "    send_timeout 30s;\n"
          "    server {\n"
          "        listen 8080;\n"
          "        listen [::]:8443 ssl default_server;\n"
          "        server_name example.test *.example.test;\n"
          "        ssl_certificate       certs/server_cert.pem;\n"
          "        ssl_certificate_key   certs/server_key.pem;\n"
          "        ssl_certificate_chain certs/intermediate_cert.pem;\n"
          "        ssl_protocols TLSv1.3;\n"
          "        ssl_ciphers TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256;\n"
          "        ssl_groups x25519:secp256r1;\n"
          "        ssl_alpn http/1.1;\n"
          "        ssl_session_tickets on;  ssl_session_ticket_key ticket.key;\n"
          "        ssl_early_data on;       ssl_early_data_size 16384;\n"
          "        ssl_client_certificate ca.pem;  ssl_verify_client optional;\n"
          "        location / { root html; index index.html; }\n"
          "    }\n"
          "}\n",
          "workers=0 access_log=/c/logs/access.log error_log=/c/logs/error.log handshake=10000"
          " header=20000 keepalive=30000 send=30000 conns=1024\n"
          "server name=example.test name=*.example.test listen=0.0.0.0:8080"
          " listen=[::]:8443,ssl,default"
          " cert=/c/certs/server_cert.pem:/c/certs/server_key.pem:/c/certs/intermediate_cert.pem"
          " protocols=TLSv1.3 ciphers=TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"
          " groups=x25519:secp256r1 alpn=http/1.1 ticket_key=/c/ticket.key client_ca=/c/ca.pem"
          " early=16384 verify=2\n"
          " location / root=/c/html index=index.html" },
    };
    check_good(cases, COUNT(cases));
}

/* ---- configurations that do not --------------------------------------------------------- */

#define SRV(body) "http { server { listen 80; root /w; " body " } }"

static void test_bad_syntax(void)
{
    static const struct bad cases[] = {
        { "http {\n server {\n  listen 80\n  root /w;\n }\n}\n",
          F ":3: missing ';' after 'listen 80'; expected ';' before 'root' on line 4" },
        { "http {\n server {\n  listen 80;\n  root /w\n }\n}\n",
          F ":4: missing ';' after 'root /w'; expected ';' before '}'" },
        { "worker_processes 1", F ":1: missing ';' after 'worker_processes 1'; expected ';' "
                                  "before the end of the file" },
        { "http {\n server {\n  location /\n    root /w; }\n }\n}\n",
          F ":3: missing '{' after 'location /'; expected '{' before 'root' on line 4" },
        { "http { server; }", F ":1: missing '{' after 'server'; expected '{' before ';'" },
        { "http", F ":1: missing '{' after 'http'; expected '{' before the end of the file" },
        { "http { server { listen 80; root /w { } } }",
          F ":1: 'root' takes no block; expected ';' before '{'" },
        { "}", F ":1: unexpected '}': no block is open" },
        { "http { server { listen 80; root /w; } } }", F ":1: unexpected '}': no block is open" },
        { "http { ; }", F ":1: unexpected ';'; expected a directive before it" },
        { "\n{ }", F ":2: unexpected '{'; expected a directive before it" },
        { "http {\n server {\n  listen 80;\n",
          F ":2: the 'server' block opened here is not "
            "closed; expected '}' before the end of the file" },
        { "http {\n", F ":1: the 'http' block opened here is not closed; expected '}' before "
                        "the end of the file" },
        { "http { server { listen 80; root \"/w; } }",
          F ":1: unterminated string: the '\"' opened here is never closed" },
        { "http { server { listen 80; root $document_root; } }",
          F ":1: root: '$document_root': variables are not supported; expected plain text "
            "(write \\$ for a literal '$')" },
        { "http { server { listen 80; root '/srv/${host}_x/'; } }",
          F ":1: root: '${host}_x': variables are not supported; expected plain text (write \\$ "
            "for a literal '$')" },
        /* only where nginx takes a regular expression is "~...$" one */
        { "http { server { listen 80; root ~/$x; } }",
          F ":1: root: '$x': variables are not supported; expected plain text (write \\$ for a "
            "literal '$')" },
        { "http { server { listen 80; root /w; location /$x { } } }",
          F ":1: location: '$x': variables are not supported; expected plain text (write \\$ "
            "for a literal '$')" },
        { "http { server { listen 80; root \"/w\"x; } }",
          F ":1: text right after a closing quote; expected a space, ';' or '{' after it" },
        { "\n\nhttp { server { listen 80; root /w\"x\"; } }",
          F ":3: a quote inside a word; expected quotes around the whole word" },
        { "http { server \x01 { } }", F ":1: control byte 0x01 in the file; expected text" },
    };
    check_bad(cases, COUNT(cases));
}

static void test_bad_directive(void)
{
    static const struct bad cases[] = {
        { "http { server { lisen 80; } }",
          F ":1: unknown directive 'lisen' in server; expected listen, server_name, "
            "ssl_certificate, ssl_certificate_key, ssl_certificate_chain, ssl_protocols, "
            "ssl_ciphers, ssl_groups, ssl_ecdh_curve, ssl_alpn, ssl_session_tickets, "
            "ssl_session_ticket_key, ssl_early_data, ssl_early_data_size, "
            "ssl_client_certificate, ssl_verify_client, root, index, location" },
        { "pid /run/lucid.pid;",
          F ":1: unknown directive 'pid' at the top level; expected worker_processes, "
            "error_log, worker_connections, events, http" },
        { "events { use epoll; }",
          F ":1: unknown directive 'use' in events; expected worker_connections" },
        { "http { sendfile on; }",
          F ":1: unknown directive 'sendfile' in http; expected access_log, keepalive_timeout, "
            "client_header_timeout, ssl_handshake_timeout, send_timeout, server, "
            "ssl_certificate, ssl_certificate_key, ssl_certificate_chain, ssl_protocols, "
            "ssl_ciphers, ssl_groups, ssl_ecdh_curve, ssl_alpn, ssl_session_tickets, "
            "ssl_session_ticket_key, ssl_early_data, ssl_early_data_size, "
            "ssl_client_certificate, ssl_verify_client" },
        { SRV("location / { try_files /x =404; }"),
          F ":1: unknown directive 'try_files' in location; expected root, index" },
        { "\"\";", F ":1: unknown directive '' at the top level; expected worker_processes, "
                     "error_log, worker_connections, events, http" },
        /* in the wrong block */
        { "listen 80;", F ":1: 'listen' is not allowed at the top level; expected it in server" },
        { "server { }", F ":1: 'server' is not allowed at the top level; expected it in http" },
        { "http { worker_processes 2; }",
          F ":1: 'worker_processes' is not allowed in http; expected it in the top level" },
        { "http { root /w; }",
          F ":1: 'root' is not allowed in http; expected it in server or location" },
        { "http { server { listen 80; access_log off; } }",
          F ":1: 'access_log' is not allowed in server; expected it in http" },
        { "http { events { } }", F ":1: 'events' is not allowed in http; expected it in the "
                                   "top level" },
        { "http { worker_connections 9; }", F ":1: 'worker_connections' is not allowed in "
                                              "http; expected it in the top level or events" },
        { SRV("location /a { location /b { } }"),
          F ":1: 'location' is not allowed in location; expected it in server" },
        { "http { location / { } }", F ":1: 'location' is not allowed in http; expected it in "
                                       "server" },
        { "ssl_ciphers TLS_AES_128_GCM_SHA256;",
          F ":1: 'ssl_ciphers' is not allowed at the top level; expected it in http or server" },
        /* argument counts */
        { "http { server { listen; } }", F ":1: 'listen' takes 1 to 3 arguments, got 0; "
                                           "expected 'listen ADDR:PORT|PORT [ssl] "
                                           "[default_server];'" },
        { "http { server { listen 80 ssl default_server x; } }",
          F ":1: 'listen' takes 1 to 3 arguments, got 4; expected 'listen ADDR:PORT|PORT [ssl] "
            "[default_server];'" },
        { "http x { }", F ":1: 'http' takes no arguments, got 1; expected 'http { ... }'" },
        { "worker_processes;", F ":1: 'worker_processes' takes 1 argument, got 0; expected "
                                 "'worker_processes N|auto;'" },
        { SRV("index a.html b.html;"), F ":1: 'index' takes 1 argument, got 2; expected "
                                         "'index FILE;'" },
        { SRV("location { }"), F ":1: 'location' takes 1 argument, got 0; expected "
                                 "'location /PREFIX { root DIR; }'" },
        { SRV("location /a /b { }"), F ":1: 'location' takes 1 argument, got 2; expected "
                                       "'location /PREFIX { root DIR; }'" },
        { "error_log logs/error.log warn;",
          F ":1: 'error_log' takes 1 argument, got 2; expected 'error_log FILE|stderr;'" },
        /* once per block */
        { "worker_processes 1;\nworker_processes 2;",
          F ":2: duplicate 'worker_processes' (first on line 1); expected it once at the top "
            "level" },
        { "http { }\nhttp { }", F ":2: duplicate 'http' (first on line 1); expected it once at "
                                  "the top level" },
        { "http {\n server {\n  listen 80; root /a;\n  root /b; } }",
          F ":4: duplicate 'root' (first on line 3); expected it once in server" },
        { SRV("location / {\n root /a;\n index a; index b; }"),
          F ":3: duplicate 'index' (first on line 3); expected it once in location" },
        { "http {\n ssl_groups x25519;\n ssl_ecdh_curve x25519; }",
          F ":3: duplicate 'ssl_ecdh_curve' (first on line 2); expected it once in http" },
        { "http { keepalive_timeout 1; keepalive_timeout 2; }",
          F ":1: duplicate 'keepalive_timeout' (first on line 1); expected it once in http" },
        { "worker_connections 1;\nevents { worker_connections 2; }",
          F ":2: duplicate 'worker_connections' (first on line 1); expected it once" },
        { SRV("ssl_verify_client on; ssl_verify_client off;"),
          F ":1: duplicate 'ssl_verify_client' (first on line 1); expected it once in server" },
    };
    check_bad(cases, COUNT(cases));
}

#define A64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void test_bad_values(void)
{
    static const struct bad cases[] = {
        { "worker_processes 0;", F ":1: worker_processes: '0' is not a worker count; expected "
                                   "auto or 1 to 1024" },
        { "worker_processes 1025;", F ":1: worker_processes: '1025' is not a worker count; "
                                      "expected auto or 1 to 1024" },
        { "worker_processes -1;", F ":1: worker_processes: '-1' is not a worker count; "
                                    "expected auto or 1 to 1024" },
        { "worker_processes Auto;", F ":1: worker_processes: 'Auto' is not a worker count; "
                                      "expected auto or 1 to 1024" },
        { "events { worker_connections 0; }",
          F ":1: worker_connections: '0' is not a connection count; expected 1 to 1048576" },
        { "worker_connections 1048577;",
          F ":1: worker_connections: '1048577' is not a connection count; expected 1 to "
            "1048576" },
        { "http { keepalive_timeout 0; }",
          F ":1: keepalive_timeout: '0' is not a time from 1ms to 1d; expected a number with "
            "ms, s, m, h or d, such as 30s, 500ms or 1m30s (a bare number is seconds)" },
        { "http { send_timeout 10x; }",
          F ":1: send_timeout: '10x' is not a time from 1ms to 1d; expected a number with ms, "
            "s, m, h or d, such as 30s, 500ms or 1m30s (a bare number is seconds)" },
        { "http { send_timeout 25h; }",
          F ":1: send_timeout: '25h' is not a time from 1ms to 1d; expected a number with ms, "
            "s, m, h or d, such as 30s, 500ms or 1m30s (a bare number is seconds)" },
        { "http { send_timeout 1d1ms; }",
          F ":1: send_timeout: '1d1ms' is not a time from 1ms to 1d; expected a number with "
            "ms, s, m, h or d, such as 30s, 500ms or 1m30s (a bare number is seconds)" },
        { "http { client_header_timeout 1m30; }",
          F ":1: client_header_timeout: '1m30' is not a time from 1ms to 1d; expected a number "
            "with ms, s, m, h or d, such as 30s, 500ms or 1m30s (a bare number is seconds)" },
        { "http { ssl_handshake_timeout 10S; }",
          F ":1: ssl_handshake_timeout: '10S' is not a time from 1ms to 1d; expected a number "
            "with ms, s, m, h or d, such as 30s, 500ms or 1m30s (a bare number is seconds)" },
        { "http { ssl_handshake_timeout 99999999999999999999s; }",
          F ":1: ssl_handshake_timeout: '99999999999999999999s' is not a time from 1ms to 1d; "
            "expected a number with ms, s, m, h or d, such as 30s, 500ms or 1m30s (a bare "
            "number is seconds)" },
        { "http { keepalive_timeout 86401; }",
          F ":1: keepalive_timeout: '86401' is not a time from 1ms to 1d; expected a number "
            "with ms, s, m, h or d, such as 30s, 500ms or 1m30s (a bare number is seconds)" },
        { "http { access_log \"\"; }",
          F ":1: access_log: an empty path; expected a file or directory name" },
        { SRV("index ../x;"), F ":1: index: '../x' is not a file name; expected a name "
                                "without '/', such as index.html" },
        { SRV("index ..;"), F ":1: index: '..' is not a file name; expected a name without "
                              "'/', such as index.html" },
        { SRV("index '';"), F ":1: index: '' is not a file name; expected a name without '/', "
                              "such as index.html" },
        /* no prefix: before any directive with arguments (a NULL first argument, found by
           fuzz_config), and after one */
        { "http { server { location { } } }",
          F ":1: 'location' takes 1 argument, got 0; expected 'location /PREFIX { root DIR; }'" },
        { SRV("location { }"),
          F ":1: 'location' takes 1 argument, got 0; expected 'location /PREFIX { root DIR; }'" },
        /* location forms nginx has and Lucid does not */
        { SRV("location = /x { }"), F ":1: location: '=' locations are not supported; "
                                      "expected 'location /PREFIX { root DIR; }'" },
        { SRV("location ~* \\.png { }"), F ":1: location: '~*' locations are not supported; "
                                           "expected 'location /PREFIX { root DIR; }'" },
        { SRV("location @fallback { }"), F ":1: location: named locations ('@fallback') are "
                                           "not supported; expected 'location /PREFIX { root "
                                           "DIR; }'" },
        { SRV("location img/ { }"), F ":1: location: 'img/' does not start with '/'; expected "
                                      "'location /PREFIX { root DIR; }'" },
        { SRV("location \"/a\\nb\" { }"), F ":1: location: '/a\\x0ab' holds a control "
                                            "character; expected 'location /PREFIX { root DIR; "
                                            "}'" },
        { "http { server { listen 80; root /w;\n location /a/ { }\n location /a/ { } } }",
          F ":3: location: duplicate location '/a/' (first on line 2); expected each prefix "
            "once per server" },
        /* TLS values */
        { "http { ssl_protocols TLSv1.2; }",
          F ":1: ssl_protocols: Lucid speaks only TLSv1.3, which this list leaves out; "
            "expected TLSv1.3 in it" },
        { "http { ssl_protocols SSLv3 TLSv1 TLSv1.1 TLSv1.2; }",
          F ":1: ssl_protocols: Lucid speaks only TLSv1.3, which this list leaves out; "
            "expected TLSv1.3 in it" },
        { "http { ssl_protocols TLSv1.3 TLSv1.4; }",
          F ":1: ssl_protocols: unknown protocol 'TLSv1.4'; expected TLSv1.3" },
        { "http { ssl_ciphers HIGH:!aNULL:!MD5; }",
          F ":1: ssl_ciphers: unknown cipher suite 'HIGH'; expected TLS 1.3 suite names joined "
            "by ':', such as TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
            "TLS_CHACHA20_POLY1305_SHA256" },
        { "http { ssl_ciphers ''; }",
          F ":1: ssl_ciphers: an empty name in ''; expected TLS 1.3 suite names joined by ':', "
            "such as TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256" },
        { "http { ssl_ciphers TLS_AES_128_GCM_SHA256::TLS_AES_256_GCM_SHA384; }",
          F ":1: ssl_ciphers: an empty name in 'TLS_AES_128_GCM_SHA256::TLS_AES_256_GCM_SHA384'; "
            "expected TLS 1.3 suite names joined by ':', such as TLS_AES_128_GCM_SHA256:"
            "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256" },
        { "http { ssl_groups :x25519; }",
          F ":1: ssl_groups: an empty name in ':x25519'; expected group names joined by ':', "
            "such as x25519:secp256r1:secp384r1:ffdhe2048:ffdhe3072" },
        { "http { ssl_groups x25519:brainpoolP256r1; }",
          F ":1: ssl_groups: unknown group 'brainpoolP256r1'; expected group names joined by "
            "':', such as x25519:secp256r1:secp384r1:ffdhe2048:ffdhe3072" },
        { "http { ssl_ecdh_curve auto; }",
          F ":1: ssl_ecdh_curve: unknown group 'auto'; expected group names joined by ':', "
            "such as x25519:secp256r1" },
        { "http { ssl_alpn h2 ''; }",
          F ":1: ssl_alpn: an empty name in ''; expected ALPN protocol names of 1 to 255 bytes, "
            "such as http/1.1" },
        { "http { ssl_alpn h2,; }",
          F ":1: ssl_alpn: an empty name in 'h2,'; expected ALPN protocol names of 1 to 255 "
            "bytes, such as http/1.1" },
        /* 256 bytes: one more than a protocol name may have (RFC 7301 3.1) */
        { "http { ssl_alpn " A64 A64 A64 A64 "; }",
          F ":1: ssl_alpn: bad ALPN list 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            "aaaaaaaaaaaaaaaaaaaaaa...; expected ALPN protocol names of 1 to 255 bytes, such as "
            "http/1.1" },
        { "http { ssl_session_tickets yes; }",
          F ":1: ssl_session_tickets: 'yes' is not a choice; expected on or off" },
        { "http { ssl_early_data 1; }",
          F ":1: ssl_early_data: '1' is not a choice; expected on or off" },
        { "http { ssl_verify_client optional_no_ca; }",
          F ":1: ssl_verify_client: 'optional_no_ca' is not a choice; expected on, off or "
            "optional" },
        { "http { ssl_early_data_size 0; }",
          F ":1: ssl_early_data_size: '0' is not a size; expected 1 to 4294967295 bytes, with k "
            "or m for KiB or MiB" },
        { "http { ssl_early_data_size 4096m; }",
          F ":1: ssl_early_data_size: '4096m' is not a size; expected 1 to 4294967295 bytes, "
            "with k or m for KiB or MiB" },
        { "http { ssl_early_data_size 1g; }",
          F ":1: ssl_early_data_size: '1g' is not a size; expected 1 to 4294967295 bytes, with "
            "k or m for KiB or MiB" },
        { "http { ssl_early_data_size k; }",
          F ":1: ssl_early_data_size: 'k' is not a size; expected 1 to 4294967295 bytes, with "
            "k or m for KiB or MiB" },
        { "http { ssl_session_ticket_key ''; }",
          F ":1: ssl_session_ticket_key: an empty path; expected a file or directory name" },
    };
    check_bad(cases, COUNT(cases));
}

static void test_bad_listen(void)
{
#define LISTEN_FORMS "expected PORT, ADDR:PORT, *:PORT or [IPV6]:PORT"
    static const struct bad cases[] = {
        { "http { server { listen 65536; } }",
          F ":1: listen: bad port '65536' in '65536'; expected 0 to 65535" },
        { "http { server { listen 127.0.0.1:99999999999999999999; } }",
          F ":1: listen: bad port '99999999999999999999' in '127.0.0.1:99999999999999999999'; "
            "expected 0 to 65535" },
        { "http { server { listen 127.0.0.1:; } }",
          F ":1: listen: bad port '' in '127.0.0.1:'; expected 0 to 65535" },
        { "http { server { listen 127.0.0.1:http; } }",
          F ":1: listen: bad port 'http' in '127.0.0.1:http'; expected 0 to 65535" },
        { "http { server { listen [::1]:+80; } }",
          F ":1: listen: bad port '+80' in '[::1]:+80'; expected 0 to 65535" },
        { "http { server { listen 1.2.3:80; } }",
          F ":1: listen: '1.2.3' is neither an IPv4 address nor a host name; " LISTEN_FORMS },
        { "http { server { listen 256.0.0.1:80; } }",
          F ":1: listen: '256.0.0.1' is neither an IPv4 address nor a host name; " LISTEN_FORMS },
        { "http { server { listen bad_host!:80; } }",
          F ":1: listen: 'bad_host!' is neither an IPv4 address nor a host name; " LISTEN_FORMS },
        { "http { server { listen a..b:80; } }",
          F ":1: listen: 'a..b' is neither an IPv4 address nor a host name; " LISTEN_FORMS },
        { "http { server { listen ::1:80; } }", F
          ":1: listen: '::1:80': an IPv6 address goes in brackets, as [::1]:8443; " LISTEN_FORMS },
        { "http { server { listen :80; } }",
          F ":1: listen: ':80' has no address before ':'; " LISTEN_FORMS },
        { "http { server { listen [::1:80; } }",
          F ":1: listen: '[::1:80' has no closing ']'; " LISTEN_FORMS },
        { "http { server { listen [zz::1]:80; } }",
          F ":1: listen: 'zz::1' is not an IPv6 address; " LISTEN_FORMS },
        { "http { server { listen [fe80::1%eth0]:80; } }",
          F ":1: listen: 'fe80::1%eth0' is not an IPv6 address; " LISTEN_FORMS },
        { "http { server { listen [::1]80; } }",
          F ":1: listen: '[::1]80': text after ']'; " LISTEN_FORMS },
        { "http { server { listen unix:/run/lucid.sock; } }",
          F ":1: listen: unix sockets are not supported; " LISTEN_FORMS },
        { "http { server { listen 80 http2; } }",
          F ":1: listen: unknown parameter 'http2'; expected ssl or default_server" },
        { "http { server { listen 80 SSL; } }",
          F ":1: listen: unknown parameter 'SSL'; expected ssl or default_server" },
        { "http { server { listen 80 ssl ssl; } }", F ":1: listen: 'ssl' given twice; expected "
                                                      "it once" },
        { "http { server {\n listen 80;\n listen *:80 ssl; } }",
          F ":3: listen: 0.0.0.0:80 is already a listen of this server (line 2); expected each "
            "address once per server" },
    };
    check_bad(cases, COUNT(cases));
#undef LISTEN_FORMS
}

static void test_bad_server_name(void)
{
#define NAME_FORMS "expected a host name, *.domain, .domain or _"
    static const struct bad cases[] = {
        { SRV("server_name '';"), F ":1: server_name: an empty name; " NAME_FORMS },
        /* nginx's regular expressions: refused as such, though '$' and '\' are in them */
        { SRV("server_name ~^www\\.(.+)$;"), F ":1: server_name: '~^www\\x5c.(.+)$': regular "
                                               "expressions are not supported; " NAME_FORMS },
        { SRV("server_name a.test '~^(?<x>.+)$';"),
          F ":1: server_name: '~^(?<x>.+)$': regular expressions are not supported; " NAME_FORMS },
        { SRV("server_name $host;"),
          F ":1: server_name: '$host': variables are not supported; expected plain text (write "
            "\\$ for a literal '$')" },
        { SRV("server_name ~^www;"),
          F ":1: server_name: '~^www': regular expressions are not supported; " NAME_FORMS },
        { SRV("server_name www.example.*;"), F ":1: server_name: 'www.example.*': only a leading "
                                               "'*.' wildcard is supported; " NAME_FORMS },
        { SRV("server_name *.*.example.com;"),
          F ":1: server_name: '*.*.example.com': only a leading '*.' wildcard is "
            "supported; " NAME_FORMS },
        { SRV("server_name *example.com;"), F ":1: server_name: '*example.com': only a leading "
                                              "'*.' wildcard is supported; " NAME_FORMS },
        { SRV("server_name a..b;"), F ":1: server_name: 'a..b' is not a host name; " NAME_FORMS },
        { SRV("server_name a/b;"), F ":1: server_name: 'a/b' is not a host name; " NAME_FORMS },
        { SRV("server_name 999.1.1.1;"),
          F ":1: server_name: '999.1.1.1' is not a host name; " NAME_FORMS },
        { SRV("server_name .;"), F ":1: server_name: '.' is not a host name; " NAME_FORMS },
        { SRV("server_name [::1;"), F ":1: server_name: '[::1' has no closing ']'; " NAME_FORMS },
        { SRV("server_name [::g];"),
          F ":1: server_name: '[::g]' is not an IPv6 address; " NAME_FORMS },
        { SRV("server_name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test;"),
          F
          ":1: server_name: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test'"
          " is not a host name; " NAME_FORMS },
    };
    check_bad(cases, COUNT(cases));
#undef NAME_FORMS
}

/* The "whole but unusable" list of config_file.h, and the other checks made at the end. */
static void test_bad_whole(void)
{
    static const struct bad cases[] = {
        { "", F ": no http block; expected http { server { listen PORT; root DIR; } }" },
        { "# nothing\nworker_processes 2;\n",
          F ": no http block; expected http { server { listen PORT; root DIR; } }" },
        { "\nhttp {\n}", F ":2: no server block in http; expected server { listen PORT; root "
                           "DIR; }" },
        { "http {\n server { root /w; } }",
          F ":2: this server has no listen; expected listen PORT; or listen ADDR:PORT ssl;" },
        { "http {\n server { listen 80; } }",
          F ":2: this server has no root and no location; expected root DIR; or location / { "
            "root DIR; }" },
        { "http { server { listen 80;\n location /a { root /a; }\n location /b { index x; } } }",
          F ":3: location '/b' has no root; expected root DIR in it or in its server" },
        { "http { server {\n listen 80;\n listen 443 ssl; root /w; } }",
          F ":3: listen 0.0.0.0:443 ssl: this server has no certificate; expected "
            "ssl_certificate and ssl_certificate_key in it or in http" },
        { "http { server {\n listen 443 ssl; root /w; ssl_certificate a; } }",
          F ":1: this server has 1 ssl_certificate and 0 ssl_certificate_key; expected one key "
            "per certificate, paired in order" },
        { "http { ssl_certificate_key k;\n server {\n listen 443 ssl; root /w;"
          " ssl_certificate a; ssl_certificate b; } }",
          F ":2: this server has 2 ssl_certificate and 1 ssl_certificate_key; expected one key "
            "per certificate, paired in order" },
        { "http { server {\n listen 443 ssl; root /w; ssl_certificate a; ssl_certificate_key k;"
          " ssl_certificate_chain c; ssl_certificate_chain d; } }",
          F ":1: this server has 2 ssl_certificate_chain for 1 ssl_certificate; expected at "
            "most one chain per certificate, paired in order" },
        /* a plain server gets the same pairing check: the mistake is the same */
        { "http { server { listen 80; root /w; ssl_certificate_key k; } }",
          F ":1: this server has 0 ssl_certificate and 1 ssl_certificate_key; expected one key "
            "per certificate, paired in order" },
        { "http { ssl_verify_client on;\n server { listen 443 ssl; root /w; ssl_certificate a;"
          " ssl_certificate_key k; } }",
          F ":2: ssl_verify_client on without ssl_client_certificate; expected the file of CAs "
            "that client certificates chain to" },
        { "http {\n server { listen 443 ssl; root /w; ssl_certificate a; ssl_certificate_key k;"
          " ssl_verify_client optional; } }",
          F ":2: ssl_verify_client optional without ssl_client_certificate; expected the file "
            "of CAs that client certificates chain to" },
        { "http { ssl_session_tickets off;\n server { listen 443 ssl; root /w; ssl_certificate "
          "a; ssl_certificate_key k; ssl_early_data on; } }",
          F ":2: ssl_early_data on with ssl_session_tickets off; expected tickets on (0-RTT "
            "resumes a session from a ticket)" },
        /* one address, two servers that disagree */
        { "http { ssl_certificate a; ssl_certificate_key k;\n server { listen 443 ssl; root /a; }"
          "\n server { listen 0.0.0.0:443; root /b; } }",
          F ":3: listen 0.0.0.0:443 is plain here but TLS on line 2; expected the same ssl flag "
            "on every listen of one address" },
        { "http { ssl_certificate a; ssl_certificate_key k;\n server { listen [::]:80; root /a; }"
          "\n server { listen [0::0]:80 ssl; root /b; } }",
          F ":3: listen [::]:80 is TLS here but plain on line 2; expected the same ssl flag on "
            "every listen of one address" },
        { "http {\n server { listen 80 default_server; root /a; }"
          "\n server { listen *:80 default_server; root /b; } }",
          F ":3: listen 0.0.0.0:80: a second default_server (the first is on line 2); expected "
            "one per address" },
        { "http {\n server { listen 80; server_name a.test; root /a; }\n"
          " server { listen 8080; listen 80; server_name B.test A.TEST; root /b; } }",
          F ":3: server_name 'a.test' on 0.0.0.0:80 is also in the server on line 2; expected "
            "each name in one server per address" },
        { "http {\n server { listen 80; server_name .a.test; root /a; }\n"
          " server { listen 80; server_name *.a.test; root /b; } }",
          F ":3: server_name '*.a.test' on 0.0.0.0:80 is also in the server on line 2; "
            "expected each name in one server per address" },
    };
    check_bad(cases, COUNT(cases));
}

/* ---- bounds ------------------------------------------------------------------------------ */

/* text made of head, count copies of item (with %d replaced by the copy's number), and tail. */
static char *repeat(const char *head, const char *item, int count, const char *tail)
{
    size_t cap = strlen(head) + strlen(tail) + (size_t)count * (strlen(item) + 16) + 1;
    char *out = malloc(cap);
    size_t n = (size_t)snprintf(out, cap, "%s", head);
    for (int i = 0; i < count; i++) {
        for (const char *c = item; *c != '\0'; c++) {
            if (c[0] == '%' && c[1] == 'd') {
                n += (size_t)snprintf(out + n, cap - n, "%d", i + 1);
                c++;
            } else {
                out[n++] = *c;
            }
        }
    }
    snprintf(out + n, cap - n, "%s", tail);
    return out;
}

/* Parses text; returns 1 when it parsed, else 0 with the error in err. */
static int parses(const char *text, char *err, size_t cap)
{
    struct lc_srv_conf *conf = lc_srv_conf_parse(F, text, strlen(text), err, cap);
    lc_srv_conf_free(conf);
    return conf != NULL;
}

static void check_limit(const char *head, const char *item, int max, const char *tail,
                        const char *want)
{
    char err[512];
    char *text = repeat(head, item, max, tail);

    CHECK(parses(text, err, sizeof(err)));
    if (!parses(text, err, sizeof(err))) {
        fprintf(stderr, "  at the limit (%d): %s\n", max, err);
    }
    free(text);
    text = repeat(head, item, max + 1, tail);
    CHECK(!parses(text, err, sizeof(err)) && strcmp(err, want) == 0);
    if (strcmp(err, want) != 0) {
        fprintf(stderr, "  past the limit: got  %s\n  want %s\n", err, want);
    }
    free(text);
}

static void test_limits(void)
{
    check_limit("http {\n", "server { listen %d; root /w; }\n", 256, "}",
                F ":258: more than 256 server blocks; expected at most 256");
    check_limit("http { server { root /w;\n", "listen %d;\n", 16, "} }",
                F ":18: listen: more than 16 in one server; expected at most 16");
    check_limit("http { server { listen 80; root /w;\n", "server_name n%d.test;\n", 64, "} }",
                F ":66: server_name: more than 64 names in one server; expected at most 64");
    check_limit("http { server { listen 443 ssl; root /w;\n",
                "ssl_certificate c%d; ssl_certificate_key k%d;\n", 8, "} }",
                F ":10: more than 8 'ssl_certificate' in one block; expected at most 8");
    check_limit("http { server { listen 80; root /w;\n", "location /%d { }\n", 64, "} }",
                F ":66: more than 64 locations in one server; expected at most 64");
    /* one directive: 64 arguments at most, and 16 KiB of them */
    check_limit("http { server { listen 80; root /w; server_name", " a%d.test", 64, "; } }",
                F ":1: 'server_name' has more than 64 arguments; expected fewer");
    char err[512];
    char *text = repeat("http { server { listen 80; root /w; server_name",
                        " %d.aaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test",
                        64, "; } }");
    CHECK(!parses(text, err, sizeof(err)));
    CHECK(strstr(err, "is longer than 16384 bytes; expected a shorter directive") != NULL);
    free(text);

    /* a relative path too long once joined to the file's directory; a name over 255 bytes */
    text = repeat("http { server { listen 80; root ", "a", PATH_MAX - 3, "; } }");
    CHECK(!parses(text, err, sizeof(err)));
    CHECK(strncmp(err, F ":1: root: 'aaaaaaaaaa", strlen(F ":1: root: 'aaaaaaaaaa")) == 0);
    CHECK(strstr(err, "...' is longer than 4095 bytes once joined to /c") != NULL);
    free(text);
    text = repeat("http { server { listen 80; root /w; server_name ", "a", 256, "; } }");
    CHECK(!parses(text, err, sizeof(err)));
    CHECK(strstr(err, "...' is longer than 253 bytes; expected a host name, *.domain, .domain or "
                      "_") != NULL);
    free(text);

    /* 1 MiB of text at most (a comment makes up the size) */
    size_t big = (1u << 20) + 1;
    char *huge = malloc(big + 1);
    static const char site[] = "http { server { listen 80; root /w; } }\n#";
    memcpy(huge, site, sizeof(site) - 1);
    memset(huge + sizeof(site) - 1, 'x', big - (sizeof(site) - 1));
    huge[big] = '\0';
    CHECK(lc_srv_conf_parse(F, huge, big, err, sizeof(err)) == NULL);
    CHECK(strcmp(err, F ": the file is larger than 1048576 bytes; expected a shorter one") == 0);
    struct lc_srv_conf *conf = lc_srv_conf_parse(F, huge, big - 1, err, sizeof(err));
    CHECK(conf != NULL);
    lc_srv_conf_free(conf);
    free(huge);
}

/* ---- errors as lines --------------------------------------------------------------------- */

/* Whatever the file holds, a message is one line of printable text, cut to fit err. */
static void test_messages(void)
{
    char err[512];

    /* escapes make line ends and bytes that a message must not carry raw */
    CHECK(!parses("http { server { listen \"a\\nb\\tc\xff:80\"; } }", err, sizeof(err)));
    CHECK(strcmp(err, F ":1: listen: 'a\\x0ab\\x09c\\xff' is neither an IPv4 address nor a host "
                        "name; expected PORT, ADDR:PORT, *:PORT or [IPV6]:PORT") == 0);
    /* a long word is cut in a message */
    char *text =
        repeat("http { server { listen 80; root /w; index ", "%d.aaaaaaaaaa/", 100, "; } }");
    CHECK(!parses(text, err, sizeof(err)));
    CHECK(strlen(err) < 200 && strstr(err, "...' is not a file name") != NULL);
    free(text);
    /* a small err buffer gets the start of the line, NUL-terminated; none at all is fine */
    char small[12];
    memset(small, 'x', sizeof(small));
    CHECK(lc_srv_conf_parse(F, "}", 1, small, sizeof(small)) == NULL);
    CHECK(strcmp(small, "/c/t.conf:1") == 0);
    CHECK(lc_srv_conf_parse(F, "}", 1, NULL, 0) == NULL);
    CHECK(lc_srv_conf_load("/nonexistent/x.conf", NULL, 0) == NULL);
    /* the file name is escaped too */
    CHECK(lc_srv_conf_parse("/c/a\nb.conf", "}", 1, err, sizeof(err)) == NULL);
    CHECK(strcmp(err, "/c/a\\x0ab.conf:1: unexpected '}': no block is open") == 0);
}

/* Every prefix of a good configuration parses or fails with a "FILE:LINE: " line. */
static void test_prefixes(void)
{
    static const char text[] =
        "worker_processes auto;\nevents { worker_connections 512; }\nhttp {\n"
        "  ssl_certificate 'a.pem'; ssl_certificate_key \"a.key\";  # the default pair\n"
        "  server { listen [::1]:8443 ssl default_server; server_name .a.test;\n"
        "    location /x/ { root x\\ y; index i.html; } }\n"
        "  server { listen 8080; root /w; }\n}\n";
    char err[512];
    int good = 0;

    for (size_t len = 0; len <= sizeof(text) - 1; len++) {
        struct lc_srv_conf *conf = lc_srv_conf_parse(F, text, len, err, sizeof(err));
        if (conf != NULL) {
            good++;
            lc_srv_conf_free(conf);
            continue;
        }
        CHECK(strncmp(err, F ":", strlen(F ":")) == 0 && strchr(err, '\n') == NULL);
    }
    /* the whole text, and the same without its final "}\n" or with only the "\n" gone */
    CHECK(good == 2);
}

/* ---- files ------------------------------------------------------------------------------- */

static void test_load(void)
{
    char err[512];
    char path[] = "/tmp/lucid_conf_test_XXXXXX";
    int fd = mkstemp(path);
    static const char text[] = "http { server { listen 80; root html; } }\n";

    CHECK(fd >= 0);
    CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
    close(fd);
    struct lc_srv_conf *conf = lc_srv_conf_load(path, err, sizeof(err));
    CHECK(conf != NULL);
    if (conf != NULL) {
        CHECK(strcmp(lc_srv_conf_get(conf)->sites[0].locations[0].root, "/tmp/html") == 0);
    }
    lc_srv_conf_free(conf);

    /* larger than 1 MiB */
    FILE *f = fopen(path, "w");
    for (int i = 0; i < (1 << 20) / 8 + 1; i++) {
        fputs("#######\n", f);
    }
    fclose(f);
    char want[600];
    snprintf(want, sizeof(want),
             "%s: the file is larger than 1048576 bytes; expected a "
             "shorter one",
             path);
    CHECK(lc_srv_conf_load(path, err, sizeof(err)) == NULL && strcmp(err, want) == 0);
    unlink(path);

    CHECK(lc_srv_conf_load(path, err, sizeof(err)) == NULL);
    snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
    CHECK(strcmp(err, want) == 0);
    CHECK(lc_srv_conf_load("/tmp", err, sizeof(err)) == NULL);
    CHECK(strcmp(err, "/tmp: cannot read: Is a directory") == 0);
}

/* Every directive the parser accepts, as the README lists them. */
static const char *const all_directives[] = {
    "worker_processes",
    "error_log",
    "worker_connections",
    "events",
    "http",
    "access_log",
    "keepalive_timeout",
    "client_header_timeout",
    "ssl_handshake_timeout",
    "send_timeout",
    "server",
    "listen",
    "server_name",
    "ssl_certificate",
    "ssl_certificate_key",
    "ssl_certificate_chain",
    "ssl_protocols",
    "ssl_ciphers",
    "ssl_groups",
    "ssl_ecdh_curve",
    "ssl_alpn",
    "ssl_session_tickets",
    "ssl_session_ticket_key",
    "ssl_early_data",
    "ssl_early_data_size",
    "ssl_client_certificate",
    "ssl_verify_client",
    "root",
    "index",
    "location",
};

/* The list is the parser's: each name is known (its error, in a block where it is not
 * allowed, is not "unknown"), and the message for an unknown one names them all. */
static void test_directive_list(void)
{
    char text[128], err[2048];

    for (size_t i = 0; i < COUNT(all_directives); i++) {
        snprintf(text, sizeof(text), "http { server { location / { %s; } } }", all_directives[i]);
        CHECK(!parses(text, err, sizeof(err)));
        CHECK(strstr(err, "unknown directive") == NULL);
    }
    /* the union of the lists of every block is the same set */
    static const char *const blocks[] = { "", "events { ", "http { ", "http { server { ",
                                          "http { server { location / { " };
    char all[4096] = "";
    for (size_t b = 0; b < COUNT(blocks); b++) {
        snprintf(text, sizeof(text), "%sno_such_directive;", blocks[b]);
        CHECK(!parses(text, err, sizeof(err)));
        const char *list = strstr(err, "; expected ");
        CHECK(list != NULL && strlen(all) + strlen(list) + 2 < sizeof(all));
        if (list != NULL) {
            strcat(all, list + strlen("; expected "));
            strcat(all, ", ");
        }
    }
    /* each listed name is one of all_directives, and each of those is listed */
    size_t items = 0;
    int listed[COUNT(all_directives)] = { 0 };
    for (char *save = NULL, *tok = strtok_r(all, ", ", &save); tok != NULL;
         tok = strtok_r(NULL, ", ", &save)) {
        size_t k = 0;
        while (k < COUNT(all_directives) && strcmp(tok, all_directives[k]) != 0) {
            k++;
        }
        CHECK(k < COUNT(all_directives));
        if (k < COUNT(all_directives)) {
            listed[k] = 1;
        }
        items++;
    }
    for (size_t i = 0; i < COUNT(all_directives); i++) {
        CHECK(listed[i]);
    }
    CHECK(items == COUNT(all_directives) + 14 + 1 + 2);
}

/* conf/lucid.conf, the commented example of every directive, parses (tests run in tests/),
 * and names each directive as a directive (at the start of a line). */
static void test_example_file(void)
{
    char err[512];
    struct lc_srv_conf *conf = lc_srv_conf_load("../conf/lucid.conf", err, sizeof(err));

    CHECK(conf != NULL);
    if (conf == NULL) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    const struct lc_srv_config *cfg = lc_srv_conf_get(conf);
    CHECK(cfg->site_count >= 2);
    lc_srv_conf_free(conf);

    FILE *f = fopen("../conf/lucid.conf", "r");
    static char text[65536];
    size_t len = f != NULL ? fread(text, 1, sizeof(text) - 1, f) : 0;
    if (f != NULL) {
        fclose(f);
    }
    text[len] = '\0';
    for (size_t i = 0; i < COUNT(all_directives); i++) {
        int seen = 0;
        for (const char *line = text; line != NULL && !seen; line = strchr(line + 1, '\n')) {
            const char *w = line + strspn(line, "\n ");
            size_t n = strlen(all_directives[i]);
            seen = strncmp(w, all_directives[i], n) == 0 && (w[n] == ' ' || w[n] == ';');
        }
        CHECK(seen);
        if (!seen) {
            fprintf(stderr, "  conf/lucid.conf does not show %s\n", all_directives[i]);
        }
    }
}

/* Every seed of fuzz/corpus/config is a configuration that parses. */
static void test_fuzz_seeds(void)
{
    DIR *d = opendir("../fuzz/corpus/config");
    struct dirent *e;
    int count = 0;
    char path[512], err[512];

    CHECK(d != NULL);
    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "../fuzz/corpus/config/%s", e->d_name);
        struct lc_srv_conf *conf = lc_srv_conf_load(path, err, sizeof(err));
        CHECK(conf != NULL);
        if (conf == NULL) {
            fprintf(stderr, "  %s\n", err);
        }
        lc_srv_conf_free(conf);
        count++;
    }
    closedir(d);
    CHECK(count >= 3);
}

TEST_MAIN(test_minimal, test_top_level, test_http_level, test_listen, test_server_name, test_tls,
          test_locations, test_paths, test_header_example, test_bad_syntax, test_bad_directive,
          test_bad_values, test_bad_listen, test_bad_server_name, test_bad_whole, test_limits,
          test_messages, test_prefixes, test_load, test_directive_list, test_example_file,
          test_fuzz_seeds)
