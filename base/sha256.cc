// SHA-256 with OpenSSL's EVP interface; see sha256.h.
#include "base/sha256.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"

namespace rectify {

struct Sha256Hasher::Context {
  EVP_MD_CTX* md = nullptr;
};

Sha256Hasher::Sha256Hasher() : context_(new Context) {
  context_->md = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context_->md, EVP_sha256(), nullptr);
}

Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(context_->md);
  delete context_;
}

void Sha256Hasher::Update(absl::string_view bytes) {
  EVP_DigestUpdate(context_->md, bytes.data(), bytes.size());
}

std::string Sha256Hasher::Finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_->md, digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string Sha256(absl::string_view bytes) {
  Sha256Hasher hasher;
  hasher.Update(bytes);
  return hasher.Finish();
}

std::string HexEncode(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

}  // namespace rectify
