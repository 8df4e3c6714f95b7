#!/usr/bin/env python3
"""Conditional and range requests (RFC 9110 13, 14) against real files, over the plain and the
TLS listener, with raw requests and with curl.

  conditional.py --bin DIR

- ETag and Last-Modified come with every 200; If-None-Match (the tag, its W/ form, a list,
  "*") gives 304 with the validators and no body, and wins over If-Modified-Since;
  If-Modified-Since at or after Last-Modified gives 304, before it 200, a bad date is ignored.
- If-Match and If-Unmodified-Since give 412 when they fail.
- Range: bytes=a-b, a- and -n give 206 with Content-Range and exactly those bytes; past the
  end is 416 with "Content-Range: bytes */SIZE"; several ranges get the whole file (200: no
  multipart/byteranges); HEAD ignores Range; If-Range with the current ETag or Last-Modified
  keeps the range, with another validator sends the whole file.
- A file changed on disk gets a new ETag, and the old one no longer gives 304.
- curl: -z (If-Modified-Since), --etag-save/--etag-compare (If-None-Match), -r (Range),
  -C - (resume a partial download) give the same answers.
"""

import os
import time

import httptest as ht


def get(t, srv, tls, path, extra="", method="GET"):
    return ht.exchange(t, srv, tls, ht.request(path, method, extra=extra),
                       head_request=method == "HEAD")


def validators(t, srv, tls):
    tag = ht.name(tls)
    r = get(t, srv, tls, "/hello.txt")
    etag, lm = r.get("etag"), r.get("last-modified")
    t.check(r.status == 200 and etag and lm and not etag.startswith("W/"),
            "%s: 200 carries a strong ETag and Last-Modified (file older than 1 s)" % tag,
            r.describe())
    st = os.stat(os.path.join(t.webroot, "hello.txt"))
    t.check(lm == time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(st.st_mtime)),
            "%s: Last-Modified is the file's mtime" % tag, lm)
    return etag, lm


def conditionals(t, srv, tls, etag, lm):
    tag = ht.name(tls)
    older = "Thu, 01 Jan 1998 00:00:00 GMT"
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3600))
    asctime = time.strftime("%a %b %e %H:%M:%S %Y", time.strptime(lm, "%a, %d %b %Y %H:%M:%S GMT"))
    cases = [
        ("If-None-Match: the ETag", "If-None-Match: %s\r\n" % etag, 304),
        ("If-None-Match: its weak form", "If-None-Match: W/%s\r\n" % etag, 304),
        ("If-None-Match: a list holding it", 'If-None-Match: "x", %s, "y"\r\n' % etag, 304),
        ("If-None-Match: on two lines", 'If-None-Match: "x"\r\nIf-None-Match: %s\r\n' % etag,
         304),
        ("If-None-Match: *", "If-None-Match: *\r\n", 304),
        ("If-None-Match: another tag", 'If-None-Match: "other"\r\n', 200),
        ("If-None-Match: another tag beats a matching If-Modified-Since",
         'If-None-Match: "other"\r\nIf-Modified-Since: %s\r\n' % lm, 200),
        ("If-Modified-Since: Last-Modified", "If-Modified-Since: %s\r\n" % lm, 304),
        ("If-Modified-Since: later", "If-Modified-Since: %s\r\n" % later, 304),
        ("If-Modified-Since: in asctime form", "If-Modified-Since: %s\r\n" % asctime, 304),
        ("If-Modified-Since: earlier", "If-Modified-Since: %s\r\n" % older, 200),
        ("If-Modified-Since: not a date", "If-Modified-Since: yesterday\r\n", 200),
        ("If-Match: the ETag", "If-Match: %s\r\n" % etag, 200),
        ("If-Match: another tag", 'If-Match: "other"\r\n', 412),
        ("If-Unmodified-Since: earlier", "If-Unmodified-Since: %s\r\n" % older, 412),
        ("If-Unmodified-Since: Last-Modified", "If-Unmodified-Since: %s\r\n" % lm, 200),
    ]
    hello = t.file_bytes("hello.txt")
    for title, extra, status in cases:
        for method in ("GET", "HEAD"):
            r = get(t, srv, tls, "/hello.txt", extra, method)
            ok = r.status == status
            if status == 304:
                # RFC 9110 15.4.5: the validators, no content, no Content-Type
                ok = ok and r.body == b"" and r.get("etag") == etag \
                    and r.get("last-modified") == lm and r.get("content-type") is None
            elif status == 200 and method == "GET":
                ok = ok and r.body == hello
            t.check(ok, "%s: %s %s is %d" % (tag, method, title, status), r.describe())


def ranges(t, srv, tls, etag, lm):
    tag = ht.name(tls)
    small = t.file_bytes("small.bin")
    n = len(small)
    cases = [
        ("bytes=0-0", 206, 0, 1),
        ("bytes=100-199", 206, 100, 100),
        ("bytes=19990-", 206, 19990, n - 19990),
        ("bytes=-25", 206, n - 25, 25),
        ("bytes=-999999", 206, 0, n),
        ("bytes=19999-99999999999999999999", 206, 19999, 1),
        ("bytes=%d-" % n, 416, 0, 0),
        ("bytes=99999999999999999999-", 416, 0, 0),
        ("bytes=-0", 416, 0, 0),
        ("bytes=0-1,5-6", 200, 0, n),        # several ranges: the whole file
        ("bytes=5-1", 200, 0, n),            # invalid: ignored
        ("pages=1-2", 200, 0, n),            # another unit: ignored
    ]
    for spec, status, first, length in cases:
        r = get(t, srv, tls, "/small.bin", "Range: %s\r\n" % spec)
        ok = r.status == status
        if status == 206:
            ok = ok and r.body == small[first:first + length] \
                and r.get("content-range") == "bytes %d-%d/%d" % (first, first + length - 1, n) \
                and r.get("content-length") == str(length)
        elif status == 416:
            ok = ok and r.get("content-range") == "bytes */%d" % n
        else:
            ok = ok and r.body == small and r.get("content-range") is None
        t.check(ok, "%s: Range: %s is %d" % (tag, spec, status), r.describe())

    # HEAD ignores Range (RFC 9110 14.2: defined for GET only).
    r = get(t, srv, tls, "/small.bin", "Range: bytes=0-9\r\n", "HEAD")
    t.check(r.status == 200 and r.get("content-length") == str(n),
            "%s: HEAD with Range is 200 with the whole length" % tag, r.describe())

    # If-Range (RFC 9110 13.1.5).
    big_tag = get(t, srv, tls, "/small.bin", "", "HEAD")
    s_etag, s_lm = big_tag.get("etag"), big_tag.get("last-modified")
    for title, value, status in [("the current ETag", s_etag, 206),
                                 ("the current Last-Modified", s_lm, 206),
                                 ("another ETag", '"stale"', 200),
                                 ("the weak ETag", "W/" + s_etag, 200),
                                 ("an older date", "Thu, 01 Jan 1998 00:00:00 GMT", 200)]:
        r = get(t, srv, tls, "/small.bin", "Range: bytes=10-19\r\nIf-Range: %s\r\n" % value)
        want = small[10:20] if status == 206 else small
        t.check(r.status == status and r.body == want,
                "%s: If-Range with %s is %d" % (tag, title, status), r.describe())

    # 304 beats Range (RFC 9110 14.2).
    r = get(t, srv, tls, "/small.bin", "Range: bytes=0-9\r\nIf-None-Match: %s\r\n" % s_etag)
    t.check(r.status == 304 and r.body == b"", "%s: If-None-Match matching beats Range (304)"
            % tag, r.describe())


def changed_file(t, srv, tls):
    """A file replaced on disk: new ETag, the old one gets the new content."""
    tag = ht.name(tls)
    path = os.path.join(t.webroot, "changing-%s.txt" % tag)
    with open(path, "w") as f:
        f.write("version one\n")
    r1 = get(t, srv, tls, "/" + os.path.basename(path))
    with open(path, "w") as f:
        f.write("version TWO\n")  # same size, rewritten at once
    r2 = get(t, srv, tls, "/" + os.path.basename(path),
             "If-None-Match: %s\r\n" % r1.get("etag"))
    t.check(r1.status == 200 and r1.get("etag", "").startswith("W/"),
            "%s: a file written just now gets a weak ETag" % tag, r1.describe())
    t.check(r2.status == 200 and r2.body == b"version TWO\n" and r2.get("etag") != r1.get("etag"),
            "%s: rewritten with the same size at once, it gets a new ETag and the old one "
            "no longer gives 304" % tag, r2.describe())
    time.sleep(1.1)
    r3 = get(t, srv, tls, "/" + os.path.basename(path))
    r4 = get(t, srv, tls, "/" + os.path.basename(path), "If-None-Match: %s\r\n" % r2.get("etag"))
    t.check(r3.status == 200 and not r3.get("etag", "W/").startswith("W/") and r4.status == 200,
            "%s: a second later its ETag is strong, and the weak one seen before no longer "
            "matches" % tag, r3.describe() + "\n--\n" + r4.describe())
    r5 = get(t, srv, tls, "/" + os.path.basename(path), "If-None-Match: %s\r\n" % r3.get("etag"))
    t.check(r5.status == 304, "%s: the strong ETag gives 304" % tag, r5.describe())


def curl_checks(t, srv, tls):
    curl = t.need_tool("curl")
    tag = ht.name(tls)
    url = srv.url(tls, "/small.bin")
    base = [curl, "-sS", "--cacert", ht.CA, "-w", "%{http_code}"]
    small = t.file_bytes("small.bin")

    # If-Modified-Since: curl -z with a date after the file's mtime, and before.
    out = os.path.join(t.tmp, "curl-out")
    r = t.run(base + ["-z", "Fri, 01 Jan 2100 00:00:00 GMT", "-o", out, url])
    t.check(r.stdout == "304", "%s: curl -z (If-Modified-Since) gets 304" % tag, r.describe())
    r = t.run(base + ["-z", "Thu, 01 Jan 1998 00:00:00 GMT", "-o", out, url])
    with open(out, "rb") as f:
        got = f.read()
    t.check(r.stdout == "200" and got == small, "%s: curl -z with an older date gets the file"
            % tag, r.describe())

    # If-None-Match: --etag-save, then --etag-compare.
    etag_file = os.path.join(t.tmp, "etag-%s" % tag)
    r = t.run(base + ["--etag-save", etag_file, "-o", out, url])
    t.check(r.stdout == "200" and os.path.getsize(etag_file) > 0,
            "%s: curl --etag-save stores the ETag" % tag, r.describe())
    r = t.run(base + ["--etag-compare", etag_file, "-o", out, url])
    t.check(r.stdout == "304", "%s: curl --etag-compare (If-None-Match) gets 304" % tag,
            r.describe())

    # Range: -r, and resuming a partial download with -C -.
    r = t.run(base + ["-r", "1000-1999", "-o", out, url])
    with open(out, "rb") as f:
        got = f.read()
    t.check(r.stdout == "206" and got == small[1000:2000], "%s: curl -r 1000-1999 gets 206 and "
            "those bytes" % tag, r.describe())
    part = os.path.join(t.tmp, "partial-%s" % tag)
    with open(part, "wb") as f:
        f.write(small[:7777])
    r = t.run(base + ["-C", "-", "-o", part, url])
    with open(part, "rb") as f:
        got = f.read()
    t.check(r.stdout == "206" and got == small, "%s: curl -C - resumes a partial download to "
            "the whole file" % tag, r.describe())
    r = t.run(base + ["-r", "30000-", "-o", out, url])
    t.check(r.stdout == "416", "%s: curl -r past the end gets 416" % tag, r.describe())


def test(t):
    # the files must be more than a second old for their validators to be strong
    time.sleep(1.1)
    srv = ht.server(t)
    for tls in (False, True):
        etag, lm = validators(t, srv, tls)
        conditionals(t, srv, tls, etag, lm)
        ranges(t, srv, tls, etag, lm)
        changed_file(t, srv, tls)
        curl_checks(t, srv, tls)


if __name__ == "__main__":
    ht.main(test)
