#include "backup/gcs_credentials.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace gsp::backup {

namespace {

std::string field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

std::string base64Url(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

Result<ServiceAccount> parseServiceAccount(const std::string& json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::invalid("the key file is not JSON");
  ServiceAccount a;
  a.client_email = field(j, "client_email");
  a.private_key_pem = field(j, "private_key");
  a.private_key_id = field(j, "private_key_id");
  a.token_uri = field(j, "token_uri");
  if (a.client_email.empty()) return Status::invalid("the key file has no client_email");
  if (a.private_key_pem.find("-----BEGIN PRIVATE KEY-----") == std::string::npos)
    return Status::invalid("the key file has no PKCS#8 private_key");
  if (a.token_uri.rfind("https://", 0) != 0 && a.token_uri.rfind("http://", 0) != 0)
    return Status::invalid("the key file has no token_uri");
  return a;
}

Result<ServiceAccount> loadServiceAccount(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::unavailable("The Cloud Storage key file " + path + " cannot be read.");
  std::stringstream text;
  text << in.rdbuf();
  Result<ServiceAccount> a = parseServiceAccount(text.str());
  if (!a.isOk()) return Status::invalid("The Cloud Storage key file " + path + " is not usable: " + a.status().message() + ".");
  return a;
}

Result<std::string> signedJwt(const ServiceAccount& account, const std::string& scope, int64_t now) {
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!account.private_key_id.empty()) header["kid"] = account.private_key_id;
  nlohmann::json claims = {{"iss", account.client_email},
                           {"scope", scope},
                           {"aud", account.token_uri},
                           {"iat", now},
                           {"exp", now + 3600}};
  const std::string signing_input = base64Url(header.dump()) + "." + base64Url(claims.dump());
  Result<std::string> signature = rsaSha256Signature(account, signing_input);
  if (!signature.isOk()) return signature.status();
  return signing_input + "." + base64Url(signature.value());
}

Result<std::string> rsaSha256Signature(const ServiceAccount& account, const std::string& data) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(account.private_key_pem.data(),
                                                    static_cast<int>(account.private_key_pem.size())));
  std::unique_ptr<EVP_PKEY, KeyFree> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) return Status::invalid("the key file's private_key is not an RSA key");
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, bytes, data.size()) != 1)
    return Status::internal("the data could not be signed with the key file's key");
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(&signature[0]), &length, bytes, data.size()) != 1)
    return Status::internal("the data could not be signed with the key file's key");
  signature.resize(length);
  return signature;
}

}  // namespace gsp::backup
