// Recounting open deadlines under a newly loaded calendar; see
// calendar_recount.h.
#include "server/calendar_recount.h"

#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/sha256.h"
#include "server/log.h"
#include "server/system_commands.h"
#include "workflow/decider.h"
#include "workflow/complaints.h"
#include "workflow/penalties.h"

namespace rectify::server {
namespace {

struct Outcomes {
  absl::Mutex mutex;
  int pending ABSL_GUARDED_BY(mutex) = 0;
  int recounted ABSL_GUARDED_BY(mutex) = 0;
  int failed ABSL_GUARDED_BY(mutex) = 0;
};

}  // namespace

CalendarIdentity IdentifyCalendar(absl::string_view text, const workflow::Calendar& calendar) {
  return CalendarIdentity{HexEncode(Sha256(text)), calendar.TableYears()};
}

std::string RecountCommandId(absl::string_view calendar_sha256, absl::string_view case_id,
                             absl::string_view deadline_id, int64_t due_micros) {
  std::string id = absl::StrCat("recount:", calendar_sha256.substr(0, 16), ":", case_id, ":",
                                deadline_id, ":", due_micros);
  return FitCommandId("recount:", std::move(id));
}

absl::StatusOr<RecountResult> RecountDeadlines(storage::EventStore& store, CommandPipeline& pipeline,
                                               const workflow::Policy& policy,
                                               const CalendarIdentity& calendar) {
  absl::StatusOr<std::vector<storage::TimerKey>> timers =
      store.DueTimers(absl::InfiniteFuture(), std::numeric_limits<int>::max());
  if (!timers.ok()) return timers.status();
  RecountResult result;
  auto outcomes = std::make_shared<Outcomes>();
  // One read per case, whatever its number of open deadlines.
  absl::flat_hash_map<std::string, v1::Case> cases;
  // Penalty cases ("P-..."; workflow/penalties.h) count their clocks alike.
  absl::flat_hash_map<std::string, v1::PenaltyCase> penalties;
  for (const storage::TimerKey& timer : *timers) {
    ++result.examined;
    const v1::Deadline* deadline = nullptr;
    const v1::Case* case_state = nullptr;
    if (workflow::IsPenaltyStreamId(timer.stream_id)) {
      auto found = penalties.find(timer.stream_id);
      if (found == penalties.end()) {
        absl::StatusOr<std::string> bytes =
            store.GetProjection(v1::STREAM_KIND_PENALTY, timer.stream_id);
        if (!bytes.ok()) return bytes.status();
        v1::PenaltyCase penalty;
        if (!penalty.ParseFromString(*bytes)) {
          return absl::DataLossError(absl::StrCat(timer.stream_id, ": the projection is corrupt"));
        }
        found = penalties.emplace(timer.stream_id, std::move(penalty)).first;
      }
      for (const v1::Deadline& candidate : found->second.deadlines()) {
        if (candidate.deadline_id() == timer.deadline_id) deadline = &candidate;
      }
    } else {
      auto found = cases.find(timer.stream_id);
      if (found == cases.end()) {
        absl::StatusOr<v1::Case> state = store.GetCase(timer.stream_id);
        if (workflow::IsComplaintStreamId(timer.stream_id)) {
          // A complaint's clocks count alike (workflow/complaints.h): its
          // deadlines on a stand-in case.
          absl::StatusOr<std::string> bytes =
              store.GetProjection(v1::STREAM_KIND_COMPLAINT, timer.stream_id);
          if (!bytes.ok()) return bytes.status();
          v1::Complaint complaint;
          if (!complaint.ParseFromString(*bytes)) {
            return absl::DataLossError(
                absl::StrCat(timer.stream_id, ": the projection is corrupt"));
          }
          v1::Case stand_in;
          stand_in.set_case_id(complaint.complaint_id());
          *stand_in.mutable_deadlines() = complaint.deadlines();
          state = std::move(stand_in);
        }
        if (!state.ok()) return state.status();
        found = cases.emplace(timer.stream_id, *std::move(state)).first;
      }
      case_state = &found->second;
      for (const v1::Deadline& candidate : case_state->deadlines()) {
        if (candidate.deadline_id() == timer.deadline_id) deadline = &candidate;
      }
    }
    if (deadline == nullptr) continue;
    const v1::DeadlineUnit unit = deadline->rule().unit();
    if (unit != v1::DEADLINE_UNIT_CALENDAR_DAYS && unit != v1::DEADLINE_UNIT_WORKING_DAYS &&
        unit != v1::DEADLINE_UNIT_CALENDAR_MONTHS) {
      continue;
    }
    absl::StatusOr<workflow::ComputedDeadline> recounted =
        case_state != nullptr ? workflow::RecountDeadline(*case_state, *deadline, policy)
                              : workflow::RecountPenaltyDeadline(*deadline, policy);
    if (!recounted.ok()) {
      Log(LogLevel::kWarning, {{"event", "recount_skipped"},
                               {"case", timer.stream_id},
                               {"deadline", timer.deadline_id},
                               {"status", recounted.status().ToString()}});
      ++result.failed;
      continue;
    }
    if (!workflow::RecountChanges(*deadline, *recounted)) continue;

    v1::Command command;
    command.set_stream_id(timer.stream_id);
    command.set_command_id(RecountCommandId(calendar.sha256, timer.stream_id, timer.deadline_id,
                                            absl::ToUnixMicros(timer.due)));
    v1::RecountDeadlineRequest& request = *command.mutable_recount_deadline();
    request.set_deadline_id(timer.deadline_id);
    request.set_calendar_sha256(calendar.sha256);
    request.set_calendar_years(calendar.years);
    {
      absl::MutexLock lock(&outcomes->mutex);
      ++outcomes->pending;
    }
    ++result.submitted;
    pipeline.Submit(std::move(command), SystemPrincipal("system", "calendar recount"),
                    [outcomes, case_id = timer.stream_id,
                     deadline_id = timer.deadline_id](absl::StatusOr<CommandOutcome> outcome) {
                      if (outcome.ok()) {
                        Log(LogLevel::kInfo, {{"event", "deadline_recounted"},
                                              {"case", case_id},
                                              {"deadline", deadline_id},
                                              {"position", std::to_string(outcome->position)}});
                      } else {
                        Log(LogLevel::kError, {{"event", "recount_refused"},
                                               {"case", case_id},
                                               {"deadline", deadline_id},
                                               {"status", outcome.status().ToString()}});
                      }
                      absl::MutexLock lock(&outcomes->mutex);
                      --outcomes->pending;
                      if (outcome.ok()) {
                        ++outcomes->recounted;
                      } else {
                        ++outcomes->failed;
                      }
                    });
  }
  absl::MutexLock lock(&outcomes->mutex);
  outcomes->mutex.Await(absl::Condition(
      +[](Outcomes* o) ABSL_EXCLUSIVE_LOCKS_REQUIRED(o->mutex) { return o->pending == 0; },
      outcomes.get()));
  result.recounted = outcomes->recounted;
  result.failed += outcomes->failed;
  return result;
}

}  // namespace rectify::server
