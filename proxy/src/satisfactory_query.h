// Satisfactory's Lightweight Query API: the UDP "Poll Server State" request a
// client sends to the game port and the server's "Server State Response".
// Little-endian throughout. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace gsp::proxy {

// The poll is magic D5 F6, type 0, version 1, an 8-byte cookie and the terminator 01.
constexpr size_t kSatisfactoryPollSize = 13;
// Longest server name sent; longer ones are cut at a UTF-8 boundary.
constexpr size_t kSatisfactoryMaxName = 1024;

enum class SatisfactoryState : uint8_t { kOffline = 0, kIdle = 1, kLoading = 2, kPlaying = 3 };

// True only for a well-formed poll (exactly kSatisfactoryPollSize bytes);
// *cookie is then the client's cookie, to be echoed.
bool parseSatisfactoryPoll(const char* data, size_t len, uint64_t* cookie);

// The answer to a poll: `cookie` echoed, `state`, the build number `net_cl`
// (gamedig shows it as the version), no server flags and no sub-states (the
// state of each HTTPS API area; none means a client has nothing to fetch),
// and `name`.
std::string encodeSatisfactoryState(uint64_t cookie, SatisfactoryState state, uint32_t net_cl,
                                    const std::string& name);

}  // namespace gsp::proxy
