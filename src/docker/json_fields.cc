#include "docker/json_fields.h"

#include <cstdint>

namespace gsp::docker {

DockerResult<Json> parseJson(const std::string& body, const std::string& what) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return DockerError(ErrorKind::kBadResponse,
                       "Docker engine sent bad JSON for " + what + " (" +
                           std::to_string(body.size()) + " bytes)");
  }
  return j;
}

std::string dumpJson(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json& field(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string stringField(const Json& j, const char* key) {
  const Json& v = field(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// A double converted only within the target's range (out of it the cast is
// undefined): clamped to the range, NaN as 0 (found by fuzzing).
int64_t clampToInt64(double d) {
  if (!(d == d)) return 0;
  if (d >= 9223372036854775807.0) return INT64_MAX;
  if (d <= -9223372036854775808.0) return INT64_MIN;
  return static_cast<int64_t>(d);
}

uint64_t clampToUint64(double d) {
  if (!(d > 0)) return 0;
  if (d >= 18446744073709551615.0) return UINT64_MAX;
  return static_cast<uint64_t>(d);
}

int64_t intField(const Json& j, const char* key) {
  const Json& v = field(j, key);
  if (v.is_number_unsigned()) return v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>();
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) return clampToInt64(v.get<double>());
  return 0;
}

uint64_t uintField(const Json& j, const char* key) {
  const Json& v = field(j, key);
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) return v.get<int64_t>() < 0 ? 0 : static_cast<uint64_t>(v.get<int64_t>());
  if (v.is_number_float()) return clampToUint64(v.get<double>());
  return 0;
}

bool boolField(const Json& j, const char* key) {
  const Json& v = field(j, key);
  return v.is_boolean() && v.get<bool>();
}

std::map<std::string, std::string> stringMapField(const Json& j, const char* key) {
  std::map<std::string, std::string> out;
  const Json& v = field(j, key);
  if (!v.is_object()) return out;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

std::vector<std::string> stringListField(const Json& j, const char* key) {
  std::vector<std::string> out;
  const Json& v = field(j, key);
  if (!v.is_array()) return out;
  for (const Json& e : v) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

}  // namespace gsp::docker
