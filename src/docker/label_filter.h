// LabelFilter: which objects a list call returns, by label: "has this label"
// and/or "has this label with this value"; all terms must match (the engine's
// `filters={"label": [...]}`). An empty filter matches everything. Plain value.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gsp::docker {

class LabelFilter {
 public:
  LabelFilter& has(std::string key) {
    terms_.push_back(std::move(key));
    return *this;
  }
  LabelFilter& equals(const std::string& key, const std::string& value) {
    terms_.push_back(key + "=" + value);
    return *this;
  }
  // "key" or "key=value", as the engine expects them.
  const std::vector<std::string>& terms() const { return terms_; }

 private:
  std::vector<std::string> terms_;
};

}  // namespace gsp::docker
