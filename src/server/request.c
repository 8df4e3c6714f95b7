/*
 * From a parsed request to a response: GET and HEAD of files under the root (RFC 9110 9.3.1,
 * 9.3.2), a redirect for a directory named without its '/', and small HTML pages for errors.
 * The response head and, when it fits, the first bytes of the file go into c->out; conn.c
 * sends them and streams the rest of the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/internal.h"

/* RFC 9110 5.6.7: IMF-fixdate, always in GMT. */
static void http_date(time_t t, char *out, size_t cap)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, cap, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static const char *date_now(struct lc_srv *s)
{
    time_t now = time(NULL);

    if (now != s->date_second) {
        s->date_second = now;
        http_date(now, s->date, sizeof(s->date));
    }
    return s->date;
}

/*
 * Writes the response head into c->out (status line, then Server, Date, Content-Type,
 * Content-Length, the extra fields, Connection) and readies the connection to send it.
 */
static void head(struct lc_srv_conn *c, int status, const char *type, long long length,
                 const char *extra)
{
    if (c->out == NULL) {
        c->out = malloc(LC_SRV_OUT_CAP);
    }
    if (c->out == NULL) {
        /* Nothing can be said without a buffer: the connection just closes. */
        c->keep_alive = 0;
        c->out_len = c->out_off = 0;
        c->status = status;
        return;
    }
    int n = snprintf((char *)c->out, LC_SRV_OUT_CAP,
                     "HTTP/1.1 %d %s\r\n"
                     "Server: lucid-server/" LUCID_VERSION_STRING "\r\n"
                     "Date: %s\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %lld\r\n"
                     "%s"
                     "Connection: %s\r\n"
                     "\r\n",
                     status, lc_http_reason(status), date_now(c->srv), type, length,
                     extra != NULL ? extra : "", c->keep_alive ? "keep-alive" : "close");
    /* The extra fields are bounded by their callers well below LC_SRV_OUT_CAP. */
    c->out_len = n > 0 && n < LC_SRV_OUT_CAP ? (size_t)n : 0;
    c->out_off = 0;
    c->head_len = c->out_len;
    c->sent = 0;
    c->status = status;
}

/* A small HTML page for an error (or a redirect); HEAD gets its head only. */
static void page(struct lc_srv_conn *c, int status, const char *extra, int head_only)
{
    char body[256];
    int n = snprintf(body, sizeof(body),
                     "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
                     "<body><h1>%d %s</h1><hr>lucid-server</body></html>\n",
                     status, lc_http_reason(status), status, lc_http_reason(status));

    head(c, status, "text/html; charset=utf-8", n, extra);
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

/* The file itself: its head, then as much of it as fits behind the head in c->out. */
static void file(struct lc_srv_conn *c, struct lc_srv_file *f, int head_only)
{
    char extra[80], date[40];

    http_date(f->mtime, date, sizeof(date));
    snprintf(extra, sizeof(extra), "Last-Modified: %s\r\n", date);
    head(c, 200, f->type, (long long)f->size, extra);
    if (head_only || c->out_len == 0) {
        close(f->fd);
        return;
    }
    c->file = f->fd;
    c->file_off = 0;
    c->file_left = f->size;
    size_t room = LC_SRV_OUT_CAP - c->out_len;
    size_t want = (off_t)room < f->size ? room : (size_t)f->size;
    ssize_t got = want > 0 ? pread(c->file, c->out + c->out_len, want, 0) : 0;
    if (got < 0 || (size_t)got < want) {
        /* The file shrank or failed after fstat: send what we have and close, so the client
         * sees a short body rather than a wrong one. */
        got = got < 0 ? 0 : got;
        c->file_left = 0;
        c->keep_alive = 0;
    }
    c->out_len += (size_t)got;
    c->file_off += got;
    if (c->file_left > 0) {
        c->file_left -= got;
    }
}

void lc_srv_respond(struct lc_srv_conn *c, const struct lc_http_request *req, int parse_rc)
{
    char path[LC_HTTP_MAX_LINE + 1];
    struct lc_srv_file f;
    int is_dir, rc;

    clock_gettime(CLOCK_REALTIME, &c->started);
    lc_srv_copy_line(c->line, sizeof(c->line), req->line, req->line_len);
    if (parse_rc != LC_HTTP_COMPLETE) {
        /* Where this request ends is unknown, so nothing after it can be read. */
        c->keep_alive = 0;
        page(c, parse_rc, NULL, 0);
        return;
    }
    /* A chunked body is not read, so the connection cannot be reused after it. */
    c->keep_alive = req->keep_alive && !req->chunked && !c->srv->stopping;
    c->discard = req->content_length > 0 ? req->content_length : 0;
    int head_only = req->method_id == LC_HTTP_HEAD;

    if (req->method_id == LC_HTTP_OTHER) {
        /* RFC 9110 15.5.6: 405 lists the methods that are allowed. */
        page(c, 405, "Allow: GET, HEAD\r\n", 0);
        return;
    }
    rc = lc_http_target_path(req->target, req->target_len, path, sizeof(path), &is_dir);
    if (rc == 0) {
        rc = lc_srv_file_open(c->srv->root, path, is_dir, &f);
    }
    if (rc == 0) {
        file(c, &f, head_only);
    } else if (rc == 301) {
        redirect(c, path, req, head_only);
    } else {
        page(c, rc, NULL, head_only);
    }
}
