// Everything one request's handler may use: the parsed request, this worker's
// database, the configuration and views, and who is signed in. Handlers turn a
// Context into a Response; they never see FastCGI, sockets or SQL.
// One Context per request, used by one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "db/database.h"
#include "db/user_repository.h"
#include "orchestration/server_operations.h"
#include "web/request.h"
#include "web/response.h"
#include "web/views.h"

namespace gsp::web {

// Cookie names, in one place.
inline constexpr char kSessionCookie[] = "gsp_session";
inline constexpr char kPreSessionCookie[] = "gsp_pre";  // CSRF key before sign-in
inline constexpr char kFlashCookie[] = "gsp_flash";

struct Context {
  Context(Request& r, db::Database& d, const Config& c, const Views& v)
      : request(r), db(d), config(c), views(v) {}

  Request& request;
  db::Database& db;
  const Config& config;
  const Views& views;
  orchestration::ServerOperations* servers = nullptr;  // this worker's; never null in handlers

  std::optional<db::User> user;  // signed-in user, if any
  std::string session_token;     // the signed-in session's token
  int64_t session_ms_left = 0;   // until that session expires
  std::string csrf_key;          // session token, or the pre-session token
  std::string flash_kind;        // flash message carried from the previous response
  std::string flash_message;
  std::vector<Cookie> pending_cookies;  // added to whatever response the handler returns

  bool isAdmin() const { return user && (user->is_admin || config.isAdminEmail(user->email)); }

  // The layout model for a page titled `title`, with the nav item `nav` marked.
  LayoutModel layout(const std::string& title, const std::string& nav = "") const;

  // The banner of a user low on credit: which running servers sleep when, first first.
  std::string lowCreditWarning() const;

  // A cookie with this deployment's flags (HttpOnly, SameSite=Lax, Secure under https).
  Cookie cookie(const std::string& name, const std::string& value, int max_age_seconds) const;

  // A 303 to `location` that shows `message` on the next page.
  Response redirectWithFlash(const std::string& location, const std::string& kind,
                             const std::string& message);
};

}  // namespace gsp::web
