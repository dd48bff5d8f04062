// Every request handler of gsp-web, grouped by the file that defines it.
// A handler reads its Context and returns a Response; routes.cc wires them up.
#pragma once

#include <optional>

#include "db/server_repository.h"
#include "web/context.h"
#include "web/response.h"

namespace gsp::web::handlers {

// auth_handlers.cc
Response home(Context& ctx);
Response showLogin(Context& ctx);
Response showMockConsent(Context& ctx);
Response mockLogin(Context& ctx);
Response logout(Context& ctx);

// dashboard_handlers.cc
Response dashboard(Context& ctx);
Response dashboardStates(Context& ctx);

// billing_handlers.cc
Response billing(Context& ctx);
Response addFunds(Context& ctx);

// server_handlers.cc
// The server of the path's {id}, when the signed-in user may see it (its owner, an admin).
std::optional<db::ServerRecord> loadServer(Context& ctx);
Response showCreateServer(Context& ctx);
Response createServer(Context& ctx);
Response showServer(Context& ctx);
Response serverStatus(Context& ctx);
Response serverLogs(Context& ctx);
Response serverCharts(Context& ctx);

// backup_handlers.cc
Response createBackup(Context& ctx);
Response restoreBackup(Context& ctx);
Response lockBackup(Context& ctx);
Response unlockBackup(Context& ctx);
Response deleteBackup(Context& ctx);
Response downloadBackup(Context& ctx);
Response saveBackupSchedule(Context& ctx);
Response wakeServer(Context& ctx);
Response hibernateServer(Context& ctx);
Response keepServerAwake(Context& ctx);
Response deleteServer(Context& ctx);

// webhook_handlers.cc
Response webhookWake(Context& ctx);
Response webhookActivity(Context& ctx);

// health_handlers.cc
Response health(Context& ctx);

}  // namespace gsp::web::handlers
