#include "docker/container_spec.h"

namespace gsp::docker {

namespace {

const char* restartPolicyName(RestartPolicy r) {
  switch (r) {
    case RestartPolicy::kNo: return "no";
    case RestartPolicy::kUnlessStopped: return "unless-stopped";
    case RestartPolicy::kAlways: return "always";
    case RestartPolicy::kOnFailure: return "on-failure";
  }
  return "no";
}

}  // namespace

const char* protocolName(Protocol p) { return p == Protocol::kUdp ? "udp" : "tcp"; }

Json containerCreateBody(const ContainerSpec& spec) {
  Json body = Json::object();
  body["Image"] = spec.image;
  if (!spec.cmd.empty()) body["Cmd"] = spec.cmd;
  if (!spec.env.empty()) body["Env"] = spec.env;
  body["Labels"] = spec.labels;
  if (!spec.user.empty()) body["User"] = spec.user;

  Json host = Json::object();
  if (!spec.ports.empty()) {
    Json exposed = Json::object();
    Json bindings = Json::object();
    for (const PortBinding& p : spec.ports) {
      const std::string key = std::to_string(p.container_port) + "/" + protocolName(p.protocol);
      exposed[key] = Json::object();
      // An empty HostPort asks the engine for a free port.
      bindings[key].push_back({{"HostIp", p.host_ip},
                               {"HostPort", p.host_port ? std::to_string(p.host_port) : ""}});
    }
    body["ExposedPorts"] = exposed;
    host["PortBindings"] = bindings;
  }
  if (!spec.mounts.empty()) {
    Json mounts = Json::array();
    for (const Mount& m : spec.mounts) {
      mounts.push_back({{"Type", m.type == Mount::Type::kBind ? "bind" : "volume"},
                        {"Source", m.source},
                        {"Target", m.target},
                        {"ReadOnly", m.read_only}});
    }
    host["Mounts"] = mounts;
  }
  host["RestartPolicy"] = {{"Name", restartPolicyName(spec.restart)}};
  if (spec.memory_bytes > 0) host["Memory"] = spec.memory_bytes;
  if (spec.nano_cpus > 0) host["NanoCpus"] = spec.nano_cpus;
  if (spec.logs) {
    host["LogConfig"] = {{"Type", "json-file"},
                         {"Config",
                          {{"max-size", spec.logs->max_size},
                           {"max-file", std::to_string(spec.logs->max_file)}}}};
  }
  if (spec.read_only_rootfs) host["ReadonlyRootfs"] = true;
  if (!spec.cap_drop.empty()) host["CapDrop"] = spec.cap_drop;
  if (!spec.cap_add.empty()) host["CapAdd"] = spec.cap_add;
  if (spec.no_new_privileges) host["SecurityOpt"] = Json::array({"no-new-privileges"});
  if (spec.pids_limit > 0) host["PidsLimit"] = spec.pids_limit;
  if (spec.memory_swap_bytes > 0) host["MemorySwap"] = spec.memory_swap_bytes;
  if (!spec.ulimits.empty()) {
    Json limits = Json::array();
    for (const Ulimit& u : spec.ulimits) limits.push_back({{"Name", u.name}, {"Soft", u.soft}, {"Hard", u.hard}});
    host["Ulimits"] = limits;
  }
  if (!spec.network.empty()) {
    host["NetworkMode"] = spec.network;
    Json endpoint = Json::object();
    if (!spec.network_aliases.empty()) endpoint["Aliases"] = spec.network_aliases;
    body["NetworkingConfig"] = {{"EndpointsConfig", {{spec.network, endpoint}}}};
  }
  body["HostConfig"] = host;
  return body;
}

}  // namespace gsp::docker
