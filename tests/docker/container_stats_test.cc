#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>

#include "docker/container_stats.h"

using gsp::docker::cpuPercent;
using gsp::docker::ErrorKind;
using gsp::docker::memoryWithoutCache;
using gsp::docker::parseContainerStats;

namespace {

// Trimmed from `stats?stream=false` of docker.io 20.10 on a cgroup v1 host.
const char* kCgroupV1 = R"({
  "read": "2024-05-01T12:00:01.5Z", "preread": "2024-05-01T12:00:00.5Z",
  "pids_stats": {"current": 3},
  "cpu_stats": {"cpu_usage": {"total_usage": 2500000000, "percpu_usage": [1250000000, 1250000000],
                              "usage_in_kernelmode": 10000000, "usage_in_usermode": 2400000000},
                "system_cpu_usage": 102000000000, "online_cpus": 2,
                "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0}},
  "precpu_stats": {"cpu_usage": {"total_usage": 2000000000, "percpu_usage": [1000000000, 1000000000]},
                   "system_cpu_usage": 100000000000, "online_cpus": 2},
  "memory_stats": {"usage": 104857600, "max_usage": 110000000,
                   "stats": {"cache": 45000000, "total_inactive_file": 41943040, "inactive_file": 40000000,
                             "total_rss": 60000000},
                   "limit": 268435456},
  "networks": {"eth0": {"rx_bytes": 1000, "tx_bytes": 2000}, "eth1": {"rx_bytes": 5, "tx_bytes": 7}}
})";

// The same call on a cgroup v2 host (engine 2x): no percpu_usage, no total_* counters.
const char* kCgroupV2 = R"({
  "read": "2024-05-01T12:00:01Z",
  "pids_stats": {"current": 12, "limit": 4915},
  "cpu_stats": {"cpu_usage": {"total_usage": 900000000, "usage_in_kernelmode": 1, "usage_in_usermode": 2},
                "system_cpu_usage": 1004000000000, "online_cpus": 4},
  "precpu_stats": {"cpu_usage": {"total_usage": 600000000},
                   "system_cpu_usage": 1000000000000, "online_cpus": 4},
  "memory_stats": {"usage": 52428800,
                   "stats": {"active_file": 2000000, "anon": 30000000, "inactive_file": 10485760, "file": 12485760},
                   "limit": 8331915264},
  "networks": {"eth0": {"rx_bytes": 42, "tx_bytes": 43}}
})";

// A stopped container: the engine sends zeros and empty objects.
const char* kStopped = R"({"read": "0001-01-01T00:00:00Z", "pids_stats": {},
  "cpu_stats": {"cpu_usage": {"total_usage": 0}, "throttling_data": {}},
  "precpu_stats": {"cpu_usage": {"total_usage": 0}, "throttling_data": {}}, "memory_stats": {}})";

}  // namespace

class ContainerStatsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ContainerStatsTest);
  CPPUNIT_TEST(cpuPercentIsTheDockerStatsFormula);
  CPPUNIT_TEST(memoryLeavesOutThePageCache);
  CPPUNIT_TEST(readsACgroupV1Sample);
  CPPUNIT_TEST(readsACgroupV2Sample);
  CPPUNIT_TEST(countsPerCpuCountersWithoutOnlineCpus);
  CPPUNIT_TEST(aStoppedContainerIsAllZeros);
  CPPUNIT_TEST(badJsonIsAnErrorAndMistypedFieldsAreZero);
  CPPUNIT_TEST_SUITE_END();

 public:
  void cpuPercentIsTheDockerStatsFormula() {
    struct { uint64_t cpu, pre_cpu, sys, pre_sys; uint32_t cpus; double want; } cases[] = {
        {2500, 2000, 102000, 100000, 2, 50.0},   // half a CPU's time over the interval, 2 CPUs
        {3000, 1000, 102000, 100000, 2, 200.0},  // both CPUs busy
        {1000, 1000, 102000, 100000, 2, 0.0},    // idle
        {2000, 1000, 100000, 100000, 2, 0.0},    // no system time passed
        {1000, 2000, 102000, 100000, 2, 0.0},    // counter went back (restart): not negative
        {500, 0, 1000, 0, 4, 200.0},             // first sample after start
    };
    for (const auto& c : cases) {
      CPPUNIT_ASSERT_DOUBLES_EQUAL(c.want, cpuPercent(c.cpu, c.pre_cpu, c.sys, c.pre_sys, c.cpus), 1e-9);
    }
  }

  void memoryLeavesOutThePageCache() {
    using std::nullopt;
    struct { uint64_t usage; std::optional<uint64_t> v1, v2; uint64_t want; } cases[] = {
        {100, 30, 20, 70},          // cgroup v1: total_inactive_file wins
        {100, nullopt, 40, 60},     // cgroup v2: inactive_file
        {100, 150, 40, 60},         // v1 counter above usage: fall back, as the CLI does
        {100, 150, 150, 100},
        {100, nullopt, nullopt, 100},
        {0, nullopt, nullopt, 0},
    };
    for (const auto& c : cases) CPPUNIT_ASSERT_EQUAL(c.want, memoryWithoutCache(c.usage, c.v1, c.v2));
  }

  void readsACgroupV1Sample() {
    auto s = parseContainerStats(kCgroupV1, "stats");
    CPPUNIT_ASSERT(s.isOk());
    CPPUNIT_ASSERT_DOUBLES_EQUAL(50.0, s->cpu_percent, 1e-9);
    CPPUNIT_ASSERT_EQUAL(uint32_t(2), s->online_cpus);
    CPPUNIT_ASSERT_EQUAL(uint64_t(104857600 - 41943040), s->memory_bytes);
    CPPUNIT_ASSERT_EQUAL(uint64_t(268435456), s->memory_limit_bytes);
    CPPUNIT_ASSERT_DOUBLES_EQUAL(23.4375, s->memory_percent, 1e-9);
    CPPUNIT_ASSERT_EQUAL(uint64_t(1005), s->network_rx_bytes);
    CPPUNIT_ASSERT_EQUAL(uint64_t(2007), s->network_tx_bytes);
    CPPUNIT_ASSERT_EQUAL(uint64_t(3), s->pids);
    CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T12:00:01.5Z"), s->read);
  }

  void readsACgroupV2Sample() {
    auto s = parseContainerStats(kCgroupV2, "stats");
    CPPUNIT_ASSERT(s.isOk());
    // 0.3 s of CPU over 4 s of all 4 CPUs' time: 7.5 % of all, 30 % of one CPU.
    CPPUNIT_ASSERT_DOUBLES_EQUAL(30.0, s->cpu_percent, 1e-9);
    CPPUNIT_ASSERT_EQUAL(uint64_t(52428800 - 10485760), s->memory_bytes);
    CPPUNIT_ASSERT_DOUBLES_EQUAL(41943040.0 / 8331915264.0 * 100.0, s->memory_percent, 1e-9);
    CPPUNIT_ASSERT_EQUAL(uint64_t(12), s->pids);
  }

  void countsPerCpuCountersWithoutOnlineCpus() {
    std::string body = kCgroupV1;
    const std::string key = "\"online_cpus\": 2,";
    body.erase(body.find(key), key.size());
    auto s = parseContainerStats(body, "stats");
    CPPUNIT_ASSERT(s.isOk());
    CPPUNIT_ASSERT_EQUAL(uint32_t(2), s->online_cpus);
    CPPUNIT_ASSERT_DOUBLES_EQUAL(50.0, s->cpu_percent, 1e-9);
  }

  void aStoppedContainerIsAllZeros() {
    auto s = parseContainerStats(kStopped, "stats");
    CPPUNIT_ASSERT(s.isOk());
    CPPUNIT_ASSERT_EQUAL(0.0, s->cpu_percent);
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), s->memory_bytes);
    CPPUNIT_ASSERT_EQUAL(0.0, s->memory_percent);
  }

  void badJsonIsAnErrorAndMistypedFieldsAreZero() {
    for (const char* bad : {"", "{", "not json", "{\"cpu_stats\": }", "[1,2]"}) {
      auto s = parseContainerStats(bad, "read the stats of container x");
      CPPUNIT_ASSERT_MESSAGE(bad, !s.isOk());
      CPPUNIT_ASSERT(s.error().kind() == ErrorKind::kBadResponse);
      CPPUNIT_ASSERT(s.status().message().find("container x") != std::string::npos);
    }
    auto s = parseContainerStats(R"({"cpu_stats": "busy", "memory_stats": {"usage": "lots", "limit": -5},
                                     "networks": [1, 2], "pids_stats": {"current": 1.5}})", "stats");
    CPPUNIT_ASSERT(s.isOk());
    CPPUNIT_ASSERT_EQUAL(0.0, s->cpu_percent);
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), s->memory_bytes);
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), s->memory_limit_bytes);
    CPPUNIT_ASSERT_EQUAL(uint64_t(1), s->pids);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ContainerStatsTest);
