// Argon2id password hashing with a bound on concurrency; see passwords.h.
#include "server/passwords.h"

#include <sodium.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace rectify::server {
namespace {

// sodium_init is safe to call more than once and from several threads; it
// fails only when the system has no random source.
void InitSodium() {
  static const bool initialized = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)initialized;
}

absl::Status Busy() {
  return absl::ResourceExhaustedError(
      "too many logins are being checked at once; retry in a few seconds");
}

}  // namespace

std::string RandomBytes(size_t bytes) {
  InitSodium();
  std::string out(bytes, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

PasswordHasher::PasswordHasher(PasswordHasherOptions options) : options_(options) {
  InitSodium();
  const std::string random = RandomBytes(32);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, random.data(), random.size(), options_.opslimit,
                        options_.memlimit) != 0) {
    std::abort();  // out of memory at start: nothing sensible to do
  }
  dummy_hash_ = out;
}

bool PasswordHasher::Acquire() const {
  absl::MutexLock lock(&mutex_);
  if (running_ >= options_.max_concurrent) {
    if (waiting_ >= options_.max_waiting) return false;
    ++waiting_;
    mutex_.Await(absl::Condition(
        +[](const PasswordHasher* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
          return self->running_ < self->options_.max_concurrent;
        },
        this));
    --waiting_;
  }
  ++running_;
  return true;
}

void PasswordHasher::Release() const {
  absl::MutexLock lock(&mutex_);
  --running_;
}

absl::StatusOr<std::string> PasswordHasher::Hash(absl::string_view password) const {
  if (!Acquire()) return Busy();
  char out[crypto_pwhash_STRBYTES];
  const int result = crypto_pwhash_str(out, password.data(), password.size(), options_.opslimit,
                                       options_.memlimit);
  Release();
  if (result != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash a password; retry later");
  }
  return std::string(out);
}

absl::StatusOr<bool> PasswordHasher::Verify(absl::string_view hash,
                                            absl::string_view password) const {
  // crypto_pwhash_str_verify reads a NUL-terminated string.
  const std::string terminated(hash);
  if (!Acquire()) return Busy();
  const int result = crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size());
  Release();
  return result == 0;
}

absl::Status PasswordHasher::VerifyDummy(absl::string_view password) const {
  absl::StatusOr<bool> verified = Verify(dummy_hash_, password);
  return verified.status();
}

}  // namespace rectify::server
