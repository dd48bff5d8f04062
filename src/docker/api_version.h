// Engine API versions ("1.41") and the choice of the version a client speaks
// with an engine: the highest both sides support. Pure functions on plain values.
#pragma once

#include <optional>
#include <string>

#include "docker/docker_error.h"

namespace gsp::docker {

struct ApiVersion {
  int major = 0;
  int minor = 0;

  // "1.41" -> {1, 41}; nothing for anything else ("", "1", "1.x", "v1.41").
  static std::optional<ApiVersion> parse(const std::string& text);
  std::string toString() const;  // "1.41"

  bool operator<(const ApiVersion& o) const { return major != o.major ? major < o.major : minor < o.minor; }
  bool operator==(const ApiVersion& o) const { return major == o.major && minor == o.minor; }
  bool operator<=(const ApiVersion& o) const { return !(o < *this); }
};

// What `GET /version` says about the API; engine_min is absent on very old engines.
struct EngineApiRange {
  ApiVersion engine_max;
  std::optional<ApiVersion> engine_min;
};

// min(engine max, client max), if that is at least the engine's minimum and
// the client's minimum; otherwise a kIncompatible error naming both ranges.
DockerResult<ApiVersion> negotiateApiVersion(const EngineApiRange& engine, ApiVersion client_min,
                                             ApiVersion client_max);

}  // namespace gsp::docker
