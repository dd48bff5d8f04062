// libFuzzer target: the check of the sidecar proxies' signed webhooks
// (src/web/webhook_signature.h): server id header, timestamp window and
// HMAC-SHA256 signature, every one of them chosen by whoever reaches the
// internal listener. The expected signatures are made with the proxy's own
// signer (proxy/src/hmac_sha256.cc, an HMAC apart from src/core/crypto), so
// the two ends are also checked against each other. Properties, beyond
// "no crash, no sanitizer report":
//   - a call verifies only if its timestamp is 1-12 digits within the skew of
//     now and its signature is the proxy's HMAC of method, path, timestamp
//     and body under the secret (compared ignoring the case of the hex);
//   - a call the proxy signs, with a timestamp within the skew, verifies;
//     changing one byte of the method, path, body, secret, timestamp or
//     signature, cutting or extending the signature, or moving the timestamp
//     past the skew makes it fail;
//   - every refusal is kForbidden with a message;
//   - parseServerIdHeader gives a positive id exactly for 1-18 decimal digits
//     without a leading zero, which print back to the same text, else 0.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/webhook_signature.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hmac_sha256.h"
#include "web/webhook_signature.h"

using gsp::Status;
using gsp::web::parseServerIdHeader;
using gsp::web::verifyWebhookSignature;

namespace {

// The latest "now" whose window still fits in a 12-digit timestamp.
constexpr int64_t kMaxNow = 999999999999 - 2 * 3600;

void check(bool ok) {
  if (!ok) abort();
}

bool isDigits(const std::string& s) { return s.find_first_not_of("0123456789") == std::string::npos; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string proxySignature(const std::string& secret, const std::string& method, const std::string& path,
                           const std::string& timestamp, const std::string& body) {
  return gsp::proxy::hexEncode(gsp::proxy::hmacSha256(secret, method + "\n" + path + "\n" + timestamp + "\n" + body));
}

void checkServerId(const std::string& text) {
  const int64_t id = parseServerIdHeader(text);
  const bool canonical = !text.empty() && text.size() <= 18 && isDigits(text) && text[0] != '0';
  check(canonical ? id > 0 && std::to_string(id) == text : id == 0);
}

// One byte of `s` replaced by a different one, at `at` (mod the size).
std::string flipped(std::string s, size_t at, uint8_t with) {
  at %= s.size();
  s[at] = static_cast<char>(s[at] ^ (with | 1));
  return s;
}

// A different hex digit, also under tolower (not just the other case).
std::string flippedHex(std::string s, size_t at) {
  at %= s.size();
  s[at] = lower(std::string(1, s[at])) == "0" ? '1' : '0';
  return s;
}

struct Call {
  std::string secret, method, path, timestamp, signature, body;
  int64_t now;
  int skew;
};

Status verify(const Call& c) {
  return verifyWebhookSignature(c.secret, c.method, c.path, c.timestamp, c.signature, c.body, c.now, c.skew);
}

void checkRefused(const Call& c) {
  Status s = verify(c);
  check(!s.isOk() && s.code() == Status::Code::kForbidden && !s.message().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  Call c;
  c.secret = in.ConsumeRandomLengthString(80);
  c.method = in.ConsumeRandomLengthString(16);
  c.path = in.ConsumeRandomLengthString(80);
  c.timestamp = in.ConsumeRandomLengthString(16);
  c.signature = in.ConsumeRandomLengthString(80);
  c.skew = in.ConsumeIntegralInRange<int>(5, 3600);  // config.cc's range of webhook-max-skew-seconds
  // Now: near the timestamp (when it is one) or any time the 12 digits can stamp.
  const bool digits = !c.timestamp.empty() && c.timestamp.size() <= 12 && isDigits(c.timestamp);
  const int64_t drift = in.ConsumeIntegralInRange<int64_t>(-2 * 3600, 2 * 3600);
  c.now = digits && in.ConsumeBool() ? std::max<int64_t>(0, std::stoll(c.timestamp) + drift)
                                     : in.ConsumeIntegralInRange<int64_t>(0, kMaxNow);
  const size_t at = in.ConsumeIntegral<size_t>();
  const uint8_t with = in.ConsumeIntegral<uint8_t>();
  const int64_t id = in.ConsumeIntegralInRange<int64_t>(1, 999999999999999999);
  c.body = in.ConsumeRemainingBytesAsString();

  // Whatever arrived: it verifies only as the contract says.
  Status got = verify(c);
  if (got.isOk()) {
    check(digits);
    const int64_t sent = std::stoll(c.timestamp);
    check(sent >= c.now - c.skew && sent <= c.now + c.skew);
    check(lower(c.signature) == proxySignature(c.secret, c.method, c.path, c.timestamp, c.body));
  } else {
    check(got.code() == Status::Code::kForbidden && !got.message().empty());
  }

  // What the proxy sends for the same call, stamped within the window.
  Call good = c;
  good.now = std::clamp<int64_t>(c.now, c.skew, kMaxNow);
  const int64_t offset = drift % (c.skew + 1);  // |offset| <= skew
  good.timestamp = std::to_string(good.now + offset);
  good.signature = proxySignature(good.secret, good.method, good.path, good.timestamp, good.body);
  check(verify(good).isOk());

  // One change anywhere and it no longer verifies.
  auto refusedWith = [&](auto change) {
    Call b = good;
    change(b);
    checkRefused(b);
  };
  if (!good.method.empty()) refusedWith([&](Call& b) { b.method = flipped(b.method, at, with); });
  if (!good.path.empty()) refusedWith([&](Call& b) { b.path = flipped(b.path, at, with); });
  if (!good.body.empty()) refusedWith([&](Call& b) { b.body = flipped(b.body, at, with); });
  if (!good.secret.empty()) refusedWith([&](Call& b) { b.secret = flipped(b.secret, at, with); });
  refusedWith([&](Call& b) { b.secret += "0"; });
  refusedWith([&](Call& b) { b.body += "\n"; });
  refusedWith([&](Call& b) { b.signature = flippedHex(b.signature, at); });
  refusedWith([&](Call& b) { b.signature.resize(at % b.signature.size()); });
  refusedWith([&](Call& b) { b.signature += "0"; });
  // Signed for one second of the window, not for another; nor for the same
  // number written with a leading zero.
  refusedWith([&](Call& b) { b.timestamp = std::to_string(good.now + (offset == 0 ? 1 : 0)); });
  refusedWith([&](Call& b) { b.timestamp = "0" + b.timestamp; });
  // Past the window, even when signed for that time: stale.
  for (int64_t off : {static_cast<int64_t>(c.skew) + 1, -static_cast<int64_t>(c.skew) - 1 - (with % 7)}) {
    if (good.now + off < 0) continue;
    refusedWith([&](Call& b) {
      b.timestamp = std::to_string(good.now + off);
      b.signature = proxySignature(b.secret, b.method, b.path, b.timestamp, b.body);
    });
  }

  // The server id header.
  checkServerId(c.path);
  checkServerId(c.timestamp);
  checkServerId(c.body);
  check(parseServerIdHeader(std::to_string(id)) == id);
  checkServerId("0" + std::to_string(id));
  checkServerId(std::to_string(id) + " ");
  return 0;
}
