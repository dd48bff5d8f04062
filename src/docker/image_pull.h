// The progress stream of an image pull (POST /images/create): one JSON object
// per line, per layer ("Downloading" with current/total bytes, "Download
// complete", "Already exists", ...), and an "error" line when the pull fails
// even though the HTTP status said 200. Fed in whatever pieces the transport
// delivers; sums the download bytes over the layers seen so far.
// Bounded: a line past 64 KiB is an error, not a growing buffer.
// Plain value; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace gsp::docker {

class PullProgress {
 public:
  // False once the stream carried an error (error() says which) or garbage.
  bool feed(const char* data, size_t size);

  int64_t downloaded() const;  // bytes of every layer so far
  int64_t total() const;       // their announced sizes (grows as layers announce theirs)
  int layers() const { return static_cast<int>(layers_.size()); }
  const std::string& error() const { return error_; }

 private:
  void line(const std::string& text);

  struct Layer {
    int64_t current = 0;
    int64_t total = 0;
  };
  std::map<std::string, Layer> layers_;  // by layer id
  std::string partial_;                  // the unfinished last line
  std::string error_;
};

// "host:5000/name:tag" -> ("host:5000/name", "tag"); no tag -> "latest";
// a digest ("name@sha256:...") stays in the name with an empty tag.
void splitImageReference(const std::string& reference, std::string* name, std::string* tag);

}  // namespace gsp::docker
