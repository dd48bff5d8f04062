#include "docker/engine_objects.h"

#include "docker/log_stream.h"

namespace gsp::docker {

namespace {

int64_t unixSecondsOf(const std::string& rfc3339) {
  std::optional<int64_t> nanos = parseRfc3339Nanos(rfc3339);
  return nanos && *nanos > 0 ? *nanos / 1000000000 : 0;
}

DockerError notA(const char* thing, const std::string& what) {
  return DockerError(ErrorKind::kBadResponse,
                     std::string("Docker engine sent no ") + thing + " for " + what);
}

NetworkInfo networkFrom(const Json& j) {
  NetworkInfo n;
  n.id = stringField(j, "Id");
  n.name = stringField(j, "Name");
  n.driver = stringField(j, "Driver");
  n.internal = boolField(j, "Internal");
  n.labels = stringMapField(j, "Labels");
  n.created_unix = unixSecondsOf(stringField(j, "Created"));
  const Json& configs = field(field(j, "IPAM"), "Config");  // null when the engine has none
  if (configs.is_array()) {
    for (const Json& c : configs) {
      std::string subnet = stringField(c, "Subnet");
      if (!subnet.empty()) n.subnets.push_back(std::move(subnet));
    }
  }
  return n;
}

VolumeInfo volumeFrom(const Json& j) {
  VolumeInfo v;
  v.name = stringField(j, "Name");
  v.driver = stringField(j, "Driver");
  v.mountpoint = stringField(j, "Mountpoint");
  v.labels = stringMapField(j, "Labels");
  v.created_unix = unixSecondsOf(stringField(j, "CreatedAt"));
  return v;
}

}  // namespace

Json networkCreateBody(const NetworkSpec& spec) {
  // CheckDuplicate: engines before 1.44 otherwise accept a second network of the same name.
  Json body = {{"Name", spec.name},         {"CheckDuplicate", true}, {"Driver", "bridge"},
               {"Internal", spec.internal}, {"Labels", spec.labels}};
  if (!spec.subnet.empty()) {
    Json config = Json::object();
    config["Subnet"] = spec.subnet;
    body["IPAM"]["Driver"] = "default";
    body["IPAM"]["Config"] = Json::array({config});
  }
  return body;
}

Json volumeCreateBody(const VolumeSpec& spec) {
  return {{"Name", spec.name}, {"Driver", "local"}, {"Labels", spec.labels}};
}

DockerResult<EngineVersion> parseEngineVersion(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  const Json& j = parsed.value();
  auto api = ApiVersion::parse(stringField(j, "ApiVersion"));
  if (!api) {
    return DockerError(ErrorKind::kBadResponse,
                       "Docker engine sent no readable ApiVersion for " + what);
  }
  EngineVersion v;
  v.version = stringField(j, "Version");
  v.api.engine_max = *api;
  v.api.engine_min = ApiVersion::parse(stringField(j, "MinAPIVersion"));
  v.os = stringField(j, "Os");
  v.arch = stringField(j, "Arch");
  v.kernel_version = stringField(j, "KernelVersion");
  return v;
}

DockerResult<NetworkInfo> parseNetwork(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  if (stringField(parsed.value(), "Id").empty()) return notA("network", what);
  return networkFrom(parsed.value());
}

DockerResult<std::vector<NetworkInfo>> parseNetworkList(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  if (!parsed.value().is_array()) return notA("network list", what);
  std::vector<NetworkInfo> out;
  for (const Json& e : parsed.value()) out.push_back(networkFrom(e));
  return out;
}

DockerResult<VolumeInfo> parseVolume(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  if (stringField(parsed.value(), "Name").empty()) return notA("volume", what);
  return volumeFrom(parsed.value());
}

DockerResult<std::vector<VolumeInfo>> parseVolumeList(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  if (!parsed.value().is_object()) return notA("volume list", what);
  std::vector<VolumeInfo> out;
  const Json& volumes = field(parsed.value(), "Volumes");  // null when there are none
  if (volumes.is_array()) {
    for (const Json& e : volumes) out.push_back(volumeFrom(e));
  }
  return out;
}

DockerResult<ImageInfo> parseImage(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  const Json& j = parsed.value();
  if (stringField(j, "Id").empty()) return notA("image", what);
  ImageInfo i;
  i.id = stringField(j, "Id");
  i.repo_tags = stringListField(j, "RepoTags");
  i.size = intField(j, "Size");
  i.os = stringField(j, "Os");
  i.architecture = stringField(j, "Architecture");
  return i;
}

}  // namespace gsp::docker
