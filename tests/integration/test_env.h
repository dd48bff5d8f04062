// What the integration tests share: the environment set by scripts/test.sh,
// the platform's config, and signing in through the mock provider.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/config.h"
#include "db/database.h"
#include "domain/server_state.h"
#include "http_client.h"

namespace gsp::test {

// The value of an environment variable the test command sets; throws (the
// test fails, never skips) when it is missing.
std::string env(const char* name);
// The configuration gsp-web runs with (GSP_TEST_CONFIG).
Config testConfig();
// "who-1a2b3c4d@example.com", unique per call.
std::string uniqueEmail(const std::string& who);

// Signs in through the mock Google provider, asking to come back to `next`;
// returns a client holding the session. `login` receives the answer of the
// sign-in POST when given.
HttpClient signIn(const std::string& base_url, const std::string& email, const std::string& next = "/dashboard",
                  HttpResponse* login = nullptr);

// The CSRF token of a signed-in client (read from its billing page).
std::string csrfOf(HttpClient& client);

// Runs a shell command; returns its output (stdout and stderr) and sets *status.
std::string runCommand(const std::string& command, int* status);

// The catalog id of a game by its slug.
int gameId(db::Database& db, const std::string& slug);
// Creates a server of `game_id` through the site's form, then waits until the
// agent made it (SLEEPING). Returns its id.
int64_t createServer(HttpClient& client, db::Database& db, int game_id, const std::string& name);
// Waits until the server is in `state` (the agent and the proxy work on their own time).
void waitForState(db::Database& db, int64_t id, domain::ServerState state, std::chrono::seconds limit);
// Waits until the server is deleted.
void waitUntilDeleted(db::Database& db, int64_t id, std::chrono::seconds limit);

}  // namespace gsp::test
