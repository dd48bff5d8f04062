// Maps (method, path) to a route id and its path parameters. Patterns are
// literal segments plus "{name}" (any one segment) or "{name:int}" (1-18 digits).
// Built once at start, then read-only: thread-safe for concurrent match().
#pragma once

#include <string>
#include <vector>

#include "web/request.h"

namespace gsp::web {

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  int id = -1;
  StringMap params;
  std::string allow;  // for 405: "GET, POST"
};

class Router {
 public:
  // Throws std::invalid_argument for a malformed pattern or a duplicate route:
  // those are programming errors found at start-up, never at request time.
  void add(const std::string& method, const std::string& pattern, int id);

  // HEAD is served by the GET route.
  RouteMatch match(const std::string& method, const std::string& path) const;

 private:
  struct Segment {
    enum class Type { kLiteral, kAny, kInt } type;
    std::string text;  // literal text or parameter name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    int id;
  };
  static std::vector<std::string> split(const std::string& path);
  static bool matches(const Route& route, const std::vector<std::string>& parts, StringMap* params);

  std::vector<Route> routes_;
};

}  // namespace gsp::web
