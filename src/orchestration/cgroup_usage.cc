#include "orchestration/cgroup_usage.h"

#include <fstream>
#include <sstream>

namespace gsp::orchestration {

namespace {

// The first number in `path`, when it holds one.
std::optional<uint64_t> readNumber(const std::string& path) {
  std::ifstream in(path);
  uint64_t v = 0;
  if (!(in >> v)) return std::nullopt;
  return v;
}

// The value of `key` in a "key value" per line file (memory.stat, cpu.stat).
std::optional<uint64_t> readKey(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string k;
    uint64_t v = 0;
    if (fields >> k >> v && k == key) return v;
  }
  return std::nullopt;
}

int64_t withoutCache(uint64_t usage, std::optional<uint64_t> inactive_file) {
  uint64_t cache = inactive_file.value_or(0);
  return static_cast<int64_t>(usage > cache ? usage - cache : 0);
}

std::optional<CgroupUsage> readV1(const std::string& root, const std::string& id) {
  std::optional<uint64_t> cpu = readNumber(root + "/cpuacct/docker/" + id + "/cpuacct.usage");
  if (!cpu) cpu = readNumber(root + "/cpu,cpuacct/docker/" + id + "/cpuacct.usage");
  const std::string memory = root + "/memory/docker/" + id;
  std::optional<uint64_t> usage = readNumber(memory + "/memory.usage_in_bytes");
  if (!cpu || !usage) return std::nullopt;
  return CgroupUsage{*cpu, withoutCache(*usage, readKey(memory + "/memory.stat", "total_inactive_file"))};
}

std::optional<CgroupUsage> readV2(const std::string& dir) {
  std::optional<uint64_t> usec = readKey(dir + "/cpu.stat", "usage_usec");
  std::optional<uint64_t> current = readNumber(dir + "/memory.current");
  if (!usec || !current) return std::nullopt;
  return CgroupUsage{*usec * 1000, withoutCache(*current, readKey(dir + "/memory.stat", "inactive_file"))};
}

}  // namespace

std::optional<CgroupUsage> readCgroupUsage(const std::string& root, const std::string& container_id) {
  // An id is 64 hex digits; anything else never reaches a path.
  if (container_id.size() != 64 || container_id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  if (std::optional<CgroupUsage> v1 = readV1(root, container_id)) return v1;
  if (std::optional<CgroupUsage> v2 = readV2(root + "/docker/" + container_id)) return v2;
  return readV2(root + "/system.slice/docker-" + container_id + ".scope");
}

}  // namespace gsp::orchestration
