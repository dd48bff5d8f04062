// Blocking socket helpers for the proxy's integration tests: free ports,
// connect with retries, exact reads with deadlines, UDP send/receive.
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "unique_fd.h"

namespace gsp::test {

using proxy::UniqueFd;

// A port the kernel just handed out on 127.0.0.1 (free for both TCP and UDP).
uint16_t freePort();

// `from`: the client's own loopback address (127.0.0.2 is another client).
UniqueFd connectTcp(uint16_t port, int timeout_ms = 2000, const char* from = nullptr);
// Retries until something accepts on the port or the deadline passes.
bool waitForTcp(uint16_t port, int timeout_ms);
bool sendAll(int fd, const std::string& data);
// Reads exactly n bytes; false on EOF, error or timeout. What arrived is in *out.
bool recvExact(int fd, size_t n, std::string* out, int timeout_ms);
// Waits for the peer's close. Returns "eof", "reset", "timeout" or "data".
std::string waitForClose(int fd, int timeout_ms);

UniqueFd udpSocket(const char* from = nullptr);

void sleepMs(int ms);
bool udpSend(int fd, uint16_t port, const std::string& data);
// One datagram, or false after the timeout.
bool udpRecv(int fd, std::string* out, int timeout_ms);

int64_t nowMs();

}  // namespace gsp::test
