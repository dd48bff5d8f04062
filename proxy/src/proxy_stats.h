// ProxyStats: the counters every part of gsp-proxy updates and the activity
// reporter reads. Owned by Proxy. Thread-safe: every field is atomic, as the
// TCP worker loops update them too (relaxed ordering would do; the default
// is kept for simplicity: these are not on a path where it shows).
#pragma once

#include <atomic>
#include <cstdint>

namespace gsp::proxy {

struct ProxyStats {
  // Live now.
  std::atomic<int64_t> tcp_connections{0};  // accepted TCP clients, held or relaying
  std::atomic<int64_t> udp_sessions{0};
  // Of those, what is not a player (not reported as players, so it keeps no
  // server awake): Minecraft connections that only ask for the server-list
  // status, or have not said yet; UDP sessions until they carried traffic both
  // ways for kUdpPlayerSeconds (a one-off query exchange never does).
  std::atomic<int64_t> tcp_non_players{0};
  std::atomic<int64_t> udp_players{0};
  std::atomic<int64_t> held_clients{0};     // TCP clients and UDP sessions waiting for the game

  // Totals since start (reports send the difference).
  std::atomic<int64_t> bytes_from_clients{0};
  std::atomic<int64_t> bytes_to_clients{0};
  std::atomic<int64_t> dropped_datagrams{0};  // oversize, over the hold limit, or unsendable
  std::atomic<int64_t> refused_clients{0};    // over --max-clients or --max-held-clients
  std::atomic<int64_t> wake_calls{0};

  // Monotonic ms of the last byte or datagram either way of a player; 0 = never.
  std::atomic<int64_t> last_traffic_ms{0};

  int64_t liveClients() const { return tcp_connections + udp_sessions; }
  int64_t tcpPlayers() const { return tcp_connections - tcp_non_players; }
  int64_t players() const { return tcpPlayers() + udp_players; }  // what keeps a server awake
};

}  // namespace gsp::proxy
