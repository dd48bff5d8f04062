// The dashboard: the signed-in user's servers.
#include <nlohmann/json.hpp>

#include "db/server_repository.h"
#include "web/handlers/handlers.h"

namespace gsp::web::handlers {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  return s;
}

DashboardServer toView(const db::ServerSummary& s, const std::string& public_host) {
  DashboardServer v;
  v.id = s.id;
  v.name = s.name;
  v.game_name = s.game_name;
  v.state = s.state;
  v.price_cents_per_hour = s.price_cents_per_hour;
  for (const db::ServerPort& p : s.ports) {
    if (!v.ports_text.empty()) v.ports_text += " · ";
    v.ports_text += upper(p.protocol) + " " + std::to_string(p.public_port);
  }
  // Players connect to the first port; games with more list them all.
  if (!s.ports.empty()) v.address = public_host + ":" + std::to_string(s.ports.front().public_port);
  return v;
}

}  // namespace

Response dashboard(Context& ctx) {
  DashboardPage page;
  for (const db::ServerSummary& s : db::ServerRepository(ctx.db).listForUser(ctx.user->id)) {
    page.servers.push_back(toView(s, ctx.config.servers_public_host));
    if (s.state == "RUNNING" || s.state == "STARTING") page.hourly_cost_cents += s.price_cents_per_hour;
  }
  return Response::html(200, ctx.views.dashboard(ctx.layout("Dashboard", "dashboard"), page));
}

// For the dashboard's live badges: {"servers":[{"id":1,"state":"RUNNING"}, ...]}.
Response dashboardStates(Context& ctx) {
  nlohmann::json servers = nlohmann::json::array();
  for (const db::ServerSummary& s : db::ServerRepository(ctx.db).listForUser(ctx.user->id))
    servers.push_back({{"id", s.id}, {"state", s.state}});
  return Response::json(200, nlohmann::json({{"servers", servers}}).dump());
}

}  // namespace gsp::web::handlers
