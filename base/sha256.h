// SHA-256 with OpenSSL's libcrypto, for token hashes and evidence digests.
//
//   Sha256Hasher hasher;  hasher.Update(chunk1);  hasher.Update(chunk2);
//   std::string hex = HexEncode(hasher.Finish());
#ifndef RECTIFY_BASE_SHA256_H_
#define RECTIFY_BASE_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace rectify {

// Incremental SHA-256. Not thread-safe; one per stream of bytes.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(absl::string_view bytes);
  // The 32-byte digest; the hasher may not be used afterwards.
  std::string Finish();

 private:
  struct Context;
  Context* context_;
};

// The 32-byte SHA-256 of `bytes`.
std::string Sha256(absl::string_view bytes);

// Lowercase hex of `bytes`: absl::BytesToHexString, under the name the
// callers already use.
std::string HexEncode(absl::string_view bytes);

}  // namespace rectify

#endif  // RECTIFY_BASE_SHA256_H_
