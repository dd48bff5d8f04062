#include "backup/gcs_client.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <random>
#include <thread>

#include "backup/gcs_signed_url.h"
#include "docker/curl_handles.h"

namespace gsp::backup {

namespace {

const char kScope[] = "https://www.googleapis.com/auth/devstorage.read_write";

size_t collectBody(char* data, size_t one, size_t size, void* user) {
  static_cast<GcsResponse*>(user)->body.append(data, one * size);
  return one * size;
}

size_t collectHeader(char* data, size_t one, size_t size, void* user) {
  std::string line(data, one * size);
  size_t colon = line.find(':');
  if (colon == std::string::npos) return one * size;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string value = line.substr(colon + 1);
  value.erase(0, value.find_first_not_of(" \t"));
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
  auto& slot = static_cast<GcsResponse*>(user)->headers[name];
  slot = slot.empty() ? value : slot + "," + value;
  return one * size;
}

}  // namespace

bool isRetryable(const GcsResponse& r) {
  return r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500;
}

GcsClient::GcsClient(GcsOptions options) : options_(std::move(options)) {}

std::string GcsClient::objectPath(const std::string& object) const {
  return "/storage/v1/b/" + uriEncode(options_.bucket, false) + "/o/" + uriEncode(object, false);
}

std::string GcsClient::uploadPath(const std::string& object) const {
  return "/upload/storage/v1/b/" + uriEncode(options_.bucket, false) +
         "/o?uploadType=resumable&name=" + uriEncode(object, false);
}

std::chrono::milliseconds GcsClient::backoff(int attempt) const {
  static thread_local std::mt19937 random(std::random_device{}());
  int64_t base = options_.first_backoff.count() << std::min(attempt - 2, 20);
  base = std::min<int64_t>(base, options_.max_backoff.count());
  std::uniform_int_distribution<int64_t> jitter(0, base / 2);
  return std::chrono::milliseconds(std::min<int64_t>(base + jitter(random), options_.max_backoff.count()));
}

GcsResponse GcsClient::send(const std::string& method, const std::string& url, const std::string& body,
                            const std::vector<std::string>& headers, const std::string& bearer) {
  GcsResponse r;
  docker::CurlEasy easy(curl_easy_init());
  if (!easy) {
    r.error = "libcurl could not create a handle";
    return r;
  }
  CURL* h = easy.get();
  const std::string full = url.rfind("http", 0) == 0 ? url : options_.endpoint + url;
  docker::CurlHeaders list;
  list.append("Expect:");
  if (!bearer.empty()) list.append(("Authorization: Bearer " + bearer).c_str());
  for (const std::string& header : headers) list.append(header.c_str());
  curl_easy_setopt(h, CURLOPT_URL, full.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collectBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collectHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  if (method == "POST" || method == "PUT") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    r.status = 0;
    r.error = curl_easy_strerror(rc);
    return r;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

Result<std::string> GcsClient::token() {
  const int64_t now = time(nullptr);
  // Refreshed when under 5 minutes remain (as Google's own libraries do).
  if (!token_.empty() && token_expires_ - now > 300) return token_;
  Result<ServiceAccount> account = loadServiceAccount(options_.key_file);
  if (!account.isOk()) return account.status();
  Result<std::string> jwt = signedJwt(account.value(), kScope, now);
  if (!jwt.isOk()) return Status::invalid("The Cloud Storage key file is not usable: " + jwt.status().message() + ".");
  const std::string form =
      "grant_type=" + uriEncode("urn:ietf:params:oauth:grant-type:jwt-bearer", false) + "&assertion=" + jwt.value();
  for (int attempt = 1;; ++attempt) {
    GcsResponse r = send("POST", account->token_uri, form, {"Content-Type: application/x-www-form-urlencoded"}, "");
    if (r.status == 200) {
      nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
      if (!j.is_object() || !j.contains("access_token") || !j["access_token"].is_string())
        return Status::unavailable("Google's token service sent an answer that could not be read.");
      token_ = j["access_token"].get<std::string>();
      token_expires_ = now + (j.contains("expires_in") && j["expires_in"].is_number_integer() ? j["expires_in"].get<int64_t>() : 3600);
      return token_;
    }
    if (!isRetryable(r) || attempt >= options_.max_attempts) {
      std::string why = r.status == 0 ? r.error : "HTTP " + std::to_string(r.status);
      nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
      if (j.is_object() && j.contains("error") && j["error"].is_string()) why += " (" + j["error"].get<std::string>() + ")";
      return Status::unavailable("Cloud Storage refused the service account's credentials: " + why + ".");
    }
    std::this_thread::sleep_for(backoff(attempt + 1));
  }
}

Result<GcsResponse> GcsClient::call(const std::string& method, const std::string& url, const std::string& body,
                                    const std::vector<std::string>& headers, bool retry) {
  bool refetched = false;
  for (int attempt = 1;; ++attempt) {
    Result<std::string> bearer = token();
    if (!bearer.isOk()) return bearer.status();
    GcsResponse r = send(method, url, body, headers, bearer.value());
    if (r.status == 401 && !refetched) {
      // The token expired early or was revoked: one new one, then the answer stands.
      refetched = true;
      token_.clear();
      --attempt;
      continue;
    }
    if (!retry || !isRetryable(r) || attempt >= options_.max_attempts) return r;
    std::this_thread::sleep_for(backoff(attempt + 1));
  }
}

}  // namespace gsp::backup
