#!/usr/bin/env python3
"""Writes the seed corpus of input_checks_fuzzer next to this script.

The fuzzer reads, from the end of its input (FuzzedDataProvider), max_cents
(4 bytes), cents (8) and the method (1); the text is everything before.
Texts are values a visitor types into the deposit and sign-in forms, and
paths they follow or forge. Run: python3 make_seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
METHODS = ["GET", "POST", "HEAD", "PUT"]


def seed(name, text, method="GET", cents=123456, max_cents=50000):
    data = text.encode() if isinstance(text, str) else text
    data += bytes([METHODS.index(method)]) + struct.pack("<q", cents) + struct.pack("<I", max_cents - 100)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    seed("amount-25", "25")
    seed("amount-padded", " \t25 ", cents=-150)
    seed("amount-at-max", "500", max_cents=50000)
    seed("amount-over-max", "501", max_cents=50000)
    seed("amount-12-digits", "999999999999", max_cents=100000000, cents=-(2**63))
    seed("amount-13-digits", "0000000000025")
    seed("amount-zero", "0")
    seed("amount-sign", "+25")
    seed("amount-decimal", "25.50")
    seed("amount-exponent", "2e3")
    seed("amount-plus-encoded", "%2025%09")
    seed("next-server", "/servers/42?range=24h")
    seed("next-protocol-relative", "//evil.example/")
    seed("next-backslash", "/\\evil.example/")
    seed("next-tab", "/\t/evil.example/")
    seed("next-crlf", "/dashboard\r\nSet-Cookie: gsp_session=x")
    seed("next-auth-loop", "/auth/login?next=/auth/login")
    seed("next-encoded-slashes", "/%2F%2Fevil.example")
    seed("next-scheme", "https://evil.example/")
    seed("next-utf8", "/servers/42?q=caf\u00e9")
    seed("next-mixed-encoding", b"/servers/\xc3%A9")
    seed("email-plain", "Alice.Player@Example.COM")
    seed("email-padded", "  bob@example.org\t")
    seed("email-two-at", "a@b@example.org")
    seed("email-dot-domain", "a@.example.org")
    seed("email-double-dot", "a@example..org")
    seed("email-space", "a b@example.org")
    seed("email-angle", "<a@example.org>")
    seed("email-utf8", "j\u00f6rg@b\u00fccher.example")
    seed("email-encoded", "alice%40example.org")
    seed("route-server", "/servers/42")
    seed("route-backup-download", "/servers/123456789012345678/backups/7/download", method="HEAD")
    seed("route-id-19-digits", "/servers/1234567890123456789")
    seed("route-trailing-slash", "/servers/42/")
    seed("route-wake-get", "/servers/42/wake")
    seed("route-wake-post", "/servers/42/wake", method="POST")
    seed("route-provider", "/auth/mock/google", method="PUT")
    seed("route-encoded-slash", "/servers/42%2Fwake")


if __name__ == "__main__":
    main()
