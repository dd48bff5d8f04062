// PageCache: rendered responses of the read-only pages (dashboard, billing,
// the dashboard's state poll), per session and URL, served again without a
// database query while nothing they show can have changed.
//
// Why it can say so:
//  - Every write this process makes bumps db::writeGeneration() once it is
//    visible (database.h). An entry is tagged with the generation read before
//    its first query and is served only while the generation is unchanged, so
//    a user always sees their own change on the next page.
//  - Other processes (the lifecycle helper, an operator's SQL) write too. Each
//    change a page shows leaves a row behind: a state change a server_events
//    row, a balance change a transactions row. At most every `max_staleness_ms`
//    one request polls the newest ids of both (claimPoll/pollResult); a change
//    bumps the generation. Until that poll has run recently, nothing is served
//    from the cache.
//  - Changes that leave no such row (a hand-edited catalog price) are bounded
//    by kMaxEntryAgeMs; an entry also dies with its session's expiry.
// Thread-safe; one per process, shared by the FastCGI workers.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "web/response.h"

namespace gsp::web {

class PageCache {
 public:
  static constexpr int64_t kMaxEntryAgeMs = 5000;
  static constexpr size_t kMaxBodyBytes = 256 * 1024;

  // max_staleness_ms: how late another process's change may show; 0 disables
  // the cache. At most max_entries responses of max_bytes bodies in all.
  PageCache(int64_t max_staleness_ms, size_t max_entries, size_t max_bytes = 64 << 20);

  bool enabled() const { return max_staleness_ms_ > 0; }

  // The stored response for `key` when it was rendered at `generation` (read
  // by the caller before anything else) and is still fresh at `now_ms`.
  std::optional<Response> find(const std::string& key, uint64_t generation, int64_t now_ms);

  // Keeps `response`, rendered at `generation` for a session that ends at
  // `session_expires_ms`. Refuses what must not be replayed (not a 200, sets
  // cookies, too large).
  void store(const std::string& key, uint64_t generation, int64_t session_expires_ms, int64_t now_ms,
             const Response& response);

  // True when the caller should poll the change markers now; at most one
  // caller at a time is told so. Report with pollResult() or pollFailed().
  bool claimPoll(int64_t now_ms);
  // `marker`: the newest server_events and transactions ids, as one string.
  // A changed marker bumps db::writeGeneration().
  void pollResult(const std::string& marker, int64_t now_ms);
  void pollFailed();

  size_t size();

 private:
  void clearLocked();

  struct Entry {
    uint64_t generation = 0;
    int64_t expires_ms = 0;
    std::shared_ptr<const Response> response;
  };

  const int64_t max_staleness_ms_;
  const size_t max_entries_;
  const size_t max_bytes_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  size_t bytes_ = 0;  // bodies of entries_
  std::string marker_;
  int64_t polled_at_ms_ = INT64_MIN / 2;  // never
  bool polling_ = false;
};

}  // namespace gsp::web
