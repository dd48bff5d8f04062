#include "backup/local_target.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "core/unique_fd.h"

namespace gsp::backup {

namespace {

std::string why(const std::string& doing) { return doing + ": " + strerror(errno); }

// mkdir -p for the folders of `path` below `root` (which exists).
bool makeParents(const std::string& root, const std::string& path) {
  for (size_t slash = path.find('/', root.size() + 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    if (mkdir(path.substr(0, slash).c_str(), 02750) != 0 && errno != EEXIST) return false;
  }
  return true;
}

class LocalWriter : public ObjectWriter {
 public:
  LocalWriter(std::string final_path, UniqueFd fd) : final_(std::move(final_path)), fd_(std::move(fd)) {}
  ~LocalWriter() override { abort(); }

  Status write(const char* data, size_t size) override {
    while (size > 0) {
      ssize_t n = ::write(fd_.get(), data, size);
      if (n < 0 && errno == EINTR) continue;
      // A full disk is the usual reason: say so in words the owner reads.
      if (n < 0) return Status::unavailable(errno == ENOSPC ? "The backup disk is full." : why("writing the backup"));
      data += n;
      size -= static_cast<size_t>(n);
    }
    return Status::ok();
  }

  Status commit(const ArchiveSums&) override {
    if (fsync(fd_.get()) != 0) return Status::unavailable(why("syncing the backup"));
    fd_.reset();
    if (rename((final_ + ".part").c_str(), final_.c_str()) != 0) return Status::unavailable(why("storing the backup"));
    committed_ = true;
    return Status::ok();
  }

  void abort() override {
    if (committed_) return;
    fd_.reset();
    unlink((final_ + ".part").c_str());
    committed_ = true;  // nothing more to undo
  }

 private:
  const std::string final_;
  UniqueFd fd_;
  bool committed_ = false;
};

class LocalReader : public ObjectReader {
 public:
  explicit LocalReader(UniqueFd fd) : fd_(std::move(fd)) {}
  Result<size_t> read(char* buffer, size_t size) override {
    for (;;) {
      ssize_t n = ::read(fd_.get(), buffer, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::unavailable(why("reading the backup"));
      return static_cast<size_t>(n);
    }
  }

 private:
  UniqueFd fd_;
};

}  // namespace

LocalTarget::LocalTarget(std::string dir) : dir_(std::move(dir)) {}

std::string LocalTarget::pathOf(const std::string& object) const {
  // Names are ours ("servers/42/7-20261130T100000Z.tar.gz"), but never trusted to stay inside.
  if (object.empty() || object[0] == '/' || object.find("..") != std::string::npos ||
      object.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.") != std::string::npos)
    return "";
  return dir_ + "/" + object;
}

Result<std::unique_ptr<ObjectWriter>> LocalTarget::create(const std::string& object) {
  std::string path = pathOf(object);
  if (path.empty()) return Status::invalid("a backup name that is not allowed");
  if (!makeParents(dir_, path)) return Status::unavailable(why("making the backup folder"));
  UniqueFd fd(::open((path + ".part").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
  if (!fd.valid()) return Status::unavailable(why("creating the backup file"));
  return std::unique_ptr<ObjectWriter>(new LocalWriter(path, std::move(fd)));
}

Result<std::unique_ptr<ObjectReader>> LocalTarget::open(const std::string& object) {
  std::string path = pathOf(object);
  if (path.empty()) return Status::invalid("a backup name that is not allowed");
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return Status::notFound("The backup file is missing from " + dir_ + ".");
    return Status::unavailable(why("opening the backup"));
  }
  return std::unique_ptr<ObjectReader>(new LocalReader(std::move(fd)));
}

Status LocalTarget::remove(const std::string& object) {
  std::string path = pathOf(object);
  if (path.empty()) return Status::invalid("a backup name that is not allowed");
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return Status::unavailable(why("deleting the backup"));
  unlink((path + ".part").c_str());
  return Status::ok();
}

}  // namespace gsp::backup
