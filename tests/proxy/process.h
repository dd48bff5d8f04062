// Process: a child program started by an integration test, its output sent to
// a log file; killed (SIGKILL) and reaped when the object goes away unless it
// was stopped before. Not thread-safe; one owner.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace gsp::test {

class Process {
 public:
  Process() = default;
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // argv[0] is the program path; `env` is added to the test's environment.
  bool start(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::string& log_path);
  bool running();
  void signal(int sig);
  // Sends `sig` and waits up to `timeout_ms` for the exit; returns the exit
  // status as from waitpid, or -1 when it did not exit (then it is killed).
  int stop(int sig, int timeout_ms);
  pid_t pid() const { return pid_; }
  const std::string& logPath() const { return log_path_; }
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// Runs a shell command to completion; returns its exit code, output in *out.
int runCommand(const std::string& command, std::string* out);

// A fresh directory under /tmp, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gsp::test
