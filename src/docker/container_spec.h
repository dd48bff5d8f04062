// ContainerSpec: what the platform asks of a new container (image, env,
// labels, network and aliases, mounts, published TCP/UDP ports, restart
// policy, limits, log rotation, read-only root, user, capabilities and other
// hardening), and its translation
// into the body of `POST /containers/create`. Plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "docker/json_fields.h"

namespace gsp::docker {

enum class Protocol { kTcp, kUdp };
const char* protocolName(Protocol p);  // "tcp", "udp"

// A container port published on the host.
struct PortBinding {
  uint16_t container_port = 0;
  Protocol protocol = Protocol::kTcp;
  std::string host_ip;     // e.g. "127.0.0.1"; empty: every address
  uint16_t host_port = 0;  // 0: the engine picks a free one
};

struct Mount {
  enum class Type { kVolume, kBind };
  Type type = Type::kVolume;
  std::string source;  // volume name, or host path (a file, folder or unix socket) for kBind
  std::string target;  // path inside the container
  bool read_only = false;
};

enum class RestartPolicy { kNo, kUnlessStopped, kAlways, kOnFailure };

// The json-file driver with rotation, so a chatty game cannot fill the disk.
struct JsonFileLogs {
  std::string max_size = "10m";  // per file, in the engine's units ("10m", "512k")
  int max_file = 3;
};

// A resource limit of the processes inside ("nofile": open files).
struct Ulimit {
  std::string name;
  int64_t soft = 0;
  int64_t hard = 0;
};

struct ContainerSpec {
  std::string name;                            // empty: the engine makes one up
  std::string image;                           // required
  std::vector<std::string> cmd;                // empty: the image's default
  std::vector<std::string> env;                // "KEY=value"
  std::map<std::string, std::string> labels;
  std::string user;                            // "uid[:gid]" or a name; empty: the image's
  std::string network;                         // network to join at creation; empty: default bridge
  std::vector<std::string> network_aliases;    // DNS names on `network`, e.g. "game"
  std::vector<Mount> mounts;
  std::vector<PortBinding> ports;
  RestartPolicy restart = RestartPolicy::kNo;
  int64_t memory_bytes = 0;                    // 0: no limit
  int64_t nano_cpus = 0;                       // 1e9 = one CPU; 0: no limit
  std::optional<JsonFileLogs> logs;            // absent: the engine's default driver
  bool read_only_rootfs = false;
  // Hardening (ARCHITECTURE.md, "Security model").
  std::vector<std::string> cap_drop;           // "ALL" drops every capability ...
  std::vector<std::string> cap_add;            // ... and these come back ("NET_BIND_SERVICE")
  bool no_new_privileges = false;              // setuid binaries gain nothing
  int64_t pids_limit = 0;                      // processes and threads; 0: the engine's default
  int64_t memory_swap_bytes = 0;               // memory + swap; equal to memory_bytes: no swap
  std::vector<Ulimit> ulimits;
};

// The JSON body of POST /containers/create (the name goes in the query).
Json containerCreateBody(const ContainerSpec& spec);

}  // namespace gsp::docker
