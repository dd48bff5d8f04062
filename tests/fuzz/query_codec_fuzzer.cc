// libFuzzer target: the server-browser queries gsp-proxy answers itself while
// the game sleeps (proxy/src/a2s_codec.h, satisfactory_query.h,
// query_responder.h): one datagram from anyone on the internet. Properties,
// beyond "no crash, no sanitizer report":
//   - a request either parser accepts is byte for byte the canonical request
//     it names (neither header has a request encoder; the canonical bytes are
//     built here from the protocol), and a Satisfactory cookie is bytes 4..11;
//   - the A2S responder answers exactly the datagrams parseA2sRequest accepts,
//     always FF FF FF FF and at most kA2sMaxDatagram bytes; a request whose
//     challenge is not valid (every input: each gets a responder with a new
//     random secret) gets exactly the 9-byte challenge, so no answer is
//     bigger than its request (no amplification for spoofed sources);
//   - with the challenge the responder gave, the same request gets its answer
//     (INFO, PLAYER, RULES), the name cut at a UTF-8 boundary;
//   - the Satisfactory responder answers exactly the polls
//     parseSatisfactoryPoll accepts, echoing the cookie, its name cut at a
//     UTF-8 boundary;
//   - encodeA2sInfo and utf8Prefix keep their documented bounds on any string.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/query_codec.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "a2s_codec.h"
#include "proxy_config.h"
#include "query_responder.h"
#include "satisfactory_query.h"
#include "socket_address.h"

using namespace gsp::proxy;

namespace {

constexpr std::string_view kHeader("\xff\xff\xff\xff", 4);
constexpr std::string_view kInfoPayload("Source Engine Query\0", 20);
constexpr size_t kA2sChallengeSize = 9;
constexpr size_t kA2sInfoMax = 282;  // encodeA2sInfo's documented bound

void check(bool ok) {
  if (!ok) abort();
}

uint32_t le32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 4; i > 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i - 1]);
  return v;
}

uint64_t le64(std::string_view s, size_t at) {
  uint64_t v = 0;
  for (size_t i = 8; i > 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i - 1]);
  return v;
}

void appendLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<uint8_t>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<uint8_t>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

// The request a client sends for `r`, with `challenge` in place of r's.
std::string canonicalA2s(const A2sRequest& r, bool with_challenge, uint32_t challenge) {
  std::string out(kHeader);
  out.push_back(r.kind == A2sKind::kInfo ? 'T' : r.kind == A2sKind::kPlayer ? 'U' : 'V');
  if (r.kind == A2sKind::kInfo) out.append(kInfoPayload);
  if (with_challenge) appendLe(&out, challenge, 4);
  return out;
}

// A name longer than either protocol sends (63 and 1024 bytes) in 2-, 3- and
// 4-byte characters; the 11-byte start puts both cuts inside a character
// (byte 63 inside a 3-byte one, byte 1024 inside a 3-byte one too).
std::string longName() {
  std::string name = "Viking Hall";
  while (name.size() < 1100) name += "\xc3\x86r\xc3\xb8 \xe1\x9a\xa0 \xf0\x9f\x90\x89 ";  // "Ærø ᚠ 🐉 "
  return name;
}

// Constant for the whole run: the configs (a responder keeps a reference to
// its config) and the client every datagram comes from.
struct Setup {
  ProxyConfig a2s;
  ProxyConfig satisfactory;
  SocketAddress from;

  static ProxyConfig config(QueryProtocol query) {
    ProxyConfig c;
    c.query = query;
    c.server_name = longName();
    c.query_game = "Valheim";
    c.query_folder = "valheim";
    c.query_app_id = 892970;
    return c;
  }
  Setup() : a2s(config(QueryProtocol::kA2s)), satisfactory(config(QueryProtocol::kSatisfactory)) {
    check(SocketAddress::fromNumeric("127.0.0.1", 27016, &from));
  }
  std::string shownName(bool starting) const {
    return a2s.server_name + (starting ? a2s.starting_suffix : a2s.sleeping_suffix);
  }
};

const Setup& setup() {
  static const Setup* s = new Setup;  // never destroyed: libFuzzer may exit from any thread
  return *s;
}

// FF FF FF FF 'A' and a challenge a client may send back.
bool isChallenge(std::string_view reply) {
  if (reply.size() != kA2sChallengeSize || reply.substr(0, 4) != kHeader || reply[4] != 'A') return false;
  const uint32_t challenge = le32(reply, 5);
  return challenge != 0 && challenge != kA2sNoChallenge;
}

// `cut` is a prefix of `full`, at most `max` bytes, that does not end inside a
// character (valid input stays valid).
void checkCut(std::string_view cut, std::string_view full, size_t max) {
  check(cut.size() <= max && full.substr(0, cut.size()) == cut);
  if (validUtf8(full)) check(validUtf8(cut));
  if (cut.size() < full.size() && !cut.empty()) check((static_cast<uint8_t>(full[cut.size()]) & 0xc0) != 0x80);
}

void checkA2sParser(std::string_view in, const A2sRequest& r) {
  if (r.kind == A2sKind::kNotA2s) {
    check(!r.has_challenge);
    return;
  }
  check(in.size() <= kA2sMaxDatagram && in.substr(0, 4) == kHeader);
  const bool info_without_challenge = r.kind == A2sKind::kInfo && in.size() == 5 + kInfoPayload.size();
  if (!info_without_challenge) check(r.challenge == le32(in, in.size() - 4));
  check(r.has_challenge == (!info_without_challenge && r.challenge != kA2sNoChallenge));
  check(canonicalA2s(r, !info_without_challenge, r.challenge) == in);
  A2sRequest again = parseA2sRequest(in.data(), in.size());
  check(again.kind == r.kind && again.has_challenge == r.has_challenge && again.challenge == r.challenge);
}

// The A2S responder on the fuzzer's datagram, then on the same request with
// the challenge it handed out. A new responder (a new secret) for each input:
// one kept across inputs lets libFuzzer's comparison tracing copy its valid
// challenge into an input within a second, and such a crash would not
// reproduce in another process.
void checkA2sResponder(std::string_view in, const A2sRequest& r, bool starting) {
  const Setup& s = setup();
  QueryResponder responder(s.a2s);
  std::string reply;
  const bool answered = responder.answer(in.data(), in.size(), s.from, starting, &reply);
  check(answered == (r.kind != A2sKind::kNotA2s));
  if (!answered) return;
  check(reply.size() <= kA2sMaxDatagram && reply.substr(0, 4) == kHeader);
  if (!isChallenge(reply)) {
    // More than a challenge only for a valid one: the input guessed this
    // secret's (2 in 2^32), so a responder with another secret challenges it.
    QueryResponder other(s.a2s);
    std::string again;
    check(other.answer(in.data(), in.size(), s.from, starting, &again) && isChallenge(again));
    return;
  }
  check(reply.size() <= in.size());  // no amplification

  std::string request = canonicalA2s(r, true, le32(reply, 5));
  std::string full;
  check(responder.answer(request.data(), request.size(), s.from, starting, &full));
  check(full.size() <= kA2sMaxDatagram && full.substr(0, 4) == kHeader);
  const char want = r.kind == A2sKind::kInfo ? 'I' : r.kind == A2sKind::kPlayer ? 'D' : 'E';
  check(full[4] == want);
  if (r.kind == A2sKind::kInfo) {
    check(full.size() <= kA2sInfoMax && full.size() > 6);
    std::string_view rest = std::string_view(full).substr(6);  // after header, 'I', protocol
    size_t nul = rest.find('\0');
    check(nul != std::string_view::npos);
    checkCut(rest.substr(0, nul), s.shownName(starting), 63);
  }
}

void checkSatisfactory(std::string_view in, bool starting) {
  const Setup& s = setup();
  QueryResponder responder(s.satisfactory);
  uint64_t cookie = 0;
  const bool poll = parseSatisfactoryPoll(in.data(), in.size(), &cookie);
  if (poll) {
    std::string canonical("\xd5\xf6\x00\x01", 4);
    appendLe(&canonical, cookie, 8);
    canonical.push_back('\x01');
    check(canonical == in);
  }
  std::string reply;
  check(responder.answer(in.data(), in.size(), s.from, starting, &reply) == poll);
  if (!poll) return;
  // Magic, response, version, cookie, state, net_cl, flags, no sub-states, name length.
  constexpr size_t kFixed = 4 + 8 + 1 + 4 + 8 + 1 + 2;
  check(reply.size() > kFixed && reply.compare(0, 4, "\xd5\xf6\x01\x01", 4) == 0);
  check(reply.compare(4, 8, in.data() + 4, 8) == 0 && le64(reply, 4) == cookie);
  check(reply[12] == (starting ? 2 : 0));
  const size_t name_size = static_cast<uint8_t>(reply[kFixed - 2]) | static_cast<uint8_t>(reply[kFixed - 1]) << 8;
  check(reply.size() == kFixed + name_size + 1 && reply.back() == '\x01');
  checkCut(std::string_view(reply).substr(kFixed, name_size), s.shownName(starting), kSatisfactoryMaxName);
}

// The encoders' bounds on strings taken from the input.
void checkEncoders(std::string_view in) {
  if (in.empty()) return;
  const size_t max = static_cast<uint8_t>(in[0]);
  std::string_view s = in.substr(1);
  checkCut(utf8Prefix(s, max), s, max);

  A2sInfo info;
  const size_t part = s.size() / 5;
  info.name = s.substr(0, part);
  info.map = s.substr(part, part);
  info.folder = s.substr(2 * part, part);
  info.game = s.substr(3 * part, part);
  info.version = s.substr(4 * part);
  for (size_t i = 0; i < 4 && i < s.size(); ++i) info.app_id = info.app_id << 8 | static_cast<uint8_t>(s[i]);
  info.game_port = static_cast<uint16_t>(max * 257);
  std::string out = encodeA2sInfo(info);
  check(out.size() <= kA2sInfoMax && out.substr(0, 4) == kHeader && out[4] == 'I');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  A2sRequest request = parseA2sRequest(in.data(), in.size());
  checkA2sParser(in, request);
  for (bool starting : {false, true}) {
    checkA2sResponder(in, request, starting);
    checkSatisfactory(in, starting);
  }
  checkEncoders(in);
  return 0;
}
