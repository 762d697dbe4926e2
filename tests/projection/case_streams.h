// Builds commits the way the pipeline does, for tests of verify, rebuild,
// backup and crash safety: a CaseReported event folded with workflow::Evolve,
// the projection, the index and timer keys from ProjectKeys, and (with
// AddReportChanges on the batch) the report counters. Only
// CaseReported is used, which every build of the workflow folds; list
// streams are ListCreated and ListItemAdded folded with workflow::EvolveList.
//
//   CommitBatch batch;
//   batch.appends.push_back(ReportedCaseAppend("620722-2026-000001", "620722", "dust"));
//   AddReportChanges(batch);
#ifndef RECTIFY_TESTS_PROJECTION_CASE_STREAMS_H_
#define RECTIFY_TESTS_PROJECTION_CASE_STREAMS_H_

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "projection/projector.h"
#include "projection/reports.h"
#include "rectify/v1/event.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/event_store.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "workflow/decider.h"
#include "workflow/lists.h"

namespace rectify::testing {

// A new case stream with one CaseReported event, its projection and keys.
inline storage::StreamAppend ReportedCaseAppend(const std::string& case_id,
                                                const std::string& region,
                                                const std::string& title) {
  v1::Event event;
  event.set_stream_id(case_id);
  event.set_stream_kind(v1::STREAM_KIND_CASE);
  event.set_version(1);
  event.set_region_code(region);
  event.set_command_id("report-" + case_id);
  event.mutable_recorded_at()->set_seconds(1772409600);
  event.mutable_actor()->set_principal_id("insp-zhang");
  v1::CaseReported& reported = *event.mutable_case_reported();
  reported.set_case_id(case_id);
  reported.set_title(title);
  reported.mutable_location()->set_region_code(region);

  storage::StreamAppend append;
  append.stream_id = case_id;
  append.kind = v1::STREAM_KIND_CASE;
  append.expected_version = 0;
  v1::Case state;
  // Evolve accepts what we built; a failure would show as a verify problem.
  workflow::Evolve(state, event).IgnoreError();
  append.events.push_back(std::move(event));
  append.projection = state.SerializeAsString();
  projection::AddKeyChanges(projection::ProjectedKeys(), projection::ProjectKeys(state), append);
  return append;
}

// Event `version` of a made-up list: ListCreated first, then one
// ListItemAdded per version (case 620722-2026-00000N for version N+1).
inline v1::Event ListEvent(const std::string& list_id, int64_t version) {
  v1::Event event;
  event.set_stream_id(list_id);
  event.set_stream_kind(v1::STREAM_KIND_RECTIFICATION_LIST);
  event.set_version(version);
  event.set_region_code("620722");
  event.set_command_id("list-" + list_id + "-" + std::to_string(version));
  event.mutable_recorded_at()->set_seconds(1772409600 + version);
  if (version == 1) {
    v1::ListCreated& created = *event.mutable_list_created();
    created.set_list_id(list_id);
    created.set_title("清单");
    created.set_owner_unit("minle-eeb");
    created.set_region_code("620722");
  } else {
    v1::ListItemAdded& added = *event.mutable_list_item_added();
    added.set_case_id("620722-2026-00000" + std::to_string(version - 1));
    added.set_item_number(static_cast<int32_t>(version - 1));
  }
  return event;
}

// A rectification list stream of `count` events from `expected_version`,
// with the projection and list index keys the pipeline would write.
inline storage::StreamAppend ListAppend(const std::string& list_id, int64_t expected_version,
                                        int count) {
  storage::StreamAppend append;
  append.stream_id = list_id;
  append.kind = v1::STREAM_KIND_RECTIFICATION_LIST;
  append.expected_version = expected_version;
  v1::RectificationList state;
  for (int64_t version = 1; version <= expected_version; ++version) {
    workflow::EvolveList(state, ListEvent(list_id, version)).IgnoreError();
  }
  const std::vector<std::string> before = projection::ProjectListKeys(state);
  for (int i = 1; i <= count; ++i) {
    v1::Event event = ListEvent(list_id, expected_version + i);
    workflow::EvolveList(state, event).IgnoreError();
    append.events.push_back(std::move(event));
  }
  append.projection = state.SerializeAsString();
  const std::vector<std::string> after = projection::ProjectListKeys(state);
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(append.index_puts));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(append.index_deletes));
  return append;
}

// Adds to `batch` the report counters of its new case streams (appends from
// version 0), as the pipeline does for every case event.
inline void AddReportChanges(storage::CommitBatch& batch) {
  projection::ReportChanges changes;
  for (const storage::StreamAppend& append : batch.appends) {
    if (append.kind != v1::STREAM_KIND_CASE || append.expected_version != 0) continue;
    v1::Case state;
    for (const v1::Event& event : append.events) {
      const projection::ReportSnapshot before = projection::ReportSnapshotOf(state);
      workflow::Evolve(state, event).IgnoreError();
      projection::ReportChangesForEvent(before, projection::ReportSnapshotOf(state), event,
                                        changes);
    }
  }
  changes.AddTo(batch);
}

// Rewrites case stream `case_id` of `store` as a binary before the
// personal-data commitments wrote it (the old format, docs/storage.md): the
// complainant `name` and `phone` inside the CaseReported, no commitment and no
// side record, every hash SHA-256(prev_hash || the event's bytes without its
// hash). The bytes are made here, not by the store's code. False on a fault.
inline bool MakeOldFormatComplainant(storage::RocksEventStore& store, const std::string& case_id,
                                     const std::string& name, const std::string& phone) {
  absl::StatusOr<std::vector<v1::Event>> events = store.ReadStream(case_id, 1, 10000);
  if (!events.ok() || events->empty()) return false;
  rocksdb::WriteBatch batch;
  std::string prev;
  for (v1::Event& event : *events) {
    if (event.version() == 1) {
      v1::CaseReported& reported = *event.mutable_case_reported();
      reported.clear_complainant_commitment();
      reported.clear_complainant_salts();
      reported.mutable_complainant()->set_name(name);
      reported.mutable_complainant()->set_phone(phone);
    }
    event.set_prev_hash(prev);
    event.clear_hash();
    event.set_hash(Sha256(prev + event.SerializeAsString()));
    prev = event.hash();
    batch.Put(store.FamilyForTesting(storage::keys::kEvents),
              storage::keys::EventKey(case_id, event.version()), event.SerializeAsString());
  }
  batch.Delete(store.FamilyForTesting(storage::keys::kPersonal),
               storage::keys::EventKey(case_id, 1));
  return store.db()->Write(rocksdb::WriteOptions(), &batch).ok();
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_PROJECTION_CASE_STREAMS_H_
