/*
 * One HTTP/1.1 exchange (RFC 9112): a GET or HEAD with "Connection: close", then the
 * response's status line, header fields and body. The body's length is decided as RFC 9112
 * 6.3 says, in its order: no body for HEAD, 1xx, 204 and 304; chunked when
 * Transfer-Encoding ends in chunked (7.1); Content-Length when given; otherwise everything
 * until the server closes. Over TLS, "until the server closes" means until its close_notify:
 * a connection that just ends may have been cut by an attacker (RFC 8446 6.1), so that body
 * is reported as failed, not as complete.
 *
 * The reader below is a plain buffer over the stream; lines (status, fields, chunk sizes)
 * are read from it one byte at a time, the body in whole buffers.
 */
#include "client.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <lucid/io.h>

#define LINE_MAX_LEN 8192   /* one status line, field line or chunk-size line */
#define FIELDS_MAX 200      /* header (or trailer) fields in one response */

/* ---- the stream: TLS or plain ------------------------------------------------------- */

/* Count read, 0 at a clean end, -1 with errno (EPROTO: TLS failed; ECONNABORTED: the
 * TLS connection ended without close_notify). */
static long stream_read(struct cli_stream *s, void *buf, size_t cap)
{
    if (s->tls != NULL) {
        return lucid_io_read(s->tls, s->fd, buf, cap);
    }
    for (;;) {
        ssize_t r = recv(s->fd, buf, cap, 0);
        if (r >= 0 || errno != EINTR) {
            return (long)r;
        }
    }
}

static int stream_write_all(struct cli_stream *s, const char *p, size_t n)
{
    if (s->tls != NULL) {
        return lucid_io_write_all(s->tls, s->fd, p, n);
    }
    while (n > 0) {
        ssize_t w = send(s->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static const char *stream_error(const struct cli_stream *s, int err)
{
    return s->tls != NULL ? lucid_io_error_text(s->tls, err) : strerror(err);
}

/* ---- buffered input ------------------------------------------------------------------- */

struct in {
    struct cli_stream *s;
    uint8_t buf[16384];
    size_t pos, len;
    int err;          /* errno of the failed read; 0 after a clean end */
    uint64_t total;   /* bytes of response received so far */
};

/* 1 when buf has bytes, 0 at the end of the stream, -1 on error (r->err). */
static int in_fill(struct in *r)
{
    if (r->pos < r->len) {
        return 1;
    }
    long n = stream_read(r->s, r->buf, sizeof(r->buf));
    if (n > 0) {
        r->pos = 0;
        r->len = (size_t)n;
        r->total += (uint64_t)n;
        return 1;
    }
    r->err = n == 0 ? 0 : errno;
    return n == 0 ? 0 : -1;
}

/*
 * The stream ended or failed while more was due. A TLS failure is the library's message;
 * an end, with or without close_notify, is code_on_end with what.
 */
static int in_failed(struct in *r, int code_on_end, const char *what)
{
    if (r->err != 0 && r->err != ECONNABORTED) {
        return cli_fail(CLI_RECV, "%s", stream_error(r->s, r->err));
    }
    if (r->total == 0) {
        return cli_fail(CLI_EMPTY_REPLY, "the server closed the connection without a response");
    }
    return cli_fail(code_on_end, "the server closed the connection %s", what);
}

/*
 * One line ending in LF (a CR before it is dropped; RFC 9112 2.2 lets a recipient accept a
 * bare LF). 0, or an exit code (printed).
 */
static int in_line(struct in *r, char *line, size_t cap, int code_on_end, const char *what)
{
    size_t n = 0;

    for (;;) {
        int st = in_fill(r);
        if (st <= 0) {
            return in_failed(r, code_on_end, what);
        }
        uint8_t c = r->buf[r->pos++];
        if (c == '\n') {
            break;
        }
        if (n + 1 >= cap) {
            return cli_fail(CLI_BAD_REPLY, "a line of the response is longer than %zu bytes",
                            cap - 1);
        }
        line[n++] = (char)c;
    }
    if (n > 0 && line[n - 1] == '\r') {
        n--;
    }
    line[n] = '\0';
    return CLI_OK;
}

/* ---- output ---------------------------------------------------------------------------- */

static int sink_write(struct cli_sink *sink, const void *p, size_t n)
{
    if (n > 0 && fwrite(p, 1, n, sink->f) != n) {
        return cli_fail(CLI_WRITE, "cannot write to %s: %s", sink->name, strerror(errno));
    }
    return CLI_OK;
}

/* ---- the response head ----------------------------------------------------------------- */

struct head {
    int status;
    char status_line[LINE_MAX_LEN];
    bool chunked;          /* Transfer-Encoding ends in chunked */
    bool other_coding;     /* Transfer-Encoding without chunked last: read until close */
    bool has_length;
    uint64_t length;       /* Content-Length */
};

/* "HTTP/1.1 200 OK" (RFC 9112 4): version, a space, three digits, then the reason. */
static int parse_status_line(const char *line, int *status)
{
    if (strncmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') ||
        line[8] != ' ') {
        return -1;
    }
    const char *d = line + 9;
    for (int i = 0; i < 3; i++) {
        if (d[i] < '0' || d[i] > '9') {
            return -1;
        }
    }
    if (d[3] != '\0' && d[3] != ' ') {
        return -1;
    }
    *status = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
    return *status >= 100 ? 0 : -1;
}

/* Trims optional whitespace (RFC 9110 5.6.3) from both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        s[--n] = '\0';
    }
    return s;
}

/* Does the comma-separated list end in the token "chunked"? (RFC 9112 6.1) */
static bool ends_in_chunked(const char *v)
{
    const char *last = strrchr(v, ',');
    char tok[64];

    snprintf(tok, sizeof(tok), "%s", last != NULL ? last + 1 : v);
    return strcasecmp(trim(tok), "chunked") == 0;
}

/* One "name: value" field of the head; the ones that frame the body are kept. */
static int take_field(struct head *h, char *line)
{
    char *colon = strchr(line, ':');

    /* RFC 9112 5.1: no whitespace between the name and the colon */
    if (colon == NULL || colon == line || colon[-1] == ' ' || colon[-1] == '\t') {
        return cli_fail(CLI_BAD_REPLY, "malformed header field in the response: '%.80s'", line);
    }
    *colon = '\0';
    char *value = trim(colon + 1);
    if (strcasecmp(line, "Transfer-Encoding") == 0) {
        h->chunked = ends_in_chunked(value);
        h->other_coding = !h->chunked;
    } else if (strcasecmp(line, "Content-Length") == 0) {
        char *end;
        errno = 0;
        uint64_t v = strtoull(value, &end, 10);
        /* RFC 9110 8.6: digits only; several fields must agree */
        if (value[0] < '0' || value[0] > '9' || *end != '\0' || errno != 0 ||
            (h->has_length && v != h->length)) {
            return cli_fail(CLI_BAD_REPLY, "bad Content-Length in the response: '%.40s'", value);
        }
        h->has_length = true;
        h->length = v;
    }
    *colon = ':';
    return CLI_OK;
}

/*
 * Reads header (or trailer) field lines up to the empty line, printing each when asked.
 * h may be NULL for trailers.
 */
static int read_fields(struct in *r, struct head *h, const struct cli_request *req,
                       struct cli_sink *sink, int code_on_end)
{
    char line[LINE_MAX_LEN];
    int rc;

    for (int count = 0;; count++) {
        if ((rc = in_line(r, line, sizeof(line), code_on_end,
                          "in the middle of the response headers")) != 0) {
            return rc;
        }
        if (req->verbose) {
            fprintf(stderr, "< %s\n", line);
        }
        if (req->head_to_stdout && h != NULL) {
            if ((rc = sink_write(sink, line, strlen(line))) != 0 ||
                (rc = sink_write(sink, "\r\n", 2)) != 0) {
                return rc;
            }
        }
        if (line[0] == '\0') {
            return CLI_OK;
        }
        if (count >= FIELDS_MAX) {
            return cli_fail(CLI_BAD_REPLY, "the response has more than %d header fields",
                            FIELDS_MAX);
        }
        /* RFC 9112 5.2: obsolete line folding may be rejected */
        if (line[0] == ' ' || line[0] == '\t') {
            return cli_fail(CLI_BAD_REPLY, "the response folds a header line (obs-fold)");
        }
        if (h != NULL && (rc = take_field(h, line)) != 0) {
            return rc;
        }
    }
}

/* The status line and fields of the final response: interim 1xx responses are skipped. */
static int read_head(struct in *r, struct head *h, const struct cli_request *req,
                     struct cli_sink *sink)
{
    int rc;

    for (;;) {
        memset(h, 0, sizeof(*h));
        if ((rc = in_line(r, h->status_line, sizeof(h->status_line), CLI_RECV,
                          "in the middle of the status line")) != 0) {
            return rc;
        }
        if (parse_status_line(h->status_line, &h->status) != 0) {
            return cli_fail(CLI_BAD_REPLY, "the response is not HTTP/1.x: '%.80s'",
                            h->status_line);
        }
        if (req->verbose) {
            fprintf(stderr, "< %s\n", h->status_line);
        }
        if (req->head_to_stdout) {
            if ((rc = sink_write(sink, h->status_line, strlen(h->status_line))) != 0 ||
                (rc = sink_write(sink, "\r\n", 2)) != 0) {
                return rc;
            }
        }
        if ((rc = read_fields(r, h, req, sink, CLI_RECV)) != 0) {
            return rc;
        }
        if (h->status == 101) {
            return cli_fail(CLI_BAD_REPLY, "the server switched protocols (101), which was "
                            "never asked for");
        }
        if (h->status >= 200) {
            return CLI_OK;
        }
        /* RFC 9110 15.2: a 1xx is interim; the final response follows. */
    }
}

/* ---- bodies ------------------------------------------------------------------------------ */

/* Exactly n bytes (a Content-Length, or one chunk's data) to sink. */
static int copy_exact(struct in *r, uint64_t n, struct cli_sink *sink, bool write)
{
    while (n > 0) {
        int st = in_fill(r);
        if (st <= 0) {
            char what[96];
            snprintf(what, sizeof(what), "with %" PRIu64 " bytes of the body still to come", n);
            return in_failed(r, CLI_PARTIAL, what);
        }
        size_t take = r->len - r->pos;
        if (take > n) {
            take = (size_t)n;
        }
        int rc = write ? sink_write(sink, r->buf + r->pos, take) : CLI_OK;
        if (rc != 0) {
            return rc;
        }
        r->pos += take;
        n -= take;
    }
    return CLI_OK;
}

/* RFC 9112 7.1: chunk-size [ chunk-ext ] CRLF chunk-data CRLF ... last-chunk trailer CRLF */
static int copy_chunked(struct in *r, const struct cli_request *req, struct cli_sink *sink)
{
    char line[LINE_MAX_LEN];
    int rc;

    for (;;) {
        if ((rc = in_line(r, line, sizeof(line), CLI_PARTIAL,
                          "in the middle of a chunked body")) != 0) {
            return rc;
        }
        char *end;
        errno = 0;
        uint64_t size = strtoull(line, &end, 16);
        if (end == line || errno != 0 || (*end != '\0' && *end != ';' && *end != ' ' &&
                                          *end != '\t')) {
            return cli_fail(CLI_BAD_REPLY, "bad chunk size in the response: '%.40s'", line);
        }
        if (size == 0) {
            break;
        }
        if ((rc = copy_exact(r, size, sink, true)) != 0) {
            return rc;
        }
        if ((rc = in_line(r, line, sizeof(line), CLI_PARTIAL,
                          "in the middle of a chunked body")) != 0) {
            return rc;
        }
        if (line[0] != '\0') {
            return cli_fail(CLI_BAD_REPLY, "a chunk is longer than its size says");
        }
    }
    /* The trailer section: fields we print but do not use. */
    return read_fields(r, NULL, req, sink, CLI_PARTIAL);
}

/* No length: the body is everything until the server closes (RFC 9112 6.3, rule 8). */
static int copy_until_close(struct in *r, struct cli_sink *sink)
{
    for (;;) {
        int st = in_fill(r);
        if (st == 0) {
            return CLI_OK; /* a clean end: close_notify over TLS, FIN over TCP */
        }
        if (st < 0) {
            if (r->err == ECONNABORTED) {
                return cli_fail(CLI_RECV, "the server closed the connection without "
                                "close_notify: the body may be truncated");
            }
            return cli_fail(CLI_RECV, "%s", stream_error(r->s, r->err));
        }
        int rc = sink_write(sink, r->buf + r->pos, r->len - r->pos);
        if (rc != 0) {
            return rc;
        }
        r->pos = r->len;
    }
}

/* ---- the exchange ----------------------------------------------------------------------- */

/* --early-data: the given bytes are the request; those the server has (0-RTT) are not resent */
static int send_raw(struct cli_stream *s, const struct cli_request *req)
{
    if (req->verbose) {
        fprintf(stderr, "> (%zu bytes of --early-data%s)\n", req->raw_len,
                req->raw_done == req->raw_len ? ", all sent as 0-RTT data"
                : req->raw_done > 0 ? ", partly sent as 0-RTT data" : "");
    }
    if (req->raw_done < req->raw_len &&
        stream_write_all(s, (const char *)req->raw + req->raw_done,
                         req->raw_len - req->raw_done) != 0) {
        return cli_fail(CLI_SEND, "cannot send the request: %s", stream_error(s, errno));
    }
    return CLI_OK;
}

static int send_request(struct cli_stream *s, const struct cli_request *req)
{
    const struct cli_url *u = req->url;
    char host[CLI_HOST_MAX + 16];
    char *msg = NULL;
    int n, rc = CLI_OK;

    if (req->raw != NULL) {
        return send_raw(s, req);
    }

    /* RFC 9110 7.2: Host is the authority, with the port unless it is the scheme's own */
    snprintf(host, sizeof(host), "%s%s%s%s%s", u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "",
             u->default_port ? "" : ":", u->default_port ? "" : u->port);
    n = asprintf(&msg,
                 "%s %s HTTP/1.1\r\n"
                 "Host: %s\r\n"
                 "User-Agent: lucid-client/0.1\r\n"
                 "Accept: */*\r\n"
                 "Connection: close\r\n"
                 "\r\n",
                 req->method, u->target, host);
    if (n < 0) {
        return cli_fail(CLI_SEND, "out of memory");
    }
    if (req->verbose) {
        /* the request as sent, one "> " line per line, CRLFs dropped */
        for (char *p = msg; *p != '\0';) {
            char *eol = strstr(p, "\r\n");
            fprintf(stderr, "> %.*s\n", (int)(eol - p), p);
            p = eol + 2;
        }
    }
    if (stream_write_all(s, msg, (size_t)n) != 0) {
        rc = cli_fail(CLI_SEND, "cannot send the request: %s", stream_error(s, errno));
    }
    free(msg);
    return rc;
}

int cli_http_exchange(struct cli_stream *s, const struct cli_request *req, struct cli_sink *sink)
{
    struct in *r = calloc(1, sizeof(*r));
    struct head *h = calloc(1, sizeof(*h));
    int rc;

    if (r == NULL || h == NULL) {
        rc = cli_fail(CLI_RECV, "out of memory");
        goto out;
    }
    r->s = s;
    if ((rc = send_request(s, req)) != 0 || (rc = read_head(r, h, req, sink)) != 0) {
        goto out;
    }
    if (req->fail_on_error && h->status >= 400) {
        rc = cli_fail(CLI_HTTP_ERROR, "the server answered '%s'", h->status_line + 9);
        goto out;
    }
    /* RFC 9112 6.3, rules 1 and 2: these responses never have a body */
    if (strcmp(req->method, "HEAD") == 0 || h->status == 204 || h->status == 304) {
        rc = CLI_OK;
    } else if (h->chunked) {
        rc = copy_chunked(r, req, sink);
    } else if (h->has_length && !h->other_coding) {
        rc = copy_exact(r, h->length, sink, !req->head_to_stdout);
    } else {
        rc = copy_until_close(r, sink);
    }
out:
    free(r);
    free(h);
    return rc;
}
