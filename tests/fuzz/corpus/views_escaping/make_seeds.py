#!/usr/bin/env python3
"""Writes the seed corpus of views_escaping_fuzzer next to this script.

The fuzzer reads three texts from the front of its input (FuzzedDataProvider's
ConsumeRandomLengthString: each ended by a backslash and one more byte) and
the page's shape from the end: 14 flags, row counts, page, hour, cents, the
chart's range, step, minimum top and points (each a time and any double).
The texts are classic injection attempts and the values the pages compare
fields with ("RUNNING", "1h", "dashboard"). Run: python3 make_seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def fdp_string(s):
    return s.encode().replace(b"\\", b"\\\\") + b"\\\n"


def tail(reads):
    """The bytes whose reading from the end gives `reads`, (value, size) in read order."""
    out = b""
    for value, size in reversed(reads):
        out += (value % (1 << (8 * size))).to_bytes(size, "little")  # the last byte is read first
    return out


def shape(flags, rows, cents, points):
    from_unix = 1764496800 - 86400
    reads = [(f, 1) for f in flags]
    reads += [(rows, 1)] * 4 + [(1, 1), (rows + 1, 1), (4 + 1, 1)]  # servers..backups, page 2, pages, hour 4
    reads += [(cents + (1 << 63), 8), (from_unix, 5), (86400 + 60, 4), (60 + 1, 3), (2, 1), (len(points), 1)]
    for offset, value in points:
        reads += [(offset + 86400, 4), (struct.unpack("<Q", struct.pack("<d", value))[0], 8), (1, 1)]
    return tail(reads)


def seed(name, texts, flags=(1,) * 14, rows=2, cents=123456, points=((60, 42.5), (120, 97.0))):
    data = b"".join(fdp_string(t) for t in texts) + shape(flags, rows, cents, points)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    seed("script-tag", ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' onmouseover='x"])
    seed("entities", ["&lt;b&gt;", "&amp", "&#x3c;&#60"], cents=-(2**63))
    seed("urls", ["javascript:alert(1)", "//evil.example/?a=1&b=\"2\"", "/servers/42?next=<x>"], flags=(0, 1) * 7)
    seed("compared-values", ["RUNNING", "1h", "dashboard"], rows=1)
    seed("queued-state", ["QUEUED", "24h", "billing"], flags=(0,) * 14)
    seed("utf8-names", ["Caf\u00e9 \u26cf world", "\u202eevil", "a\nb\tc"], rows=0, points=())
    seed("empty-texts", ["", "", ""], rows=2)
    seed("chart-nan", ["CPU <%>", "% & 'u'", "\""], points=((60, float("nan")), (30, float("inf")), (90, -1e308)))


if __name__ == "__main__":
    main()
