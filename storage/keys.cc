// Key encodings of the column families; see keys.h.
#include "storage/keys.h"

#include <limits>

namespace rectify::storage::keys {

void AppendBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

uint64_t ReadBigEndian64(absl::string_view data) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(data[i]);
  }
  return value;
}

uint64_t EncodeTime(absl::Time time) {
  const int64_t micros = absl::ToUnixMicros(time);
  return static_cast<uint64_t>(micros) ^ (uint64_t{1} << 63);
}

absl::Time DecodeTime(uint64_t encoded) {
  return absl::FromUnixMicros(static_cast<int64_t>(encoded ^ (uint64_t{1} << 63)));
}

std::string StreamPrefix(absl::string_view stream_id) {
  std::string key(stream_id);
  key.push_back('\0');
  return key;
}

std::string EventKey(absl::string_view stream_id, int64_t version) {
  std::string key = StreamPrefix(stream_id);
  AppendBigEndian64(key, static_cast<uint64_t>(version));
  return key;
}

bool ParseEventKey(absl::string_view key, std::string* stream_id, int64_t* version) {
  if (key.size() < 10 || key[key.size() - 9] != '\0') return false;
  *stream_id = std::string(key.substr(0, key.size() - 9));
  *version = static_cast<int64_t>(ReadBigEndian64(key.substr(key.size() - 8)));
  return true;
}

std::string LogKey(uint64_t position) {
  std::string key;
  AppendBigEndian64(key, position);
  return key;
}

std::string TimerKeyBytes(const TimerKey& timer) {
  std::string key;
  AppendBigEndian64(key, EncodeTime(timer.due));
  key.append(timer.stream_id);
  key.push_back('\0');
  key.append(timer.deadline_id);
  return key;
}

bool ParseTimerKey(absl::string_view key, TimerKey* timer) {
  if (key.size() < 9) return false;
  const size_t separator = key.find('\0', 8);
  if (separator == absl::string_view::npos) return false;
  timer->due = DecodeTime(ReadBigEndian64(key));
  timer->stream_id = std::string(key.substr(8, separator - 8));
  timer->deadline_id = std::string(key.substr(separator + 1));
  return true;
}

std::string DedupKey(absl::string_view principal_id, absl::string_view command_id) {
  std::string key(principal_id);
  key.push_back('\0');
  key.append(command_id.data(), command_id.size());
  return key;
}

std::string EvidenceChunkKey(absl::string_view sha256_hex, uint32_t index) {
  std::string key(sha256_hex);
  for (int shift = 24; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((index >> shift) & 0xFF));
  }
  return key;
}

}  // namespace rectify::storage::keys
