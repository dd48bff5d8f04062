// HoldBudget: the bytes the proxy keeps for clients waiting on a waking game,
// TCP and UDP together, bounded as a whole. Each held client is bounded too
// (--hold-buffer-bytes), but a thousand of them at that bound would outgrow
// the proxy's memory limit; this bound (--hold-budget-bytes, set from that
// limit) keeps a flood of held clients from getting the proxy OOM-killed: past
// it, TCP clients are not read further (their kernel buffers and TCP windows
// hold the rest) and UDP datagrams are dropped and counted.
// Owned by the proxy; used on the control loop's thread only (held clients
// live there), so it needs no lock.
#pragma once

#include <algorithm>
#include <cstdint>

namespace gsp::proxy {

class HoldBudget {
 public:
  explicit HoldBudget(int64_t limit) : limit_(limit) {}

  // Up to `want` bytes of what is left; 0 when the budget is spent.
  int64_t take(int64_t want) {
    int64_t granted = std::max<int64_t>(0, std::min(want, limit_ - used_));
    used_ += granted;
    return granted;
  }
  // All of `bytes` or nothing.
  bool takeAll(int64_t bytes) {
    if (used_ + bytes > limit_) return false;
    used_ += bytes;
    return true;
  }
  // Bytes that are already held (read by a worker before it handed the client over).
  void charge(int64_t bytes) { used_ += bytes; }
  void give(int64_t bytes) { used_ = std::max<int64_t>(0, used_ - bytes); }

  int64_t used() const { return used_; }
  int64_t limit() const { return limit_; }

 private:
  const int64_t limit_;
  int64_t used_ = 0;
};

}  // namespace gsp::proxy
