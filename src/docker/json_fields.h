// Exception-free access to the engine's JSON (nlohmann::json throws on a parse
// error and on a field of the wrong type): parseJson() turns a body into a
// value or a kBadResponse error, the field readers return a default for a
// missing or mistyped field, dumpJson() never throws on bad UTF-8. Stateless.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "docker/docker_error.h"

namespace gsp::docker {

using Json = nlohmann::json;

// `what` names the call for the message: "GET /containers/x/json".
DockerResult<Json> parseJson(const std::string& body, const std::string& what);

// Invalid UTF-8 in a string is replaced by U+FFFD instead of throwing.
std::string dumpJson(const Json& j);

// j[key] if j is an object that has it, else a null value.
const Json& field(const Json& j, const char* key);

std::string stringField(const Json& j, const char* key);
int64_t intField(const Json& j, const char* key);
uint64_t uintField(const Json& j, const char* key);  // negative or missing: 0
bool boolField(const Json& j, const char* key);
std::map<std::string, std::string> stringMapField(const Json& j, const char* key);
std::vector<std::string> stringListField(const Json& j, const char* key);

}  // namespace gsp::docker
