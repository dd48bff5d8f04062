#include "webhook_request.h"

#include <cstdio>

#include "hmac_sha256.h"

namespace gsp::proxy {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

std::string signWebhook(const std::string& secret, const std::string& method, const std::string& path,
                        const std::string& timestamp, const std::string& body) {
  // Lines: neither a method, a path nor a timestamp can hold a newline, so no
  // two calls sign the same text.
  return hexEncode(hmacSha256(secret, method + "\n" + path + "\n" + timestamp + "\n" + body));
}

std::string buildWebhookRequest(const BackendUrl& url, const std::string& server_id,
                                const std::string& secret, int64_t unix_seconds, const std::string& body) {
  std::string ts = std::to_string(unix_seconds);
  std::string host = url.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  if (!url.is_unix && url.port != 80) host += ":" + std::to_string(url.port);
  std::string req;
  req.reserve(400 + body.size());
  req += "POST " + url.path + " HTTP/1.1\r\n";
  req += "Host: " + host + "\r\n";
  req += "User-Agent: gsp-proxy\r\n";
  req += "Content-Type: application/json\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "Connection: close\r\n";
  req += "X-GSP-Server: " + server_id + "\r\n";
  req += "X-GSP-Timestamp: " + ts + "\r\n";
  req += "X-GSP-Signature: " + signWebhook(secret, "POST", url.path, ts, body) + "\r\n";
  req += "\r\n";
  req += body;
  return req;
}

int parseHttpStatus(const std::string& head) {
  // "HTTP/1.1 200 OK"
  if (head.size() < 12 || head.compare(0, 7, "HTTP/1.") != 0 || head[8] != ' ') return 0;
  int code = 0;
  for (int i = 9; i < 12; ++i) {
    if (head[i] < '0' || head[i] > '9') return 0;
    code = code * 10 + (head[i] - '0');
  }
  if (head.size() > 12 && head[12] != ' ' && head[12] != '\r') return 0;
  return code >= 100 ? code : 0;
}

std::string wakeBody(const WakeCall& c, int64_t unix_seconds) {
  return "{\"event\":\"wake\",\"server_id\":" + jsonString(c.server_id) +
         ",\"protocol\":" + jsonString(protocolName(c.protocol)) +
         ",\"port\":" + std::to_string(c.public_port) + ",\"client\":" + jsonString(c.client) +
         ",\"reason\":" + jsonString(c.reason) + ",\"sent_at\":" + std::to_string(unix_seconds) + "}";
}

std::string activityBody(const ActivityReport& r, int64_t unix_seconds) {
  return "{\"event\":\"activity\",\"server_id\":" + jsonString(r.server_id) +
         ",\"tcp_connections\":" + std::to_string(r.tcp_connections) +
         ",\"udp_sessions\":" + std::to_string(r.udp_sessions) +
         ",\"held_clients\":" + std::to_string(r.held_clients) +
         ",\"bytes_from_clients\":" + std::to_string(r.bytes_from_clients) +
         ",\"bytes_to_clients\":" + std::to_string(r.bytes_to_clients) +
         ",\"last_traffic_at\":" + std::to_string(r.last_traffic_unix) +
         ",\"dropped_datagrams\":" + std::to_string(r.dropped_datagrams) +
         ",\"upstream_up\":" + (r.upstream_up ? "true" : "false") +
         ",\"reason\":" + jsonString(r.reason) + ",\"sent_at\":" + std::to_string(unix_seconds) + "}";
}

}  // namespace gsp::proxy
