#include "backup/archive_encoder.h"

namespace gsp::backup {

namespace {
const size_t kBufferBytes = 256 * 1024;
}  // namespace

ArchiveEncoder::ArchiveEncoder(ObjectWriter& out, int level) : out_(out), buffer_(kBufferBytes) {
  // windowBits 15 + 16: a gzip header and trailer, so `gzip -d` and the engine read it.
  ready_ = deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

ArchiveEncoder::~ArchiveEncoder() {
  if (ready_) deflateEnd(&z_);
}

Status ArchiveEncoder::pump(int flush) {
  for (;;) {
    z_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
    z_.avail_out = static_cast<uInt>(buffer_.size());
    int rc = deflate(&z_, flush);
    if (rc == Z_STREAM_ERROR) return Status::internal("The backup could not be compressed.");
    size_t produced = buffer_.size() - z_.avail_out;
    if (produced > 0) {
      digests_.update(buffer_.data(), produced);
      bytes_stored_ += static_cast<int64_t>(produced);
      Status written = out_.write(buffer_.data(), produced);
      if (!written.isOk()) return written;
    }
    if (flush == Z_FINISH ? rc == Z_STREAM_END : z_.avail_out != 0) return Status::ok();
  }
}

Status ArchiveEncoder::write(const char* data, size_t size) {
  if (!ready_) return Status::internal("The backup could not be compressed.");
  bytes_read_ += static_cast<int64_t>(size);
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  z_.avail_in = static_cast<uInt>(size);
  return pump(Z_NO_FLUSH);
}

Status ArchiveEncoder::finish() {
  if (!ready_) return Status::internal("The backup could not be compressed.");
  z_.next_in = nullptr;
  z_.avail_in = 0;
  Status done = pump(Z_FINISH);
  if (done.isOk()) sums_ = digests_.finish();
  return done;
}

}  // namespace gsp::backup
