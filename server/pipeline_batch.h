// Private to the pipeline's files (server/pipeline*.cc): the state of the
// batch being decided (BatchState) and the two helpers every stream kind's
// staging uses to add its appends and index key changes to the commit.
#ifndef RECTIFY_SERVER_PIPELINE_BATCH_H_
#define RECTIFY_SERVER_PIPELINE_BATCH_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "projection/projector.h"
#include "projection/reports.h"
#include "rectify/v1/account.pb.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/complaint.pb.h"
#include "rectify/v1/penalty.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "rectify/v1/unit.pb.h"
#include "server/pipeline.h"
#include "storage/event_store.h"

namespace rectify::server {

// The work of one batch: per stream touched, its state as the batch leaves
// it, its keys before the batch and its append; the commit being built; the
// position the next event will get.
struct CommandPipeline::BatchState {
  struct StreamWork {
    v1::Case state;
    projection::ProjectedKeys keys_before;
    // Index of its latest append in `commit`, once a command on it was
    // staged; the projection and key changes go on that one.
    std::optional<size_t> append;
    // The keys of `state` as committed (set with the commit's key changes),
    // for the writer's case cache.
    projection::ProjectedKeys keys_after;
  };
  std::map<std::string, StreamWork> streams;
  struct ListWork {
    v1::RectificationList state;
    std::vector<std::string> keys_before;
    std::optional<size_t> append;
  };
  std::map<std::string, ListWork> lists;
  struct AccountWork {
    v1::AccountRecord record;
    std::vector<std::string> keys_before;
    std::optional<size_t> append;
  };
  std::map<std::string, AccountWork> accounts;
  struct UnitWork {
    v1::Unit unit;
    std::vector<std::string> keys_before;
    std::optional<size_t> append;
  };
  // By stream id ("U-<unit_id>").
  std::map<std::string, UnitWork> units;
  struct ComplaintWork {
    v1::Complaint complaint;
    projection::ProjectedKeys keys_before;
    std::optional<size_t> append;
  };
  // By complaint id.
  std::map<std::string, ComplaintWork> complaints;
  struct PenaltyWork {
    v1::PenaltyCase state;
    projection::ProjectedKeys keys_before;
    std::optional<size_t> append;
  };
  // By penalty case id.
  std::map<std::string, PenaltyWork> penalties;
  // Ticket numbers received by this batch's staged commands, and the
  // complaint that holds each.
  std::map<std::string, std::string> tickets;
  // The enabled ADMIN accounts as the batch leaves them, read from the
  // index when an account command first needs them.
  std::optional<std::set<std::string>> enabled_admins;
  storage::CommitBatch commit;
  uint64_t next_position = 0;
  // The report counters and records of the staged commands' case events.
  projection::ReportChanges reports;
};

namespace pipeline_internal {

// The append a command's events for `stream_id` go to. The store numbers
// events in the order of the batch's appends, so a stream's append is
// reused only while it is the last one; after another stream's events a new
// append continues the stream. Reply positions and idempotency records are
// then those of the command's own events.
storage::StreamAppend& AppendFor(storage::CommitBatch& commit, std::optional<size_t>& slot,
                                 const std::string& stream_id, v1::StreamKind kind,
                                 int64_t version);

// Stages the index keys a stream gained and lost (both lists sorted).
void AddSortedKeyChanges(const std::vector<std::string>& before,
                         const std::vector<std::string>& after, storage::StreamAppend& append);

}  // namespace pipeline_internal
}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PIPELINE_BATCH_H_
