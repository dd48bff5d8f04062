#!/usr/bin/env python3
"""Writes the seed corpus of webhook_signature_fuzzer next to this script.

The fuzzer reads its input with FuzzedDataProvider: secret, method, path,
timestamp and signature as ConsumeRandomLengthString (ended by a backslash
and one more byte), then, from the end of the input, skew, drift, a bool,
(now), at, with and id; the body is what lies between. The calls are what
gsp-proxy sends (proxy/src/webhook_request.cc), signed as it signs them.
Run: python3 make_seeds.py
"""
import hashlib
import hmac
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "5be1" * 16  # hex, as server_handlers.cc makes it; used as the key text
TS = "1764496800"


def sign(secret, method, path, ts, body):
    return hmac.new(secret.encode(), b"\n".join([method.encode(), path.encode(), ts.encode(), body]),
                    hashlib.sha256).hexdigest()


def fdp_string(s):
    return s.encode().replace(b"\\", b"\\\\") + b"\\\n"


def tail(skew, drift, now_flag=True, at=3, with_=0x20, server_id=42):
    # Read from the end: skew (2 bytes), drift (2), bool (1), at (8), with (1), id (8).
    out = struct.pack("<Q", server_id - 1)  # each number: its last byte is read first, as the most significant
    out += bytes([with_])
    out += struct.pack(">Q", at)[::-1]
    out += bytes([1 if now_flag else 0])
    out += struct.pack(">H", drift + 7200)[::-1]
    out += struct.pack(">H", skew - 5)[::-1]
    return out


def seed(name, secret, method, path, ts, signature, body, **kw):
    data = b"".join(fdp_string(x) for x in (secret, method, path, ts, signature)) + body + tail(**kw)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    wake = b'{"server_id":"42","event":"wake","protocol":"tcp","public_port":30001,"client":"198.51.100.9","reason":"minecraft-login","unix":1764496800}'
    activity = (b'{"server_id":"42","event":"activity","tcp_connections":2,"udp_sessions":0,"held_clients":0,'
                b'"bytes_from_clients":18231,"bytes_to_clients":912345,"last_traffic_unix":1764496790,'
                b'"dropped_datagrams":0,"upstream_up":true,"reason":"interval","unix":1764496800}')
    wsig = sign(SECRET, "POST", "/api/webhook/wake", TS, wake)
    asig = sign(SECRET, "POST", "/api/webhook/activity", TS, activity)
    seed("wake-signed", SECRET, "POST", "/api/webhook/wake", TS, wsig, wake, skew=300, drift=0)
    seed("activity-signed-30s-late", SECRET, "POST", "/api/webhook/activity", TS, asig, activity, skew=300, drift=30)
    seed("wake-signed-upper-hex", SECRET, "POST", "/api/webhook/wake", TS, wsig.upper(), wake, skew=300, drift=-299)
    seed("wake-stale", SECRET, "POST", "/api/webhook/wake", TS, wsig, wake, skew=300, drift=301)
    seed("wake-signed-for-activity", SECRET, "POST", "/api/webhook/activity", TS, wsig, wake, skew=300, drift=0)
    seed("wake-other-secret", "00" * 32, "POST", "/api/webhook/wake", TS, wsig, wake, skew=60, drift=0)
    seed("timestamp-letters", SECRET, "POST", "/api/webhook/wake", "17644968OO", wsig, wake, skew=300, drift=0)
    seed("timestamp-13-digits", SECRET, "POST", "/api/webhook/wake", "1764496800000", wsig, wake, skew=3600, drift=0)
    seed("timestamp-negative", SECRET, "POST", "/api/webhook/wake", "-1", wsig, wake, skew=5, drift=0,
         now_flag=False)
    seed("server-id-leading-zero", SECRET, "POST", "042", TS, "", b"999999999999999999", skew=300, drift=0,
         server_id=999999999999999999)
    seed("empty-everything", "", "", "", "", "", b"", skew=5, drift=0, server_id=1)


if __name__ == "__main__":
    main()
