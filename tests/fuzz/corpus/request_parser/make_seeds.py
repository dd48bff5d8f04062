#!/usr/bin/env python3
"""Writes the seed corpus of request_parser_fuzzer next to this script.

Each seed is the byte stream nginx writes to gsp-web's FastCGI socket
(FastCGI 1.0 spec: BEGIN_REQUEST, PARAMS name-value pairs with 1- and 4-byte
lengths, an empty PARAMS, STDIN, an empty STDIN; content padded to 8 bytes as
nginx does), with the parameters of /etc/nginx/fastcgi_params plus the
site's REQUEST_URI and GSP_LISTENER (nginx/gsp-site.conf.in), then the
request headers as HTTP_*. Plus malformed streams. Seeds stay under 2048
bytes, the -max_len scripts/test.sh fuzzes with. Run: python3 make_seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN, PARAMS, STDIN = 1, 4, 5
SESSION = "3f" * 32  # a well-formed 64-hex-digit token
CSRF = "9c4e" * 16


def record(rtype, content, rid=1, version=1, pad=None):
    if pad is None:
        pad = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", version, rtype, rid, len(content), pad, 0) + content + b"\0" * pad


def length(n, long_form=False):
    if n < 128 and not long_form:
        return bytes([n])
    return struct.pack(">I", n | 0x80000000)


def pairs(items, long_form=False):
    out = b""
    for name, value in items:
        n, v = name.encode() if isinstance(name, str) else name, value.encode() if isinstance(value, str) else value
        out += length(len(n), long_form) + length(len(v), long_form) + n + v
    return out


def nginx_params(method, uri, body=b"", content_type="", listener="public", https="", headers=()):
    path, _, query = uri.partition("?")
    items = [
        ("QUERY_STRING", query), ("REQUEST_METHOD", method), ("CONTENT_TYPE", content_type),
        ("CONTENT_LENGTH", str(len(body)) if body else ""), ("SCRIPT_NAME", path), ("REQUEST_URI", uri),
        ("DOCUMENT_URI", path), ("DOCUMENT_ROOT", "/usr/share/nginx/html"), ("SERVER_PROTOCOL", "HTTP/1.1"),
        ("REQUEST_SCHEME", "https" if https else "http"),
    ]
    if https:
        items.append(("HTTPS", https))
    items += [
        ("GATEWAY_INTERFACE", "CGI/1.1"), ("SERVER_SOFTWARE", "nginx/1.22.1"), ("REMOTE_ADDR", "203.0.113.7"),
        ("REMOTE_PORT", "51234"), ("REMOTE_USER", ""), ("SERVER_ADDR", "192.0.2.10"), ("SERVER_PORT", "443"),
        ("SERVER_NAME", "_"), ("REDIRECT_STATUS", "200"), ("HTTP_HOST", "gsp.example.com"),
        # The site's own lines: REQUEST_URI again (nginx sends both), the listener.
        ("REQUEST_URI", uri), ("GSP_LISTENER", listener),
    ]
    items += [("HTTP_" + k.upper().replace("-", "_"), v) for k, v in headers]
    return items


def stream(items, body=b"", split_params=None, split_stdin=None, long_form=False, keep_conn=False):
    out = record(BEGIN, struct.pack(">HB5x", 1, 1 if keep_conn else 0))
    data = pairs(items, long_form)
    chunks = [data] if not split_params else [data[:split_params], data[split_params:]]
    for c in chunks:
        out += record(PARAMS, c)
    out += record(PARAMS, b"")
    if body:
        bchunks = [body] if not split_stdin else [body[:split_stdin], body[split_stdin:]]
        for c in bchunks:
            out += record(STDIN, c)
    out += record(STDIN, b"")
    return out


BROWSER = [
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Language", "en-GB,en;q=0.5"),
    ("Accept-Encoding", "gzip, deflate, br"),
]


def write(name, data):
    assert len(data) <= 2048, (name, len(data))
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def form_post(uri, body, cookie, referer):
    headers = BROWSER + [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(body))),
                         ("Origin", "https://gsp.example.com"), ("Referer", referer), ("Cookie", cookie)]
    return stream(nginx_params("POST", uri, body, "application/x-www-form-urlencoded", https="on", headers=headers),
                  body)


def main():
    signed_in = "gsp_session=%s; gsp_flash=success%%3AServer%%20created." % SESSION
    write("get-dashboard-signed-in", stream(nginx_params("GET", "/dashboard", https="on",
                                                         headers=BROWSER + [("Cookie", signed_in)])))
    write("get-login-next", stream(nginx_params("GET", "/auth/login?next=%2Fservers%2F42%3Frange%3D24h", https="on",
                                                 headers=BROWSER + [("Cookie", "gsp_pre=" + SESSION)])))
    # The sign-in form of templates/mock_consent.tpl, as Firefox posts it.
    body = ("csrf_token=%s&provider=google&next=%%2Fservers%%2F42&email=Alice.Player%%40Example.COM" % CSRF).encode()
    write("post-mock-login", form_post("/auth/mock-login", body, "gsp_pre=" + SESSION,
                                       "https://gsp.example.com/auth/mock/google?next=%2Fservers%2F42"))
    body = ("csrf_token=%s&idempotency_key=%s&amount=+25+" % (CSRF, "7d" * 16)).encode()
    write("post-add-funds", form_post("/billing/add-funds", body, "gsp_session=" + SESSION,
                                      "https://gsp.example.com/billing"))
    body = ("csrf_token=%s&game_id=3&name=Caf%%C3%%A9+%%E2%%9B%%8F+world" % CSRF).encode()
    write("post-create-server-utf8", form_post("/servers/create", body, "gsp_session=" + SESSION,
                                               "https://gsp.example.com/servers/create"))
    body = ("csrf_token=%s&on_sleep=1&daily_hour=04" % CSRF).encode()
    write("post-backup-schedule-split-stdin",
          stream(nginx_params("POST", "/servers/42/backup-schedule", body, "application/x-www-form-urlencoded; charset=UTF-8",
                              https="on", headers=[("Cookie", "gsp_session=" + SESSION)]), body, split_stdin=13))
    write("get-logs-query", stream(nginx_params("GET", "/servers/42/logs?tail=200&since=1764496800&tail=5",
                                                headers=[("Cookie", 'gsp_session="%s"; theme=dark; =x; novalue' % SESSION),
                                                         ("X-Requested-With", "fetch")])))
    write("head-healthz", stream(nginx_params("HEAD", "/healthz", headers=[("User-Agent", "curl/7.88.1")])))
    # A proxy's signed webhook on the internal listener (proxy/src/webhook_request.cc).
    body = b'{"server_id":"42","event":"wake","protocol":"tcp","public_port":30001,"client":"198.51.100.9","reason":"tcp","unix":1764496800}'
    write("post-webhook-wake", stream(nginx_params("POST", "/api/webhook/wake", body, "application/json", listener="internal",
                                                   headers=[("X-GSP-Server", "42"), ("X-GSP-Timestamp", "1764496800"),
                                                            ("X-GSP-Signature", "ab" * 32), ("Connection", "close"),
                                                            ("Content-Type", "application/json")]), body))
    # nginx splits PARAMS wherever its buffer ends, here inside a pair.
    write("params-split-mid-pair", stream(nginx_params("GET", "/billing?page=2", headers=BROWSER), split_params=77))
    write("params-4-byte-lengths", stream(nginx_params("GET", "/servers/create?game=2", headers=[("Cookie", "a=1")]),
                                          long_form=True, keep_conn=True))

    # Malformed, each refused by a different check.
    write("bad-percent-escape", stream(nginx_params("GET", "/billing?page=%G1")))
    write("bad-overlong-utf8-path", stream(nginx_params("GET", "/servers/%C0%AF42")))
    write("bad-surrogate-form", form_post("/servers/create", b"name=%ED%A0%80&game_id=1", "gsp_session=" + SESSION, "x"))
    write("bad-control-in-form", form_post("/servers/create", b"name=a%00b&game_id=1", "gsp_session=" + SESSION, "x"))
    write("bad-cookie-control", stream(nginx_params("GET", "/dashboard", headers=[("Cookie", "gsp_session=a\x01b")])))
    write("bad-header-control", stream(nginx_params("GET", "/dashboard", headers=[("User-Agent", "x\x1b[31m")])))
    write("bad-lowercase-method", stream(nginx_params("get", "/dashboard")))
    write("bad-target-not-slash", stream(nginx_params("GET", "http://evil.example/")))
    write("bad-too-many-fields", stream(nginx_params("GET", "/billing?" + "a&" * 201)))
    write("bad-too-many-cookies", stream(nginx_params("GET", "/", headers=[("Cookie", "c=1;" * 51)])))
    body = b"amount=25"
    short = stream([p if p[0] != "CONTENT_LENGTH" else ("CONTENT_LENGTH", "90") for p in
                    nginx_params("POST", "/billing/add-funds", body, "application/x-www-form-urlencoded")], body)
    write("bad-content-length-short-body", short)
    write("bad-content-length-sign", stream([p if p[0] != "CONTENT_LENGTH" else ("CONTENT_LENGTH", "-1") for p in
                                             nginx_params("POST", "/auth/logout", body, "application/x-www-form-urlencoded")],
                                            body))
    write("bad-nul-in-param", stream([("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/dash\0board"), ("HTTP_X=Y", "z")]))
    full = stream(nginx_params("GET", "/dashboard"))
    write("bad-truncated-record", full[:len(full) - 20])
    write("bad-version-2", record(BEGIN, struct.pack(">HB5x", 1, 0), version=2) + full[16:])
    write("bad-role-authorizer", record(BEGIN, struct.pack(">HB5x", 2, 0)) + full[16:])
    write("other-request-id-interleaved", full[:16] + record(STDIN, b"ignored", rid=2) + full[16:])


if __name__ == "__main__":
    main()
