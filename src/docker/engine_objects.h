// The engine's other objects the platform touches: networks, volumes, images,
// and the engine's own version. Specs for creating them, descriptions parsed
// (without exceptions) from the engine's answers. Plain values, pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "docker/api_version.h"
#include "docker/docker_error.h"
#include "docker/json_fields.h"

namespace gsp::docker {

struct EngineVersion {
  std::string version;  // "20.10.24+dfsg1"
  EngineApiRange api;
  std::string os;
  std::string arch;
  std::string kernel_version;
};

struct NetworkSpec {
  std::string name;
  bool internal = false;  // true: no route outside the network
  std::map<std::string, std::string> labels;
  std::string subnet;  // "10.201.0.16/28"; empty: the engine picks one from its default pools
};

struct NetworkInfo {
  std::string id;
  std::string name;
  std::string driver;
  bool internal = false;
  std::map<std::string, std::string> labels;
  int64_t created_unix = 0;  // 0 when the engine did not say
  std::vector<std::string> subnets;  // IPAM.Config[].Subnet, IPv6 ones too
};

struct VolumeSpec {
  std::string name;
  std::map<std::string, std::string> labels;
};

struct VolumeInfo {
  std::string name;
  std::string driver;
  std::string mountpoint;
  std::map<std::string, std::string> labels;
  int64_t created_unix = 0;  // 0 when the engine did not say
};

struct ImageInfo {
  std::string id;
  std::vector<std::string> repo_tags;
  int64_t size = 0;
  std::string os;
  std::string architecture;
};

Json networkCreateBody(const NetworkSpec& spec);
Json volumeCreateBody(const VolumeSpec& spec);

// `what` names the call in error messages.
DockerResult<EngineVersion> parseEngineVersion(const std::string& body, const std::string& what);
DockerResult<NetworkInfo> parseNetwork(const std::string& body, const std::string& what);
DockerResult<std::vector<NetworkInfo>> parseNetworkList(const std::string& body, const std::string& what);
DockerResult<VolumeInfo> parseVolume(const std::string& body, const std::string& what);
DockerResult<std::vector<VolumeInfo>> parseVolumeList(const std::string& body, const std::string& what);
DockerResult<ImageInfo> parseImage(const std::string& body, const std::string& what);

}  // namespace gsp::docker
