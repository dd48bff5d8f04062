// Sign-in: the login page, the mock OAuth consent page and its form, logout.
#include <string>

#include "db/session_repository.h"
#include "db/user_repository.h"
#include "web/handlers/handlers.h"
#include "web/pages.h"
#include "web/security.h"

namespace gsp::web::handlers {

namespace {

struct Provider {
  const char* slug;
  const char* name;
};
const Provider kProviders[] = {{"google", "Google"}, {"microsoft", "Microsoft"}};

const Provider* findProvider(const std::string& slug) {
  for (const Provider& p : kProviders) {
    if (slug == p.slug) return &p;
  }
  return nullptr;
}

// Anonymous forms need a CSRF key too: a random pre-session cookie.
void ensurePreSession(Context& ctx) {
  if (!ctx.csrf_key.empty()) return;
  ctx.csrf_key = newToken();
  ctx.pending_cookies.push_back(ctx.cookie(kPreSessionCookie, ctx.csrf_key, 3600));
}

}  // namespace

Response home(Context& ctx) { return Response::redirect(ctx.user ? "/dashboard" : "/auth/login"); }

Response showLogin(Context& ctx) {
  std::string next = safeNextPath(ctx.request.queryValue("next"));
  if (ctx.user) return Response::redirect(next);
  LoginPage page;
  page.next = next;
  page.mock_enabled = ctx.config.auth_mock_login;
  return Response::html(200, ctx.views.login(ctx.layout("Sign in"), page));
}

Response showMockConsent(Context& ctx) {
  const Provider* provider = findProvider(ctx.request.pathParam("provider"));
  if (!ctx.config.auth_mock_login || !provider) return pages::notFound(ctx);
  ensurePreSession(ctx);
  MockConsentPage page;
  page.provider = provider->slug;
  page.provider_name = provider->name;
  page.next = safeNextPath(ctx.request.queryValue("next"));
  return Response::html(200, ctx.views.mockConsent(ctx.layout("Sign in with " + page.provider_name), page));
}

Response mockLogin(Context& ctx) {
  const Provider* provider = findProvider(ctx.request.formValue("provider"));
  if (!ctx.config.auth_mock_login) return pages::notFound(ctx);
  std::string next = safeNextPath(ctx.request.formValue("next"));
  std::string email;
  if (!provider || !normalizeEmail(ctx.request.formValue("email"), &email)) {
    MockConsentPage page;
    page.provider = provider ? provider->slug : "google";
    page.provider_name = provider ? provider->name : "Google";
    page.next = next;
    page.email = ctx.request.formValue("email");
    page.error = provider ? "Enter a valid email address, like player@example.com." : "Choose Google or Microsoft.";
    return Response::html(422, ctx.views.mockConsent(ctx.layout("Sign in"), page));
  }

  // The mock provider vouches for the address itself: it is the subject too.
  db::User user =
      db::UserRepository(ctx.db).signIn(provider->slug, email, email, ctx.config.billing_signup_credit_cents);
  std::string token = newToken();
  db::SessionRepository(ctx.db).create(tokenHash(token), user.id, ctx.config.auth_session_hours,
                                       ctx.request.header("user-agent"));
  Response r = Response::redirect(next);
  r.cookies.push_back(ctx.cookie(kSessionCookie, token, ctx.config.auth_session_hours * 3600));
  r.cookies.push_back(ctx.cookie(kPreSessionCookie, "", 0));
  return r;
}

Response logout(Context& ctx) {
  if (!ctx.session_token.empty()) db::SessionRepository(ctx.db).remove(tokenHash(ctx.session_token));
  Response r = ctx.redirectWithFlash("/auth/login", "info", "You are signed out.");
  r.cookies.push_back(ctx.cookie(kSessionCookie, "", 0));
  return r;
}

}  // namespace gsp::web::handlers
