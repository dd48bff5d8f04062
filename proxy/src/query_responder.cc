#include "query_responder.h"

#include <sys/random.h>

#include <cstring>
#include <ctime>

#include "a2s_codec.h"
#include "satisfactory_query.h"

namespace gsp::proxy {

namespace {
constexpr int64_t kChallengePeriodSeconds = 30;
}  // namespace

QueryResponder::QueryResponder(const ProxyConfig& config) : config_(config) {
  // A weak secret would only let a spoofer get INFO answers; still, ask the kernel.
  if (getrandom(secret_.data(), secret_.size(), 0) != static_cast<ssize_t>(secret_.size())) {
    uint64_t fallback = static_cast<uint64_t>(time(nullptr)) ^ reinterpret_cast<uintptr_t>(this);
    memcpy(secret_.data(), &fallback, sizeof fallback);
  }
}

std::string QueryResponder::shownName(bool starting) const {
  return config_.server_name + (starting ? config_.starting_suffix : config_.sleeping_suffix);
}

bool QueryResponder::answer(const char* data, size_t len, const SocketAddress& from, bool starting,
                            std::string* reply) {
  if (config_.query == QueryProtocol::kSatisfactory) {
    uint64_t cookie = 0;
    if (!parseSatisfactoryPoll(data, len, &cookie)) return false;
    *reply = encodeSatisfactoryState(cookie, starting ? SatisfactoryState::kLoading : SatisfactoryState::kOffline, 0,
                                     shownName(starting));
    return true;
  }
  if (config_.query != QueryProtocol::kA2s) return false;
  A2sRequest request = parseA2sRequest(data, len);
  if (request.kind == A2sKind::kNotA2s) return false;
  const std::string client = from.key();
  const uint64_t period = static_cast<uint64_t>(time(nullptr) / kChallengePeriodSeconds);
  if (!request.has_challenge || !a2sChallengeValid(secret_, client, period, request.challenge)) {
    *reply = encodeA2sChallenge(a2sChallenge(secret_, client, period));
    return true;
  }
  switch (request.kind) {
    case A2sKind::kInfo: {
      A2sInfo info;
      info.name = shownName(starting);
      info.map = config_.query_map;
      info.folder = config_.query_folder;
      info.game = config_.query_game;
      info.app_id = config_.query_app_id;
      info.players = 0;
      info.max_players = static_cast<uint8_t>(config_.query_max_players);
      info.game_port = 0;  // the public game port is the host's mapping, unknown here: not sent
      *reply = encodeA2sInfo(info);
      return true;
    }
    case A2sKind::kPlayer:
      *reply = encodeA2sPlayersEmpty();
      return true;
    case A2sKind::kRules:
      *reply = encodeA2sRulesEmpty();
      return true;
    case A2sKind::kNotA2s:
      break;
  }
  return false;
}

}  // namespace gsp::proxy
