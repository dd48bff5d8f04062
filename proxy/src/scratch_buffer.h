// ScratchBuffer: a large transient buffer whose pages stay untouched (and so
// cost no resident memory) until used. Unlike std::vector<char>(n) it does not
// zero-fill. Owns its memory; thread-compatible.
#pragma once

#include <cstddef>
#include <memory>

namespace gsp::proxy {

class ScratchBuffer {
 public:
  explicit ScratchBuffer(size_t size) : data_(new char[size]), size_(size) {}
  char* data() { return data_.get(); }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_;
};

}  // namespace gsp::proxy
