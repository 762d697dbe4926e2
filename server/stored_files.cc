// The shared steps of uploads to and downloads from the chunk storage; see
// stored_files.h.
#include "server/stored_files.h"

#include "base/user_message.h"
#include "workflow/validation.h"

namespace rectify::server {

absl::Status CheckStoredFileSize(int64_t size_bytes, int64_t max_bytes) {
  if (size_bytes > max_bytes) {
    return WithUserMessage(
        absl::ResourceExhaustedError(absl::StrCat("size_bytes is ", size_bytes,
                                                  "; a file may be at most ", max_bytes, " bytes")),
        absl::StrCat("文件过大（", size_bytes, " 字节），每份文件最多 ", max_bytes / (1024 * 1024),
                     " MiB"),
        "size_bytes");
  }
  return absl::OkStatus();
}

absl::Status UploadBuffer::Begin(int64_t size_bytes, std::string sha256) {
  // The bytes are held in memory until their hash is checked: the upload's
  // declared size (more is refused by Append) comes out of the server-wide
  // budget first.
  if (absl::Status taken = budget_.Acquire(size_bytes, "uploads", "--max_upload_buffer_mb");
      !taken.ok()) {
    return taken;
  }
  taken_ = size_bytes;
  declared_ = size_bytes;
  sha256_ = std::move(sha256);
  bytes_.reserve(static_cast<size_t>(size_bytes));
  return absl::OkStatus();
}

absl::Status UploadBuffer::Append(absl::string_view chunk) {
  if (static_cast<int64_t>(bytes_.size() + chunk.size()) > declared_) {
    return workflow::InvalidField(
        "size_bytes", absl::StrCat("is ", declared_, " but more bytes were sent"),
        absl::StrCat("为 ", declared_, " 字节，实际收到的更多，文件可能已改变，请重新上传"));
  }
  hasher_.Update(chunk);
  bytes_.append(chunk.data(), chunk.size());
  return absl::OkStatus();
}

absl::Status UploadBuffer::Store(storage::EventStore& store) {
  if (static_cast<int64_t>(bytes_.size()) != declared_) {
    return workflow::InvalidField(
        "size_bytes", absl::StrCat("is ", declared_, " but ", bytes_.size(), " bytes were sent"),
        absl::StrCat("为 ", declared_, " 字节，实际收到 ", bytes_.size(),
                     " 字节，上传不完整，请重新上传"));
  }
  const std::string actual = HexEncode(hasher_.Finish());
  if (actual != sha256_) {
    return workflow::InvalidField(
        "sha256", absl::StrCat("is ", sha256_, " but the bytes sent hash to ", actual),
        "与收到的文件不符，文件在传输中可能已损坏，请重新上传");
  }
  absl::Status stored = store.PutEvidence(actual, bytes_);
  Release();
  return stored;
}

void UploadBuffer::Release() {
  bytes_.clear();
  bytes_.shrink_to_fit();
  budget_.Release(taken_);
  taken_ = 0;
}

absl::Status MetadataFirstError() {
  return workflow::InvalidField("metadata", "must be the first message of an upload",
                                "上传须先发送文件信息");
}

absl::Status MetadataOnceError() {
  return workflow::InvalidField("metadata", "may be sent only once, in the first message",
                                "文件信息只能发送一次");
}

absl::Status EmptyUploadError() {
  return workflow::InvalidField("metadata", "is required: the upload was empty",
                                "必填（上传内容为空）");
}

}  // namespace rectify::server
