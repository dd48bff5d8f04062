#include "docker/image_pull.h"

#include "docker/json_fields.h"

namespace gsp::docker {

namespace {
const size_t kMaxLine = 64 * 1024;
}  // namespace

bool PullProgress::feed(const char* data, size_t size) {
  if (!error_.empty()) return false;
  partial_.append(data, size);
  size_t start = 0;
  for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1) {
    line(partial_.substr(start, nl - start));
    if (!error_.empty()) return false;
  }
  partial_.erase(0, start);
  if (partial_.size() > kMaxLine) error_ = "the engine sent an overlong progress line";
  return error_.empty();
}

void PullProgress::line(const std::string& text) {
  if (text.find_first_not_of(" \t\r") == std::string::npos) return;
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error_ = "the engine sent progress that could not be read";
    return;
  }
  if (j.contains("error")) {
    error_ = stringField(j, "error");
    if (error_.empty()) error_ = "the pull failed";
    return;
  }
  const std::string id = stringField(j, "id");
  const std::string status = stringField(j, "status");
  if (id.empty() || id.size() > 128) return;  // "Pulling from library/x", "Digest: ...", "Status: ..."
  if (status == "Pulling fs layer" || status == "Waiting") {
    layers_[id];
  } else if (status == "Downloading") {
    const Json& detail = field(j, "progressDetail");
    Layer& l = layers_[id];
    l.current = std::max<int64_t>(0, intField(detail, "current"));
    l.total = std::max<int64_t>(l.total, intField(detail, "total"));
  } else if (status == "Download complete" || status == "Pull complete") {
    auto it = layers_.find(id);
    if (it != layers_.end() && it->second.total > 0) it->second.current = it->second.total;
  }
}

namespace {
// Layer sizes come from the engine's JSON: a sum of absurd ones saturates
// instead of overflowing (found by fuzzing).
int64_t saturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? INT64_MAX : sum;
}
}  // namespace

int64_t PullProgress::downloaded() const {
  int64_t sum = 0;
  for (const auto& l : layers_)
    sum = saturatingAdd(sum, std::min(l.second.current, std::max(l.second.total, l.second.current)));
  return sum;
}

int64_t PullProgress::total() const {
  int64_t sum = 0;
  for (const auto& l : layers_) sum = saturatingAdd(sum, std::max(l.second.total, l.second.current));
  return sum;
}

void splitImageReference(const std::string& reference, std::string* name, std::string* tag) {
  if (reference.find('@') != std::string::npos) {
    *name = reference;
    tag->clear();
    return;
  }
  size_t slash = reference.rfind('/');
  size_t colon = reference.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    *name = reference.substr(0, colon);
    *tag = reference.substr(colon + 1);
  } else {
    *name = reference;
    *tag = "latest";
  }
}

}  // namespace gsp::docker
