// The synthetic cases of the storage benchmarks: what a case's commits look
// like on disk (a CaseReported event with realistic Chinese text, then
// progress reports; the projection; two index keys), built without the
// workflow so the benchmarks measure the store alone.
#ifndef RECTIFY_BENCH_STORAGE_DATASET_H_
#define RECTIFY_BENCH_STORAGE_DATASET_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "projection/projector.h"
#include "storage/event_store.h"

namespace rectify::bench {

inline std::string CaseId(int64_t n) { return absl::StrFormat("620722-2026-%07d", n); }

// Region codes spread over 20 townships, so index keys interleave.
inline std::string RegionOf(int64_t n) { return absl::StrFormat("620722%03d", 100 + n % 20); }

// Event `version` (from 1) of case `n`.
inline v1::Event MakeCaseEvent(int64_t n, int64_t version) {
  v1::Event event;
  event.set_stream_id(CaseId(n));
  event.set_stream_kind(v1::STREAM_KIND_CASE);
  event.set_version(version);
  event.set_region_code(RegionOf(n));
  event.mutable_occurred_at()->set_seconds(1772409600 + n * 60 + version);
  event.mutable_recorded_at()->set_seconds(1772409600 + n * 60 + version);
  event.mutable_actor()->set_principal_id("insp-zhang-0042");
  event.mutable_actor()->set_unit_id("minle-eeb");
  event.mutable_actor()->set_display_name("张明");
  event.set_command_id(absl::StrFormat("cmd-%d-%d-5f3a9c2e", n, version));
  if (version == 1) {
    v1::CaseReported& reported = *event.mutable_case_reported();
    reported.set_case_id(CaseId(n));
    reported.set_title("砂石料场未覆盖防尘网，扬尘污染");
    reported.set_description(
        "现场检查发现料场约2000平方米砂石堆未覆盖，装卸作业未采取喷淋抑尘措施，"
        "周边村民多次投诉。");
    reported.mutable_location()->set_region_code(RegionOf(n));
    reported.mutable_location()->set_address("洪水镇 北滩村 砂石料场");
    reported.mutable_subject()->set_name("民乐县某某建材有限公司");
  } else {
    event.mutable_progress_reported()->set_text("已完成部分料堆覆盖，喷淋设施安装中。");
    event.mutable_progress_reported()->set_percent_complete(static_cast<int>(version * 10));
  }
  return event;
}

// The projection of case `n` at `version`.
inline v1::Case MakeCase(int64_t n, int64_t version) {
  v1::Case state;
  state.set_case_id(CaseId(n));
  state.set_version(version);
  state.set_status(v1::CASE_STATUS_FOUND);
  state.set_title("砂石料场未覆盖防尘网，扬尘污染");
  state.set_description(
      "现场检查发现料场约2000平方米砂石堆未覆盖，装卸作业未采取喷淋抑尘措施，周边村民多次投诉。");
  state.mutable_location()->set_region_code(RegionOf(n));
  state.mutable_location()->set_address("洪水镇 北滩村 砂石料场");
  state.mutable_subject()->set_name("民乐县某某建材有限公司");
  return state;
}

inline std::string MakeCaseProjection(int64_t n, int64_t version) {
  return MakeCase(n, version).SerializeAsString();
}

// The append of events from_version..to_version of case `n`, with its
// projection and (for a new case) the index keys the projector derives, so
// that ListCases finds the cases as it would on a real store.
inline storage::StreamAppend MakeCaseAppend(int64_t n, int64_t from_version,
                                            int64_t to_version) {
  storage::StreamAppend append;
  append.stream_id = CaseId(n);
  append.expected_version = from_version - 1;
  for (int64_t v = from_version; v <= to_version; ++v) {
    append.events.push_back(MakeCaseEvent(n, v));
  }
  const v1::Case state = MakeCase(n, to_version);
  append.projection = state.SerializeAsString();
  if (from_version == 1) {
    // The index keys do not depend on the version: a new case gets them all.
    append.index_puts = projection::ProjectKeys(state).index_keys;
  }
  return append;
}

}  // namespace rectify::bench

#endif  // RECTIFY_BENCH_STORAGE_DATASET_H_
