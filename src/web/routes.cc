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
      // A POST with the CSRF token: a link or an <img> elsewhere cannot sign a user out.
      {"POST", "/auth/logout", Access::kPublic, logout},

      {"GET", "/dashboard", Access::kUser, dashboard, kCacheable},
      {"GET", "/dashboard/states", Access::kUser, dashboardStates, kCacheable},

      {"GET", "/servers/create", Access::kUser, showCreateServer},
      {"POST", "/servers/create", Access::kUser, createServer},
      {"GET", "/servers/{id:int}", Access::kUser, showServer},
      {"GET", "/servers/{id:int}/status", Access::kUser, serverStatus},
      {"GET", "/servers/{id:int}/logs", Access::kUser, serverLogs},
      {"GET", "/servers/{id:int}/charts", Access::kUser, serverCharts},
      {"POST", "/servers/{id:int}/wake", Access::kUser, wakeServer},
      {"POST", "/servers/{id:int}/hibernate", Access::kUser, hibernateServer},
      {"POST", "/servers/{id:int}/keep-awake", Access::kUser, keepServerAwake},
      {"POST", "/servers/{id:int}/delete", Access::kUser, deleteServer},
      {"POST", "/servers/{id:int}/backups", Access::kUser, createBackup},
      {"POST", "/servers/{id:int}/backup-schedule", Access::kUser, saveBackupSchedule},
      {"POST", "/servers/{id:int}/backups/{bid:int}/restore", Access::kUser, restoreBackup},
      {"POST", "/servers/{id:int}/backups/{bid:int}/lock", Access::kUser, lockBackup},
      {"POST", "/servers/{id:int}/backups/{bid:int}/unlock", Access::kUser, unlockBackup},
      {"POST", "/servers/{id:int}/backups/{bid:int}/delete", Access::kUser, deleteBackup},
      {"GET", "/servers/{id:int}/backups/{bid:int}/download", Access::kUser, downloadBackup},

      {"POST", "/api/webhook/wake", Access::kInternal, webhookWake},
      {"POST", "/api/webhook/activity", Access::kInternal, webhookActivity},

      {"GET", "/billing", Access::kUser, billing, kCacheable},
      {"POST", "/billing/add-funds", Access::kUser, addFunds},
  };
}

}  // namespace gsp::web
