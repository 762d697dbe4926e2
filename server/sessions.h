// Logins and sessions of accounts (AuthService and the session half of
// authentication). A login checks the password (PasswordHasher) against
// the account's stored projection and opens a session: an opaque token of
// 256 random bits, of which only the SHA-256 is stored, in the `auth`
// family beside the events, with the account, the device label, the
// creation, last-seen and expiry instants and the account's
// credentials_epoch. Any server thread (and so any gateway copy) sees the
// same sessions.
//
// Records in the `auth` family (EventStore::GetAuthRecord):
//   "s/" sha256_hex(token)                 -> v1::SessionRecord
//   "a/" account_name 0x00 session_id      -> sha256_hex(token)  (an account's sessions)
//   "f/" account_name                      -> v1::LoginFailures
//
// A session ends at its absolute expiry (policy.session_lifetime after
// login), after policy.session_idle_timeout without a call, on logout or
// revocation, and when its account is disabled or its role, unit,
// jurisdiction or password changes (the account's credentials_epoch moves
// on; EndAllSessions also removes the records). last_seen is written at most
// once a minute. Expired records are removed when met and by a sweep run
// from Login at most every 10 minutes.
//
// Brute force: after policy.login_max_failures wrong passwords in a row an
// account is locked for policy.login_lockout. Every refusal (unknown
// account, wrong password, disabled, locked) is the same UNAUTHENTICATED
// message and costs one Argon2id verification, so neither the reply nor its
// time tells whether the account exists. Failures are logged with the
// account name (escaped), never the password.
#ifndef RECTIFY_SERVER_SESSIONS_H_
#define RECTIFY_SERVER_SESSIONS_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "rectify/v1/account.pb.h"
#include "rectify/v1/auth_service.pb.h"
#include "rectify/v1/common.pb.h"
#include "server/passwords.h"
#include "storage/event_store.h"
#include "workflow/policy.h"

namespace rectify::server {

// The one message of every refused login.
inline constexpr char kLoginRefused[] = "账号或密码不正确，或账号已被停用或锁定";

struct SessionOptions {
  // Open sessions per account; a login past it ends the oldest.
  // Default: 20.
  int max_sessions_per_account = 20;
  // How stale last_seen may get before a call writes it. Default: 1 minute.
  absl::Duration last_seen_granularity = absl::Minutes(1);
  // How often Login sweeps expired sessions. Default: 10 minutes.
  absl::Duration sweep_interval = absl::Minutes(10);
};

// A successful login.
struct LoginResult {
  // The token, shown once (base64url of 32 random bytes).
  std::string token;
  v1::SessionRecord session;
  v1::Principal principal;
};

// A call authenticated by a session token.
struct SessionCaller {
  v1::Principal principal;
  v1::SessionRecord session;
  // Lowercase hex SHA-256 of the token.
  std::string token_hash;
};

class SessionManager {
 public:
  // `store`, `policy`, `clock` and `hasher` must outlive it.
  SessionManager(storage::EventStore& store, const workflow::Policy& policy, const Clock& clock,
                 const PasswordHasher& hasher, SessionOptions options = SessionOptions());

  // Checks the password and opens a session. INVALID_ARGUMENT naming the
  // field for an empty or oversized field; UNAUTHENTICATED (kLoginRefused)
  // for any refusal; RESOURCE_EXHAUSTED when too many logins are checked at
  // once.
  absl::StatusOr<LoginResult> Login(absl::string_view account_name, absl::string_view password,
                                    absl::string_view device_label);

  // The session whose token hashes to `token_hash` (lowercase hex), if it
  // is open and its account still enabled under the same credentials
  // epoch. NOT_FOUND when no session has this token; UNAUTHENTICATED when
  // it ended (its records are then removed).
  absl::StatusOr<SessionCaller> Authenticate(absl::string_view token_hash);

  // Whether the session of `token_hash` is still open and its account
  // enabled under the same credentials epoch: OK, else UNAUTHENTICATED.
  // Unlike Authenticate it writes nothing: a long call (a WatchEvents
  // stream) checking it neither keeps the session from going idle nor
  // removes an ended one.
  absl::Status StillOpen(absl::string_view token_hash) const;

  // The principal of the enabled account named `account_name`; nullopt for
  // an unknown, malformed or disabled one (and when the store cannot say).
  std::optional<v1::Principal> AccountPrincipal(absl::string_view account_name) const;

  // Ends the session of `token_hash` (logout).
  absl::Status End(const SessionCaller& caller);

  // The open sessions of `account_name`, newest first; `current_hash`
  // marks the calling one.
  absl::StatusOr<std::vector<v1::Session>> List(absl::string_view account_name,
                                                absl::string_view current_hash = "");

  // Ends one session of `account_name`. NOT_FOUND when it has no open
  // session `session_id`.
  absl::Status Revoke(absl::string_view account_name, absl::string_view session_id);

  // Removes every session record of `account_name` (after it was disabled
  // or its role, unit, jurisdiction or password changed).
  absl::Status EndAllSessions(absl::string_view account_name);

  // Forgets the failed logins of `account_name` (a password reset lifts
  // a lock).
  absl::Status ClearFailures(absl::string_view account_name);

  // Removes every expired session; returns how many.
  absl::StatusOr<int> SweepExpired();

  // The policy's idle timeout.
  absl::Duration idle_timeout() const { return policy_.session_idle_timeout; }

  // The public view of a stored session.
  v1::Session ToSession(const v1::SessionRecord& record) const;

 private:
  absl::Status RecordFailure(const std::string& account_name, v1::LoginFailures failures,
                             absl::Time now);
  absl::Status RemoveSession(const v1::SessionRecord& record, absl::string_view token_hash);
  // Every (session, token hash) of an account.
  absl::StatusOr<std::vector<std::pair<v1::SessionRecord, std::string>>> AccountSessions(
      absl::string_view account_name);
  bool Expired(const v1::SessionRecord& record, absl::Time now) const;

  storage::EventStore& store_;
  const workflow::Policy& policy_;
  const Clock& clock_;
  const PasswordHasher& hasher_;
  const SessionOptions options_;
  // Serializes the read-modify-write of failure counters.
  absl::Mutex failures_mutex_;
  absl::Mutex sweep_mutex_;
  absl::Time last_sweep_ ABSL_GUARDED_BY(sweep_mutex_) = absl::InfinitePast();
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_SESSIONS_H_
