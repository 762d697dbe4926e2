// Password hashing: Argon2id through libsodium's crypto_pwhash_str (PHC
// string format, "$argon2id$v=19$m=65536,t=2,p=1$salt$hash"), with a bound
// on how many hashes run at once so that a flood of logins cannot take all
// the memory or CPU of the server.
//
// Cost: libsodium's INTERACTIVE limits (opslimit 2, memlimit 64 MiB) by
// default. The server has 2 cores: with at most 2 hashes at once a login
// flood holds at most 128 MiB and leaves the writer thread and the reads
// their share; MODERATE (256 MiB, 4-7x the time in our run) would make
// each login take most of a second and let two logins hold half a GiB. Figures in
// docs/benchmarks.md ("Logins").
//
//   PasswordHasher hasher;   // INTERACTIVE, 2 at once, 64 waiting
//   ASSIGN_OR_RETURN(std::string phc, hasher.Hash(password));
//   ASSIGN_OR_RETURN(bool ok, hasher.Verify(phc, password));
#ifndef RECTIFY_SERVER_PASSWORDS_H_
#define RECTIFY_SERVER_PASSWORDS_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace rectify::server {

struct PasswordHasherOptions {
  // Argon2id passes. Default: crypto_pwhash_OPSLIMIT_INTERACTIVE (2).
  uint64_t opslimit = 2;
  // Argon2id memory in bytes. Default: crypto_pwhash_MEMLIMIT_INTERACTIVE
  // (64 MiB).
  size_t memlimit = size_t{64} << 20;
  // Hashes computed at once; the others wait. Default: 2 (the cores).
  int max_concurrent = 2;
  // Callers that may wait for a slot; past this a call is refused with
  // RESOURCE_EXHAUSTED at once. Default: 64.
  int max_waiting = 64;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHasherOptions options = PasswordHasherOptions());

  // The PHC string of a fresh Argon2id hash of `password` (random salt).
  // RESOURCE_EXHAUSTED when too many hashes are waiting, or when libsodium
  // cannot get the memory. Blocks while the hash is computed.
  absl::StatusOr<std::string> Hash(absl::string_view password) const;

  // True when `password` matches the PHC string `hash`; false when it does
  // not or `hash` is not a PHC string this library reads.
  // RESOURCE_EXHAUSTED as for Hash.
  absl::StatusOr<bool> Verify(absl::string_view hash, absl::string_view password) const;

  // Verifies `password` against a hash of a random password made at
  // construction, and returns false: the work of a login to an account
  // that does not exist, so that its reply takes as long as a wrong
  // password's. RESOURCE_EXHAUSTED as for Hash.
  absl::Status VerifyDummy(absl::string_view password) const;

  const PasswordHasherOptions& options() const { return options_; }

 private:
  // Waits for a slot; false (nothing taken) when too many wait already.
  bool Acquire() const;
  void Release() const;

  const PasswordHasherOptions options_;
  std::string dummy_hash_;
  mutable absl::Mutex mutex_;
  mutable int running_ ABSL_GUARDED_BY(mutex_) = 0;
  mutable int waiting_ ABSL_GUARDED_BY(mutex_) = 0;
};

// `bytes` random bytes from libsodium's randombytes_buf (the system's CSPRNG).
std::string RandomBytes(size_t bytes);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PASSWORDS_H_
