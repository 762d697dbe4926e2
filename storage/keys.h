// Key layout of the column families (DESIGN.md, "Events and the store").
// The encodings are the on-disk contract: numbers are fixed-width big-endian
// so that byte order is numeric order (kvrocks' encoding.h is the model), and
// stream ids, which are printable ASCII, end with a 0x00 separator so that no
// id's keys interleave with a longer id's.
//
//   events:  stream_id 0x00 be64(version)            -> v1::Event
//   log:     be64(position)                          -> stream_id 0x00 be64(version)
//   cases:   case_id                                 -> v1::Case
//   lists:   list_id                                 -> v1::RectificationList
//   index:   opaque keys made by the caller          -> ""
//   timers:  be64(due, biased micros) stream_id 0x00 deadline_id -> ""
//   dedup:   principal_id 0x00 command_id            -> be64(recorded_at micros) outcome
//   meta:    "schema_version", "store_id", "created_at"
//   evidence: sha256 (64 lowercase hex) be32(chunk index) -> up to 1 MiB of bytes
//   accounts: "A-" account_name                      -> v1::AccountRecord
//   auth:    session and login-failure records (server/sessions.h) -> protobuf
//   personal: stream_id 0x00 be64(version) (the event's key) -> v1::PersonalDataRecord
//   units:   "U-" unit_id                            -> v1::Unit
//   penalties: penalty_case_id ("P-620722-2026-0001")   -> v1::PenaltyCase
#ifndef RECTIFY_STORAGE_KEYS_H_
#define RECTIFY_STORAGE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/event_store.h"

namespace rectify::storage::keys {

// Column family names: a contract with every store on disk.
inline constexpr char kEvents[] = "events";
inline constexpr char kLog[] = "log";
inline constexpr char kCases[] = "cases";
inline constexpr char kLists[] = "lists";
inline constexpr char kIndex[] = "index";
inline constexpr char kTimers[] = "timers";
inline constexpr char kDedup[] = "dedup";
inline constexpr char kMeta[] = "meta";
// Added after schema 1 shipped without changing it: created when a store
// without it is opened (older binaries open it as an unknown family and
// leave it alone).
inline constexpr char kEvidence[] = "evidence";
// Report counters and month-end notice records (projection/reports.h), added
// the same way; its merge operator adds counter cells (counters.h).
inline constexpr char kReports[] = "reports";
// Account projections (v1::AccountRecord, keyed by stream id) and the
// records of logins (sessions, failed-login counters), added the same way.
inline constexpr char kAccounts[] = "accounts";
inline constexpr char kAuth[] = "auth";
// The side records of events that commit to personal data
// (personal_data.h), keyed like the event; added the same way.
inline constexpr char kPersonal[] = "personal";
// The responsible units directory's projections (v1::Unit, keyed by stream
// id "U-<unit_id>"); added the same way.
inline constexpr char kUnits[] = "units";
// The penalty cases' projections (v1::PenaltyCase, keyed by their id
// "P-<county>-<year>-<seq>"); added the same way.
inline constexpr char kPenalties[] = "penalties";

// Evidence bytes are stored in chunks of this size (the last may be shorter).
inline constexpr size_t kEvidenceChunkBytes = size_t{1} << 20;

// Meta keys.
inline constexpr char kSchemaVersionKey[] = "schema_version";
inline constexpr char kStoreIdKey[] = "store_id";
inline constexpr char kCreatedAtKey[] = "created_at";

void AppendBigEndian64(std::string& out, uint64_t value);
// Reads 8 big-endian bytes at `data`; the caller checks the length.
uint64_t ReadBigEndian64(absl::string_view data);

// Instants as unsigned, order-preserving 64-bit numbers: microseconds since
// the Unix epoch with the sign bit flipped.
uint64_t EncodeTime(absl::Time time);
absl::Time DecodeTime(uint64_t encoded);

std::string EventKey(absl::string_view stream_id, int64_t version);
// The first key of a stream's events (version 0 does not exist).
std::string StreamPrefix(absl::string_view stream_id);
// Splits an event key; false when it is malformed.
bool ParseEventKey(absl::string_view key, std::string* stream_id, int64_t* version);

std::string LogKey(uint64_t position);

std::string TimerKeyBytes(const TimerKey& timer);
bool ParseTimerKey(absl::string_view key, TimerKey* timer);

std::string DedupKey(absl::string_view principal_id, absl::string_view command_id);

// The key of chunk `index` of the evidence whose SHA-256 is `sha256_hex`.
std::string EvidenceChunkKey(absl::string_view sha256_hex, uint32_t index);

}  // namespace rectify::storage::keys

#endif  // RECTIFY_STORAGE_KEYS_H_
