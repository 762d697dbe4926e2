// The read side of CaseService: ListCases (answered from index keys),
// GetCaseHistory (a case's events, paged) and WatchEvents (the event feed).
//
// ListCases picks one driving index for the most selective filter present
// (projection/projector.h has the layout), scans it a round at a time, loads
// each candidate case and checks the remaining filters and the caller's
// access on it. Candidates come in case-id order from every index except the
// found/updated time indexes, which give (time, case id) order; the driving
// index depends only on the query, so the order is stable across pages.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "projection/projector.h"
#include "server/access.h"
#include "server/case_service.h"
#include "server/countdowns.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/rpc_interceptor.h"
#include "server/page_token.h"
#include "workflow/validation.h"
#include "base/proto_time.h"

namespace rectify::server {
namespace {

// What a ListCases page carries of a case: everything but its histories
// (progress reports, evidence, extension requests, deadlines, referrals,
// objections), which grow with the case; GetCase has them. A summary's size is
// bounded by the field limits of validation.h whatever the case has been
// through.
v1::Case Summarize(v1::Case state) {
  state.clear_progress_reports();
  state.clear_evidence();
  state.clear_extension_requests();
  state.clear_deadlines();
  state.clear_referrals();
  state.mutable_public_notice()->clear_objections();
  if (state.public_notice().ByteSizeLong() == 0) state.clear_public_notice();
  state.mutable_completion()->clear_evidence_ids();
  if (state.completion().ByteSizeLong() == 0) state.clear_completion();
  state.mutable_verification()->clear_evidence_ids();
  if (state.verification().ByteSizeLong() == 0) state.clear_verification();
  return state;
}

constexpr int kDefaultListPageSize = 50;
constexpr int kMaxListPageSize = 500;
constexpr int kDefaultHistoryPageSize = 100;
constexpr int kMaxHistoryPageSize = 1000;
// The most bytes of cases (or events) one ListCases (or GetCaseHistory) page
// carries: half of the server's default 8 MiB message limit, so that no page
// can exceed it; a page that would pass it ends early with a token. A page
// holds at least one case or event, and one case fits (the policy's
// max_case_bytes is 4 MiB too, and a listed case is a summary).
constexpr size_t kMaxPageBytes = size_t{4} << 20;
// Index keys read per prefix per round.
constexpr int kScanBatch = 256;
// The widest CaseFilter.due_within_working_days.
constexpr int kMaxDueWithinWorkingDays = 366;

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream output(&bytes);
  google::protobuf::io::CodedOutputStream coded(&output);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

absl::Status CheckPageSize(int page_size) {
  if (page_size < 0) return workflow::InvalidField("page_size", "must not be negative", "不能为负数");
  return absl::OkStatus();
}

absl::Status CheckTimestamp(const char* field, const google::protobuf::Timestamp& timestamp) {
  if (timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return workflow::InvalidField(field, "has nanos out of range", "不是有效的时间");
  }
  return absl::OkStatus();
}

template <typename Enum>
absl::Status CheckEnums(const char* field, const google::protobuf::RepeatedField<int>& values,
                        bool (*is_valid)(int)) {
  for (int value : values) {
    if (value == 0 || !is_valid(value)) {
      return workflow::InvalidField(
          field, absl::StrCat("holds ", value, ", which is not a value of ", field),
          absl::StrCat("含有无效的选项 ", value));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckFilter(const v1::CaseFilter& filter) {
  RETURN_IF_ERROR(CheckEnums<v1::CaseStatus>("filter.statuses", filter.statuses(),
                                             &v1::CaseStatus_IsValid));
  RETURN_IF_ERROR(CheckEnums<v1::Category>("filter.categories", filter.categories(),
                                           &v1::Category_IsValid));
  RETURN_IF_ERROR(CheckEnums<v1::CaseSource>("filter.sources", filter.sources(),
                                             &v1::CaseSource_IsValid));
  RETURN_IF_ERROR(workflow::CheckId("filter.responsible_unit", filter.responsible_unit(), false));
  RETURN_IF_ERROR(workflow::CheckId("filter.list_id", filter.list_id(), false));
  RETURN_IF_ERROR(CheckTimestamp("filter.found_from", filter.found_from()));
  RETURN_IF_ERROR(CheckTimestamp("filter.found_to", filter.found_to()));
  RETURN_IF_ERROR(CheckTimestamp("filter.updated_from", filter.updated_from()));
  RETURN_IF_ERROR(CheckTimestamp("filter.updated_to", filter.updated_to()));
  if (filter.due_within_working_days() < 0 ||
      filter.due_within_working_days() > kMaxDueWithinWorkingDays) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat("filter.due_within_working_days must be 0 to ",
                                                kMaxDueWithinWorkingDays, ", got ",
                                                filter.due_within_working_days())),
        absl::StrCat("到期工作日数须为 0 至 ", kMaxDueWithinWorkingDays),
        "filter.due_within_working_days");
  }
  if (filter.has_found_from() && filter.has_found_to() &&
      ToTime(filter.found_to()) <= ToTime(filter.found_from())) {
    return workflow::InvalidField("filter.found_to", "must be after filter.found_from",
                                  "须晚于发现时间（起）");
  }
  if (filter.has_updated_from() && filter.has_updated_to() &&
      ToTime(filter.updated_to()) <= ToTime(filter.updated_from())) {
    return workflow::InvalidField("filter.updated_to", "must be after filter.updated_from",
                                  "须晚于更新时间（起）");
  }
  return absl::OkStatus();
}

bool InRange(const google::protobuf::Timestamp& value, const google::protobuf::Timestamp* from,
             const google::protobuf::Timestamp* to) {
  const absl::Time time = ToTime(value);
  if (from != nullptr && time < ToTime(*from)) return false;
  if (to != nullptr && time >= ToTime(*to)) return false;
  return true;
}

template <typename Values>
bool Contains(const Values& values, int value) {
  return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

// Whether `state` passes every filter (the driving one included, so that an
// index key and its case can never disagree on the answer).
bool Matches(const v1::CaseFilter& filter, const std::string& region, const v1::Case& state) {
  if (!Contains(filter.statuses(), state.status())) return false;
  if (!Contains(filter.categories(), state.category())) return false;
  if (!Contains(filter.sources(), state.source())) return false;
  if (!absl::StartsWith(state.location().region_code(), region)) return false;
  if (!filter.responsible_unit().empty() && state.responsible_unit() != filter.responsible_unit()) {
    return false;
  }
  if (filter.overdue_only() && !state.overdue()) return false;
  if (filter.with_referrals() && state.referrals_size() == 0) return false;
  if (!filter.list_id().empty() && std::find(state.list_ids().begin(), state.list_ids().end(),
                                             filter.list_id()) == state.list_ids().end()) {
    return false;
  }
  if ((filter.has_found_from() || filter.has_found_to()) &&
      !InRange(state.found_at(), filter.has_found_from() ? &filter.found_from() : nullptr,
               filter.has_found_to() ? &filter.found_to() : nullptr)) {
    return false;
  }
  if ((filter.has_updated_from() || filter.has_updated_to()) &&
      !InRange(state.updated_at(), filter.has_updated_from() ? &filter.updated_from() : nullptr,
               filter.has_updated_to() ? &filter.updated_to() : nullptr)) {
    return false;
  }
  return true;
}

// Whether `state` is the caller's own work (CaseFilter.my_work): an
// inspector's is what they reported and what awaits on-site verification; a
// responsible unit's is its unit's cases, which are all it lists.
bool IsOwnWork(const v1::Principal& principal, const v1::Case& state) {
  if (principal.role() != v1::ROLE_INSPECTOR) return true;
  return state.reported_by().principal_id() == principal.principal_id() ||
         state.completion_pending();
}

// The index a query is answered from.
struct Driver {
  // Case-id order: one prefix per value of the driving filter; each key is
  // the prefix followed by the case id.
  std::vector<std::string> prefixes;
  // Time order (when `time_prefix` is set): keys between the bounds.
  std::string time_prefix;
  std::string time_lower;  // keys sort after this
  std::string time_upper;  // keys sort before this; empty for no bound
};

// `region` is the query's region scope (the filter's region prefix narrowed
// to the caller's jurisdiction).
Driver ChooseDriver(const v1::Principal& principal, const v1::CaseFilter& filter,
                    const std::string& region) {
  Driver driver;
  // A township (or village) scope reads the township indexes: case ids only
  // name the county, so the county-wide indexes would load every case of
  // the county's other townships to drop it.
  const std::string township = region.size() >= projection::kTownshipDigits
                                   ? region.substr(0, projection::kTownshipDigits)
                                   : std::string();
  auto time_driver = [&](const std::string& prefix, const google::protobuf::Timestamp* from,
                         const google::protobuf::Timestamp* to) {
    driver.time_prefix = prefix;
    driver.time_lower = from != nullptr ? prefix + projection::TimeKeyPart(ToTime(*from))
                                        : prefix;
    if (to != nullptr) driver.time_upper = prefix + projection::TimeKeyPart(ToTime(*to));
  };
  // Most selective first: a list, a unit, the overdue, a time window, then
  // the enums, then everything in scope.
  if (!filter.list_id().empty()) {
    driver.prefixes.push_back(projection::ListPrefix(filter.list_id()));
  } else if (principal.role() == v1::ROLE_RECTIFIER) {
    driver.prefixes.push_back(projection::UnitPrefix(principal.unit_id()));
  } else if (!filter.responsible_unit().empty()) {
    driver.prefixes.push_back(projection::UnitPrefix(filter.responsible_unit()));
  } else if (principal.role() == v1::ROLE_POLICE) {
    driver.prefixes.push_back(projection::PoliceUnitPrefix(principal.unit_id()));
  } else if (filter.overdue_only()) {
    driver.prefixes.push_back(projection::OverduePrefix());
  } else if (filter.has_found_from() || filter.has_found_to()) {
    time_driver(projection::FoundAtPrefix(),
                filter.has_found_from() ? &filter.found_from() : nullptr,
                filter.has_found_to() ? &filter.found_to() : nullptr);
  } else if (filter.has_updated_from() || filter.has_updated_to()) {
    time_driver(projection::UpdatedAtPrefix(),
                filter.has_updated_from() ? &filter.updated_from() : nullptr,
                filter.has_updated_to() ? &filter.updated_to() : nullptr);
  } else if (!filter.statuses().empty()) {
    for (int status : std::set<int>(filter.statuses().begin(), filter.statuses().end())) {
      const auto case_status = static_cast<v1::CaseStatus>(status);
      driver.prefixes.push_back(township.empty()
                                    ? projection::StatusPrefix(case_status)
                                    : projection::TownshipStatusPrefix(case_status, township));
    }
  } else if (!filter.sources().empty()) {
    for (int source : std::set<int>(filter.sources().begin(), filter.sources().end())) {
      driver.prefixes.push_back(projection::SourcePrefix(static_cast<v1::CaseSource>(source)));
    }
  } else if (!filter.categories().empty()) {
    for (int category : std::set<int>(filter.categories().begin(), filter.categories().end())) {
      driver.prefixes.push_back(projection::CategoryPrefix(static_cast<v1::Category>(category)));
    }
  } else if (principal.role() == v1::ROLE_PROCURATOR) {
    // A procuratorate reads only cases with a referral sent, which this
    // index holds (with_referrals included: what it may read was sent).
    driver.prefixes.push_back(projection::ReferredPrefix());
  } else {
    driver.prefixes.push_back(township.empty() ? projection::AllCasesPrefix()
                                               : projection::TownshipPrefix(township));
  }
  return driver;
}

// The case id prefix of cases in `region`: case ids start with the 6-digit
// county code, then '-'.
std::string CaseIdScope(const std::string& region) {
  return region.size() >= 6 ? region.substr(0, 6) + "-" : region;
}

}  // namespace

absl::Status CaseServiceImpl::ListCasesFor(const v1::Principal& principal,
                                           const v1::ListCasesRequest& request,
                                           v1::ListCasesResponse& response) {
  const v1::CaseFilter& filter = request.filter();
  RETURN_IF_ERROR(CheckPageSize(request.page_size()));
  RETURN_IF_ERROR(CheckFilter(filter));
  if (principal.role() == v1::ROLE_ADMIN) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(principal.principal_id(), " is an ADMIN, who does not read case content"),
                  "系统管理员不能查看案件内容");
  }
  if (filter.my_work() && principal.role() != v1::ROLE_INSPECTOR &&
      principal.role() != v1::ROLE_RECTIFIER) {
    return Refuse(absl::StatusCode::kInvalidArgument,
                  "filter.my_work applies to inspectors and responsible units only",
                  "只有执法人员和整改责任单位有“我的待办”");
  }
  ASSIGN_OR_RETURN(const std::string region,
                   ScopeRegion(principal, filter.region_prefix(), "filter.region_prefix"));
  const uint64_t fingerprint =
      QueryFingerprint({"ListCases", principal.principal_id(), DeterministicBytes(filter)});
  ASSIGN_OR_RETURN(std::string resume, DecodePageToken(request.page_token(), fingerprint));
  const int page_size = request.page_size() == 0
                            ? kDefaultListPageSize
                            : std::min(request.page_size(), kMaxListPageSize);
  // A query whose driving index matches much more than its other filters
  // returns a short page (with a token) rather than reading without bound.
  const int budget = std::max(1000, 10 * page_size);
  const std::string scope = CaseIdScope(region);
  const Driver driver = ChooseDriver(principal, filter, region);
  // One instant for the whole page: its countdowns and the due-within
  // filter agree.
  const absl::Time now = pipeline_.clock().Now();
  *response.mutable_as_of() = ToProto(now);
  const workflow::Calendar& calendar = *pipeline_.policy().calendar;
  int examined = 0;
  size_t page_bytes = 0;
  // kFull when the page is full with this case; kNoRoom when the case does
  // not fit in the page's bytes (it was not added: the token resumes before
  // it).
  enum class Added { kNo, kYes, kFull, kNoRoom };
  auto consider = [&](const std::string& case_id) -> absl::StatusOr<Added> {
    ++examined;
    if (!absl::StartsWith(case_id, scope)) return Added::kNo;
    absl::StatusOr<v1::Case> state = store_.GetCase(case_id);
    if (absl::IsNotFound(state.status())) return Added::kNo;
    if (!state.ok()) return state.status();
    if (!Matches(filter, region, *state) || (filter.my_work() && !IsOwnWork(principal, *state)) ||
        !CheckCanRead(principal, *state).ok()) {
      return Added::kNo;
    }
    v1::Case visible = RedactForReader(principal, *std::move(state));
    // Counted on what the caller may see of the case.
    const std::vector<v1::DeadlineCountdown> countdowns =
        RunningCountdowns(calendar, now, visible);
    if (filter.due_within_working_days() > 0 &&
        !DueWithin(countdowns, filter.due_within_working_days())) {
      return Added::kNo;
    }
    v1::Case listed = Summarize(std::move(visible));
    // Lists never carry personal data, whoever asks.
    listed.clear_complainant();
    std::optional<v1::DeadlineCountdown> pressing = MostPressing(countdowns);
    const size_t bytes = listed.ByteSizeLong() + (pressing ? pressing->ByteSizeLong() : 0);
    if (response.cases_size() > 0 && page_bytes + bytes > kMaxPageBytes) return Added::kNoRoom;
    page_bytes += bytes;
    *response.add_cases() = std::move(listed);
    if (pressing) *response.add_countdowns() = *std::move(pressing);
    return response.cases_size() >= page_size ? Added::kFull : Added::kYes;
  };

  if (!driver.time_prefix.empty()) {
    std::string after = resume.empty() ? driver.time_lower : resume;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<std::string> keys,
                       store_.ScanIndex(driver.time_prefix, after, kScanBatch));
      for (const std::string& key : keys) {
        if (!driver.time_upper.empty() && key >= driver.time_upper) return absl::OkStatus();
        ASSIGN_OR_RETURN(Added added, consider(projection::CaseIdOfIndexKey(key)));
        if (added == Added::kNoRoom) {
          response.set_next_page_token(EncodePageToken(after, fingerprint));
          return absl::OkStatus();
        }
        after = key;
        if (added == Added::kFull || examined >= budget) {
          response.set_next_page_token(EncodePageToken(key, fingerprint));
          return absl::OkStatus();
        }
      }
      if (keys.size() < static_cast<size_t>(kScanBatch)) return absl::OkStatus();
    }
  }

  // Case-id order: merge the prefixes' keys round by round. Each round reads
  // up to kScanBatch ids per prefix after the cursor; every id up to the
  // smallest "last id read" of the prefixes that had more is complete.
  std::string cursor = resume;
  while (true) {
    std::set<std::string> candidates;
    std::string frontier;  // empty: every prefix is exhausted
    bool bounded = false;
    for (const std::string& prefix : driver.prefixes) {
      const std::string scan_prefix = prefix + scope;
      const std::string start_after = cursor.empty() ? std::string() : prefix + cursor;
      ASSIGN_OR_RETURN(std::vector<std::string> keys,
                       store_.ScanIndex(scan_prefix, start_after, kScanBatch));
      for (const std::string& key : keys) candidates.insert(key.substr(prefix.size()));
      if (keys.size() == static_cast<size_t>(kScanBatch)) {
        const std::string last = keys.back().substr(prefix.size());
        if (!bounded || last < frontier) frontier = last;
        bounded = true;
      }
    }
    for (const std::string& case_id : candidates) {
      if (bounded && case_id > frontier) break;
      ASSIGN_OR_RETURN(Added added, consider(case_id));
      if (added == Added::kNoRoom) {
        // The page holds a case already, so the cursor is past the resume point.
        response.set_next_page_token(EncodePageToken(cursor, fingerprint));
        return absl::OkStatus();
      }
      cursor = case_id;
      if (added == Added::kFull || examined >= budget) {
        const bool more = bounded || case_id != *candidates.rbegin();
        if (more) response.set_next_page_token(EncodePageToken(case_id, fingerprint));
        return absl::OkStatus();
      }
    }
    if (!bounded) return absl::OkStatus();
    cursor = frontier;
  }
}

grpc::ServerUnaryReactor* CaseServiceImpl::ListCases(grpc::CallbackServerContext* context,
                                                     const v1::ListCasesRequest* request,
                                                     v1::ListCasesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    return ListCasesFor(principal, *request, *response);
  }();
  if (!status.ok()) {
    response->Clear();
    if (absl::IsInternal(status) || absl::IsDataLoss(status)) {
      Log(LogLevel::kError, {{"method", "ListCases"},
                             {"status", status.ToString()},
                             {"request_id", RequestIdOf(*context)}});
    }
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* CaseServiceImpl::GetCaseHistory(
    grpc::CallbackServerContext* context, const v1::GetCaseHistoryRequest* request,
    v1::GetCaseHistoryResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    RETURN_IF_ERROR(workflow::CheckCaseIdFormat("case_id", request->case_id()));
    RETURN_IF_ERROR(CheckPageSize(request->page_size()));
    RETURN_IF_ERROR(CheckCaseIdInScope(principal, request->case_id()));
    const uint64_t fingerprint =
        QueryFingerprint({"GetCaseHistory", principal.principal_id(), request->case_id()});
    ASSIGN_OR_RETURN(std::string resume, DecodePageToken(request->page_token(), fingerprint));
    int64_t from_version = 1;
    if (!resume.empty() && (!absl::SimpleAtoi(resume, &from_version) || from_version < 1)) {
      return workflow::InvalidField("page_token", "is not a token this server made",
                                    "无效，请从第一页重新查询");
    }
    ASSIGN_OR_RETURN(v1::Case state, VisibleCase(principal, request->case_id(),
                                                 store_.GetCase(request->case_id())));
    const int page_size = request->page_size() == 0
                              ? kDefaultHistoryPageSize
                              : std::min(request->page_size(), kMaxHistoryPageSize);
    ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                     store_.ReadStream(request->case_id(), from_version, page_size + 1));
    size_t page_bytes = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      ASSIGN_OR_RETURN(v1::Event event, EventForReader(principal, std::move(events[i]), store_));
      const size_t bytes = event.ByteSizeLong();
      // A full page, or one whose bytes would pass the bound, ends here.
      if (i == static_cast<size_t>(page_size) ||
          (i > 0 && page_bytes + bytes > kMaxPageBytes)) {
        response->set_next_page_token(EncodePageToken(std::to_string(event.version()), fingerprint));
        break;
      }
      page_bytes += bytes;
      *response->add_events() = std::move(event);
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    response->Clear();
    if (absl::IsInternal(status) || absl::IsDataLoss(status)) {
      Log(LogLevel::kError, {{"method", "GetCaseHistory"},
                             {"status", status.ToString()},
                             {"request_id", RequestIdOf(*context)}});
    }
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerWriteReactor<v1::WatchEventsResponse>* CaseServiceImpl::WatchEvents(
    grpc::CallbackServerContext* context, const v1::WatchEventsRequest* request) {
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  if (!principal.ok()) return FinishedWatch(ToGrpcStatus(principal.status()));
  if (feed_ == nullptr) {
    return FinishedWatch(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                      "this server has no event feed"));
  }
  absl::StatusOr<WatchSpec> spec = MakeWatchSpec(*principal, *request);
  if (!spec.ok()) return FinishedWatch(ToGrpcStatus(spec.status()));
  spec->still_valid = principals_.StillValid(*context);
  return feed_->Watch(*std::move(spec));
}

}  // namespace rectify::server
