// Logins, sessions and the brute-force lock; see sessions.h.
#include "server/sessions.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "server/log.h"
#include "workflow/accounts.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

constexpr size_t kTokenBytes = 32;  // 256 bits
constexpr size_t kMaxDeviceLabelBytes = 64;

std::string SessionKey(absl::string_view token_hash) { return absl::StrCat("s/", token_hash); }
std::string AccountSessionsPrefix(absl::string_view account_name) {
  return absl::StrCat("a/", account_name, absl::string_view("\0", 1));
}
std::string AccountSessionKey(absl::string_view account_name, absl::string_view session_id) {
  return absl::StrCat(AccountSessionsPrefix(account_name), session_id);
}
std::string FailuresKey(absl::string_view account_name) {
  return absl::StrCat("f/", account_name);
}

// An attacker chooses the names of failed logins: logged escaped and cut.
std::string LoggableName(absl::string_view name) {
  return absl::CHexEscape(name.substr(0, 64));
}

absl::Status Refused() {
  return WithUserMessage(absl::UnauthenticatedError(kLoginRefused), kLoginRefused);
}

}  // namespace

SessionManager::SessionManager(storage::EventStore& store, const workflow::Policy& policy,
                               const Clock& clock, const PasswordHasher& hasher,
                               SessionOptions options)
    : store_(store), policy_(policy), clock_(clock), hasher_(hasher), options_(options) {}

bool SessionManager::Expired(const v1::SessionRecord& record, absl::Time now) const {
  return now >= ToTime(record.expires_at()) ||
         now >= ToTime(record.last_seen_at()) + policy_.session_idle_timeout;
}

v1::Session SessionManager::ToSession(const v1::SessionRecord& record) const {
  v1::Session session;
  session.set_session_id(record.session_id());
  session.set_principal_id(record.account_name());
  session.set_device_label(record.device_label());
  *session.mutable_created_at() = record.created_at();
  *session.mutable_last_seen_at() = record.last_seen_at();
  *session.mutable_expires_at() = record.expires_at();
  const absl::Time idle_end = ToTime(record.last_seen_at()) + policy_.session_idle_timeout;
  *session.mutable_idle_expires_at() = ToProto(std::min(idle_end, ToTime(record.expires_at())));
  return session;
}

absl::StatusOr<LoginResult> SessionManager::Login(absl::string_view account_name,
                                                  absl::string_view password,
                                                  absl::string_view device_label) {
  if (account_name.empty()) return workflow::InvalidField("account_name", "is required", "必填");
  if (account_name.size() > static_cast<size_t>(workflow::kMaxAccountNameBytes)) {
    return workflow::InvalidField("account_name", "is longer than 64 bytes", "过长（最多 64 字节）");
  }
  if (password.empty()) return workflow::InvalidField("password", "is required", "必填");
  if (password.size() > static_cast<size_t>(workflow::kMaxPasswordBytes)) {
    return workflow::InvalidField("password", "is longer than 1024 bytes", "过长（最多 1024 字节）");
  }
  if (device_label.size() > kMaxDeviceLabelBytes) {
    return workflow::InvalidField("device_label", "is longer than 64 bytes", "过长（最多 64 字节）");
  }
  RETURN_IF_ERROR(workflow::CheckText("device_label", device_label, kMaxDeviceLabelBytes, false));
  const absl::Time now = clock_.Now();
  bool sweep = false;
  {
    absl::MutexLock lock(&sweep_mutex_);
    if (now - last_sweep_ >= options_.sweep_interval) {
      last_sweep_ = now;
      sweep = true;
    }
  }
  if (sweep) {
    absl::StatusOr<int> swept = SweepExpired();
    if (!swept.ok()) {
      Log(LogLevel::kError, {{"event", "session_sweep_failed"},
                             {"status", swept.status().ToString()}});
    }
  }

  const std::string name(account_name);
  const bool well_formed = workflow::CheckAccountName("account_name", name).ok();
  v1::AccountRecord record;
  bool exists = false;
  v1::LoginFailures failures;
  if (well_formed) {
    absl::StatusOr<std::string> stored =
        store_.GetProjection(v1::STREAM_KIND_ACCOUNT, workflow::AccountStreamId(name));
    if (stored.ok()) {
      if (!record.ParseFromString(*stored)) {
        return absl::DataLossError(absl::StrCat("account ", name, ": the projection is corrupt"));
      }
      exists = true;
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> failure_bytes,
                     store_.GetAuthRecord(FailuresKey(name)));
    if (failure_bytes.has_value() && !failures.ParseFromString(*failure_bytes)) {
      return absl::DataLossError(absl::StrCat("account ", name, ": the failure record is corrupt"));
    }
  }
  const bool locked =
      failures.has_locked_until() && now < ToTime(failures.locked_until());
  const char* refusal = !exists                     ? "unknown_account"
                        : record.account().disabled() ? "disabled"
                        : locked                      ? "locked"
                                                      : nullptr;
  if (refusal != nullptr) {
    // The same work as a wrong password, so the time tells nothing either.
    RETURN_IF_ERROR(hasher_.VerifyDummy(password));
    Log(LogLevel::kWarning, {{"event", "login_refused"},
                             {"account", LoggableName(account_name)},
                             {"reason", refusal}});
    return Refused();
  }
  ASSIGN_OR_RETURN(bool verified, hasher_.Verify(record.password_hash(), password));
  if (!verified) {
    RETURN_IF_ERROR(RecordFailure(name, std::move(failures), now));
    return Refused();
  }
  if (failures.failures() > 0 || failures.has_locked_until()) {
    RETURN_IF_ERROR(store_.WriteAuthRecords({}, {FailuresKey(name)}, /*sync=*/false));
  }

  LoginResult result;
  result.token = absl::WebSafeBase64Escape(RandomBytes(kTokenBytes));
  const std::string token_hash = HexEncode(Sha256(result.token));
  v1::SessionRecord& session = result.session;
  session.set_session_id(absl::StrCat("S-", HexEncode(RandomBytes(16))));
  session.set_account_name(name);
  session.set_device_label(std::string(device_label));
  *session.mutable_created_at() = ToProto(now);
  *session.mutable_last_seen_at() = ToProto(now);
  *session.mutable_expires_at() = ToProto(now + policy_.session_lifetime);
  session.set_credentials_epoch(record.account().credentials_epoch());
  result.principal = record.account().principal();

  // Past the limit per account the oldest sessions end.
  std::vector<std::string> deletes;
  ASSIGN_OR_RETURN(auto existing, AccountSessions(name));
  std::sort(existing.begin(), existing.end(), [](const auto& a, const auto& b) {
    return ToTime(a.first.created_at()) < ToTime(b.first.created_at());
  });
  const int excess = static_cast<int>(existing.size()) - options_.max_sessions_per_account + 1;
  for (int i = 0; i < excess; ++i) {
    deletes.push_back(SessionKey(existing[i].second));
    deletes.push_back(AccountSessionKey(name, existing[i].first.session_id()));
  }
  RETURN_IF_ERROR(store_.WriteAuthRecords(
      {{SessionKey(token_hash), session.SerializeAsString()},
       {AccountSessionKey(name, session.session_id()), token_hash}},
      deletes, /*sync=*/true));
  Log(LogLevel::kInfo, {{"event", "login"},
                        {"account", name},
                        {"session", session.session_id()}});
  return result;
}

absl::Status SessionManager::RecordFailure(const std::string& account_name,
                                           v1::LoginFailures failures, absl::Time now) {
  absl::MutexLock lock(&failures_mutex_);
  // Read again under the lock: concurrent failures all count.
  ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                   store_.GetAuthRecord(FailuresKey(account_name)));
  failures.Clear();
  if (bytes.has_value()) failures.ParseFromString(*bytes);
  if (failures.has_locked_until() && now >= ToTime(failures.locked_until())) {
    // A lock that ran out starts the count afresh.
    failures.Clear();
  }
  failures.set_failures(failures.failures() + 1);
  *failures.mutable_last_failure_at() = ToProto(now);
  bool locked_now = false;
  if (failures.failures() >= policy_.login_max_failures) {
    *failures.mutable_locked_until() = ToProto(now + policy_.login_lockout);
    failures.set_failures(0);
    locked_now = true;
  }
  Log(LogLevel::kWarning,
      {{"event", "login_failed"},
       {"account", LoggableName(account_name)},
       {"failures", std::to_string(locked_now ? policy_.login_max_failures : failures.failures())},
       {"locked", locked_now ? "true" : "false"}});
  return store_.WriteAuthRecords({{FailuresKey(account_name), failures.SerializeAsString()}}, {},
                                 /*sync=*/false);
}

std::optional<v1::Principal> SessionManager::AccountPrincipal(
    absl::string_view account_name) const {
  if (!workflow::CheckAccountName("account_name", account_name).ok()) return std::nullopt;
  absl::StatusOr<std::string> stored = store_.GetProjection(
      v1::STREAM_KIND_ACCOUNT, workflow::AccountStreamId(std::string(account_name)));
  v1::AccountRecord record;
  if (!stored.ok() || !record.ParseFromString(*stored) || record.account().disabled()) {
    return std::nullopt;
  }
  return record.account().principal();
}

absl::StatusOr<SessionCaller> SessionManager::Authenticate(absl::string_view token_hash) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.GetAuthRecord(SessionKey(token_hash)));
  if (!bytes.has_value()) return absl::NotFoundError("no such session");
  SessionCaller caller;
  caller.token_hash = std::string(token_hash);
  if (!caller.session.ParseFromString(*bytes)) {
    return absl::DataLossError("a session record is corrupt");
  }
  const absl::Time now = clock_.Now();
  if (Expired(caller.session, now)) {
    RETURN_IF_ERROR(RemoveSession(caller.session, token_hash));
    return Refuse(absl::StatusCode::kUnauthenticated, "the session has expired; log in again",
                  "登录已过期，请重新登录");
  }
  absl::StatusOr<std::string> stored = store_.GetProjection(
      v1::STREAM_KIND_ACCOUNT, workflow::AccountStreamId(caller.session.account_name()));
  v1::AccountRecord record;
  if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
  if (!stored.ok() || !record.ParseFromString(*stored) || record.account().disabled() ||
      record.account().credentials_epoch() != caller.session.credentials_epoch()) {
    RETURN_IF_ERROR(RemoveSession(caller.session, token_hash));
    return Refuse(absl::StatusCode::kUnauthenticated,
                  "the session has ended: the account was disabled or changed; log in again",
                  "账号已被停用或修改，本次登录已失效，请重新登录");
  }
  if (now - ToTime(caller.session.last_seen_at()) >= options_.last_seen_granularity) {
    *caller.session.mutable_last_seen_at() = ToProto(now);
    RETURN_IF_ERROR(store_.WriteAuthRecords(
        {{SessionKey(token_hash), caller.session.SerializeAsString()}}, {}, /*sync=*/false));
  }
  caller.principal = record.account().principal();
  return caller;
}

absl::Status SessionManager::StillOpen(absl::string_view token_hash) const {
  const absl::Status ended = Refuse(absl::StatusCode::kUnauthenticated,
                                    "the session has ended; log in again", "登录已失效，请重新登录");
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.GetAuthRecord(SessionKey(token_hash)));
  v1::SessionRecord session;
  if (!bytes.has_value() || !session.ParseFromString(*bytes) || Expired(session, clock_.Now())) {
    return ended;
  }
  absl::StatusOr<std::string> stored = store_.GetProjection(
      v1::STREAM_KIND_ACCOUNT, workflow::AccountStreamId(session.account_name()));
  if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
  v1::AccountRecord record;
  if (!stored.ok() || !record.ParseFromString(*stored) || record.account().disabled() ||
      record.account().credentials_epoch() != session.credentials_epoch()) {
    return ended;
  }
  return absl::OkStatus();
}

absl::Status SessionManager::RemoveSession(const v1::SessionRecord& record,
                                           absl::string_view token_hash) {
  return store_.WriteAuthRecords(
      {}, {SessionKey(token_hash), AccountSessionKey(record.account_name(), record.session_id())},
      /*sync=*/true);
}

absl::Status SessionManager::End(const SessionCaller& caller) {
  Log(LogLevel::kInfo, {{"event", "logout"},
                        {"account", caller.session.account_name()},
                        {"session", caller.session.session_id()}});
  return RemoveSession(caller.session, caller.token_hash);
}

absl::StatusOr<std::vector<std::pair<v1::SessionRecord, std::string>>>
SessionManager::AccountSessions(absl::string_view account_name) {
  ASSIGN_OR_RETURN(
      std::vector<std::vector<storage::ReportEntry>> scanned,
      store_.ScanDerived({{storage::DerivedFamily::kAuth, AccountSessionsPrefix(account_name)}}));
  std::vector<std::pair<v1::SessionRecord, std::string>> sessions;
  for (const storage::ReportEntry& entry : scanned[0]) {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.GetAuthRecord(SessionKey(entry.value)));
    v1::SessionRecord record;
    if (!bytes.has_value() || !record.ParseFromString(*bytes)) {
      // The list entry outlived its session: drop it.
      RETURN_IF_ERROR(store_.WriteAuthRecords({}, {entry.key}, /*sync=*/false));
      continue;
    }
    sessions.emplace_back(std::move(record), entry.value);
  }
  return sessions;
}

absl::StatusOr<std::vector<v1::Session>> SessionManager::List(absl::string_view account_name,
                                                              absl::string_view current_hash) {
  ASSIGN_OR_RETURN(auto sessions, AccountSessions(account_name));
  const absl::Time now = clock_.Now();
  std::vector<v1::Session> open;
  for (const auto& [record, token_hash] : sessions) {
    if (Expired(record, now)) {
      RETURN_IF_ERROR(RemoveSession(record, token_hash));
      continue;
    }
    v1::Session session = ToSession(record);
    session.set_current(!current_hash.empty() && token_hash == current_hash);
    open.push_back(std::move(session));
  }
  std::sort(open.begin(), open.end(), [](const v1::Session& a, const v1::Session& b) {
    return ToTime(a.created_at()) > ToTime(b.created_at());
  });
  return open;
}

absl::Status SessionManager::Revoke(absl::string_view account_name,
                                    absl::string_view session_id) {
  ASSIGN_OR_RETURN(std::optional<std::string> token_hash,
                   store_.GetAuthRecord(AccountSessionKey(account_name, session_id)));
  if (session_id.empty() || !token_hash.has_value()) {
    return Refuse(absl::StatusCode::kNotFound,
                  absl::StrCat("session ", absl::CHexEscape(session_id.substr(0, 64)),
                               " is not an open session of ", account_name),
                  absl::StrCat("账号 ", account_name, " 没有这个登录会话"));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.GetAuthRecord(SessionKey(*token_hash)));
  v1::SessionRecord record;
  record.set_account_name(std::string(account_name));
  record.set_session_id(std::string(session_id));
  RETURN_IF_ERROR(RemoveSession(record, *token_hash));
  if (!bytes.has_value()) {
    return Refuse(absl::StatusCode::kNotFound,
                  absl::StrCat("session ", session_id, " has ended already"), "该登录会话已结束");
  }
  Log(LogLevel::kInfo, {{"event", "session_revoked"},
                        {"account", std::string(account_name)},
                        {"session", std::string(session_id)}});
  return absl::OkStatus();
}

absl::Status SessionManager::EndAllSessions(absl::string_view account_name) {
  ASSIGN_OR_RETURN(auto sessions, AccountSessions(account_name));
  std::vector<std::string> deletes;
  for (const auto& [record, token_hash] : sessions) {
    deletes.push_back(SessionKey(token_hash));
    deletes.push_back(AccountSessionKey(account_name, record.session_id()));
  }
  if (deletes.empty()) return absl::OkStatus();
  return store_.WriteAuthRecords({}, deletes, /*sync=*/true);
}

absl::Status SessionManager::ClearFailures(absl::string_view account_name) {
  absl::MutexLock lock(&failures_mutex_);
  return store_.WriteAuthRecords({}, {FailuresKey(account_name)}, /*sync=*/true);
}

absl::StatusOr<int> SessionManager::SweepExpired() {
  ASSIGN_OR_RETURN(std::vector<std::vector<storage::ReportEntry>> scanned,
                   store_.ScanDerived({{storage::DerivedFamily::kAuth, "s/"}}));
  const absl::Time now = clock_.Now();
  std::vector<std::string> deletes;
  for (const storage::ReportEntry& entry : scanned[0]) {
    v1::SessionRecord record;
    if (!record.ParseFromString(entry.value) || Expired(record, now)) {
      deletes.push_back(entry.key);
      deletes.push_back(AccountSessionKey(record.account_name(), record.session_id()));
    }
  }
  if (!deletes.empty()) RETURN_IF_ERROR(store_.WriteAuthRecords({}, deletes, /*sync=*/false));
  return static_cast<int>(deletes.size() / 2);
}

}  // namespace rectify::server
