// Signed calls from the sidecar proxies, on nginx's internal listener only:
// wake (a player connected to a sleeping server) and activity (live clients,
// last traffic, whether the game accepts). A call is verified against the
// secret of the server it names and acts on that server alone.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>

#include "core/log.h"
#include "db/billing_repository.h"
#include "db/catalog_repository.h"
#include "db/server_repository.h"
#include "domain/billing.h"
#include "domain/server_state.h"
#include "web/handlers/handlers.h"
#include "web/webhook_signature.h"

namespace gsp::web::handlers {

namespace {

using domain::ServerState;

Response reply(int status, const std::string& message) {
  return Response::json(status, nlohmann::json({{"status", status}, {"message", message}}).dump());
}

// The server that signed this call, or why it is refused (401 for anything
// about identity, so a forger learns nothing about which servers exist).
struct Verified {
  std::optional<db::ServerRecord> server;
  nlohmann::json body;
  Response refusal;
};

// `event` is what the route's body must say it is ("wake", "activity").
Verified verify(Context& ctx, const char* event) {
  Verified v;
  int64_t id = parseServerIdHeader(ctx.request.header("x-gsp-server"));
  if (id > 0) v.server = db::ServerRepository(ctx.db).find(id);
  Status signature =
      v.server ? verifyWebhookSignature(v.server->webhook_secret, ctx.request.method, ctx.request.path,
                                        ctx.request.header("x-gsp-timestamp"), ctx.request.header("x-gsp-signature"),
                                        ctx.request.body, time(nullptr), ctx.config.servers_webhook_max_skew_seconds)
               : Status::forbidden("unknown server");
  if (!signature.isOk()) {
    log::warn() << "webhook " << ctx.request.path << " refused: " << signature.message();
    v.server.reset();
    v.refusal = reply(401, "signature refused");
    return v;
  }
  v.body = nlohmann::json::parse(ctx.request.body, nullptr, false);
  // The body must name the same server as the signed header.
  if (v.body.is_discarded() || !v.body.is_object() || !v.body.contains("server_id") ||
      v.body["server_id"] != std::to_string(v.server->id) || !v.body.contains("event") || v.body["event"] != event) {
    v.server.reset();
    v.refusal = reply(400, "malformed body");
  }
  return v;
}

int64_t intField(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string stringField(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>().substr(0, 100) : "";
}

}  // namespace

Response webhookWake(Context& ctx) {
  Verified v = verify(ctx, "wake");
  if (!v.server) return v.refusal;
  const db::ServerRecord& s = *v.server;
  std::string client = stringField(v.body, "client");
  if (s.state == ServerState::kStarting || s.state == ServerState::kRunning) {
    // The proxy calls only when it cannot reach the game: it may have died
    // since the last reconcile. The agent looks, and starts it again if so.
    Status checked = ctx.servers->wake(s.id, {0, "a player came" + (client.empty() ? std::string() : " from " + client) +
                                                    " while the server was " + domain::stateName(s.state)});
    if (!checked.isOk() && checked.code() != Status::Code::kConflict) return reply(503, checked.message());
    return reply(202, std::string("checking: the server is ") + domain::stateName(s.state));
  }
  // After a crash loop or a start timeout only the owner starts it again.
  if (s.state == ServerState::kError && s.wake_blocked)
    return reply(423, "the server stopped after an error; its owner must start it again");
  if (!domain::canWake(s.state)) return reply(409, domain::refusal("wake", s.state));

  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).find(s.game_image_id);
  std::optional<db::User> owner = db::UserRepository(ctx.db).findById(s.user_id);
  if (!owner || !game ||
      !domain::canStart(owner->credits_cents, game->price_cents_per_hour, s.paid_until_unix, time(nullptr)))
    return reply(402, "the owner has not enough credits to run the server");

  // A scanner sweeping the port range must not start this server in a loop.
  std::string until;
  if (db::ServerRepository(ctx.db).trafficWakesPaused(s.id, &until))
    return reply(403, "wakes by network traffic are paused until " + until +
                          " UTC: the last ones ended without anyone playing; its owner can start it");

  std::string cause = "woken by a player" + (client.empty() ? std::string() : " on " + client);
  Status woke = ctx.servers->wake(s.id, {0, cause});
  if (!woke.isOk()) return reply(503, woke.message());
  db::ServerRepository(ctx.db).noteWakeByTraffic(s.id);
  return reply(202, "starting");
}

Response webhookActivity(Context& ctx) {
  Verified v = verify(ctx, "activity");
  if (!v.server) return v.refusal;
  const db::ServerRecord& s = *v.server;
  db::ServerRepository servers(ctx.db);
  auto count = [&](const char* key) { return static_cast<int>(std::clamp<int64_t>(intField(v.body, key), 0, 1000000)); };
  // Byte counts are deltas since the proxy's previous accepted report.
  auto bytes = [&](const char* key) { return std::clamp<int64_t>(intField(v.body, key), 0, int64_t(1) << 50); };
  servers.recordActivity(s.id, count("tcp_connections"), count("udp_sessions"), intField(v.body, "last_traffic_at"),
                         bytes("bytes_from_clients"), bytes("bytes_to_clients"));
  auto up = v.body.find("upstream_up");
  if (up != v.body.end() && up->is_boolean() && up->get<bool>() && s.state == ServerState::kStarting &&
      servers.transition(s.id, ServerState::kStarting, ServerState::kRunning, "the game accepts players")) {
    // Paid one hour ahead from the moment it runs (unless a paid hour is left).
    // Should this not happen (a crash), the lifecycle's next pass charges it.
    if (db::BillingRepository(ctx.db).chargeDueHour(s.id, time(nullptr)) == db::ChargeResult::kCannotPay)
      ctx.servers->hibernate(s.id, {0, "slept: out of credits"});
  }
  return reply(200, "recorded");
}

}  // namespace gsp::web::handlers
