// The event store: the system of record. Every change to a case (or a
// rectification list) is a batch of events appended to its stream, committed
// atomically together with the stream's new projection, its index and timer
// keys, and the idempotency record of the command that caused it
// (DESIGN.md, "Events and the store").
//
// This header is the narrow interface the server and the admin tools use;
// RocksEventStore (rocks_event_store.h) implements it on RocksDB. The store
// knows nothing of the workflow: the caller derives projections, index keys
// and timer keys, the store keeps them consistent with the events.
//
//   CommitBatch batch;
//   batch.appends.push_back({.stream_id = "620722-2026-000001", ...});
//   ASSIGN_OR_RETURN(CommitResult result, store.Commit(std::move(batch)));
#ifndef RECTIFY_STORAGE_EVENT_STORE_H_
#define RECTIFY_STORAGE_EVENT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/event.pb.h"

namespace rectify::storage {

// A deadline's timer: fires at `due` for `deadline_id` of `stream_id`.
struct TimerKey {
  absl::Time due;
  std::string stream_id;
  std::string deadline_id;

  friend bool operator==(const TimerKey& a, const TimerKey& b) {
    return a.due == b.due && a.stream_id == b.stream_id && a.deadline_id == b.deadline_id;
  }
};

// The stored outcome of a command, so that a retried command (same principal,
// same command_id) gets the original answer instead of acting twice.
struct IdempotencyRecord {
  std::string principal_id;
  std::string command_id;
  // When the command was first committed; the record is kept for the
  // store's retention window from then.
  absl::Time recorded_at;
  // The serialized reply (or refusal) the caller got, opaque to the store.
  std::string outcome;
};

// New events for one stream and everything derived from them.
struct StreamAppend {
  std::string stream_id;
  v1::StreamKind kind = v1::STREAM_KIND_CASE;
  // The stream's version before these events (0 for a new stream). Commit
  // fails with ABORTED unless the stored stream is at exactly this version.
  int64_t expected_version = 0;
  // The events, whose versions must be expected_version + 1, + 2, ... Commit
  // sets their position, prev_hash and hash, and seals their personal data
  // (storage/personal_data.h): the values go to the event's side record in
  // the same write, the stored event keeps their commitment.
  std::vector<v1::Event> events;
  // The stream's projection after the events: a serialized v1::Case for a
  // case stream, a serialized v1::RectificationList for a list stream.
  std::string projection;
  // Index keys to add and to remove (opaque bytes; see DESIGN.md).
  std::vector<std::string> index_puts;
  std::vector<std::string> index_deletes;
  // Timer keys to add and to remove.
  std::vector<TimerKey> timer_puts;
  std::vector<TimerKey> timer_deletes;
};

// A key and its value in the `reports` column family.
struct ReportEntry {
  std::string key;
  std::string value;
};

// Everything one group commit writes.
struct CommitBatch {
  std::vector<StreamAppend> appends;
  std::vector<IdempotencyRecord> idempotency_records;
  // Report counters (projection/reports.h): each value is a change of a
  // counter cell (storage/counters.h), added to the stored cell.
  std::vector<ReportEntry> report_merges;
  // Report keys written whole (the notice records).
  std::vector<ReportEntry> report_puts;
  // Report keys removed (the records of notice conditions that ended).
  std::vector<std::string> report_deletes;
};

// Which derived keys a prefix scan reads.
enum class DerivedFamily {
  // Index keys (the values are empty).
  kIndex,
  // Report counters and records, with their values (cells merged).
  kReports,
  // Login records (sessions, failed-login counters), with their values.
  kAuth,
};

// One prefix to read in ScanDerived.
struct PrefixScan {
  DerivedFamily family = DerivedFamily::kIndex;
  std::string prefix;
  // At most this many keys; all of them when negative.
  int limit = -1;
};

// What Commit wrote.
struct CommitResult {
  // Every event as stored (position, prev_hash and hash set), in the order
  // of the appends and their events.
  std::vector<v1::Event> events;
  // The global log position of the last event (the previous one when the
  // batch had no events).
  uint64_t last_position = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Writes `batch` atomically, in one write (synced when the store's options
  // say so): events get gap-free global positions in order and hash-chain
  // links, numbered in the order of the appends and their events. A stream
  // may have several appends in one batch; each expects the version the one
  // before left.
  // Errors: ABORTED when a stream is not at its expected version (the message
  // says the stored version); INVALID_ARGUMENT for events whose versions or
  // streams do not match their append; INTERNAL for a storage fault (nothing
  // is written). Commit must be called from one thread at a time (the
  // pipeline's writer thread); reads may run concurrently with it.
  virtual absl::StatusOr<CommitResult> Commit(CommitBatch batch) = 0;

  // The current projection of a case. NOT_FOUND when there is no such case.
  virtual absl::StatusOr<v1::Case> GetCase(absl::string_view case_id) = 0;

  // The serialized projections (v1::Case) of `case_ids`, read from one
  // snapshot (so a list's progress never mixes two commits), in the order
  // asked; the caller parses what it needs. NOT_FOUND naming the first case
  // that does not exist.
  virtual absl::StatusOr<std::vector<std::string>> GetCaseProjections(
      const std::vector<std::string>& case_ids) = 0;

  // The serialized projection of any stream (a case, a list, or an account:
  // a v1::AccountRecord). NOT_FOUND when there is no such stream.
  virtual absl::StatusOr<std::string> GetProjection(v1::StreamKind kind,
                                                    absl::string_view stream_id) = 0;

  // Up to `limit` events of a stream with version >= `from_version`, in
  // version order, read from one snapshot; empty when there are none.
  virtual absl::StatusOr<std::vector<v1::Event>> ReadStream(absl::string_view stream_id,
                                                            int64_t from_version, int limit) = 0;

  // Up to `limit` events of the global log with position > `after_position`,
  // in position order, read from one snapshot.
  virtual absl::StatusOr<std::vector<v1::Event>> ReadLog(uint64_t after_position, int limit) = 0;

  // Up to `limit` index keys that start with `prefix` and sort after
  // `start_after` (all of them when it is empty), in key order, read from one
  // snapshot (so a page never mixes two commits).
  virtual absl::StatusOr<std::vector<std::string>> ScanIndex(absl::string_view prefix,
                                                             absl::string_view start_after,
                                                             int limit) = 0;

  // Every key (and value) that starts with each scan's prefix, in key order,
  // all read from one snapshot, so that figures read from several prefixes
  // add up to one commit's state. For the reports, whose prefixes select a
  // bounded number of keys; answers in the order of `scans`.
  virtual absl::StatusOr<std::vector<std::vector<ReportEntry>>> ScanDerived(
      const std::vector<PrefixScan>& scans) = 0;

  // Up to `limit` timers due at or before `up_to`, earliest first, read from
  // one snapshot.
  virtual absl::StatusOr<std::vector<TimerKey>> DueTimers(absl::Time up_to, int limit) = 0;

  // The idempotency record of (principal, command_id), or nullopt when there
  // is none (never seen, or recorded longer ago than the retention window,
  // whether or not compaction has dropped it yet).
  virtual absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      absl::string_view principal_id, absl::string_view command_id) = 0;

  // The greatest stream id of `kind` that starts with `prefix`, or "" when
  // there is none; the pipeline allocates the next case id from it.
  virtual absl::StatusOr<std::string> LastStreamIdWithPrefix(v1::StreamKind kind,
                                                             absl::string_view prefix) = 0;

  // The position of the last committed event (0 for an empty store).
  virtual uint64_t LastPosition() const = 0;

  // The records of logins beside the events (the `auth` family: sessions
  // by the hash of their token, each account's list of sessions, failed-login
  // counters). They are not event-sourced: a session's last-seen time would
  // otherwise be an event a minute per user. The value of `key`, or nullopt.
  // Thread-safe. Read them by prefix with ScanDerived (DerivedFamily::kAuth).
  virtual absl::StatusOr<std::optional<std::string>> GetAuthRecord(absl::string_view key) = 0;

  // Writes `puts` and removes `deletes` in one atomic write, fsynced when
  // `sync` (logins and logouts; a last-seen update need not be). Thread-safe,
  // independent of Commit. INTERNAL for a fault.
  virtual absl::Status WriteAuthRecords(const std::vector<ReportEntry>& puts,
                                        const std::vector<std::string>& deletes, bool sync) = 0;

  // The side record of event `version` of `stream_id` (storage/personal_data.h):
  // the personal values the event commits to, with their salts. nullopt when
  // the event has none (or it was erased). Read it only for a reader who may
  // see the data (server/access.h). Thread-safe.
  virtual absl::StatusOr<std::optional<v1::PersonalDataRecord>> GetPersonalData(
      absl::string_view stream_id, int64_t version) = 0;

  // Evidence bytes, content-addressed by their SHA-256 (64 lowercase hex
  // digits). The caller has checked that `bytes` hash to `sha256_hex`.
  // PutEvidence writes them durably (synced when the store's options say so)
  // before it returns, so that the EvidenceRecorded event committed next is
  // never on disk without its bytes; bytes already stored are not written
  // again. Thread-safe, and independent of Commit. INTERNAL for a fault.
  virtual absl::Status PutEvidence(absl::string_view sha256_hex, absl::string_view bytes) = 0;

  // Chunk `index` (from 0) of the stored evidence `sha256_hex`, chunks being
  // of keys::kEvidenceChunkBytes but the last; nullopt past the last chunk
  // or when there is no such evidence.
  virtual absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(
      absl::string_view sha256_hex, uint32_t index) = 0;
};

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_EVENT_STORE_H_
