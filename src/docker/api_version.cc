#include "docker/api_version.h"

#include <algorithm>
#include <cctype>

namespace gsp::docker {

namespace {

// A run of 1 to 4 digits starting at text[*pos]; advances pos.
std::optional<int> parseNumber(const std::string& text, size_t* pos) {
  size_t start = *pos;
  int value = 0;
  while (*pos < text.size() && std::isdigit(static_cast<unsigned char>(text[*pos])) &&
         *pos - start < 4) {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return std::nullopt;
  return value;
}

}  // namespace

std::optional<ApiVersion> ApiVersion::parse(const std::string& text) {
  size_t pos = 0;
  auto major = parseNumber(text, &pos);
  if (!major || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  auto minor = parseNumber(text, &pos);
  if (!minor || pos != text.size()) return std::nullopt;
  return ApiVersion{*major, *minor};
}

std::string ApiVersion::toString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

DockerResult<ApiVersion> negotiateApiVersion(const EngineApiRange& engine, ApiVersion client_min,
                                             ApiVersion client_max) {
  const ApiVersion chosen = std::min(engine.engine_max, client_max);
  const std::string ranges = "the engine speaks API " +
                             (engine.engine_min ? engine.engine_min->toString() : std::string("?")) +
                             " to " + engine.engine_max.toString() + ", this client " +
                             client_min.toString() + " to " + client_max.toString();
  if (chosen < client_min) {
    return DockerError(ErrorKind::kIncompatible, "Docker engine too old: " + ranges);
  }
  if (engine.engine_min && chosen < *engine.engine_min) {
    return DockerError(ErrorKind::kIncompatible, "Docker engine too new for this client: " + ranges);
  }
  return chosen;
}

}  // namespace gsp::docker
