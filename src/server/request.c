/*
 * From a parsed request to a response: GET and HEAD of files under a site's locations (RFC 9110
 * 9.3.1, 9.3.2), with validators, conditional requests and single byte ranges (conditional.c),
 * a redirect for a directory named without its '/', and small HTML pages for errors.
 *
 * The response head and, when they fit, the first bytes of the file (or of its range) go into
 * c->out; conn.c sends them and streams the rest from c->file, c->file_off, c->file_left.
 *
 * Which site answers: on TLS, the one SNI chose during the handshake (conn.c); on a plain
 * connection, the one each request names in Host, or in its absolute-form target, which RFC
 * 9112 3.2.2 says takes precedence. Which file: the location with the longest prefix of the
 * decoded path, whose root the whole path is appended to (nginx's "root").
 *
 * A HEAD gets the head a GET would get (RFC 9110 9.3.2), but no Range handling (14.2 defines
 * ranges for GET only). An error that leaves the request's end unknown closes the connection
 * (its response says "Connection: close"): every status from the parser, which stops reading
 * at the error, and a request with a chunked body, which we do not read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/conditional.h"
#include "server/internal.h"

/* A response head being written into c->out. Its parts are bounded by their makers (a path
 * re-encoded at most 3 times its decoded length, fixed fields), far below LC_SRV_OUT_CAP; an
 * overflow still only makes the response empty and the connection close. */
struct head {
    char *p;
    size_t len;
    int overflow;
};

static void put(struct head *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct head *h, const char *fmt, ...)
{
    va_list ap;

    if (h->overflow) {
        return;
    }
    va_start(ap, fmt);
    int n = vsnprintf(h->p + h->len, LC_SRV_OUT_CAP - h->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= LC_SRV_OUT_CAP - h->len) {
        h->overflow = 1;
        return;
    }
    h->len += (size_t)n;
}

/* RFC 9110 6.6.1: the Date of now, formatted once per second. */
static const char *date_now(struct lc_srv *s, time_t now)
{
    if (now != s->date_second || s->date[0] == '\0') {
        s->date_second = now;
        lc_cond_format_date(now, s->date);
    }
    return s->date;
}

/* Starts a response head: status line, Server and Date. -1 when no buffer can be had: the
 * connection then just closes, since nothing can be said without one. */
static int begin(struct lc_srv_conn *c, struct head *h, int status)
{
    c->status = status;
    c->out_len = c->out_off = 0;
    if (c->out == NULL && (c->out = malloc(LC_SRV_OUT_CAP)) == NULL) {
        c->keep_alive = 0;
        return -1;
    }
    h->p = (char *)c->out;
    h->len = 0;
    h->overflow = 0;
    put(h, "HTTP/1.1 %d %s\r\nServer: lucid-server/%s\r\nDate: %s\r\n", status,
        lc_http_reason(status), LUCID_VERSION_STRING, date_now(c->srv, c->started.tv_sec));
    return 0;
}

/* Ends the head with Connection and the blank line, and readies it to be sent. */
static void end(struct lc_srv_conn *c, struct head *h)
{
    put(h, "Connection: %s\r\n\r\n", c->keep_alive ? "keep-alive" : "close");
    if (h->overflow) {
        h->len = 0;
        c->keep_alive = 0;
    }
    c->out_len = h->len;
    c->out_off = 0;
    c->head_len = c->out_len;
    c->sent = 0;
}

/* A small HTML page for an error or a redirect, with extra header lines ("Name: v\r\n...");
 * HEAD gets its head only. */
static void page(struct lc_srv_conn *c, int status, const char *extra, int head_only)
{
    char body[256];
    struct head h;
    int n = snprintf(body, sizeof(body),
                     "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
                     "<body><h1>%d %s</h1><hr>lucid-server</body></html>\n",
                     status, lc_http_reason(status), status, lc_http_reason(status));

    if (begin(c, &h, status) != 0) {
        return;
    }
    put(&h, "Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n%s", n,
        extra != NULL ? extra : "");
    end(c, &h);
    if (!head_only && c->out_len > 0 && c->out_len + (size_t)n <= LC_SRV_OUT_CAP) {
        memcpy(c->out + c->out_len, body, (size_t)n);
        c->out_len += (size_t)n;
    }
}

void lc_srv_respond_status(struct lc_srv_conn *c, int status)
{
    clock_gettime(CLOCK_REALTIME, &c->started);
    c->keep_alive = 0;
    page(c, status, NULL, 0);
}

/* 301 to the directory's path with '/' added, re-encoded, and the query kept. */
static void redirect(struct lc_srv_conn *c, const char *path, const struct lc_http_request *req,
                     int head_only)
{
    char location[2048], extra[2100];
    const char *query;
    size_t qlen, n = lc_http_encode_path(path, location, sizeof(location) - 1);

    lc_http_target_query(req->target, req->target_len, &query, &qlen);
    if (n == 0 || n + 1 + qlen >= sizeof(location)) {
        page(c, 414, NULL, head_only);
        return;
    }
    location[n++] = '/';
    memcpy(location + n, query, qlen); /* visible ASCII only: the parser checked */
    location[n + qlen] = '\0';
    snprintf(extra, sizeof(extra), "Location: %s\r\n", location);
    page(c, 301, extra, head_only);
}

/* The bytes [first, first + length) of the file: as many as fit behind the head in c->out,
 * and the rest left to conn.c. */
static void body(struct lc_srv_conn *c, const struct lc_srv_file *f, int64_t first,
                 int64_t length)
{
    int fd = f->fd;

    c->file = fd;
    c->file_entry = f->entry;
    c->file_off = (off_t)first;
    c->file_left = (off_t)length;
    size_t room = LC_SRV_OUT_CAP - c->out_len;
    size_t want = (int64_t)room < length ? room : (size_t)length;
    ssize_t got = want > 0 ? pread(fd, c->out + c->out_len, want, (off_t)first) : 0;
    if (got < 0 || (size_t)got < want) {
        /* The file shrank or failed after fstat: send what we have and close, so the client
         * sees a short body rather than a wrong one. */
        got = got < 0 ? 0 : got;
        c->file_left = (off_t)got;
        c->keep_alive = 0;
        lc_srv_file_stale(f->entry);
    }
    c->out_len += (size_t)got;
    c->file_off += got;
    c->file_left -= got;
}

/* The file itself, as its preconditions and Range decide: 200, 206, 304, 412 or 416. */
static void file(struct lc_srv_conn *c, struct lc_srv_file *f, const struct lc_http_request *req,
                 int head_only)
{
    const struct lc_cond_file cf = {
        .size = f->size, .mtime_sec = f->mtime, .mtime_nsec = f->mtime_nsec, .ino = f->ino,
    };
    struct lc_cond_validators v;
    struct lc_cond_answer a;
    char last_modified[LC_COND_DATE_MAX], extra[80];
    struct head h;

    lc_cond_validators(&cf, c->started.tv_sec, c->started.tv_nsec, &v);
    lc_cond_evaluate(req, f->size, &v, c->started.tv_sec, &a);
    lc_cond_format_date(v.last_modified, last_modified);

    if (a.status == 412 || a.status == 416) {
        /* RFC 9110 14.4: a 416 says the current length. */
        snprintf(extra, sizeof(extra), "Content-Range: bytes */%lld\r\n", (long long)f->size);
        page(c, a.status, a.status == 416 ? extra : NULL, head_only);
        lc_srv_file_put(c->srv, f->entry, f->fd);
        return;
    }
    if (begin(c, &h, a.status) != 0) {
        lc_srv_file_put(c->srv, f->entry, f->fd);
        return;
    }
    if (a.status == 304) {
        /* RFC 9110 15.4.5: the validators a 200 would carry, no content and no
         * representation metadata beyond them. */
        put(&h, "ETag: %s\r\nLast-Modified: %s\r\n", v.etag, last_modified);
        end(c, &h);
        lc_srv_file_put(c->srv, f->entry, f->fd);
        return;
    }
    put(&h, "Content-Type: %s\r\nContent-Length: %lld\r\n", f->type, (long long)a.length);
    if (a.status == 206) {
        put(&h, "Content-Range: bytes %lld-%lld/%lld\r\n", (long long)a.first,
            (long long)(a.first + a.length - 1), (long long)f->size);
    }
    put(&h, "Accept-Ranges: bytes\r\nETag: %s\r\nLast-Modified: %s\r\n", v.etag, last_modified);
    end(c, &h);
    if (head_only || c->out_len == 0) {
        lc_srv_file_put(c->srv, f->entry, f->fd);
        return;
    }
    body(c, f, a.first, a.length);
}

/*
 * A plain connection's site is the one this request names (RFC 9112 3.2.2: an absolute-form
 * target's authority wins over Host). A TLS connection keeps the one SNI chose, whose
 * certificate the client checked: a request naming another site of this address gets 421
 * Misdirected Request (RFC 9110 15.5.20), so one site's content is never served under
 * another's certificate (or client-certificate policy). Returns 0 or 421.
 */
static int choose_site(struct lc_srv_conn *c, const struct lc_http_request *req)
{
    const char *host = "";
    size_t len = 0;

    if (!lc_http_target_authority(req->target, req->target_len, &host, &len) &&
        req->host.lines > 0) {
        host = req->host.value;
        len = req->host.len;
    }
    if (c->tls == NULL) {
        c->vhost = lc_srv_pick_vhost(c, host, len);
        return 0;
    }
    return len > 0 && lc_srv_pick_vhost(c, host, len) != c->vhost ? 421 : 0;
}

void lc_srv_respond(struct lc_srv_conn *c, const struct lc_http_request *req, int parse_rc)
{
    char path[LC_HTTP_MAX_LINE + 2];
    const struct lc_srv_vloc *loc;
    struct lc_srv_file f;
    int is_dir, rc;

    clock_gettime(CLOCK_REALTIME, &c->started);
    if (c->line == NULL) {
        c->line = malloc(LC_SRV_LOG_LINE);
    }
    if (c->line != NULL) {
        lc_srv_copy_line(c->line, LC_SRV_LOG_LINE, req->line, req->line_len);
    }
    if (parse_rc != LC_HTTP_COMPLETE) {
        /* The parser stopped at the error, so where this request ends is unknown and nothing
         * after it can be read. */
        c->keep_alive = 0;
        page(c, parse_rc, NULL, 0);
        return;
    }
    /* A chunked body is not read, so the connection cannot be reused after it. */
    c->keep_alive = req->keep_alive && !req->chunked && !c->srv->stopping;
    c->discard = req->content_length > 0 ? req->content_length : 0;
    int head_only = req->method_id == LC_HTTP_HEAD;

    /* RFC 8470 5.2: 0-RTT data may be a replay; only what is safe to repeat is answered
     * from it. This server's GET and HEAD are; anything else is 425, to be sent again once
     * the handshake is done. */
    if (c->tls != NULL && lucid_conn_in_early_data(c->tls) &&
        req->method_id != LC_HTTP_GET && req->method_id != LC_HTTP_HEAD) {
        page(c, 425, NULL, 0);
        return;
    }
    if ((rc = choose_site(c, req)) != 0) {
        page(c, rc, NULL, head_only);
        return;
    }

    if (req->method_id == LC_HTTP_OTHER) {
        /* RFC 9110 15.5.6: 405 lists the methods that are allowed. */
        page(c, 405, "Allow: GET, HEAD\r\n", 0);
        return;
    }
    rc = lc_http_target_path(req->target, req->target_len, path, sizeof(path), &is_dir);
    if (rc == 0) {
        loc = c->vhost != NULL ? lc_srv_find_location(c->vhost, path) : NULL;
        rc = loc != NULL ? lc_srv_file_get(c->srv, loc, path, is_dir, &f) : 404;
    }
    if (rc == 0) {
        file(c, &f, req, head_only);
    } else if (rc == 301) {
        redirect(c, path, req, head_only);
    } else {
        page(c, rc, NULL, head_only);
    }
}
