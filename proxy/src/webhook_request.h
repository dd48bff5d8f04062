// The signed webhook calls gsp-proxy makes to the backend: body JSON, signature
// and the HTTP/1.1 request bytes. The contract (documented in proxy/README.md):
//   X-GSP-Server:    the server id
//   X-GSP-Timestamp: unix seconds when the call was made
//   X-GSP-Signature: hex(HMAC-SHA256(secret, method \n path \n timestamp \n body))
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "proxy_config.h"

namespace gsp::proxy {

// `s` as a JSON string literal, quotes included.
std::string jsonString(const std::string& s);

// Lower-case hex HMAC-SHA256 of method, path, timestamp and body, one per line
// (the body last, as sent): a signature is good for one route only.
std::string signWebhook(const std::string& secret, const std::string& method, const std::string& path,
                        const std::string& timestamp, const std::string& body);

// A complete "POST path HTTP/1.1" request with the signing headers and
// Connection: close, ready to write to the socket.
std::string buildWebhookRequest(const BackendUrl& url, const std::string& server_id,
                                const std::string& secret, int64_t unix_seconds, const std::string& body);

// Parses the status code of an HTTP/1.x response head; 0 when malformed.
int parseHttpStatus(const std::string& response_head);

struct WakeCall {
  std::string server_id;
  Protocol protocol = Protocol::kTcp;
  uint16_t public_port = 0;
  std::string client;     // client address (no port), for the event log
  std::string reason;     // "tcp", "udp", "minecraft-login"
};
std::string wakeBody(const WakeCall& call, int64_t unix_seconds);

struct ActivityReport {
  std::string server_id;
  int64_t tcp_connections = 0;
  int64_t udp_sessions = 0;
  int64_t held_clients = 0;
  int64_t bytes_from_clients = 0;  // since the last accepted report
  int64_t bytes_to_clients = 0;
  int64_t last_traffic_unix = 0;   // 0 when no client traffic was ever seen
  int64_t dropped_datagrams = 0;   // since the last accepted report
  bool upstream_up = false;
  std::string reason;              // "interval" or "last-client-left"
};
std::string activityBody(const ActivityReport& r, int64_t unix_seconds);

}  // namespace gsp::proxy
