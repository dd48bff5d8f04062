#include "web/page_cache.h"

#include <algorithm>

#include "db/database.h"

namespace gsp::web {

PageCache::PageCache(int64_t max_staleness_ms, size_t max_entries, size_t max_bytes)
    : max_staleness_ms_(max_staleness_ms), max_entries_(max_entries), max_bytes_(max_bytes) {}

void PageCache::clearLocked() {
  entries_.clear();
  bytes_ = 0;
}

std::optional<Response> PageCache::find(const std::string& key, uint64_t generation, int64_t now_ms) {
  if (!enabled()) return std::nullopt;
  std::shared_ptr<const Response> found;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (now_ms - polled_at_ms_ > max_staleness_ms_) return std::nullopt;  // other processes unchecked
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.generation != generation || now_ms >= it->second.expires_ms) {
      bytes_ -= it->second.response->body.size();
      entries_.erase(it);
      return std::nullopt;
    }
    found = it->second.response;
  }
  return *found;  // the copy is made outside the lock
}

void PageCache::store(const std::string& key, uint64_t generation, int64_t session_expires_ms, int64_t now_ms,
                      const Response& response) {
  if (!enabled() || response.status != 200 || !response.cookies.empty() ||
      response.body.size() > kMaxBodyBytes)
    return;
  Entry e;
  e.generation = generation;
  e.expires_ms = std::min(session_expires_ms, now_ms + kMaxEntryAgeMs);
  e.response = std::make_shared<const Response>(response);
  std::lock_guard<std::mutex> lock(mutex_);
  auto old = entries_.find(key);
  if (old != entries_.end()) {
    bytes_ -= old->second.response->body.size();
    entries_.erase(old);
  }
  // Bounded without bookkeeping: when full, start over (entries are cheap to rebuild).
  if (entries_.size() >= max_entries_ || bytes_ + response.body.size() > max_bytes_) clearLocked();
  bytes_ += response.body.size();
  entries_.emplace(key, std::move(e));
}

bool PageCache::claimPoll(int64_t now_ms) {
  if (!enabled()) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  // Polled half-way through the window: busy sites never stop serving while
  // one request refreshes.
  if (polling_ || now_ms - polled_at_ms_ < max_staleness_ms_ / 2) return false;
  polling_ = true;
  return true;
}

void PageCache::pollResult(const std::string& marker, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  polling_ = false;
  if (marker != marker_) {
    // Bumped before the poll counts as done: no entry of the old generation
    // is served in between.
    db::noteWrite();
    marker_ = marker;
    clearLocked();
  }
  polled_at_ms_ = now_ms;
}

void PageCache::pollFailed() {
  std::lock_guard<std::mutex> lock(mutex_);
  polling_ = false;
}

size_t PageCache::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace gsp::web
