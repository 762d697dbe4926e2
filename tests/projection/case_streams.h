// Builds commits the way the pipeline does, for tests of verify, rebuild,
// backup and crash safety: a CaseReported event folded with workflow::Evolve,
// the projection, and the index and timer keys from ProjectKeys. Only
// CaseReported is used, which every build of the workflow folds.
//
//   CommitBatch batch;
//   batch.appends.push_back(ReportedCaseAppend("620722-2026-000001", "620722", "dust"));
#ifndef RECTIFY_TESTS_PROJECTION_CASE_STREAMS_H_
#define RECTIFY_TESTS_PROJECTION_CASE_STREAMS_H_

#include <string>

#include "projection/projector.h"
#include "rectify/v1/event.pb.h"
#include "storage/event_store.h"
#include "workflow/decider.h"

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

// A rectification list stream of `count` events from `expected_version`
// (lists are not folded, so any payload will do).
inline storage::StreamAppend ListAppend(const std::string& list_id, int64_t expected_version,
                                        int count) {
  storage::StreamAppend append;
  append.stream_id = list_id;
  append.kind = v1::STREAM_KIND_RECTIFICATION_LIST;
  append.expected_version = expected_version;
  for (int i = 1; i <= count; ++i) {
    v1::Event event;
    event.set_stream_id(list_id);
    event.set_stream_kind(v1::STREAM_KIND_RECTIFICATION_LIST);
    event.set_version(expected_version + i);
    event.set_command_id("list-" + list_id + "-" + std::to_string(expected_version + i));
    event.mutable_list_created();
    append.events.push_back(std::move(event));
  }
  append.projection = "list-" + std::to_string(expected_version + count);
  return append;
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_PROJECTION_CASE_STREAMS_H_
