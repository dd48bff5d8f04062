#include "web/app.h"

#include <chrono>

#include "db/session_repository.h"
#include "web/pages.h"
#include "web/request_parser.h"
#include "web/security.h"

namespace gsp::web {

namespace {
int64_t monotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

App::App(const Config& config, const Views& views, PageCache* cache)
    : config_(config), views_(views), cache_(cache), routes_(routeTable()) {
  for (size_t i = 0; i < routes_.size(); ++i) router_.add(routes_[i].method, routes_[i].pattern, static_cast<int>(i));
}

void App::resolveSession(Context& ctx) const {
  const std::string& token = ctx.request.cookie(kSessionCookie);
  if (!token.empty()) {
    if (isWellFormedToken(token))
      ctx.user = db::SessionRepository(ctx.db).findUser(tokenHash(token), &ctx.session_ms_left);
    if (ctx.user) {
      ctx.session_token = token;
      ctx.csrf_key = token;
      return;
    }
    // Expired, revoked or forged: forget it.
    ctx.pending_cookies.push_back(ctx.cookie(kSessionCookie, "", 0));
  }
  const std::string& pre = ctx.request.cookie(kPreSessionCookie);
  if (isWellFormedToken(pre)) ctx.csrf_key = pre;
}

void App::readFlash(Context& ctx) const {
  const std::string& raw = ctx.request.cookie(kFlashCookie);
  if (raw.empty()) return;
  std::string text;
  if (raw.size() <= 1024 && percentDecode(raw, false, &text)) {
    size_t colon = text.find(':');
    std::string kind = text.substr(0, colon);
    if (colon != std::string::npos && (kind == "success" || kind == "error" || kind == "info")) {
      ctx.flash_kind = kind;
      ctx.flash_message = text.substr(colon + 1, 300);
    }
  }
}

void App::refreshCache(db::Database& db, int64_t now_ms) const {
  if (!cache_->claimPoll(now_ms)) return;
  try {
    // Every state change adds a server_events row and every balance change a
    // transactions row, whichever process makes it: their newest ids say
    // whether anything a cached page shows may have changed.
    auto rs = db.sql("SELECT (SELECT COALESCE(MAX(id), 0) FROM server_events), "
                     "(SELECT COALESCE(MAX(id), 0) FROM transactions)")
                  .rows();
    rs->next();
    cache_->pollResult(std::to_string(rs->getInt64(1)) + "/" + std::to_string(rs->getInt64(2)), now_ms);
  } catch (...) {
    cache_->pollFailed();
    throw;
  }
}

Response App::handle(Request& request, db::Database& db, orchestration::ServerOperations& servers) const {
  RouteMatch match = router_.match(request.method, request.path);
  const RouteSpec* spec = match.kind == RouteMatch::Kind::kFound ? &routes_[match.id] : nullptr;

  // A signed-in GET of a cacheable page with no flash message to show may be
  // replayed from the page cache.
  std::string cache_key;
  uint64_t generation = 0;
  int64_t now_ms = 0;
  if (cache_ && cache_->enabled() && spec && spec->cacheable && request.method == "GET" && !request.internal &&
      request.cookie(kFlashCookie).empty() && isWellFormedToken(request.cookie(kSessionCookie))) {
    now_ms = monotonicMs();
    refreshCache(db, now_ms);
    generation = db::writeGeneration();  // before this request reads anything
    cache_key = tokenHash(request.cookie(kSessionCookie)) + " " + request.raw_target;
    if (std::optional<Response> hit = cache_->find(cache_key, generation, now_ms)) {
      hit->addHeader("X-Page-Cache", "hit");  // for operators and the tests
      return std::move(*hit);
    }
  }

  Context ctx(request, db, config_, views_);
  ctx.servers = &servers;
  readFlash(ctx);
  resolveSession(ctx);
  Response response = route(ctx, match, spec);

  bool sets_flash = false;
  for (const Cookie& c : response.cookies) sets_flash |= c.name == kFlashCookie;
  if (!ctx.flash_kind.empty() && !sets_flash && response.status != 303)
    ctx.pending_cookies.push_back(ctx.cookie(kFlashCookie, "", 0));
  for (Cookie& c : ctx.pending_cookies) {
    // What the handler set wins over the defaults gathered on the way in.
    bool already = false;
    for (const Cookie& r : response.cookies) already |= r.name == c.name;
    if (!already) response.cookies.push_back(std::move(c));
  }
  // Pages carry per-user data and CSRF tokens: never cache them.
  response.addHeader("Cache-Control", "no-store");
  if (!cache_key.empty() && ctx.user)
    cache_->store(cache_key, generation, now_ms + ctx.session_ms_left, now_ms, response);
  return response;
}

Response App::route(Context& ctx, const RouteMatch& match, const RouteSpec* spec) const {
  Request& request = ctx.request;
  // The internal listener serves only internal routes, and the public one never does.
  bool hidden = spec && (spec->access == Access::kInternal) != request.internal;
  if (match.kind == RouteMatch::Kind::kNotFound || hidden || (request.internal && !spec)) return pages::notFound(ctx);
  if (match.kind == RouteMatch::Kind::kMethodNotAllowed) {
    Response response = pages::error(ctx, 405);
    response.addHeader("Allow", match.allow);
    return response;
  }
  if (request.method == "POST" && spec->access != Access::kInternal &&
      !csrfTokenMatches(ctx.csrf_key, request.formValue("csrf_token")))
    return pages::error(ctx, 403, "Your form expired or did not come from this site. Reload the page and try again.");
  if (spec->access == Access::kUser && !ctx.user) {
    std::string next = request.method == "GET" ? safeNextPath(request.raw_target) : "/dashboard";
    return Response::redirect("/auth/login?next=" + percentEncode(next));
  }
  request.path_params = match.params;
  return spec->handler(ctx);
}

}  // namespace gsp::web
