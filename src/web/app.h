// The web application without its transport: route table, session lookup,
// CSRF and sign-in checks, then the handler. The FastCGI loop calls handle()
// once per request. Read-only after construction; thread-safe as long as each
// thread passes its own Database.
#pragma once

#include <functional>
#include <vector>

#include "core/config.h"
#include "db/database.h"
#include "web/context.h"
#include "web/page_cache.h"
#include "web/request.h"
#include "web/response.h"
#include "web/router.h"
#include "web/views.h"

namespace gsp::web {

// Who may reach a route.
enum class Access {
  kPublic,    // anyone on the public listener
  kUser,      // signed-in users; others are sent to sign in
  kInternal,  // only the internal (webhook) listener; the handler verifies signatures
};

struct RouteSpec {
  const char* method;
  const char* pattern;
  Access access;
  std::function<Response(Context&)> handler;
  // A page that only reads the database and shows nothing else that changes
  // (no engine stats, no logs): the page cache may replay it (page_cache.h).
  bool cacheable = false;
};
constexpr bool kCacheable = true;

// The one route table (routes.cc).
std::vector<RouteSpec> routeTable();

class App {
 public:
  // `cache` may be null (no page cache, as in the unit tests).
  App(const Config& config, const Views& views, PageCache* cache = nullptr);

  // Database failures escape as sql::SQLException: the caller reconnects and
  // retries once, or answers 503. `servers` is the calling worker's.
  Response handle(Request& request, db::Database& db, orchestration::ServerOperations& servers) const;

 private:
  void resolveSession(Context& ctx) const;
  void readFlash(Context& ctx) const;
  // Access checks, then the handler; `spec` is the matched route, if any.
  Response route(Context& ctx, const RouteMatch& match, const RouteSpec* spec) const;
  // Polls other processes' change markers when the page cache asks for it.
  void refreshCache(db::Database& db, int64_t now_ms) const;

  const Config& config_;
  const Views& views_;
  PageCache* cache_;
  Router router_;
  std::vector<RouteSpec> routes_;
};

}  // namespace gsp::web
