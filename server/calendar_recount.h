// Recounting open deadlines when a newer working-day calendar is loaded
// (docs/workflow.md, "Years past the published table"). At start, after the
// pipeline starts and before the deadline scheduler does, the server looks
// at every OPEN deadline (one timer key each), counts it again in the loaded
// calendar with its own rule and start (workflow::RecountDeadline), and for
// each whose due instant or provisional mark changes submits a
// RecountDeadline command through the pipeline as the system principal.
// Each commits a DeadlineRecounted event of its own, so a case's history
// says why its due date moved; timers and projections follow as for any
// event.
//
// Idempotent: a restart with the same calendar finds nothing to change and
// submits nothing. Each command id is derived from the calendar's content
// hash, the case, the deadline and its current due instant, so a command
// resubmitted after a crash is answered from the pipeline's idempotency
// record instead of acting twice.
//
//   CalendarIdentity identity = IdentifyCalendar(text, *policy.calendar);
//   ASSIGN_OR_RETURN(RecountResult result, RecountDeadlines(store, pipeline, policy, identity));
#ifndef RECTIFY_SERVER_CALENDAR_RECOUNT_H_
#define RECTIFY_SERVER_CALENDAR_RECOUNT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/pipeline.h"
#include "storage/event_store.h"
#include "workflow/calendar.h"
#include "workflow/policy.h"

namespace rectify::server {

// Which calendar counted: recorded in each DeadlineRecounted event.
struct CalendarIdentity {
  // Lowercase hex SHA-256 of the calendar file's text.
  std::string sha256;
  // The years of its published table, e.g. "2025-2027".
  std::string years;
};

CalendarIdentity IdentifyCalendar(absl::string_view text, const workflow::Calendar& calendar);

// What one recount did.
struct RecountResult {
  // Open deadlines looked at (every timer key).
  int examined = 0;
  // Counted in days, recounted, and changed: commands submitted.
  int submitted = 0;
  // Of those, committed (or answered from an earlier commit).
  int recounted = 0;
  // Refused by the pipeline, or not countable in the calendar (OUT_OF_RANGE):
  // logged, the deadline left as it was.
  int failed = 0;
};

// The command id of the recount of (`case_id`, `deadline_id`) due at
// `due_micros` under the calendar with `calendar_sha256`: at most 128 bytes.
std::string RecountCommandId(absl::string_view calendar_sha256, absl::string_view case_id,
                             absl::string_view deadline_id, int64_t due_micros);

// Recounts every open deadline as above and waits for the commands'
// outcomes. Errors only when the store cannot be read. Reads every timer key
// at once: one small record per open deadline.
absl::StatusOr<RecountResult> RecountDeadlines(storage::EventStore& store, CommandPipeline& pipeline,
                                               const workflow::Policy& policy,
                                               const CalendarIdentity& calendar);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_CALENDAR_RECOUNT_H_
