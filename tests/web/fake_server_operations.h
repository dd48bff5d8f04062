// A ServerOperations for tests that must not touch Docker: records what it
// was asked and answers with a configurable status.
#pragma once

#include <string>
#include <vector>

#include "orchestration/server_operations.h"

namespace gsp::test {

class FakeServerOperations : public orchestration::ServerOperations {
 public:
  Status provision(int64_t id, const orchestration::Asker&) override { return record("provision", id); }
  Status wake(int64_t id, const orchestration::Asker&) override { return record("wake", id); }
  Status hibernate(int64_t id, const orchestration::Asker&) override { return record("hibernate", id); }
  Status destroy(int64_t id, const orchestration::Asker&) override { return record("destroy", id); }
  Result<orchestration::ServerLogs> logs(int64_t id, int, int64_t) override {
    record("logs", id);
    return orchestration::ServerLogs{};
  }
  Result<orchestration::ServerStats> stats(int64_t id) override {
    record("stats", id);
    return orchestration::ServerStats{};
  }
  Status backUp(int64_t id, int64_t, const orchestration::Asker&) override { return record("backup", id); }
  Status restore(int64_t id, int64_t, const orchestration::Asker&) override { return record("restore", id); }
  Status deleteBackup(int64_t id, int64_t, const orchestration::Asker&) override { return record("delete-backup", id); }
  Result<std::string> backupDownloadUrl(int64_t id, int64_t) override {
    record("download-url", id);
    return std::string("https://storage.example/signed");
  }
  Result<orchestration::ReconcileReport> reconcile(int64_t at) override {
    record("reconcile", at);
    return orchestration::ReconcileReport{};
  }

  Status answer;                    // what every call returns
  std::vector<std::string> calls;   // "wake 12", ...

 private:
  Status record(const std::string& what, int64_t id) {
    calls.push_back(what + " " + std::to_string(id));
    return answer;
  }
};

}  // namespace gsp::test
