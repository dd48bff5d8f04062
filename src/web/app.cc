#include "web/app.h"

#include "db/session_repository.h"
#include "web/pages.h"
#include "web/request_parser.h"
#include "web/security.h"

namespace gsp::web {

App::App(const Config& config, const Views& views) : config_(config), views_(views), routes_(routeTable()) {
  for (size_t i = 0; i < routes_.size(); ++i) router_.add(routes_[i].method, routes_[i].pattern, static_cast<int>(i));
}

void App::resolveSession(Context& ctx) const {
  const std::string& token = ctx.request.cookie(kSessionCookie);
  if (!token.empty()) {
    if (isWellFormedToken(token)) ctx.user = db::SessionRepository(ctx.db).findUser(tokenHash(token));
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

Response App::handle(Request& request, db::Database& db, orchestration::ServerOperations& servers) const {
  Context ctx(request, db, config_, views_);
  ctx.servers = &servers;
  RouteMatch match = router_.match(request.method, request.path);
  readFlash(ctx);
  resolveSession(ctx);

  Response response;
  const RouteSpec* route = match.kind == RouteMatch::Kind::kFound ? &routes_[match.id] : nullptr;
  // The internal listener serves only internal routes, and the public one never does.
  bool hidden = route && (route->access == Access::kInternal) != request.internal;
  if (match.kind == RouteMatch::Kind::kNotFound || hidden || (request.internal && !route)) {
    response = pages::notFound(ctx);
  } else if (match.kind == RouteMatch::Kind::kMethodNotAllowed) {
    response = pages::error(ctx, 405);
    response.addHeader("Allow", match.allow);
  } else if (request.method == "POST" && route->access != Access::kInternal &&
             !csrfTokenMatches(ctx.csrf_key, request.formValue("csrf_token"))) {
    response = pages::error(ctx, 403, "Your form expired or did not come from this site. Reload the page and try again.");
  } else if (route->access == Access::kUser && !ctx.user) {
    std::string next = request.method == "GET" ? safeNextPath(request.raw_target) : "/dashboard";
    response = Response::redirect("/auth/login?next=" + percentEncode(next));
  } else {
    request.path_params = match.params;
    response = route->handler(ctx);
  }

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
  return response;
}

}  // namespace gsp::web
