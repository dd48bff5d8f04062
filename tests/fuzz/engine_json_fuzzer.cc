// libFuzzer target: every reader of the Docker engine's JSON answers
// (src/docker: container list and inspect, stats, error bodies, version,
// networks, volumes, images, the image pull progress stream) on the same
// input, used directly as the body. Properties, beyond "no crash, no sanitizer
// report, no exception":
//   - a reader that refuses says kBadResponse with a message;
//   - a reader that accepts gives values within their documented bounds:
//     container ids non-empty, ports 1-65535, CPU % and memory % finite and
//     >= 0, memory without cache <= usage (and memory % <= 100 when within the
//     limit), creation times >= 0, API versions that print and parse back the
//     same and negotiate into both ranges;
//   - an engine error body gives a kEngine error of that HTTP status with the
//     engine's "message", or else a printable quote of at most 203 characters;
//   - pull progress: the same layers, sums and error however the stream is
//     split; 0 <= downloaded <= total; an error exactly when feed() says false;
//   - splitImageReference: name and tag put back together give the reference.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/engine_json.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "docker/api_version.h"
#include "docker/container_info.h"
#include "docker/container_stats.h"
#include "docker/docker_error.h"
#include "docker/engine_objects.h"
#include "docker/image_pull.h"
#include "docker/json_fields.h"

using namespace gsp::docker;

namespace {

const std::string kWhat = "GET /fuzz";

template <typename T>
bool accepted(const DockerResult<T>& r) {
  if (r.isOk()) return true;
  if (r.error().kind() != ErrorKind::kBadResponse || r.error().message().empty()) abort();
  return false;
}

bool finiteNonNegative(double d) { return std::isfinite(d) && d >= 0; }

void checkContainers(const std::string& body) {
  auto list = parseContainerList(body, kWhat);
  if (accepted(list)) {
    for (const ContainerSummary& c : list.value()) {
      if (c.id.empty()) abort();
      parseContainerStatus(containerStatusName(c.state));
    }
  }
  auto info = parseContainerInfo(body, kWhat);
  if (accepted(info)) {
    const ContainerInfo& c = info.value();
    if (c.id.empty()) abort();
    if (parseContainerStatus(containerStatusName(c.state.status)) != c.state.status &&
        c.state.status != ContainerStatus::kUnknown)
      abort();
    if (parseHealthStatus(healthStatusName(c.state.health)) != c.state.health) abort();
    for (const PortBinding& p : c.published_ports) {
      if (p.container_port == 0 || p.host_port == 0) abort();
      if (p.protocol != Protocol::kTcp && p.protocol != Protocol::kUdp) abort();
    }
  }
}

void checkStats(const std::string& body, const Json& j) {
  auto stats = parseContainerStats(body, kWhat);
  if (!accepted(stats)) return;
  const ContainerStats& s = stats.value();
  if (!finiteNonNegative(s.cpu_percent) || !finiteNonNegative(s.memory_percent)) abort();
  if (s.cpu_percent > 0 && s.online_cpus == 0) abort();
  const uint64_t usage = uintField(field(j, "memory_stats"), "usage");
  if (s.memory_bytes > usage) abort();
  if (s.memory_limit_bytes == 0 && s.memory_percent != 0) abort();
  if (s.memory_limit_bytes != 0 && s.memory_bytes <= s.memory_limit_bytes && s.memory_percent > 100.0) abort();
}

void checkEngineError(const std::string& body, const Json& j, int http_status) {
  const DockerError e = DockerError::fromEngineResponse(http_status, body, kWhat);
  if (e.kind() != ErrorKind::kEngine || e.httpStatus() != http_status || e.message().empty() ||
      e.engineMessage().empty())
    abort();
  using Code = gsp::Status::Code;
  const Code want = http_status == 400   ? Code::kInvalid
                    : http_status == 403 ? Code::kForbidden
                    : http_status == 404 ? Code::kNotFound
                    : http_status == 409 ? Code::kConflict
                    : http_status == 503 ? Code::kUnavailable
                                         : Code::kInternal;
  if (e.toStatus().code() != want || e.isNotFound() != (http_status == 404)) abort();
  const std::string sent = stringField(j, "message");
  if (!sent.empty()) {
    if (e.engineMessage() != sent) abort();
    return;
  }
  if (e.engineMessage().size() > 203) abort();
  for (char c : e.engineMessage()) {
    if (c < 0x20 || c >= 0x7f) abort();
  }
}

void checkEngineObjects(const std::string& body) {
  auto version = parseEngineVersion(body, kWhat);
  if (accepted(version)) {
    const EngineApiRange& api = version.value().api;
    for (const ApiVersion* v : {&api.engine_max, api.engine_min ? &*api.engine_min : nullptr}) {
      if (!v) continue;
      if (v->major < 0 || v->major > 9999 || v->minor < 0 || v->minor > 9999) abort();
      auto again = ApiVersion::parse(v->toString());
      if (!again || !(*again == *v)) abort();
    }
    const ApiVersion client_min{1, 24}, client_max{1, 41};
    auto chosen = negotiateApiVersion(api, client_min, client_max);
    if (chosen.isOk()) {
      const ApiVersion c = chosen.value();
      if (!(client_min <= c) || !(c <= client_max) || !(c <= api.engine_max) ||
          (api.engine_min && !(*api.engine_min <= c)))
        abort();
    } else if (chosen.error().kind() != ErrorKind::kIncompatible) {
      abort();
    }
  }
  auto network = parseNetwork(body, kWhat);
  if (accepted(network) && (network.value().id.empty() || network.value().created_unix < 0)) abort();
  auto networks = parseNetworkList(body, kWhat);
  if (accepted(networks)) {
    for (const NetworkInfo& n : networks.value()) {
      if (n.created_unix < 0) abort();
    }
  }
  auto volume = parseVolume(body, kWhat);
  if (accepted(volume) && (volume.value().name.empty() || volume.value().created_unix < 0)) abort();
  auto volumes = parseVolumeList(body, kWhat);
  if (accepted(volumes)) {
    for (const VolumeInfo& v : volumes.value()) {
      if (v.created_unix < 0) abort();
    }
  }
  auto image = parseImage(body, kWhat);
  if (accepted(image) && image.value().id.empty()) abort();
}

struct Pull {
  bool ok = true;
  PullProgress progress;
};

// Feeds body to a PullProgress cut at the given offsets (ascending, <= size).
void pull(const std::string& body, std::initializer_list<size_t> cuts, Pull* out) {
  size_t pos = 0;
  for (size_t cut : cuts) {
    out->ok = out->progress.feed(body.data() + pos, cut - pos) && out->ok;
    pos = cut;
  }
  out->ok = out->progress.feed(body.data() + pos, body.size() - pos) && out->ok;
}

void checkPull(const std::string& body, size_t seed) {
  Pull whole, split;
  pull(body, {}, &whole);
  const size_t a = body.empty() ? 0 : seed % (body.size() + 1);
  const size_t b = a + (body.size() - a) / 2;
  pull(body, {a, b}, &split);
  const PullProgress& w = whole.progress;
  const PullProgress& s = split.progress;
  if (whole.ok != split.ok || w.layers() != s.layers() || w.downloaded() != s.downloaded() ||
      w.total() != s.total() || w.error() != s.error())
    abort();
  if (whole.ok != w.error().empty()) abort();
  if (w.downloaded() < 0 || w.downloaded() > w.total()) abort();
  if (static_cast<size_t>(w.layers()) > body.size() / 8 + 1) abort();  // a layer takes a line of JSON
}

void checkImageReference(const std::string& reference) {
  std::string name, tag;
  splitImageReference(reference, &name, &tag);
  if (reference.find('@') != std::string::npos) {
    if (name != reference || !tag.empty()) abort();
  } else if (name + ":" + tag != reference && !(name == reference && tag == "latest")) {
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  // Parsed once more here for the checks' own reading; null if it is not JSON.
  const DockerResult<Json> parsed = parseJson(body, kWhat);
  static const Json kNull;
  const Json& j = accepted(parsed) ? parsed.value() : kNull;
  dumpJson(j);
  checkContainers(body);
  checkStats(body, j);
  static const int kStatuses[] = {400, 403, 404, 409, 500, 503};
  checkEngineError(body, j, kStatuses[size % 6]);
  checkEngineObjects(body);
  checkPull(body, size ? data[0] * 31u + data[size - 1] : 0);
  checkImageReference(body);
  return 0;
}
