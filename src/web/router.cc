#include "web/router.h"

#include <stdexcept>

namespace gsp::web {

std::vector<std::string> Router::split(const std::string& path) {
  // "/a/b" -> {"a","b"}; "/" -> {}; "/a/" -> {"a",""} so a trailing slash never matches "/a".
  std::vector<std::string> parts;
  size_t pos = 1;
  if (path.size() <= 1) return parts;
  while (true) {
    size_t slash = path.find('/', pos);
    parts.push_back(path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return parts;
}

void Router::add(const std::string& method, const std::string& pattern, int id) {
  if (pattern.empty() || pattern[0] != '/') throw std::invalid_argument("route must start with '/': " + pattern);
  Route route{method, pattern, {}, id};
  for (const std::string& part : split(pattern)) {
    if (part.empty()) throw std::invalid_argument("empty segment in route: " + pattern);
    if (part.front() == '{') {
      if (part.back() != '}') throw std::invalid_argument("unclosed parameter in route: " + pattern);
      std::string inner = part.substr(1, part.size() - 2);
      size_t colon = inner.find(':');
      if (colon == std::string::npos) {
        route.segments.push_back({Segment::Type::kAny, inner});
      } else if (inner.substr(colon + 1) == "int") {
        route.segments.push_back({Segment::Type::kInt, inner.substr(0, colon)});
      } else {
        throw std::invalid_argument("unknown parameter type in route: " + pattern);
      }
    } else {
      route.segments.push_back({Segment::Type::kLiteral, part});
    }
  }
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) throw std::invalid_argument("duplicate route: " + pattern);
  }
  routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::vector<std::string>& parts, StringMap* params) {
  if (route.segments.size() != parts.size()) return false;
  StringMap found;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& seg = route.segments[i];
    const std::string& part = parts[i];
    switch (seg.type) {
      case Segment::Type::kLiteral:
        if (part != seg.text) return false;
        break;
      case Segment::Type::kAny:
        if (part.empty()) return false;
        found[seg.text] = part;
        break;
      case Segment::Type::kInt:
        if (part.empty() || part.size() > 18) return false;
        for (char c : part) {
          if (c < '0' || c > '9') return false;
        }
        found[seg.text] = part;
        break;
    }
  }
  *params = std::move(found);
  return true;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  if (path.empty() || path[0] != '/') return result;
  const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
  std::vector<std::string> parts = split(path);
  for (const Route& route : routes_) {
    StringMap params;
    if (!matches(route, parts, &params)) continue;
    if (route.method == wanted) {
      result.kind = RouteMatch::Kind::kFound;
      result.id = route.id;
      result.params = std::move(params);
      return result;
    }
    result.kind = RouteMatch::Kind::kMethodNotAllowed;
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += route.method;
  }
  return result;
}

}  // namespace gsp::web
