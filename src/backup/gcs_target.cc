#include "backup/gcs_target.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <thread>

#include "backup/gcs_signed_url.h"

namespace gsp::backup {

namespace {

// "bytes=0-K" -> K + 1 persisted; no header: nothing persisted.
int64_t persistedFrom(const GcsResponse& r) {
  auto it = r.headers.find("range");
  if (it == r.headers.end()) return 0;
  size_t dash = it->second.rfind('-');
  if (dash == std::string::npos) return 0;
  try {
    return std::stoll(it->second.substr(dash + 1)) + 1;
  } catch (...) {
    return 0;
  }
}

std::string why(const GcsResponse& r) {
  if (r.status == 0) return "the connection failed (" + r.error + ")";
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
      j["error"]["message"].is_string())
    return "HTTP " + std::to_string(r.status) + ": " + j["error"]["message"].get<std::string>();
  return "HTTP " + std::to_string(r.status);
}

class GcsWriter : public ObjectWriter {
 public:
  // A new session, or one resumed where the service has kept `persisted`
  // bytes (`finished_body`: it already holds the whole object).
  GcsWriter(GcsClient& client, std::string session, size_t chunk, int64_t persisted = 0,
            std::string finished_body = "")
      : client_(client), session_(std::move(session)), chunk_(chunk), resumed_at_(persisted), offset_(persisted),
        final_body_(std::move(finished_body)), finished_(!final_body_.empty()) {
    buffer_.reserve(chunk_);
  }
  ~GcsWriter() override { abort(); }

  std::string session() const override { return session_; }

  Status write(const char* data, size_t size) override {
    // A resumed upload: the bytes the service already kept are not sent again.
    size_t skip = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(size), std::max<int64_t>(resumed_at_ - seen_, 0)));
    seen_ += static_cast<int64_t>(size);
    if (finished_) return Status::ok();
    data += skip;
    size -= skip;
    while (size > 0) {
      size_t take = std::min(size, chunk_ - buffer_.size());
      buffer_.append(data, take);
      data += take;
      size -= take;
      if (buffer_.size() == chunk_) {
        Status sent = send(false, "");
        if (!sent.isOk()) return sent;
      }
    }
    return Status::ok();
  }

  Status commit(const ArchiveSums& sums) override {
    if (seen_ < resumed_at_) return changedSince();
    if (!finished_) {
      Status sent = send(true, "X-Goog-Hash: crc32c=" + sums.crc32c_base64 + ",md5=" + sums.md5_base64);
      if (!sent.isOk()) return sent;
    }
    // The service computed its own sums of what it stored: they must be ours.
    nlohmann::json object = nlohmann::json::parse(final_body_, nullptr, false);
    std::string crc = object.is_object() && object.contains("crc32c") && object["crc32c"].is_string() ? object["crc32c"].get<std::string>() : "";
    std::string md5 = object.is_object() && object.contains("md5Hash") && object["md5Hash"].is_string() ? object["md5Hash"].get<std::string>() : "";
    if (crc != sums.crc32c_base64 || (!md5.empty() && md5 != sums.md5_base64)) {
      if (resumed_at_ > 0 || finished_) return changedSince();
      return Status::unavailable("Cloud Storage stored the backup with other checksums than were sent; it is not trusted.");
    }
    done_ = true;
    return Status::ok();
  }

  void abort() override {
    if (done_) return;
    done_ = true;
    // Cancels the session; the service answers 499. Nothing was stored under the name.
    client_.call("DELETE", session_, "", {}, false);
  }

 private:
  // Sends the buffer from offset_ (the whole rest when `final`), going on from
  // what the service reports it kept after any failure.
  Status send(bool final, const std::string& hash_header) {
    const int64_t total = offset_ + static_cast<int64_t>(buffer_.size());
    for (int attempt = 1;; ++attempt) {
      std::vector<std::string> headers = {"Content-Type: application/octet-stream"};
      if (buffer_.empty()) {
        headers.push_back("Content-Range: bytes */" + std::to_string(total));
      } else {
        headers.push_back("Content-Range: bytes " + std::to_string(offset_) + "-" + std::to_string(total - 1) + "/" +
                          (final ? std::to_string(total) : std::string("*")));
      }
      if (final && !hash_header.empty()) headers.push_back(hash_header);
      Result<GcsResponse> r = client_.call("PUT", session_, buffer_, headers, false);
      if (!r.isOk()) return r.status();
      if (r->status == 200 || r->status == 201) {
        if (!final) return Status::unavailable("Cloud Storage ended the upload early.");
        final_body_ = r->body;
        offset_ = total;
        buffer_.clear();
        return Status::ok();
      }
      if (r->status == 308) {
        Status moved = advanceTo(persistedFrom(r.value()));
        if (!moved.isOk()) return moved;
        if (!final && buffer_.empty()) return Status::ok();  // the whole chunk is kept
        continue;  // it kept less: the rest again
      }
      if (r->status == 404 || r->status == 410)
        return Status::unavailable("The Cloud Storage upload session expired; the backup must be taken again.");
      // The service checks the sums we send with the last chunk: on a resumed
      // upload a refusal means the data changed since the first try.
      if (final && resumed_at_ > 0 && r->status == 400) return changedSince();
      if (!isRetryable(r.value()) || attempt >= client_.options().max_attempts)
        return Status::unavailable("Cloud Storage did not take the backup: " + why(r.value()) + ".");
      // Broken connection or a 5xx: ask how much it kept, then go on from there.
      std::this_thread::sleep_for(client_.backoff(attempt + 1));
      Result<GcsResponse> status = client_.call(
          "PUT", session_, "", {"Content-Range: bytes */" + (final ? std::to_string(total) : std::string("*"))}, true);
      if (!status.isOk()) return status.status();
      if (status->status == 200 || status->status == 201) {
        if (!final) return Status::unavailable("Cloud Storage ended the upload early.");
        final_body_ = status->body;
        offset_ = total;
        buffer_.clear();
        return Status::ok();
      }
      if (status->status != 308) return Status::unavailable("Cloud Storage lost the upload: " + why(status.value()) + ".");
      Status moved = advanceTo(persistedFrom(status.value()));
      if (!moved.isOk()) return moved;
      if (!final && buffer_.empty()) return Status::ok();
    }
  }

  Status changedSince() const {
    return Status::conflict("the data changed since the interrupted upload began");
  }

  // The service kept everything before `persisted`: drop that from the buffer.
  Status advanceTo(int64_t persisted) {
    if (persisted < offset_ || persisted > offset_ + static_cast<int64_t>(buffer_.size()))
      return Status::unavailable("Cloud Storage reported an upload offset that does not fit; the backup must be taken again.");
    buffer_.erase(0, static_cast<size_t>(persisted - offset_));
    offset_ = persisted;
    return Status::ok();
  }

  GcsClient& client_;
  const std::string session_;
  const size_t chunk_;
  const int64_t resumed_at_;  // bytes an earlier try got kept (0: a new upload)
  int64_t seen_ = 0;          // bytes handed to write(), skipped ones included
  std::string buffer_;        // bytes from offset_ not yet kept by the service
  int64_t offset_;            // bytes the service has kept
  std::string final_body_;    // the object resource of the completed upload
  const bool finished_;       // resumed after the service had completed it
  bool done_ = false;
};

class GcsReader : public ObjectReader {
 public:
  GcsReader(GcsClient& client, std::string path, int64_t size, size_t chunk)
      : client_(client), path_(std::move(path)), size_(size), chunk_(chunk) {}

  Result<size_t> read(char* out, size_t size) override {
    if (pos_in_buffer_ == buffer_.size()) {
      if (offset_ >= size_) return size_t(0);
      int64_t last = std::min<int64_t>(offset_ + static_cast<int64_t>(chunk_), size_) - 1;
      Result<GcsResponse> r = client_.call("GET", path_ + "?alt=media", "",
                                           {"Range: bytes=" + std::to_string(offset_) + "-" + std::to_string(last)}, true);
      if (!r.isOk()) return r.status();
      if (r->status != 206 && r->status != 200)
        return Status::unavailable("Cloud Storage did not give the backup back: " + why(r.value()) + ".");
      buffer_ = std::move(r->body);
      pos_in_buffer_ = 0;
      if (buffer_.empty()) return Status::unavailable("Cloud Storage sent an empty part of the backup.");
      offset_ += static_cast<int64_t>(buffer_.size());
    }
    size_t n = std::min(size, buffer_.size() - pos_in_buffer_);
    memcpy(out, buffer_.data() + pos_in_buffer_, n);
    pos_in_buffer_ += n;
    return n;
  }

 private:
  GcsClient& client_;
  const std::string path_;
  const int64_t size_;
  const size_t chunk_;
  std::string buffer_;
  size_t pos_in_buffer_ = 0;
  int64_t offset_ = 0;
};

}  // namespace

Result<std::string> GcsTarget::downloadUrl(const std::string& object, const std::string& file_name, int64_t now) {
  Result<ServiceAccount> account = loadServiceAccount(client_.options().key_file);
  if (!account.isOk()) return account.status();
  SignedReadRequest request;
  request.endpoint = client_.options().endpoint;
  request.bucket = client_.options().bucket;
  request.object = prefix_ + object;
  request.download_name = file_name;
  request.now = now;
  request.expires_seconds = kDownloadUrlSeconds;
  Result<std::string> url = signedReadUrl(account.value(), request);
  if (!url.isOk()) return Status::invalid("A download link could not be made: " + url.status().message() + ".");
  return url;
}

GcsTarget::GcsTarget(GcsOptions options, std::string prefix, size_t chunk_bytes)
    : client_(std::move(options)), prefix_(std::move(prefix)), chunk_bytes_(chunk_bytes) {}

Result<std::unique_ptr<ObjectWriter>> GcsTarget::create(const std::string& object) {
  const std::string name = prefix_ + object;
  nlohmann::json metadata = {{"name", name}, {"contentType", "application/gzip"}};
  // ifGenerationMatch=0: a backup never replaces an object that exists.
  Result<GcsResponse> r = client_.call("POST", client_.uploadPath(name) + "&ifGenerationMatch=0", metadata.dump(),
                                       {"Content-Type: application/json; charset=UTF-8",
                                        "X-Upload-Content-Type: application/gzip"},
                                       true);
  if (!r.isOk()) return r.status();
  auto location = r->headers.find("location");
  if (r->status != 200 || location == r->headers.end() || location->second.empty())
    return Status::unavailable("Cloud Storage did not open an upload: " + why(r.value()) + ".");
  return std::unique_ptr<ObjectWriter>(new GcsWriter(client_, location->second, chunk_bytes_));
}

Result<std::unique_ptr<ObjectWriter>> GcsTarget::resume(const std::string& object, const std::string& session) {
  (void)object;
  // The row's URI gets our token only if it is an upload on our endpoint.
  if (session.rfind(client_.options().endpoint + "/upload/", 0) != 0)
    return Status::notFound("The saved upload session is not one of this bucket's.");
  Result<GcsResponse> r = client_.call("PUT", session, "", {"Content-Range: bytes */*"}, true);
  if (!r.isOk()) return r.status();
  if (r->status == 404 || r->status == 410) return Status::notFound("The Cloud Storage upload session expired.");
  if (r->status == 200 || r->status == 201)
    return std::unique_ptr<ObjectWriter>(new GcsWriter(client_, session, chunk_bytes_, 0, r->body.empty() ? "{}" : r->body));
  if (r->status != 308) return Status::unavailable("Cloud Storage did not say how much of the upload it kept: " + why(r.value()) + ".");
  return std::unique_ptr<ObjectWriter>(new GcsWriter(client_, session, chunk_bytes_, persistedFrom(r.value())));
}

Result<std::unique_ptr<ObjectReader>> GcsTarget::open(const std::string& object) {
  const std::string path = client_.objectPath(prefix_ + object);
  Result<GcsResponse> r = client_.call("GET", path, "", {}, true);
  if (!r.isOk()) return r.status();
  if (r->status == 404) return Status::notFound("The backup is missing from the Cloud Storage bucket.");
  nlohmann::json meta = nlohmann::json::parse(r->body, nullptr, false);
  if (r->status != 200 || !meta.is_object() || !meta.contains("size") || !meta["size"].is_string())
    return Status::unavailable("Cloud Storage did not describe the backup: " + why(r.value()) + ".");
  int64_t size = 0;
  try {
    size = std::stoll(meta["size"].get<std::string>());
  } catch (...) {
    return Status::unavailable("Cloud Storage gave the backup a size that could not be read.");
  }
  return std::unique_ptr<ObjectReader>(new GcsReader(client_, path, size, chunk_bytes_));
}

Status GcsTarget::remove(const std::string& object) {
  Result<GcsResponse> r = client_.call("DELETE", client_.objectPath(prefix_ + object), "", {}, true);
  if (!r.isOk()) return r.status();
  if (r->status == 204 || r->status == 200 || r->status == 404) return Status::ok();  // 404: already gone
  return Status::unavailable("Cloud Storage did not delete the backup: " + why(r.value()) + ".");
}

}  // namespace gsp::backup
