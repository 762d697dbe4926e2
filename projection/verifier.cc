// Verify and rebuild of the derived data; see verifier.h.
//
// One file (about 770 lines), on purpose: verify and rebuild are one pass of
// one class, Checker, whose methods share the walk's state (the stream being
// folded, the derived keys expected so far, the problem and repair tallies).
// Splitting the per-kind Finish* methods out would make that state a public
// header for the sake of file length; each method reads on its own already.
#include "projection/verifier.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "projection/complaint_keys.h"
#include "projection/projector.h"
#include "projection/reports.h"
#include "storage/counters.h"
#include "storage/event_hash.h"
#include "storage/personal_data.h"
#include "workflow/decider.h"
#include "workflow/accounts.h"
#include "workflow/complaints.h"
#include "workflow/penalties.h"
#include "workflow/units.h"
#include "workflow/lists.h"

namespace rectify::projection {
namespace {

using storage::RocksEventStore;

// How many derived changes rebuild gathers before it writes them.
constexpr size_t kRepairChunk = 10000;
constexpr int kMaxUnrepairable = 100;

std::string Printable(absl::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(c);
    } else {
      out.append(absl::StrCat("\\x", HexEncode(std::string(1, c))));
    }
  }
  return out;
}

std::string EventName(absl::string_view stream_id, int64_t version) {
  return absl::StrCat(stream_id, "#", version);
}

// Timers compared at the microsecond precision they are stored with.
using TimerTuple = std::tuple<int64_t, std::string, std::string>;
TimerTuple ToTuple(const storage::TimerKey& timer) {
  return {absl::ToUnixMicros(timer.due), timer.stream_id, timer.deadline_id};
}
storage::TimerKey FromTuple(const TimerTuple& tuple) {
  return storage::TimerKey{absl::FromUnixMicros(std::get<0>(tuple)), std::get<1>(tuple),
                           std::get<2>(tuple)};
}
std::string TimerName(const TimerTuple& tuple) {
  return absl::StrCat("timer ", absl::FormatTime(absl::FromUnixMicros(std::get<0>(tuple))), " ",
                      std::get<1>(tuple), " ", std::get<2>(tuple));
}

// One pass over a snapshot of the store that finds every problem; with a
// repair target it also writes the fixes of the derived data.
class Checker {
 public:
  using Progress = std::function<void(int64_t done, int64_t total)>;
  Checker(const RocksEventStore& store, int max_problems, RocksEventStore* repair_target,
          Progress progress = nullptr)
      : view_(store.NewView()),
        max_problems_(max_problems),
        repair_target_(repair_target),
        progress_(std::move(progress)) {}

  absl::Status Run() {
    RETURN_IF_ERROR(CheckEvents());
    RETURN_IF_ERROR(CheckLog());
    RETURN_IF_ERROR(CheckOrphanProjections(v1::STREAM_KIND_CASE));
    RETURN_IF_ERROR(CheckOrphanProjections(v1::STREAM_KIND_RECTIFICATION_LIST));
    RETURN_IF_ERROR(CheckOrphanProjections(v1::STREAM_KIND_ACCOUNT));
    RETURN_IF_ERROR(CheckOrphanProjections(v1::STREAM_KIND_UNIT));
    RETURN_IF_ERROR(CheckOrphanProjections(v1::STREAM_KIND_COMPLAINT));
    RETURN_IF_ERROR(CheckOrphanProjections(v1::STREAM_KIND_PENALTY));
    RETURN_IF_ERROR(CheckIndex());
    RETURN_IF_ERROR(CheckTimers());
    RETURN_IF_ERROR(CheckReports());
    return Flush(/*force=*/true);
  }

  int64_t streams = 0;
  int64_t events = 0;
  int64_t list_streams = 0;
  int64_t problem_count = 0;
  std::vector<std::string> problems;
  // Rebuild's tallies.
  int64_t unrepairable_count = 0;
  std::vector<std::string> unrepairable;
  int64_t projections_written = 0;
  int64_t projections_deleted = 0;
  int64_t index_added = 0;
  int64_t index_removed = 0;
  int64_t timers_added = 0;
  int64_t timers_removed = 0;
  int64_t reports_written = 0;
  int64_t reports_removed = 0;

 private:
  // The stream being walked.
  struct Stream {
    std::string id;
    v1::StreamKind kind = v1::STREAM_KIND_UNSPECIFIED;
    int64_t last_version = 0;
    std::string last_hash;
    v1::Case state;
    v1::RectificationList list_state;
    v1::Account account_state;
    v1::Unit unit_state;
    v1::Complaint complaint_state;
    v1::PenaltyCase penalty_state;
    // The password commitment of the account's last AccountPasswordSet.
    std::string password_commitment;
    // False once an event could not be folded: the state is unknown.
    bool foldable = true;
  };

  // A problem only the events could fix (rebuild cannot).
  void Problem(std::string words) {
    ++problem_count;
    if (static_cast<int>(problems.size()) < max_problems_) problems.push_back(words);
    if (repair_target_ != nullptr) {
      ++unrepairable_count;
      if (static_cast<int>(unrepairable.size()) < kMaxUnrepairable) {
        unrepairable.push_back(std::move(words));
      }
    }
  }
  // A problem of the derived data, which rebuild repairs.
  void DerivedProblem(std::string words) {
    ++problem_count;
    if (static_cast<int>(problems.size()) < max_problems_) problems.push_back(std::move(words));
  }

  absl::Status CheckEvents() {
    int64_t total = 0;
    if (progress_) {
      ASSIGN_OR_RETURN(const uint64_t last, view_->LastLogPosition());
      total = static_cast<int64_t>(last);
      progress_(0, total);
    }
    std::optional<Stream> stream;
    RETURN_IF_ERROR(view_->ForEachEvent([&](const RocksEventStore::StoredEvent& stored) {
      if (progress_ && events % kProgressEvery == 0 && events > 0) progress_(events, total);
      if (!stored.key_ok) {
        Problem(absl::StrCat("events: malformed key \"", Printable(stored.stream_id), "\""));
        return absl::OkStatus();
      }
      if (!stream.has_value() || stream->id != stored.stream_id) {
        if (stream.has_value()) RETURN_IF_ERROR(FinishStream(*stream));
        stream.emplace();
        stream->id = stored.stream_id;
        ++streams;
      }
      ++events;
      return CheckEvent(stored, *stream);
    }));
    if (stream.has_value()) RETURN_IF_ERROR(FinishStream(*stream));
    if (progress_) progress_(events, total);
    return absl::OkStatus();
  }

  absl::Status CheckEvent(const RocksEventStore::StoredEvent& stored, Stream& stream) {
    const std::string name = EventName(stored.stream_id, stored.version);
    if (stored.version != stream.last_version + 1) {
      Problem(absl::StrCat("stream ", stream.id, ": version ", stored.version, " follows version ",
                           stream.last_version, " (events are missing)"));
      stream.foldable = false;
    }
    stream.last_version = stored.version;
    v1::Event event;
    if (!event.ParseFromArray(stored.value.data(), static_cast<int>(stored.value.size()))) {
      Problem(absl::StrCat("event ", name, " cannot be parsed (its bytes were changed)"));
      stream.foldable = false;
      stream.last_hash.clear();
      return absl::OkStatus();
    }
    if (event.stream_id() != stored.stream_id || event.version() != stored.version) {
      Problem(absl::StrCat("event ", name, " says it is ",
                           EventName(event.stream_id(), event.version())));
    }
    if (stream.kind == v1::STREAM_KIND_UNSPECIFIED) stream.kind = event.stream_kind();
    if (storage::HoldsLegacyPersonalData(event)) {
      // Written before the personal-data commitments: its hash covers the
      // complainant, so it verifies only for a reader who may see it.
      if (storage::ComputeLegacyEventHash(event) != event.hash()) {
        Problem(absl::StrCat("event ", name,
                             ": its hash does not match its content (the event was changed)"));
      }
      Problem(absl::StrCat("event ", name,
                           " holds the complainant inside its hashed bytes (written before the "
                           "personal-data commitments): run rectify_admin upgrade-complainants"));
    } else {
      if (storage::ComputeEventHash(event) != event.hash()) {
        Problem(absl::StrCat("event ", name,
                             ": its hash does not match its content (the event was changed)"));
      }
      RETURN_IF_ERROR(OpenPersonalData(name, event));
    }
    if (event.prev_hash() != stream.last_hash) {
      Problem(absl::StrCat("event ", name, ": prev_hash ",
                           HexEncode(event.prev_hash()).substr(0, 16),
                           "... is not the hash of the event before it (broken hash link)"));
    }
    stream.last_hash = event.hash();
    // Each event is in the log exactly once: at the position it carries.
    ASSIGN_OR_RETURN(std::optional<RocksEventStore::LogEntry> entry,
                     view_->GetLogEntry(event.position()));
    if (!entry.has_value()) {
      Problem(absl::StrCat("event ", name, " is not in the log (position ", event.position(),
                           " is missing)"));
    } else if (!entry->ok || entry->stream_id != stored.stream_id ||
               entry->version != stored.version) {
      Problem(absl::StrCat("event ", name, " carries log position ", event.position(),
                           ", but that position points at ",
                           entry->ok ? EventName(entry->stream_id, entry->version)
                                     : std::string("a malformed entry")));
    }
    if (stream.kind == v1::STREAM_KIND_CASE && stream.foldable) {
      const ReportSnapshot before = ReportSnapshotOf(stream.state);
      const absl::Status folded = workflow::Evolve(stream.state, event);
      if (!folded.ok()) {
        Problem(absl::StrCat("event ", name, " cannot be folded: ", folded.message()));
        stream.foldable = false;
      } else {
        ReportChangesForEvent(before, ReportSnapshotOf(stream.state), event, derived_reports_);
        // Only the keys the events leave are compared; a deleted key is gone
        // from `puts` already.
        derived_reports_.deletes.clear();
      }
    } else if (stream.kind == v1::STREAM_KIND_RECTIFICATION_LIST && stream.foldable) {
      const absl::Status folded = workflow::EvolveList(stream.list_state, event);
      if (!folded.ok()) {
        Problem(absl::StrCat("event ", name, " cannot be folded: ", folded.message()));
        stream.foldable = false;
      }
    } else if (stream.kind == v1::STREAM_KIND_ACCOUNT && stream.foldable) {
      const absl::Status folded = workflow::EvolveAccount(stream.account_state, event);
      if (!folded.ok()) {
        Problem(absl::StrCat("event ", name, " cannot be folded: ", folded.message()));
        stream.foldable = false;
      }
      if (event.has_account_password_set()) {
        stream.password_commitment = event.account_password_set().password_hash_sha256();
      }
    } else if (stream.kind == v1::STREAM_KIND_UNIT && stream.foldable) {
      const absl::Status folded = workflow::EvolveUnit(stream.unit_state, event);
      if (!folded.ok()) {
        Problem(absl::StrCat("event ", name, " cannot be folded: ", folded.message()));
        stream.foldable = false;
      }
    } else if (stream.kind == v1::STREAM_KIND_COMPLAINT && stream.foldable) {
      const absl::Status folded = workflow::EvolveComplaint(stream.complaint_state, event);
      if (!folded.ok()) {
        Problem(absl::StrCat("event ", name, " cannot be folded: ", folded.message()));
        stream.foldable = false;
      } else {
        ComplaintReportChanges(stream.complaint_state, event, derived_reports_);
      }
    } else if (stream.kind == v1::STREAM_KIND_PENALTY && stream.foldable) {
      const absl::Status folded = workflow::EvolvePenalty(stream.penalty_state, event);
      if (!folded.ok()) {
        Problem(absl::StrCat("event ", name, " cannot be folded: ", folded.message()));
        stream.foldable = false;
      } else {
        PenaltyReportChanges(stream.penalty_state, event, derived_reports_);
      }
    }
    return absl::OkStatus();
  }

  // Puts an event's personal data back from its side record, so that it
  // folds as it was decided; a record that does not match the commitment is
  // a problem, and the event is folded sealed.
  absl::Status OpenPersonalData(const std::string& name, v1::Event& event) {
    if (!storage::CommitsToPersonalData(event)) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::optional<v1::PersonalDataRecord> record,
                     view_->GetPersonalData(event.stream_id(), event.version()));
    if (!record.has_value()) return absl::OkStatus();
    if (absl::Status opened = storage::OpenPersonalData(event, *record); !opened.ok()) {
      Problem(absl::StrCat("event ", name, ": ", opened.message()));
    }
    return absl::OkStatus();
  }

  absl::Status FinishStream(const Stream& stream) {
    stream_ids_.insert(stream.id);
    if (stream.kind == v1::STREAM_KIND_RECTIFICATION_LIST) return FinishList(stream);
    if (stream.kind == v1::STREAM_KIND_ACCOUNT) return FinishAccount(stream);
    if (stream.kind == v1::STREAM_KIND_UNIT) return FinishUnit(stream);
    if (stream.kind == v1::STREAM_KIND_COMPLAINT) return FinishComplaint(stream);
    if (stream.kind == v1::STREAM_KIND_PENALTY) return FinishPenalty(stream);
    if (stream.kind != v1::STREAM_KIND_CASE) {
      ++list_streams;
      ASSIGN_OR_RETURN(std::optional<std::string> stored,
                       view_->GetProjection(stream.kind, stream.id));
      if (!stored.has_value()) {
        Problem(absl::StrCat("stream ", stream.id, " has events but no projection"));
      }
      return absl::OkStatus();
    }
    if (!stream.foldable) {
      // Its keys cannot be derived: leave the stored ones alone.
      unknown_cases_.insert(stream.id);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     view_->GetProjection(v1::STREAM_KIND_CASE, stream.id));
    bool rewrite = false;
    if (!stored.has_value()) {
      DerivedProblem(absl::StrCat("case ", stream.id, ": the projection is missing"));
      rewrite = true;
    } else {
      v1::Case stored_case;
      if (!stored_case.ParseFromString(*stored)) {
        DerivedProblem(absl::StrCat("case ", stream.id, ": the projection cannot be parsed"));
        rewrite = true;
      } else {
        google::protobuf::util::MessageDifferencer differencer;
        std::string differences;
        differencer.ReportDifferencesToString(&differences);
        if (!differencer.Compare(stream.state, stored_case)) {
          if (differences.size() > 300) differences = differences.substr(0, 300) + "...";
          while (!differences.empty() && differences.back() == '\n') differences.pop_back();
          DerivedProblem(absl::StrCat("case ", stream.id,
                                      ": the stored projection differs from its events (",
                                      differences, ")"));
          rewrite = true;
        }
      }
    }
    if (rewrite && repair_target_ != nullptr) {
      repair_.projection_puts.push_back(
          {v1::STREAM_KIND_CASE, stream.id, stream.state.SerializeAsString()});
      ++projections_written;
      RETURN_IF_ERROR(Flush(/*force=*/false));
    }
    ProjectedKeys keys = ProjectKeys(stream.state);
    for (std::string& key : keys.index_keys) derived_index_.insert(std::move(key));
    for (const storage::TimerKey& timer : keys.timers) derived_timers_.insert(ToTuple(timer));
    return absl::OkStatus();
  }

  // A rectification list: its folded state against the stored projection,
  // and the list index keys it calls for.
  absl::Status FinishList(const Stream& stream) {
    if (!stream.foldable) {
      ++list_streams;
      unknown_cases_.insert(stream.id);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     view_->GetProjection(v1::STREAM_KIND_RECTIFICATION_LIST, stream.id));
    bool rewrite = false;
    v1::RectificationList stored_list;
    if (!stored.has_value()) {
      DerivedProblem(absl::StrCat("list ", stream.id, ": the projection is missing"));
      rewrite = true;
    } else if (!stored_list.ParseFromString(*stored)) {
      DerivedProblem(absl::StrCat("list ", stream.id, ": the projection cannot be parsed"));
      rewrite = true;
    } else if (!google::protobuf::util::MessageDifferencer::Equals(stream.list_state,
                                                                   stored_list)) {
      DerivedProblem(
          absl::StrCat("list ", stream.id, ": the stored projection differs from its events"));
      rewrite = true;
    }
    if (rewrite && repair_target_ != nullptr) {
      repair_.projection_puts.push_back({v1::STREAM_KIND_RECTIFICATION_LIST, stream.id,
                                         stream.list_state.SerializeAsString()});
      ++projections_written;
      RETURN_IF_ERROR(Flush(/*force=*/false));
    }
    for (std::string& key : ProjectListKeys(stream.list_state)) {
      derived_index_.insert(std::move(key));
    }
    return absl::OkStatus();
  }

  // An account: its folded state against the stored projection, the stored
  // password hash against the commitment of its last AccountPasswordSet,
  // and its index keys. Rebuild rewrites the account part and keeps the
  // stored hash (no event holds it).
  absl::Status FinishAccount(const Stream& stream) {
    if (!stream.foldable) {
      ++list_streams;
      unknown_cases_.insert(stream.id);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     view_->GetProjection(v1::STREAM_KIND_ACCOUNT, stream.id));
    bool rewrite = false;
    v1::AccountRecord stored_record;
    if (!stored.has_value()) {
      DerivedProblem(absl::StrCat("account ", stream.id, ": the projection is missing"));
      rewrite = true;
    } else if (!stored_record.ParseFromString(*stored)) {
      DerivedProblem(absl::StrCat("account ", stream.id, ": the projection cannot be parsed"));
      rewrite = true;
    } else if (!google::protobuf::util::MessageDifferencer::Equals(stream.account_state,
                                                                   stored_record.account())) {
      DerivedProblem(
          absl::StrCat("account ", stream.id, ": the stored projection differs from its events"));
      rewrite = true;
    }
    if (Sha256(stored_record.password_hash()) != stream.password_commitment) {
      Problem(absl::StrCat("account ", stream.id,
                           ": the stored password hash is not the one its last AccountPasswordSet "
                           "event set (reset the password with rectify_admin)"));
    }
    if (rewrite && repair_target_ != nullptr) {
      v1::AccountRecord record;
      *record.mutable_account() = stream.account_state;
      record.set_password_hash(stored_record.password_hash());
      repair_.projection_puts.push_back(
          {v1::STREAM_KIND_ACCOUNT, stream.id, record.SerializeAsString()});
      ++projections_written;
      RETURN_IF_ERROR(Flush(/*force=*/false));
    }
    for (std::string& key : ProjectAccountKeys(stream.account_state)) {
      derived_index_.insert(std::move(key));
    }
    return absl::OkStatus();
  }

  // A responsible unit: its folded state against the stored projection, and
  // its index key. Rebuild rewrites the projection.
  absl::Status FinishUnit(const Stream& stream) {
    if (!stream.foldable) {
      ++list_streams;
      unknown_cases_.insert(stream.id);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     view_->GetProjection(v1::STREAM_KIND_UNIT, stream.id));
    bool rewrite = false;
    v1::Unit stored_unit;
    if (!stored.has_value()) {
      DerivedProblem(absl::StrCat("unit ", stream.id, ": the projection is missing"));
      rewrite = true;
    } else if (!stored_unit.ParseFromString(*stored)) {
      DerivedProblem(absl::StrCat("unit ", stream.id, ": the projection cannot be parsed"));
      rewrite = true;
    } else if (!google::protobuf::util::MessageDifferencer::Equals(stream.unit_state,
                                                                   stored_unit)) {
      DerivedProblem(
          absl::StrCat("unit ", stream.id, ": the stored projection differs from its events"));
      rewrite = true;
    }
    if (rewrite && repair_target_ != nullptr) {
      repair_.projection_puts.push_back(
          {v1::STREAM_KIND_UNIT, stream.id, stream.unit_state.SerializeAsString()});
      ++projections_written;
      RETURN_IF_ERROR(Flush(/*force=*/false));
    }
    for (std::string& key : ProjectUnitKeys(stream.unit_state)) {
      derived_index_.insert(std::move(key));
    }
    return absl::OkStatus();
  }

  // A 12369 complaint: its folded state against the stored projection, its
  // index and timer keys (complaint_keys.h). Rebuild rewrites the projection.
  absl::Status FinishComplaint(const Stream& stream) {
    if (!stream.foldable) {
      ++list_streams;
      unknown_cases_.insert(stream.id);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     view_->GetProjection(v1::STREAM_KIND_COMPLAINT, stream.id));
    bool rewrite = false;
    v1::Complaint stored_complaint;
    if (!stored.has_value()) {
      DerivedProblem(absl::StrCat("complaint ", stream.id, ": the projection is missing"));
      rewrite = true;
    } else if (!stored_complaint.ParseFromString(*stored)) {
      DerivedProblem(absl::StrCat("complaint ", stream.id, ": the projection cannot be parsed"));
      rewrite = true;
    } else if (!google::protobuf::util::MessageDifferencer::Equals(stream.complaint_state,
                                                                   stored_complaint)) {
      DerivedProblem(absl::StrCat("complaint ", stream.id,
                                  ": the stored projection differs from its events"));
      rewrite = true;
    }
    if (rewrite && repair_target_ != nullptr) {
      repair_.projection_puts.push_back(
          {v1::STREAM_KIND_COMPLAINT, stream.id, stream.complaint_state.SerializeAsString()});
      ++projections_written;
      RETURN_IF_ERROR(Flush(/*force=*/false));
    }
    ProjectedKeys keys = ProjectComplaintKeys(stream.complaint_state);
    for (std::string& key : keys.index_keys) derived_index_.insert(std::move(key));
    for (const storage::TimerKey& timer : keys.timers) derived_timers_.insert(ToTuple(timer));
    return absl::OkStatus();
  }

  // A penalty case: its folded state against the stored projection, and its
  // index and timer keys (the document numbers among them). Rebuild
  // rewrites the projection.
  absl::Status FinishPenalty(const Stream& stream) {
    if (!stream.foldable) {
      ++list_streams;
      unknown_cases_.insert(stream.id);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     view_->GetProjection(v1::STREAM_KIND_PENALTY, stream.id));
    bool rewrite = false;
    v1::PenaltyCase stored_penalty;
    if (!stored.has_value()) {
      DerivedProblem(absl::StrCat("penalty case ", stream.id, ": the projection is missing"));
      rewrite = true;
    } else if (!stored_penalty.ParseFromString(*stored)) {
      DerivedProblem(absl::StrCat("penalty case ", stream.id, ": the projection cannot be parsed"));
      rewrite = true;
    } else if (!google::protobuf::util::MessageDifferencer::Equals(stream.penalty_state,
                                                                   stored_penalty)) {
      DerivedProblem(absl::StrCat("penalty case ", stream.id,
                                  ": the stored projection differs from its events"));
      rewrite = true;
    }
    if (rewrite && repair_target_ != nullptr) {
      repair_.projection_puts.push_back(
          {v1::STREAM_KIND_PENALTY, stream.id, stream.penalty_state.SerializeAsString()});
      ++projections_written;
      RETURN_IF_ERROR(Flush(/*force=*/false));
    }
    ProjectedKeys keys = ProjectPenaltyKeys(stream.penalty_state);
    for (std::string& key : keys.index_keys) derived_index_.insert(std::move(key));
    for (const storage::TimerKey& timer : keys.timers) derived_timers_.insert(ToTuple(timer));
    return absl::OkStatus();
  }

  absl::Status CheckLog() {
    uint64_t expected = 1;
    RETURN_IF_ERROR(view_->ForEachLogEntry([&](const RocksEventStore::LogEntry& entry) {
      if (!entry.ok) {
        Problem(absl::StrCat("log: a malformed entry at position ", entry.position));
        if (entry.position >= expected) expected = entry.position + 1;
        return absl::OkStatus();
      }
      if (entry.position != expected) {
        Problem(absl::StrCat("log: positions ", expected, " to ", entry.position - 1,
                             " are missing (the log must be gap-free)"));
      }
      expected = entry.position + 1;
      ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                       view_->GetEvent(entry.stream_id, entry.version));
      const std::string name = EventName(entry.stream_id, entry.version);
      if (!bytes.has_value()) {
        Problem(absl::StrCat("log position ", entry.position, " points at ", name,
                             ", which does not exist"));
        return absl::OkStatus();
      }
      v1::Event event;
      // An unparsable event was reported by CheckEvents already.
      if (event.ParseFromString(*bytes) && event.position() != entry.position) {
        Problem(absl::StrCat("log position ", entry.position, " points at ", name,
                             ", which carries position ", event.position(),
                             " (an event is in the log twice)"));
      }
      return absl::OkStatus();
    }));
    return absl::OkStatus();
  }

  absl::Status CheckOrphanProjections(v1::StreamKind kind) {
    return view_->ForEachProjection(kind, [&](absl::string_view id, absl::string_view) {
      if (stream_ids_.contains(id)) return absl::OkStatus();
      DerivedProblem(absl::StrCat(kind == v1::STREAM_KIND_CASE      ? "case "
                                  : kind == v1::STREAM_KIND_ACCOUNT ? "account "
                                  : kind == v1::STREAM_KIND_UNIT    ? "unit "
                                  : kind == v1::STREAM_KIND_COMPLAINT ? "complaint "
                                  : kind == v1::STREAM_KIND_PENALTY ? "penalty case "
                                                                    : "list ", id,
                                  ": a projection without events"));
      if (repair_target_ != nullptr) {
        repair_.projection_deletes.push_back({kind, std::string(id), ""});
        ++projections_deleted;
        return Flush(/*force=*/false);
      }
      return absl::OkStatus();
    });
  }

  absl::Status CheckIndex() {
    RETURN_IF_ERROR(view_->ForEachIndexKey([&](absl::string_view key) {
      const std::string key_string(key);
      if (derived_index_.erase(key_string) > 0) return absl::OkStatus();
      if (unknown_cases_.contains(CaseIdOfIndexKey(key_string))) return absl::OkStatus();
      DerivedProblem(absl::StrCat("index: extra key \"", Printable(key),
                                  "\" (no case's state calls for it)"));
      if (repair_target_ != nullptr) {
        repair_.index_deletes.push_back(key_string);
        ++index_removed;
        return Flush(/*force=*/false);
      }
      return absl::OkStatus();
    }));
    std::vector<std::string> missing(derived_index_.begin(), derived_index_.end());
    std::sort(missing.begin(), missing.end());
    for (std::string& key : missing) {
      DerivedProblem(absl::StrCat("index: missing key \"", Printable(key), "\" of case ",
                                  CaseIdOfIndexKey(key)));
      if (repair_target_ != nullptr) {
        repair_.index_puts.push_back(std::move(key));
        ++index_added;
        RETURN_IF_ERROR(Flush(/*force=*/false));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckTimers() {
    RETURN_IF_ERROR(view_->ForEachTimer([&](const RocksEventStore::TimerEntry& entry) {
      if (!entry.ok) {
        DerivedProblem(absl::StrCat("timers: malformed key \"", Printable(entry.raw_key), "\""));
        return absl::OkStatus();
      }
      const TimerTuple tuple = ToTuple(entry.timer);
      if (derived_timers_.erase(tuple) > 0) return absl::OkStatus();
      if (unknown_cases_.contains(entry.timer.stream_id)) return absl::OkStatus();
      DerivedProblem(absl::StrCat(TimerName(tuple), ": extra (no open deadline calls for it)"));
      if (repair_target_ != nullptr) {
        repair_.timer_deletes.push_back(entry.timer);
        ++timers_removed;
        return Flush(/*force=*/false);
      }
      return absl::OkStatus();
    }));
    for (const TimerTuple& tuple : derived_timers_) {
      DerivedProblem(absl::StrCat(TimerName(tuple), ": missing (an open deadline calls for it)"));
      if (repair_target_ != nullptr) {
        repair_.timer_puts.push_back(FromTuple(tuple));
        ++timers_added;
        RETURN_IF_ERROR(Flush(/*force=*/false));
      }
    }
    return absl::OkStatus();
  }

  // The report counters and notice records against those the events call
  // for. A counter cell adds up many cases, so while any case
  // cannot be folded the reports cannot be judged (or rebuilt).
  absl::Status CheckReports() {
    if (!unknown_cases_.empty()) {
      DerivedProblem(absl::StrCat("reports: not checked, because ", unknown_cases_.size(),
                                  " streams cannot be folded"));
      return absl::OkStatus();
    }
    std::map<std::string, std::string> derived;
    for (const auto& [key, cell] : derived_reports_.merges) {
      std::string value = storage::EncodeCounterCell(cell);
      if (!value.empty()) derived.emplace(key, std::move(value));
    }
    for (auto& [key, value] : derived_reports_.puts) derived.emplace(key, std::move(value));
    derived_reports_ = ReportChanges();
    RETURN_IF_ERROR(view_->ForEachReportEntry([&](absl::string_view key, absl::string_view value) {
      const std::string key_string(key);
      auto wanted = derived.find(key_string);
      if (wanted != derived.end()) {
        if (wanted->second != value) {
          DerivedProblem(absl::StrCat("reports: \"", Printable(key),
                                      "\" differs from what the events call for"));
          if (repair_target_ != nullptr) {
            repair_.report_puts.push_back({key_string, wanted->second});
            ++reports_written;
          }
        }
        derived.erase(wanted);
      } else if (!value.empty()) {
        // An empty counter cell is one whose changes cancelled out.
        DerivedProblem(absl::StrCat("reports: extra key \"", Printable(key),
                                    "\" (no event calls for it)"));
        if (repair_target_ != nullptr) {
          repair_.report_deletes.push_back(key_string);
          ++reports_removed;
        }
      }
      return Flush(/*force=*/false);
    }));
    for (auto& [key, value] : derived) {
      DerivedProblem(absl::StrCat("reports: missing key \"", Printable(key), "\""));
      if (repair_target_ != nullptr) {
        repair_.report_puts.push_back({key, std::move(value)});
        ++reports_written;
        RETURN_IF_ERROR(Flush(/*force=*/false));
      }
    }
    return absl::OkStatus();
  }

  // Writes the gathered repair when it is big enough (or `force`). The
  // snapshot keeps the walk unaffected by these writes.
  absl::Status Flush(bool force) {
    if (repair_target_ == nullptr || repair_.empty()) return absl::OkStatus();
    if (!force && repair_.size() < kRepairChunk) return absl::OkStatus();
    RETURN_IF_ERROR(repair_target_->ApplyRepair(repair_));
    repair_ = storage::Repair();
    return absl::OkStatus();
  }

  const std::unique_ptr<RocksEventStore::View> view_;
  const int max_problems_;
  RocksEventStore* const repair_target_;
  // Progress of the walk over the events: every kProgressEvery events.
  static constexpr int64_t kProgressEvery = 1024;
  const Progress progress_;
  absl::flat_hash_set<std::string> stream_ids_;
  // Cases whose events cannot be folded: their keys are not judged.
  absl::flat_hash_set<std::string> unknown_cases_;
  // Keys the events call for and that have not been seen stored yet.
  absl::flat_hash_set<std::string> derived_index_;
  std::set<TimerTuple> derived_timers_;
  // The report writes the events call for, gathered as they are folded.
  ReportChanges derived_reports_;
  storage::Repair repair_;
};

}  // namespace

absl::StatusOr<VerifyReport> VerifyStore(const storage::RocksEventStore& store,
                                         const VerifyOptions& options) {
  Checker checker(store, options.max_problems, /*repair_target=*/nullptr, options.progress);
  RETURN_IF_ERROR(checker.Run());
  VerifyReport report;
  report.streams = checker.streams;
  report.events = checker.events;
  report.list_streams_not_folded = checker.list_streams;
  report.problem_count = checker.problem_count;
  report.problems = std::move(checker.problems);
  return report;
}

absl::StatusOr<RebuildReport> RebuildStore(
    storage::RocksEventStore& store,
    const std::function<void(int64_t done, int64_t total)>& progress) {
  Checker checker(store, /*max_problems=*/0, &store, progress);
  RETURN_IF_ERROR(checker.Run());
  RebuildReport report;
  report.streams = checker.streams;
  report.events = checker.events;
  report.projections_written = checker.projections_written;
  report.projections_deleted = checker.projections_deleted;
  report.index_keys_added = checker.index_added;
  report.index_keys_removed = checker.index_removed;
  report.timers_added = checker.timers_added;
  report.timers_removed = checker.timers_removed;
  report.report_keys_written = checker.reports_written;
  report.report_keys_removed = checker.reports_removed;
  report.unrepairable_count = checker.unrepairable_count;
  report.unrepairable = std::move(checker.unrepairable);
  return report;
}

}  // namespace rectify::projection
