// Idempotency in the pipeline (see pipeline.h): the idempotency record's
// two formats (EncodeOutcome, DecodeOutcome, EncodeLegacyOutcome), the
// command fingerprint that tells a retry from a reused command_id, and
// CommandPipeline::Replay, which rebuilds a retried command's answer from
// the stream its record names.
#include "server/pipeline.h"


#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "projection/complaint_keys.h"
#include "projection/projector.h"
#include "projection/reports.h"
#include "server/access.h"
#include "server/log.h"
#include "storage/personal_data.h"
#include "workflow/accounts.h"
#include "workflow/complaints.h"
#include "workflow/penalties.h"
#include "workflow/units.h"
#include "workflow/decider.h"
#include "workflow/lists.h"
#include "workflow/numbering.h"
#include "workflow/validation.h"

namespace rectify::server {

namespace {

void AppendBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

uint64_t ReadBigEndian64(absl::string_view data) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(data[i]);
  return value;
}

}  // namespace

std::string CommandFingerprint(const v1::Command& command) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    command.SerializeToCodedStream(&coded);
  }
  return Sha256(bytes);
}

std::string EncodeOutcome(const std::string& fingerprint, uint64_t position,
                          v1::StreamKind kind, const std::string& stream_id, int64_t version) {
  std::string bytes = fingerprint;
  AppendBigEndian64(bytes, position);
  bytes.push_back('\0');
  bytes.push_back(static_cast<char>(kind));
  AppendBigEndian64(bytes, static_cast<uint64_t>(version));
  bytes.append(stream_id);
  return bytes;
}

std::string EncodeLegacyOutcome(const std::string& fingerprint, const CommandOutcome& outcome,
                                v1::StreamKind kind) {
  std::string bytes = fingerprint;
  AppendBigEndian64(bytes, outcome.position);
  if (kind == v1::STREAM_KIND_RECTIFICATION_LIST) {
    outcome.list.AppendToString(&bytes);
  } else if (kind == v1::STREAM_KIND_ACCOUNT) {
    outcome.account.AppendToString(&bytes);
  } else {
    outcome.state.AppendToString(&bytes);
  }
  return bytes;
}

absl::StatusOr<StoredOutcome> DecodeOutcome(absl::string_view bytes, v1::StreamKind kind) {
  if (bytes.size() < 41) return absl::DataLossError("a stored command outcome is truncated");
  StoredOutcome stored;
  stored.fingerprint = std::string(bytes.substr(0, 32));
  stored.position = ReadBigEndian64(bytes.substr(32, 8));
  if (bytes[40] == '\0') {
    if (bytes.size() < 50) return absl::DataLossError("a stored command outcome is truncated");
    const int kind_number = static_cast<unsigned char>(bytes[41]);
    if (kind_number != v1::STREAM_KIND_CASE && kind_number != v1::STREAM_KIND_RECTIFICATION_LIST &&
        kind_number != v1::STREAM_KIND_UNIT && kind_number != v1::STREAM_KIND_PENALTY &&
        kind_number != v1::STREAM_KIND_COMPLAINT) {
      return absl::DataLossError(
          absl::StrCat("a stored command outcome names an unknown stream kind ", kind_number));
    }
    stored.kind = static_cast<v1::StreamKind>(kind_number);
    stored.version = static_cast<int64_t>(ReadBigEndian64(bytes.substr(42, 8)));
    stored.stream_id = std::string(bytes.substr(50));
    return stored;
  }
  // Format 0: the whole case (or list) after the command.
  CommandOutcome legacy;
  legacy.position = stored.position;
  const absl::string_view state = bytes.substr(40);
  const int size = static_cast<int>(state.size());
  const bool parsed =
      kind == v1::STREAM_KIND_RECTIFICATION_LIST ? legacy.list.ParseFromArray(state.data(), size)
      : kind == v1::STREAM_KIND_ACCOUNT          ? legacy.account.ParseFromArray(state.data(), size)
                                                 : legacy.state.ParseFromArray(state.data(), size);
  if (!parsed) {
    return absl::DataLossError("a stored command outcome cannot be parsed");
  }
  stored.kind = kind;
  if (kind == v1::STREAM_KIND_RECTIFICATION_LIST) {
    stored.stream_id = legacy.list.list_id();
    stored.version = legacy.list.version();
  } else if (kind == v1::STREAM_KIND_ACCOUNT) {
    stored.stream_id = legacy.account.account_name();
    stored.version = legacy.account.version();
  } else {
    stored.stream_id = legacy.state.case_id();
    stored.version = legacy.state.version();
  }
  stored.legacy = std::move(legacy);
  return stored;
}

absl::StatusOr<CommandOutcome> CommandPipeline::Replay(const Pending& pending,
                                                       const StoredOutcome& stored) {
  const v1::Principal& principal = pending.principal;
  // Account commands still write format-0 records (an account is small and
  // no principal can grow it); they answer from the copy, as before.
  if (stored.kind == v1::STREAM_KIND_ACCOUNT) {
    if (stored.legacy.has_value()) return *stored.legacy;
    return absl::DataLossError("an account command's idempotency record has no account");
  }
  CommandOutcome outcome;
  outcome.position = stored.position;
  // Events 1..stored.version of the stream, in pages.
  auto fold = [&](auto& state, auto evolve) -> absl::Status {
    constexpr int kPage = 1000;
    for (int64_t from = 1; from <= stored.version; from += kPage) {
      const int limit = static_cast<int>(std::min<int64_t>(kPage, stored.version - from + 1));
      ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                       store_.ReadStream(stored.stream_id, from, limit));
      if (events.size() != static_cast<size_t>(limit)) {
        return absl::DataLossError(absl::StrCat("stream ", stored.stream_id,
                                                " is shorter than its idempotency record says"));
      }
      for (v1::Event& event : events) {
        // Folded as it was decided: with its personal data (the reply is
        // redacted for the caller afterwards).
        RETURN_IF_ERROR(storage::OpenFromStore(store_, event));
        RETURN_IF_ERROR(evolve(state, event));
      }
    }
    return absl::OkStatus();
  };
  if (stored.kind == v1::STREAM_KIND_PENALTY) {
    ASSIGN_OR_RETURN(std::string bytes,
                     store_.GetProjection(v1::STREAM_KIND_PENALTY, stored.stream_id));
    v1::PenaltyCase penalty;
    if (!penalty.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(stored.stream_id, ": the projection is corrupt"));
    }
    if (principal.role() != v1::ROLE_SYSTEM) {
      RETURN_IF_ERROR(workflow::CheckCanReadPenalty(principal, penalty));
    }
    if (penalty.version() != stored.version) {
      penalty.Clear();
      RETURN_IF_ERROR(fold(penalty, [](v1::PenaltyCase& state, const v1::Event& event) {
        return workflow::EvolvePenalty(state, event);
      }));
    }
    outcome.penalty = std::move(penalty);
    return outcome;
  }
  if (stored.kind == v1::STREAM_KIND_UNIT) {
    ASSIGN_OR_RETURN(std::string bytes, store_.GetProjection(v1::STREAM_KIND_UNIT, stored.stream_id));
    v1::Unit unit;
    if (!unit.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(stored.stream_id, ": the projection is corrupt"));
    }
    if (unit.version() != stored.version) {
      unit.Clear();
      RETURN_IF_ERROR(fold(unit, [](v1::Unit& state, const v1::Event& event) {
        return workflow::EvolveUnit(state, event);
      }));
    }
    outcome.unit = std::move(unit);
    return outcome;
  }
  if (stored.kind == v1::STREAM_KIND_COMPLAINT) {
    ASSIGN_OR_RETURN(std::string bytes,
                     store_.GetProjection(v1::STREAM_KIND_COMPLAINT, stored.stream_id));
    v1::Complaint complaint;
    if (!complaint.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(stored.stream_id, ": the projection is corrupt"));
    }
    if (principal.role() != v1::ROLE_SYSTEM &&
        !workflow::MayReadComplaint(principal, workflow::ComplaintRegion(complaint))) {
      return workflow::ComplaintNotVisible(principal, stored.stream_id);
    }
    if (complaint.version() != stored.version) {
      complaint.Clear();
      RETURN_IF_ERROR(fold(complaint, [](v1::Complaint& state, const v1::Event& event) {
        return workflow::EvolveComplaint(state, event);
      }));
    }
    // OpenCaseFromComplaint answers with the case it opened as well.
    if (pending.command.has_open_case_from_complaint() && complaint.links_size() > 0) {
      absl::StatusOr<v1::Case> opened =
          store_.GetCase(complaint.links(complaint.links_size() - 1).case_id());
      if (opened.ok()) outcome.state = *std::move(opened);
    }
    outcome.complaint = std::move(complaint);
    return outcome;
  }
  if (stored.kind == v1::STREAM_KIND_RECTIFICATION_LIST) {
    ASSIGN_OR_RETURN(std::string bytes,
                     store_.GetProjection(v1::STREAM_KIND_RECTIFICATION_LIST, stored.stream_id));
    v1::RectificationList list;
    if (!list.ParseFromString(bytes)) {
      return absl::DataLossError(
          absl::StrCat("list ", stored.stream_id, ": the projection is corrupt"));
    }
    RETURN_IF_ERROR(CheckCanReadList(principal, list));
    if (stored.legacy.has_value()) return *stored.legacy;
    if (list.version() != stored.version) {
      list.Clear();
      RETURN_IF_ERROR(fold(list, [](v1::RectificationList& state, const v1::Event& event) {
        return workflow::EvolveList(state, event);
      }));
    }
    outcome.list = std::move(list);
    return outcome;
  }
  absl::StatusOr<v1::Case> current = store_.GetCase(stored.stream_id);
  if (principal.role() != v1::ROLE_SYSTEM) {
    current = VisibleCase(principal, stored.stream_id, std::move(current));
  }
  if (!current.ok()) return current.status();
  if (stored.legacy.has_value()) return *stored.legacy;
  if (current->version() == stored.version) {
    outcome.state = *std::move(current);
  } else {
    RETURN_IF_ERROR(fold(outcome.state, [](v1::Case& state, const v1::Event& event) {
      return workflow::Evolve(state, event);
    }));
  }
  return outcome;
}

}  // namespace rectify::server
