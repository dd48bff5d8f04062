// Owners of libcurl handles: CurlEasy owns a CURL*, CurlHeaders a curl_slist*.
// Movable, not copyable; each releases its handle exactly once. A handle is
// used by one thread at a time (libcurl's rule for easy handles).
#pragma once

#include <curl/curl.h>

#include <memory>

namespace gsp::docker {

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

// A header list owned through its head.
class CurlHeaders {
 public:
  // False if libcurl could not allocate; the list is unchanged then.
  bool append(const char* header) {
    curl_slist* grown = curl_slist_append(list_.get(), header);
    if (grown == nullptr) return false;
    // curl_slist_append returns the head, which is new only for an empty list.
    if (!list_) list_.reset(grown);
    return true;
  }
  curl_slist* get() const { return list_.get(); }

 private:
  struct Deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  std::unique_ptr<curl_slist, Deleter> list_;
};

}  // namespace gsp::docker
