#include "web/context.h"

#include "web/request_parser.h"
#include "web/security.h"

namespace gsp::web {

LayoutModel Context::layout(const std::string& title, const std::string& nav) const {
  LayoutModel m;
  m.title = title;
  m.active_nav = nav;
  m.csrf_token = csrf_key.empty() ? "" : csrfTokenFor(csrf_key);
  if (user) {
    m.signed_in = true;
    m.user_email = user->email;
    m.user_is_admin = isAdmin();
    m.balance_cents = user->credits_cents;
  }
  m.flash_kind = flash_kind;
  m.flash_message = flash_message;
  return m;
}

Cookie Context::cookie(const std::string& name, const std::string& value, int max_age_seconds) const {
  Cookie c;
  c.name = name;
  c.value = value;
  c.max_age_seconds = max_age_seconds;
  c.secure = request.https;
  return c;
}

Response Context::redirectWithFlash(const std::string& location, const std::string& kind,
                                    const std::string& message) {
  Response r = Response::redirect(location);
  r.cookies.push_back(cookie(kFlashCookie, percentEncode(kind + ":" + message), 60));
  return r;
}

}  // namespace gsp::web
