// ForwardingEventStore: an EventStore that passes every call to another one.
// A test or benchmark subclasses it and overrides only the calls it watches
// or holds (e.g. counting what a report reads, or gating ReadLog to control
// the order in which the event feed serves its subscribers); everything else
// reaches the real store unchanged.
//
//   class CountingStore : public storage::ForwardingEventStore {
//    public:
//     using ForwardingEventStore::ForwardingEventStore;
//     absl::StatusOr<v1::Case> GetCase(absl::string_view id) override {
//       ++reads;
//       return ForwardingEventStore::GetCase(id);
//     }
//     int reads = 0;
//   };
#ifndef RECTIFY_STORAGE_FORWARDING_EVENT_STORE_H_
#define RECTIFY_STORAGE_FORWARDING_EVENT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/event_store.h"

namespace rectify::storage {

class ForwardingEventStore : public EventStore {
 public:
  // `store` must outlive this one.
  explicit ForwardingEventStore(EventStore& store) : store_(store) {}

  absl::StatusOr<CommitResult> Commit(CommitBatch batch) override {
    return store_.Commit(std::move(batch));
  }
  absl::StatusOr<v1::Case> GetCase(absl::string_view case_id) override {
    return store_.GetCase(case_id);
  }
  absl::StatusOr<std::vector<std::string>> GetCaseProjections(
      const std::vector<std::string>& case_ids) override {
    return store_.GetCaseProjections(case_ids);
  }
  absl::StatusOr<std::string> GetProjection(v1::StreamKind kind,
                                            absl::string_view stream_id) override {
    return store_.GetProjection(kind, stream_id);
  }
  absl::StatusOr<std::vector<v1::Event>> ReadStream(absl::string_view stream_id,
                                                    int64_t from_version, int limit) override {
    return store_.ReadStream(stream_id, from_version, limit);
  }
  absl::StatusOr<std::vector<v1::Event>> ReadLog(uint64_t after_position, int limit) override {
    return store_.ReadLog(after_position, limit);
  }
  absl::StatusOr<std::vector<std::string>> ScanIndex(absl::string_view prefix,
                                                     absl::string_view start_after,
                                                     int limit) override {
    return store_.ScanIndex(prefix, start_after, limit);
  }
  absl::StatusOr<std::vector<std::vector<ReportEntry>>> ScanDerived(
      const std::vector<PrefixScan>& scans) override {
    return store_.ScanDerived(scans);
  }
  absl::StatusOr<std::vector<TimerKey>> DueTimers(absl::Time up_to, int limit) override {
    return store_.DueTimers(up_to, limit);
  }
  absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      absl::string_view principal_id, absl::string_view command_id) override {
    return store_.GetIdempotencyRecord(principal_id, command_id);
  }
  absl::StatusOr<std::string> LastStreamIdWithPrefix(v1::StreamKind kind,
                                                     absl::string_view prefix) override {
    return store_.LastStreamIdWithPrefix(kind, prefix);
  }
  uint64_t LastPosition() const override { return store_.LastPosition(); }
  absl::StatusOr<std::optional<std::string>> GetAuthRecord(absl::string_view key) override {
    return store_.GetAuthRecord(key);
  }
  absl::Status WriteAuthRecords(const std::vector<ReportEntry>& puts,
                                const std::vector<std::string>& deletes, bool sync) override {
    return store_.WriteAuthRecords(puts, deletes, sync);
  }
  absl::StatusOr<std::optional<v1::PersonalDataRecord>> GetPersonalData(
      absl::string_view stream_id, int64_t version) override {
    return store_.GetPersonalData(stream_id, version);
  }
  absl::Status PutEvidence(absl::string_view sha256_hex, absl::string_view bytes) override {
    return store_.PutEvidence(sha256_hex, bytes);
  }
  absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(absl::string_view sha256_hex,
                                                               uint32_t index) override {
    return store_.ReadEvidenceChunk(sha256_hex, index);
  }

 private:
  EventStore& store_;
};

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_FORWARDING_EVENT_STORE_H_
