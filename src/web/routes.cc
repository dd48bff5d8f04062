// Every route of gsp-web, in one table.
#include "web/app.h"
#include "web/handlers/handlers.h"

namespace gsp::web {

std::vector<RouteSpec> routeTable() {
  using namespace handlers;
  return {
      {"GET", "/", Access::kPublic, home},
      {"GET", "/healthz", Access::kPublic, health},

      {"GET", "/auth/login", Access::kPublic, showLogin},
      {"GET", "/auth/mock/{provider}", Access::kPublic, showMockConsent},
      {"POST", "/auth/mock-login", Access::kPublic, mockLogin},
      {"GET", "/auth/logout", Access::kPublic, logout},

      {"GET", "/dashboard", Access::kUser, dashboard},

      {"GET", "/billing", Access::kUser, billing},
      {"POST", "/billing/add-funds", Access::kUser, addFunds},
  };
}

}  // namespace gsp::web
