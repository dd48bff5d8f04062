// The web tier's security primitives: session tokens, CSRF tokens, the
// "come back after login" path check and email validation. Pure; thread-safe.
#pragma once

#include <string>

namespace gsp::web {

// 256 random bits as 64 lower-case hex digits.
std::string newToken();
bool isWellFormedToken(const std::string& token);
// What the database stores instead of the token: hex SHA-256.
std::string tokenHash(const std::string& token);

// The CSRF token of a browser is derived from its session (or pre-session)
// token, so the database never holds it and it changes with every sign-in.
std::string csrfTokenFor(const std::string& session_token);
bool csrfTokenMatches(const std::string& session_token, const std::string& submitted);

// `next` if it is a local path ("/billing?page=2"), else "/dashboard": no
// scheme, no "//host", no backslashes, no control bytes — no open redirect.
std::string safeNextPath(const std::string& next);

// A pragmatic address check: one '@', a non-empty local part, a dotted domain,
// no spaces or control bytes, at most 254 bytes. Returns the lower-cased email.
bool normalizeEmail(const std::string& input, std::string* email);

}  // namespace gsp::web
