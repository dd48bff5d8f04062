#include "http_client.h"

#include <curl/curl.h>

#include <memory>
#include <stdexcept>

namespace gsp::test {

namespace {

size_t appendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t appendHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(out);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    headers->emplace_back(name, value);
  }
  return size * n;
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return "";
}

std::string HttpResponse::setCookie(const std::string& name) const {
  for (const auto& c : set_cookies) {
    if (c.compare(0, name.size() + 1, name + "=") == 0) return c;
  }
  return "";
}

HttpClient::HttpClient(std::string base_url, std::string unix_socket)
    : base_(std::move(base_url)), unix_socket_(std::move(unix_socket)) {}

HttpResponse HttpClient::get(const std::string& path) { return request("GET", path, "", ""); }

HttpResponse HttpClient::post(const std::string& path, const std::string& form_body) {
  return request("POST", path, form_body, "application/x-www-form-urlencoded");
}

HttpResponse HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                                 const std::string& content_type, const std::vector<std::string>& extra_headers) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  HttpResponse r;
  std::string url = base_ + path;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, appendBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, appendHeader);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "gsp-integration-test");
  std::string cookies;
  for (const auto& [k, v] : jar_) cookies += k + "=" + v + "; ";
  if (!cookies.empty()) curl_easy_setopt(curl.get(), CURLOPT_COOKIE, cookies.c_str());
  struct curl_slist* headers = nullptr;
  if (!content_type.empty()) headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  for (const std::string& h : extra_headers) headers = curl_slist_append(headers, h.c_str());
  if (!unix_socket_.empty()) curl_easy_setopt(curl.get(), CURLOPT_UNIX_SOCKET_PATH, unix_socket_.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_owner(headers, curl_slist_free_all);
  if (headers) curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  if (method == "POST") {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) throw std::runtime_error(method + " " + url + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.status);
  for (const auto& [k, v] : r.headers) {
    if (k != "set-cookie") continue;
    r.set_cookies.push_back(v);
    size_t eq = v.find('='), semi = v.find(';');
    std::string name = v.substr(0, eq), value = v.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
    if (v.find("Max-Age=0") != std::string::npos) jar_.erase(name);
    else jar_[name] = value;
  }
  return r;
}

std::string HttpClient::cookie(const std::string& name) const {
  auto it = jar_.find(name);
  return it == jar_.end() ? "" : it->second;
}

std::string formField(const std::string& html, const std::string& name) {
  std::string marker = "name=\"" + name + "\" value=\"";
  size_t at = html.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

std::string urlEncode(const std::string& s) {
  char* e = curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size()));
  std::string out(e);
  curl_free(e);
  return out;
}

}  // namespace gsp::test
