#include "docker/docker_client.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "core/log.h"
#include "docker/json_fields.h"
#include "docker/query_string.h"

namespace gsp::docker {

namespace {

using Clock = std::chrono::steady_clock;

// An empty id would turn "/containers/{id}/json" into another endpoint.
std::optional<DockerError> checkName(const std::string& name, const char* what) {
  if (name.empty()) return DockerError(ErrorKind::kLocal, std::string("empty ") + what + " name or id");
  return std::nullopt;
}

std::string segment(const std::string& id) { return percentEncode(id); }

Query withLabels(Query q, const LabelFilter& filter) {
  if (!filter.terms().empty()) q.add("filters", dumpJson(Json{{"label", filter.terms()}}));
  return q;
}

HttpRequest request(const char* method, std::string target, std::string body = {}) {
  HttpRequest r;
  r.method = method;
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

// "1700000000.000000001": the engine's `since` accepts seconds with nanoseconds.
std::string unixNanosParam(int64_t nanos) {
  char buf[40];
  snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(nanos / 1000000000),
           static_cast<long long>(nanos % 1000000000));
  return buf;
}

// The outcome of a call whose answer carries nothing the caller needs.
DockerStatus statusOf(const DockerResult<HttpResponse>& r) {
  return r.isOk() ? DockerStatus() : DockerStatus(r.error());
}

// A transport failure, with the call it interrupted.
DockerError inContext(const DockerError& e, const std::string& what) {
  if (e.kind() == ErrorKind::kEngine) return e;  // already names the call, keeps engineMessage()
  return DockerError(e.kind(), "could not " + what + ": " + e.message(), e.httpStatus());
}

}  // namespace

DockerClient::DockerClient(std::unique_ptr<DockerTransport> transport, DockerClientOptions options)
    : transport_(std::move(transport)), options_(options) {}

DockerResult<HttpResponse> DockerClient::sendRaw(const HttpRequest& req, const std::string& what,
                                                 int also_ok) {
  const auto started = Clock::now();
  auto response = transport_->send(req);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (!response.isOk()) {
    log::debug() << "docker " << req.method << " " << req.target << " failed after " << ms << " ms";
    return inContext(response.error(), what);
  }
  const int status = response->status;
  log::debug() << "docker " << req.method << " " << req.target << " -> " << status << " in " << ms << " ms";
  if ((status >= 200 && status < 300) || (also_ok != 0 && status == also_ok)) return response;
  return DockerError::fromEngineResponse(status, response->body, what);
}

DockerResult<HttpResponse> DockerClient::call(HttpRequest req, const std::string& what, int also_ok) {
  auto api = negotiate();
  if (!api.isOk()) return inContext(api.error(), what);
  req.target = "/v" + api->toString() + req.target;
  return sendRaw(req, what, also_ok);
}

// ---- engine ----

DockerStatus DockerClient::ping() {
  return statusOf(sendRaw(request("GET", "/_ping"), "ping the engine", 0));
}

DockerResult<EngineVersion> DockerClient::version() {
  const std::string what = "read the engine version";
  auto r = sendRaw(request("GET", "/version"), what, 0);
  if (!r.isOk()) return r.error();
  return parseEngineVersion(r->body, what);
}

DockerResult<ApiVersion> DockerClient::negotiate() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (api_) return *api_;
  }
  // Not under the lock: two first calls may both ask, which is harmless.
  auto v = version();
  if (!v.isOk()) return v.error();
  auto chosen = negotiateApiVersion(v->api, options_.min_api, options_.max_api);
  if (!chosen.isOk()) return chosen.error();
  std::lock_guard<std::mutex> lock(mu_);
  api_ = chosen.value();
  return *api_;
}

// ---- networks ----

DockerResult<std::string> DockerClient::createNetwork(const NetworkSpec& spec) {
  if (auto e = checkName(spec.name, "network")) return *e;
  const std::string what = "create network " + spec.name;
  auto r = call(request("POST", "/networks/create", dumpJson(networkCreateBody(spec))), what);
  if (!r.isOk()) return r.error();
  auto j = parseJson(r->body, what);
  if (!j.isOk()) return j.error();
  std::string id = stringField(j.value(), "Id");
  if (id.empty()) return DockerError(ErrorKind::kBadResponse, "Docker engine sent no network id for " + what);
  return id;
}

DockerResult<NetworkInfo> DockerClient::inspectNetwork(const std::string& id) {
  if (auto e = checkName(id, "network")) return *e;
  const std::string what = "inspect network " + id;
  auto r = call(request("GET", "/networks/" + segment(id)), what);
  if (!r.isOk()) return r.error();
  return parseNetwork(r->body, what);
}

DockerStatus DockerClient::removeNetwork(const std::string& id) {
  if (auto e = checkName(id, "network")) return *e;
  return statusOf(call(request("DELETE", "/networks/" + segment(id)), "remove network " + id));
}

DockerResult<std::vector<NetworkInfo>> DockerClient::listNetworks(const LabelFilter& filter) {
  const std::string what = "list networks";
  auto r = call(request("GET", "/networks" + withLabels(Query(), filter).str()), what);
  if (!r.isOk()) return r.error();
  return parseNetworkList(r->body, what);
}

// ---- volumes ----

DockerResult<VolumeInfo> DockerClient::createVolume(const VolumeSpec& spec) {
  if (auto e = checkName(spec.name, "volume")) return *e;
  const std::string what = "create volume " + spec.name;
  auto r = call(request("POST", "/volumes/create", dumpJson(volumeCreateBody(spec))), what);
  if (!r.isOk()) return r.error();
  return parseVolume(r->body, what);
}

DockerStatus DockerClient::removeVolume(const std::string& name, bool force) {
  if (auto e = checkName(name, "volume")) return *e;
  return statusOf(call(request("DELETE", "/volumes/" + segment(name) + Query().add("force", force).str()),
                       "remove volume " + name));
}

DockerResult<std::vector<VolumeInfo>> DockerClient::listVolumes(const LabelFilter& filter) {
  const std::string what = "list volumes";
  auto r = call(request("GET", "/volumes" + withLabels(Query(), filter).str()), what);
  if (!r.isOk()) return r.error();
  return parseVolumeList(r->body, what);
}

// ---- containers ----

DockerResult<CreatedContainer> DockerClient::createContainer(const ContainerSpec& spec) {
  if (spec.image.empty()) return DockerError(ErrorKind::kLocal, "a container needs an image");
  const std::string what = "create container " + (spec.name.empty() ? spec.image : spec.name);
  Query q;
  if (!spec.name.empty()) q.add("name", spec.name);
  auto r = call(request("POST", "/containers/create" + q.str(), dumpJson(containerCreateBody(spec))), what);
  if (!r.isOk()) return r.error();
  auto j = parseJson(r->body, what);
  if (!j.isOk()) return j.error();
  CreatedContainer c{stringField(j.value(), "Id"), stringListField(j.value(), "Warnings")};
  if (c.id.empty()) return DockerError(ErrorKind::kBadResponse, "Docker engine sent no container id for " + what);
  return c;
}

DockerStatus DockerClient::startContainer(const std::string& id) {
  if (auto e = checkName(id, "container")) return *e;
  // 304: already running, which is what the caller wants.
  return statusOf(call(request("POST", "/containers/" + segment(id) + "/start"), "start container " + id, 304));
}

DockerStatus DockerClient::stopContainer(const std::string& id, std::chrono::seconds grace) {
  if (auto e = checkName(id, "container")) return *e;
  HttpRequest req = request(
      "POST", "/containers/" + segment(id) + "/stop" +
                  Query().add("t", static_cast<long long>(grace.count())).str());
  // The engine answers only once the container is down: grace plus its own work.
  req.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(grace) + options_.stop_margin;
  return statusOf(call(std::move(req), "stop container " + id, 304));  // 304: already stopped
}

DockerStatus DockerClient::killContainer(const std::string& id, const std::string& signal) {
  if (auto e = checkName(id, "container")) return *e;
  return statusOf(call(request("POST", "/containers/" + segment(id) + "/kill" + Query().add("signal", signal).str()),
                       "kill container " + id));
}

DockerStatus DockerClient::execDetached(const std::string& id, const std::vector<std::string>& cmd) {
  if (auto e = checkName(id, "container")) return *e;
  if (cmd.empty()) return DockerError(ErrorKind::kLocal, "an exec needs a command");
  const std::string what = "exec in container " + id;
  Json body = {{"Cmd", cmd}, {"AttachStdin", false}, {"AttachStdout", false}, {"AttachStderr", false}};
  auto made = call(request("POST", "/containers/" + segment(id) + "/exec", dumpJson(body)), what);
  if (!made.isOk()) return made.error();
  auto j = parseJson(made->body, what);
  if (!j.isOk()) return j.error();
  std::string exec_id = stringField(j.value(), "Id");
  if (exec_id.empty() || exec_id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return DockerError(ErrorKind::kBadResponse, "Docker engine sent no exec id for " + what);
  Json start = {{"Detach", true}, {"Tty", false}};
  return statusOf(call(request("POST", "/exec/" + exec_id + "/start", dumpJson(start)), what));
}

DockerStatus DockerClient::removeContainer(const std::string& id, RemoveContainerOptions options) {
  if (auto e = checkName(id, "container")) return *e;
  const Query q = Query().add("force", options.force).add("v", options.remove_volumes);
  return statusOf(call(request("DELETE", "/containers/" + segment(id) + q.str()), "remove container " + id));
}

DockerResult<ContainerInfo> DockerClient::inspectContainer(const std::string& id) {
  if (auto e = checkName(id, "container")) return *e;
  const std::string what = "inspect container " + id;
  auto r = call(request("GET", "/containers/" + segment(id) + "/json"), what);
  if (!r.isOk()) return r.error();
  return parseContainerInfo(r->body, what);
}

DockerResult<std::vector<ContainerSummary>> DockerClient::listContainers(const LabelFilter& filter,
                                                                         bool include_stopped) {
  const std::string what = "list containers";
  auto r = call(request("GET", "/containers/json" + withLabels(Query().add("all", include_stopped), filter).str()),
                what);
  if (!r.isOk()) return r.error();
  return parseContainerList(r->body, what);
}

DockerResult<std::vector<LogLine>> DockerClient::containerLogs(const std::string& id,
                                                               const LogOptions& options) {
  if (auto e = checkName(id, "container")) return *e;
  const std::string what = "read the logs of container " + id;
  Query q;
  q.add("stdout", options.include_stdout).add("stderr", options.include_stderr);
  q.add("timestamps", true).add("follow", false);
  q.add("tail", options.tail ? std::to_string(*options.tail) : std::string("all"));
  if (options.since_unix_nanos > 0) q.add("since", unixNanosParam(options.since_unix_nanos));

  LogDemuxer demuxer(/*timestamps=*/true);
  std::vector<LogLine> lines;
  size_t received = 0;
  bool too_big = false;
  HttpRequest req = request("GET", "/containers/" + segment(id) + "/logs" + q.str());
  req.sink = [&](const char* data, size_t size) {
    received += size;
    if (received > options.max_bytes) {
      too_big = true;
      return false;
    }
    return demuxer.feed(data, size, &lines);  // false on a corrupt stream stops the transfer
  };
  auto r = call(std::move(req), what);
  if (too_big) {
    return DockerError(ErrorKind::kLocal, "the logs of container " + id + " exceed " +
                                              std::to_string(options.max_bytes) +
                                              " bytes; ask for fewer lines (tail or since)");
  }
  DockerStatus framing = demuxer.finish(&lines);
  // A corrupt stream also stops the transfer; its reason is the one worth showing.
  if (!framing.isOk() && (r.isOk() || r.error().kind() == ErrorKind::kLocal)) {
    return inContext(framing.error(), what);
  }
  if (!r.isOk()) return r.error();
  return lines;
}

DockerResult<ContainerStats> DockerClient::containerStats(const std::string& id, bool one_shot) {
  if (auto e = checkName(id, "container")) return *e;
  const std::string what = "read the stats of container " + id;
  // Without one-shot the engine fills precpu_stats (a second sample), so CPU % means something.
  Query query;
  query.add("stream", false);
  if (one_shot) query.add("one-shot", true);
  HttpRequest req = request("GET", "/containers/" + segment(id) + "/stats" + query.str());
  req.timeout = options_.stats_timeout;
  auto r = call(std::move(req), what);
  if (!r.isOk()) return r.error();
  return parseContainerStats(r->body, what);
}

DockerStatus DockerClient::getArchive(const std::string& id, const std::string& path, const BodySink& sink) {
  if (auto e = checkName(id, "container")) return *e;
  if (path.empty()) return DockerError(ErrorKind::kLocal, "an archive needs a path inside the container");
  HttpRequest req = request("GET", "/containers/" + segment(id) + "/archive" + Query().add("path", path).str());
  req.sink = sink;
  req.timeout = options_.archive_timeout;
  return statusOf(call(std::move(req), "read " + path + " from container " + id));
}

DockerStatus DockerClient::putArchive(const std::string& id, const std::string& path, const BodySource& source) {
  if (auto e = checkName(id, "container")) return *e;
  if (path.empty() || path[0] != '/') return DockerError(ErrorKind::kLocal, "an archive goes to an absolute path");
  HttpRequest req = request("PUT", "/containers/" + segment(id) + "/archive" + Query().add("path", path).str());
  req.source = source;
  // The engine unpacks as it receives: the call lasts as long as the upload.
  req.timeout = options_.archive_timeout;
  return statusOf(call(std::move(req), "unpack an archive into container " + id));
}

DockerStatus DockerClient::renameContainer(const std::string& id, const std::string& new_name) {
  if (auto e = checkName(id, "container")) return *e;
  if (auto e = checkName(new_name, "container")) return *e;
  return statusOf(call(request("POST", "/containers/" + segment(id) + "/rename" + Query().add("name", new_name).str()),
                       "rename container " + id));
}

DockerStatus DockerClient::getArchiveToFile(const std::string& id, const std::string& path,
                                            const std::string& file) {
  DockerStatus result;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) return DockerError(ErrorKind::kLocal, "cannot write " + file);
    result = getArchive(id, path, [&out](const char* data, size_t size) {
      out.write(data, static_cast<std::streamsize>(size));
      return static_cast<bool>(out);
    });
    out.close();
    // A refused write shows up as "receiver stopped"; the file is the real reason.
    if (!out) result = DockerError(ErrorKind::kLocal, "cannot write " + file + ": " + std::strerror(errno));
  }
  if (!result.isOk()) std::remove(file.c_str());  // no half archive that looks like a backup
  return result;
}

// ---- images ----

DockerResult<ImageInfo> DockerClient::inspectImage(const std::string& reference) {
  if (auto e = checkName(reference, "image")) return *e;
  const std::string what = "inspect image " + reference;
  // The engine routes /images/{name}/json with the name's own '/' and ':' left as they are.
  auto r = call(request("GET", "/images/" + percentEncode(reference, "/:@") + "/json"), what);
  if (!r.isOk()) return r.error();
  return parseImage(r->body, what);
}

DockerStatus DockerClient::pullImage(const std::string& reference,
                                     const std::function<void(const PullProgress&)>& progress) {
  if (auto e = checkName(reference, "image")) return *e;
  std::string name, tag;
  splitImageReference(reference, &name, &tag);
  Query query;
  query.add("fromImage", name);
  if (!tag.empty()) query.add("tag", tag);
  HttpRequest req = request("POST", "/images/create" + query.str());
  req.timeout = options_.pull_timeout;
  PullProgress state;
  req.sink = [&state, &progress](const char* data, size_t size) {
    bool ok = state.feed(data, size);
    if (progress) progress(state);
    return ok;  // an error line stops the transfer
  };
  DockerStatus pulled = statusOf(call(std::move(req), "pull image " + reference));
  // The engine reports a failed pull inside a 200 stream: make it the engine error it is.
  if (!state.error().empty())
    return DockerError::fromEngineResponse(500, dumpJson({{"message", state.error()}}), "pull image " + reference);
  return pulled;
}

DockerResult<bool> DockerClient::imageExists(const std::string& reference) {
  auto r = inspectImage(reference);
  if (r.isOk()) return true;
  if (r.error().isNotFound()) return false;
  return r.error();
}

}  // namespace gsp::docker
