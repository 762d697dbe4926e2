// rectifyctl: the command line for Rectify's users, one subcommand per RPC.
//
//   export RECTIFY_TOKEN=demo-inspector
//   rectifyctl report --title=砂石料场扬尘 --category=air --severity=medium
//       --source=inspection --region=620722 --address=洪水镇北滩村
//   rectifyctl get 620722-2026-000001
//   rectifyctl --json get 620722-2026-000001
//   rectifyctl --offline assign local:1 --responsible_unit=minle-hongshui-town
//   rectifyctl sync
//
// Every case subcommand but `report` takes the request's own field names as
// flags (request_flags.h) and the ids as arguments; see docs/rectifyctl.md.
//
// Exit codes: 0 done; 2 bad usage or bad input (also when the server says
// INVALID_ARGUMENT); 3 refused by the server (its message is printed);
// 4 the server cannot be reached.
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <type_traits>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/dates.h"
#include "base/progress.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "client/case_format.h"
#include "client/client_config.h"
#include "client/command_line.h"
#include "client/commands.h"
#include "client/complaint_commands.h"
#include "client/complaint_csv.h"
#include "client/display_width.h"
#include "client/file_names.h"
#include "client/outbox.h"
#include "client/penalty_calls.h"
#include "client/penalty_format.h"
#include "client/rectify_client.h"
#include "client/report_html.h"
#include "client/request_flags.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "rectify/v1/command.pb.h"

namespace rectify::client {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitRefused = 3;
constexpr int kExitUnreachable = 4;

constexpr char kUsage[] =
    R"(rectifyctl: the command line of Rectify, environmental case work.

Usage: rectifyctl [GLOBAL FLAGS] COMMAND [ARGS] [FLAGS]
       rectifyctl COMMAND --help

Global flags:
  --server=HOST:PORT  the server (default $RECTIFY_SERVER, the config file, else 127.0.0.1:50051)
  --token=TOKEN       your bearer token (default $RECTIFY_TOKEN, else the config file)
  --config=PATH       config file (default $RECTIFY_CONFIG, else ~/.config/rectify/config)
  --tls               use TLS (implied by --tls_ca)
  --tls_ca=PEM        CA certificates that verify the server
  --tls_cert=PEM --tls_key=PEM   a client certificate, when the server asks for one
  --timeout=SECONDS   deadline of one attempt of a call (default 10; retries of
                      UNAVAILABLE/DEADLINE_EXCEEDED back off up to 30 s in all)
  --json              print replies as JSON instead of tables
  --offline           record a case command in the outbox instead of sending it
  --client_dir=DIR    the outbox's directory (default ~/.local/share/rectify)
  --dry_run           print the request as JSON and send nothing
  --ids               tables show unit ids instead of the units' names
  --progress=MODE     sync, list export, evidence upload|download: auto (a bar
                      on a terminal, plain lines otherwise), bar, lines, none;
                      on standard error

Case work:
  report, assign, reassign, start, progress, extend, decide-extension, submit,
  verify, object, close, close-unfounded, reopen
Referrals:
  referral propose|approve|refuse|send|receive|extend-review|approve-review|decide|
           reconsider|decide-reconsideration|supervise|explain|withdraw
Reading:
  get, list, history, watch, evidence upload|download
Supervision:
  lists, list-create, list-add, list-remove, list-close, list-show, list export,
  notices, monthly-report
Penalty cases (处罚案件):
  penalty open|decide-filing|extend-filing|investigate|notify|hearing-request|
          hearing-schedule|hearing-record|extend-decision|decide|serve|pay|remedy|
          decide-remedy|execute|publish|order|serve-order|recheck|close
  penalty list|show|history|export
Responsible units (责任单位):
  units, unit-show, unit-create, unit-update, unit-retire, unit-reactivate, unit-history,
  import-units
12369 complaints (信访件):
  complaints, complaint show|history|receive|accept|transfer|open-case|attach|
  close-unfounded|extend|reply|review-request|review-answer|callback, import-complaints
Offline outbox:
  sync, outbox

Exit codes: 0 done, 2 bad usage or input, 3 refused by the server, 4 server unreachable.
)";

constexpr char kReportUsage[] =
    R"(Usage: rectifyctl report --title=TEXT --category=C --severity=S --source=SRC --region=CODE [FLAGS]

Reports a new case (FOUND). The server assigns its id, e.g. 620722-2026-000123.

Required:
  --title=TEXT          short title, at most 200 characters
  --category=C          air | water | soil | solid_waste | noise | ecology | radiation | other
  --severity=S          low | medium | high | critical
  --source=SRC          inspection | hotline_12369 | central_inspection |
                        provincial_inspection | monitoring | media | self_found
  --region=CODE         GB/T 2260 region code, e.g. 620722 (Minle County)
Optional:
  --description=TEXT    what was found
  --source_ref=REF      the source's reference number (hotline ticket, ...)
  --address=TEXT        where
  --lat=DEG --lon=DEG   coordinates (WGS-84)
  --subject=NAME        the regulated enterprise or person
  --credit_code=CODE    its unified social credit code (18 characters)
  --complainant=NAME    hotline complainant (personal data)
  --phone=NUMBER        complainant's phone (personal data)
  --found_at=TIME       when found, RFC 3339 (2026-11-28T09:30:00+08:00); default now
  --occurred_at=TIME    when the report was made (e.g. offline), RFC 3339; default now
  --tag=TAG             a tag; repeat for more
  --command_id=ID       your id for this command, for safe retries; default random
)";


enum class Kind {
  kMutate,
  kReport,
  kGet,
  kList,
  kHistory,
  kWatch,
  kUpload,
  kDownload,
  kLists,
  kListMutate,
  kListShow,
  kListExport,
  kNotices,
  kMonthly,
  kSync,
  kOutbox,
  kUnits,
  kUnitMutate,
  kUnitShow,
  kUnitHistory,
  kImportUnits,
  // A ComplaintService call; command_field names the method.
  kComplaint,
  kImportComplaints,
  kPenaltyStep,
  kPenaltyShow,
  kPenaltyList,
  kPenaltyHistory,
  kPenaltyExport,
};

// One subcommand: its name, what it sends, and how its arguments and flags
// map onto the request's fields.
struct Spec {
  std::string name;
  Kind kind;
  std::string summary;
  // kMutate: the field of v1::Command that holds the request.
  // kComplaint: the ComplaintService method, e.g. "AcceptComplaint".
  std::string command_field;
  // Other kinds with a request: its type.
  const Message* prototype = nullptr;
  // Positional arguments: placeholder and field path ("" when the handler
  // takes it itself, e.g. a file name).
  std::vector<std::pair<std::string, std::string>> positionals;
  // Short flag names for field paths.
  std::map<std::string, std::string> aliases;
  // Flags of the handler itself: "name=HINT" and a line of help.
  std::vector<std::pair<std::string, std::string>> extra_flags;
  // Money flags in yuan (an extra flag "name=YUAN") and the fen field each
  // sets, e.g. {"fine", "terms.fine_fen"}.
  std::map<std::string, std::string> money;

  Spec(std::string name, Kind kind, std::string summary, std::string command_field,
       const Message* prototype = nullptr,
       std::vector<std::pair<std::string, std::string>> positionals = {},
       std::map<std::string, std::string> aliases = {},
       std::vector<std::pair<std::string, std::string>> extra_flags = {},
       std::map<std::string, std::string> money = {})
      : name(std::move(name)),
        kind(kind),
        summary(std::move(summary)),
        command_field(std::move(command_field)),
        prototype(prototype),
        positionals(std::move(positionals)),
        aliases(std::move(aliases)),
        extra_flags(std::move(extra_flags)),
        money(std::move(money)) {}
};

const std::vector<std::pair<std::string, std::string>> kCase = {{"CASE_ID", "case_id"}};
const std::vector<std::pair<std::string, std::string>> kCaseReferral = {
    {"CASE_ID", "case_id"}, {"REFERRAL_ID", "referral_id"}};

const std::vector<std::pair<std::string, std::string>> kPenalty = {
    {"PENALTY_CASE_ID", "penalty_case_id"}};
const std::vector<std::pair<std::string, std::string>> kPenaltyDecision = {
    {"PENALTY_CASE_ID", "penalty_case_id"}, {"DECISION_ID", "decision_id"}};
const std::vector<std::pair<std::string, std::string>> kPenaltyOrder = {
    {"PENALTY_CASE_ID", "penalty_case_id"}, {"ORDER_ID", "order_id"}};
const std::pair<std::string, std::string> kYuanHelp = {
    "fine=YUAN", "the fine in yuan, e.g. 50000 or 1234.56 (sets the fen field exactly)"};

// Short flags of a unit's description (unit-create, unit-update).
const std::map<std::string, std::string> kUnitAliases = {
    {"name", "details.full_name"},
    {"short", "details.short_name"},
    {"kind", "details.kind"},
    {"region", "details.region_code"},
    {"credit_code", "details.unified_social_credit_code"},
    {"contact", "details.contact.name"},
    {"phone", "details.contact.phone"}};

// A complaint's id as the argument.
const std::vector<std::pair<std::string, std::string>> kComplaintId = {
    {"COMPLAINT_ID", "complaint_id"}};

// How the complainant was told of a step (accept, transfer, extend, reply).
const std::map<std::string, std::string> kNoticeAliases = {{"notice", "notice.channel"},
                                                           {"notice_note", "notice.note"}};

std::map<std::string, std::string> MergeAliases(std::map<std::string, std::string> a,
                                                const std::map<std::string, std::string>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

// Short flags of a received complaint's description.
const std::map<std::string, std::string> kReceiveAliases = {
    {"channel", "details.channel"},
    {"ticket", "details.ticket_number"},
    {"received_at", "details.received_at"},
    {"title", "details.title"},
    {"content", "details.content"},
    {"category", "details.category"},
    {"region", "details.location.region_code"},
    {"address", "details.location.address"},
    {"subject", "details.subject.name"},
    {"credit_code", "details.subject.unified_social_credit_code"},
    {"anonymous", "details.anonymous"},
    {"complainant", "details.complainant.name"},
    {"phone", "details.complainant.phone"}};

const std::vector<Spec>& Specs() {
  static const auto* specs = new std::vector<Spec>{
      {"report", Kind::kReport, "Reports a new case (FOUND).", "report_case"},
      {"assign", Kind::kMutate,
       "Assigns a FOUND case to a responsible unit with requirements and a deadline (交办). "
       "SUPERVISOR.",
       "assign_case", nullptr, kCase,
       {{"unit", "responsible_unit"}, {"due", "rectification_due_at"}}},
      {"reassign", Kind::kMutate, "Moves an ASSIGNED case to another unit. SUPERVISOR.",
       "reassign_case", nullptr, kCase,
       {{"unit", "responsible_unit"}, {"due", "rectification_due_at"}}},
      {"start", Kind::kMutate, "Starts rectification (→ RECTIFYING). RECTIFIER.",
       "start_rectification", nullptr, kCase},
      {"progress", Kind::kMutate, "Reports progress on a RECTIFYING case. RECTIFIER.",
       "report_progress", nullptr, kCase,
       {{"percent", "percent_complete"}, {"evidence", "evidence_ids"}}},
      {"extend", Kind::kMutate, "Asks for more time on a RECTIFYING case. RECTIFIER.",
       "request_extension", nullptr, kCase, {{"due", "requested_due_at"}}},
      {"decide-extension", Kind::kMutate,
       "Grants or refuses a pending extension request. SUPERVISOR.", "decide_extension",
       nullptr,
       {{"CASE_ID", "case_id"}, {"REQUEST_ID", "request_id"}, {"grant|refuse", "granted"}},
       {{"due", "granted_due_at"}}},
      {"submit", Kind::kMutate, "Reports that rectification is done. RECTIFIER.",
       "submit_completion", nullptr, kCase, {{"evidence", "evidence_ids"}}},
      {"verify", Kind::kMutate,
       "Records the on-site verification: pass (→ VERIFIED) or fail (→ RECTIFYING). "
       "INSPECTOR or SUPERVISOR, not the submitter.",
       "verify_rectification", nullptr, {{"CASE_ID", "case_id"}, {"pass|fail", "passed"}},
       {{"evidence", "evidence_ids"}, {"due", "new_rectification_due_at"}}},
      {"object", Kind::kMutate,
       "Records an objection raised during the public notice (→ RECTIFYING). SUPERVISOR.",
       "raise_objection", nullptr, kCase, {{"due", "new_rectification_due_at"}}},
      {"close", Kind::kMutate, "Closes out a VERIFIED case (销号). SUPERVISOR.", "close_case",
       nullptr, kCase},
      {"close-unfounded", Kind::kMutate, "Closes a FOUND case as unfounded (查无实据). SUPERVISOR.",
       "close_as_unfounded", nullptr, kCase},
      {"reopen", Kind::kMutate, "Reopens a CLOSED case into RECTIFYING. SUPERVISOR.",
       "reopen_case", nullptr, kCase,
       {{"unit", "responsible_unit"}, {"due", "rectification_due_at"}}},
      {"referral propose", Kind::kMutate,
       "Proposes referring the case to the police, signed by two or more officers. INSPECTOR.",
       "propose_referral", nullptr, kCase, {{"officer", "proposing_officers"}}},
      {"referral approve", Kind::kMutate, "Approves a PROPOSED referral. BUREAU_HEAD.",
       "approve_referral", nullptr, kCaseReferral},
      {"referral refuse", Kind::kMutate, "Refuses a PROPOSED referral. BUREAU_HEAD.",
       "refuse_referral", nullptr, kCaseReferral},
      {"referral send", Kind::kMutate,
       "Sends an APPROVED referral to the police, copy to the procuratorate. SUPERVISOR.",
       "send_referral", nullptr, kCaseReferral,
       {{"police", "police_unit"}, {"procuratorate", "procuratorate_unit"}}},
      {"referral receive", Kind::kMutate, "Signs the receipt of a SENT referral. POLICE.",
       "receive_referral", nullptr, kCaseReferral},
      {"referral extend-review", Kind::kMutate,
       "Extends the police review period to 7 days, or 30 once approved. POLICE.",
       "extend_referral_review", nullptr, kCaseReferral, {{"days", "review_days"}}},
      {"referral approve-review", Kind::kMutate,
       "Approves the 30-day police review period of a RECEIVED referral. BUREAU_HEAD of the "
       "police unit.",
       "approve_review_extension", nullptr, kCaseReferral, {{"days", "review_days"}}},
      {"referral decide", Kind::kMutate,
       "Records the police decision: filed, declined or returned. POLICE.", "decide_referral",
       nullptr, kCaseReferral, {{"police_case", "police_case_number"}}},
      {"referral reconsider", Kind::kMutate,
       "Asks the police to reconsider a DECLINED referral. SUPERVISOR.",
       "request_reconsideration", nullptr, kCaseReferral},
      {"referral decide-reconsideration", Kind::kMutate,
       "Decides a reconsideration: filed reverses the decline, declined upholds it. POLICE.",
       "decide_reconsideration", nullptr, kCaseReferral,
       {{"police_case", "police_case_number"}}},
      {"referral supervise", Kind::kMutate,
       "Asks the procuratorate to supervise an upheld decline. SUPERVISOR.",
       "request_supervision", nullptr, kCaseReferral},
      {"referral explain", Kind::kMutate,
       "Records the police's explanation of why they did not file. POLICE.",
       "explain_non_filing", nullptr, kCaseReferral},
      {"referral withdraw", Kind::kMutate, "Withdraws a referral that has not ended. SUPERVISOR.",
       "withdraw_referral", nullptr, kCaseReferral},
      {"penalty open", Kind::kPenaltyStep,
       "Opens a penalty case (处罚案件) from a case: proposes the filing (立案) and starts the "
       "filing clock. SUPERVISOR or INSPECTOR.",
       "", &v1::OpenPenaltyCaseRequest::default_instance(), {{"CASE_ID", "source_case_id"}},
       {{"referral", "source_referral_id"},
        {"subject", "subject.name"},
        {"credit_code", "subject.unified_social_credit_code"}}},
      {"penalty decide-filing", Kind::kPenaltyStep,
       "Approves (立案) or refuses (不予立案) the filing; refusing needs --remark. BUREAU_HEAD.", "",
       &v1::DecidePenaltyFilingRequest::default_instance(),
       {{"PENALTY_CASE_ID", "penalty_case_id"}, {"approve|refuse", "approved"}}},
      {"penalty extend-filing", Kind::kPenaltyStep,
       "Extends the filing clock once (+15 days). BUREAU_HEAD.", "",
       &v1::ExtendPenaltyFilingRequest::default_instance(), kPenalty},
      {"penalty investigate", Kind::kPenaltyStep,
       "Records the investigation report by two or more INSPECTORs (you among them). INSPECTOR.",
       "", &v1::RecordPenaltyInvestigationRequest::default_instance(), kPenalty,
       {{"officer", "officers"}, {"evidence", "evidence_ids"}}},
      {"penalty notify", Kind::kPenaltyStep,
       "Records the prior notice (告知) of the intended penalty; the hearing window opens. "
       "SUPERVISOR.",
       "", &v1::ServePenaltyPriorNoticeRequest::default_instance(), kPenalty,
       {{"kind", "intended.kinds"}, {"confiscation", "intended.confiscation"}},
       {kYuanHelp}, {{"fine", "intended.fine_fen"}}},
      {"penalty hearing-request", Kind::kPenaltyStep,
       "Records the party's request for a hearing (听证). SUPERVISOR.", "",
       &v1::RequestPenaltyHearingRequest::default_instance(), kPenalty},
      {"penalty hearing-schedule", Kind::kPenaltyStep,
       "Schedules the hearing (at least 7 days after notifying the party). SUPERVISOR.", "",
       &v1::SchedulePenaltyHearingRequest::default_instance(), kPenalty},
      {"penalty hearing-record", Kind::kPenaltyStep,
       "Records the hearing as held, or --waived. SUPERVISOR.", "",
       &v1::RecordPenaltyHearingRequest::default_instance(), kPenalty},
      {"penalty extend-decision", Kind::kPenaltyStep,
       "Extends the decision period (90 days from filing) once. BUREAU_HEAD.", "",
       &v1::ExtendPenaltyDecisionPeriodRequest::default_instance(), kPenalty},
      {"penalty decide", Kind::kPenaltyStep,
       "Decides the penalty (处罚决定); the server gives the document number (文号). "
       "BUREAU_HEAD.",
       "", &v1::DecidePenaltyRequest::default_instance(), kPenalty,
       {{"kind", "terms.kinds"}, {"basis", "legal_basis"}, {"confiscation", "terms.confiscation"}},
       {kYuanHelp}, {{"fine", "terms.fine_fen"}}},
      {"penalty serve", Kind::kPenaltyStep,
       "Records the service (送达) of a decision; payment and remedy clocks open. SUPERVISOR.", "",
       &v1::ServePenaltyDecisionRequest::default_instance(), kPenaltyDecision},
      {"penalty pay", Kind::kPenaltyStep,
       "Records a payment towards a decision's fine and late surcharge. SUPERVISOR.", "",
       &v1::RecordPenaltyPaymentRequest::default_instance(), kPenaltyDecision, {},
       {{"fine=YUAN", "paid towards the fine, in yuan"},
        {"surcharge=YUAN", "paid towards the late surcharge (加处罚款), in yuan"}},
       {{"fine", "fine_fen"}, {"surcharge", "surcharge_fen"}}},
      {"penalty remedy", Kind::kPenaltyStep,
       "Records a reconsideration or lawsuit against a decision. SUPERVISOR.", "",
       &v1::RecordPenaltyRemedyRequest::default_instance(), kPenaltyDecision},
      {"penalty decide-remedy", Kind::kPenaltyStep,
       "Records the outcome of a pending remedy. SUPERVISOR.", "",
       &v1::DecidePenaltyRemedyRequest::default_instance(), kPenaltyDecision, {},
       {{"changed_fine=YUAN", "with --outcome=changed: the new fine in yuan"}},
       {{"changed_fine", "changed_fine_fen"}}},
      {"penalty execute", Kind::kPenaltyStep,
       "Records the application to the court for compulsory execution. BUREAU_HEAD.", "",
       &v1::ApplyCompulsoryExecutionRequest::default_instance(), kPenaltyDecision},
      {"penalty publish", Kind::kPenaltyStep,
       "Marks a decision as published (信息公开). SUPERVISOR.", "",
       &v1::PublishPenaltyRequest::default_instance(), kPenaltyDecision},
      {"penalty order", Kind::kPenaltyStep,
       "Issues an order to correct (责令改正) with its deadline. SUPERVISOR.", "",
       &v1::IssueCorrectionOrderRequest::default_instance(), kPenalty, {{"due", "correct_by"}}},
      {"penalty serve-order", Kind::kPenaltyStep,
       "Records the service of an order to correct; the recheck clock (30 days) opens. "
       "SUPERVISOR.",
       "", &v1::ServeCorrectionOrderRequest::default_instance(), kPenaltyOrder},
      {"penalty recheck", Kind::kPenaltyStep,
       "Records the unannounced recheck (复查) by two or more INSPECTORs: corrected closes the "
       "order; continuing gives a daily penalty (按日连续处罚) and a new order (--next_correct_by). "
       "INSPECTOR.",
       "", &v1::RecordCorrectionRecheckRequest::default_instance(),
       {{"PENALTY_CASE_ID", "penalty_case_id"}, {"ORDER_ID", "order_id"},
        {"corrected|continuing", "result"}},
       {{"officer", "officers"}, {"basis", "daily_legal_basis"}}},
      {"penalty close", Kind::kPenaltyStep,
       "Closes a penalty case (结案): --reason=performed|executed|revoked|not_penalized. "
       "SUPERVISOR.",
       "", &v1::ClosePenaltyCaseRequest::default_instance(), kPenalty},
      {"penalty show", Kind::kPenaltyShow,
       "Shows one penalty case: its steps, its running clocks with the days left, the late "
       "surcharge owed.",
       "", &v1::GetPenaltyCaseRequest::default_instance(), kPenalty},
      {"penalty list", Kind::kPenaltyList,
       "Lists the penalty cases you may read (the queue), each with its most pressing clock "
       "and the days left.",
       "", &v1::ListPenaltyCasesRequest::default_instance(), {},
       {{"status", "filter.statuses"},
        {"region", "filter.region_prefix"},
        {"case", "filter.source_case_id"},
        {"overdue", "filter.overdue_only"}}},
      {"penalty history", Kind::kPenaltyHistory, "Shows a penalty case's events, oldest first.",
       "", &v1::GetPenaltyCaseHistoryRequest::default_instance(), kPenalty},
      {"penalty export", Kind::kPenaltyExport,
       "Writes the publication export (信息公开) of decided penalties as CSV, UTF-8 with BOM: "
       "personal data and trade secrets removed by the server, late ones flagged.",
       "", &v1::ExportPenaltyPublicationRequest::default_instance(), {},
       {{"region", "region_prefix"}, {"from", "decided_from"}, {"before", "decided_before"},
        {"unpublished", "unpublished_only"}},
       {{"out=FILE", "where to write the CSV (required)"}}},
      {"get", Kind::kGet, "Shows one case as you may see it.", "",
       &v1::GetCaseRequest::default_instance(), kCase},
      {"list", Kind::kList, "Lists the cases in your scope that match the filter, a page at a time.",
       "", &v1::ListCasesRequest::default_instance(), {},
       {{"status", "filter.statuses"},
        {"category", "filter.categories"},
        {"region", "filter.region_prefix"},
        {"unit", "filter.responsible_unit"},
        {"source", "filter.sources"},
        {"overdue", "filter.overdue_only"},
        {"list_id", "filter.list_id"},
        {"found_from", "filter.found_from"},
        {"found_to", "filter.found_to"},
        {"updated_from", "filter.updated_from"},
        {"updated_to", "filter.updated_to"}}},
      {"history", Kind::kHistory, "Shows a case's events, oldest first, a page at a time.", "",
       &v1::GetCaseHistoryRequest::default_instance(), kCase},
      {"watch", Kind::kWatch, "Streams events from a log position: the history, then live ones.",
       "", &v1::WatchEventsRequest::default_instance(), {},
       {{"after", "after_position"},
        {"case", "stream_id"},
        {"region", "region_prefix"},
        {"type", "event_types"}},
       {{"limit=N", "stop after N events (default: run until interrupted)"},
        {"for=SECONDS", "stop after this long"}}},
      {"evidence upload", Kind::kUpload,
       "Records a file as evidence on a case (SHA-256 and size computed here).", "",
       &v1::UploadEvidenceMetadata::default_instance(), {{"CASE_ID", "case_id"}, {"FILE", ""}},
       {}},
      {"evidence download", Kind::kDownload,
       "Downloads a piece of evidence and checks its SHA-256.", "",
       &v1::DownloadEvidenceRequest::default_instance(),
       {{"CASE_ID", "case_id"}, {"EVIDENCE_ID", "evidence_id"}}, {},
       {{"out=FILE", "where to write the bytes (default: the evidence's file name, reduced to a "
                     "plain name in this folder)"},
        {"force", "overwrite FILE if it exists (default: refuse)"}}},
      {"lists", Kind::kLists, "Lists the rectification lists (整改清单) in your jurisdiction.", "",
       &v1::ListRectificationListsRequest::default_instance(), {},
       {{"region", "region_prefix"}}},
      {"list-create", Kind::kListMutate,
       "Creates a rectification list (整改清单); the server gives its id. SUPERVISOR.", "",
       &v1::CreateRectificationListRequest::default_instance(), {},
       {{"region", "region_code"}, {"owner", "owner_unit"}}},
      {"list-add", Kind::kListMutate,
       "Puts cases on a list (in the list's region, not yet on it). SUPERVISOR.", "",
       &v1::AddListItemsRequest::default_instance(), {{"LIST_ID", "list_id"}},
       {{"case", "case_ids"}}},
      {"list-remove", Kind::kListMutate, "Takes a case off a list, with a reason. SUPERVISOR.", "",
       &v1::RemoveListItemRequest::default_instance(),
       {{"LIST_ID", "list_id"}, {"CASE_ID", "case_id"}}},
      {"list-close", Kind::kListMutate,
       "Closes a list (清零); refused while any item's case is not CLOSED. SUPERVISOR.", "",
       &v1::CloseRectificationListRequest::default_instance(), {{"LIST_ID", "list_id"}}},
      {"list-show", Kind::kListShow,
       "Shows a list: its items and progress (closed / total, overdue) per responsible unit.", "",
       &v1::GetRectificationListRequest::default_instance(), {{"LIST_ID", "list_id"}}},
      {"list export", Kind::kListExport,
       "Writes a list's ledger (台账) as CSV, UTF-8 with BOM: number, problem, responsible unit, "
       "deadline, measures, progress, status.",
       "", &v1::ExportLedgerRequest::default_instance(), {{"LIST_ID", "list_id"}}, {},
       {{"out=FILE", "where to write the CSV (required)"}}},
      {"notices", Kind::kNotices,
       "Shows the notices (通报): overdue, no progress, not started, per unit.", "",
       &v1::ListNoticesRequest::default_instance(), {},
       {{"region", "region_prefix"}, {"reason", "reasons"}}},
      {"monthly-report", Kind::kMonthly, "Shows the monthly dispatch report (月调度).", "",
       &v1::GetMonthlyReportRequest::default_instance(), {{"YEAR", "year"}, {"MONTH", "month"}},
       {{"region", "region_prefix"}},
       {{"html=FILE", "write the report to FILE as an HTML page (charts, prints on A4)"}}},
      {"units", Kind::kUnits,
       "Lists the responsible units (责任单位) of your jurisdiction (active ones unless "
       "--include_retired).",
       "", &v1::ListUnitsRequest::default_instance(), {}, {{"region", "region_prefix"}}},
      {"unit-show", Kind::kUnitShow, "Shows one responsible unit.", "",
       &v1::GetUnitRequest::default_instance(), {{"UNIT_ID", "unit_id"}}},
      {"unit-create", Kind::kUnitMutate,
       "Creates a responsible unit: --name (full name), --kind (township | county_department | "
       "enterprise | other), --region; an enterprise with --credit_code. SUPERVISOR or ADMIN.",
       "", &v1::CreateUnitRequest::default_instance(), {{"UNIT_ID", "unit_id"}},
       kUnitAliases},
      {"unit-update", Kind::kUnitMutate,
       "Replaces a unit's description (give every field). SUPERVISOR or ADMIN.", "",
       &v1::UpdateUnitRequest::default_instance(), {{"UNIT_ID", "unit_id"}},
       kUnitAliases},
      {"unit-retire", Kind::kUnitMutate,
       "Retires a unit: no case may be assigned to it any more. SUPERVISOR or ADMIN.", "",
       &v1::RetireUnitRequest::default_instance(), {{"UNIT_ID", "unit_id"}}},
      {"unit-reactivate", Kind::kUnitMutate, "Brings a retired unit back. SUPERVISOR or ADMIN.",
       "", &v1::ReactivateUnitRequest::default_instance(), {{"UNIT_ID", "unit_id"}}},
      {"unit-history", Kind::kUnitHistory, "Shows a unit's events, oldest first.", "",
       &v1::GetUnitHistoryRequest::default_instance(), {{"UNIT_ID", "unit_id"}}},
      {"import-units", Kind::kImportUnits,
       "Creates the units of a units file (text format of rectify.v1.UnitsFile, e.g. "
       "config/units.demo.textproto); units that exist already are left as they are. "
       "SUPERVISOR or ADMIN.",
       "", nullptr, {{"FILE", ""}}},
      {"complaints", Kind::kComplaint,
       "The complaints queue (信访件) of your jurisdiction with the days left on each running "
       "clock; --order=due puts the most pressing first.",
       "ListComplaints", &v1::ListComplaintsRequest::default_instance(), {},
       {{"region", "region_prefix"}, {"overdue", "overdue_only"}}},
      {"complaint show", Kind::kComplaint,
       "Shows one complaint and its clocks (the complainant only for a SUPERVISOR).",
       "GetComplaint", &v1::GetComplaintRequest::default_instance(), kComplaintId},
      {"complaint history", Kind::kComplaint, "Shows a complaint's events, oldest first.",
       "GetComplaintHistory", &v1::GetComplaintHistoryRequest::default_instance(), kComplaintId},
      {"complaint receive", Kind::kComplaint,
       "Records a complaint received by phone, web, letter or visit; the server numbers it "
       "(XF-620722-2026-000001). --anonymous or --complainant/--phone. SUPERVISOR.",
       "ReceiveComplaint", &v1::ReceiveComplaintRequest::default_instance(), {},
       kReceiveAliases},
      {"complaint accept", Kind::kComplaint,
       "Accepts a RECEIVED complaint (受理); --notice says how the complainant was told. "
       "SUPERVISOR.",
       "AcceptComplaint", &v1::AcceptComplaintRequest::default_instance(), kComplaintId,
       kNoticeAliases},
      {"complaint transfer", Kind::kComplaint,
       "Passes a RECEIVED complaint on to the competent body (转办). SUPERVISOR.",
       "TransferComplaint", &v1::TransferComplaintRequest::default_instance(), kComplaintId,
       MergeAliases(kNoticeAliases, {{"body", "competent_body"}})},
      {"complaint open-case", Kind::kComplaint,
       "Opens a new case from an ACCEPTED complaint (its facts, never the complainant). "
       "SUPERVISOR.",
       "OpenCaseFromComplaint", &v1::OpenCaseFromComplaintRequest::default_instance(),
       kComplaintId},
      {"complaint attach", Kind::kComplaint,
       "Attaches an ACCEPTED complaint to an existing case on the same problem (并案). "
       "SUPERVISOR.",
       "AttachComplaintToCase", &v1::AttachComplaintToCaseRequest::default_instance(),
       {{"COMPLAINT_ID", "complaint_id"}, {"CASE_ID", "case_id"}}},
      {"complaint close-unfounded", Kind::kComplaint,
       "Closes an ACCEPTED complaint as unfounded after a site check (查无实据): --checked_at, "
       "--inspector (repeat), --findings, --document=FILE_NAME:SHA256 (repeat). SUPERVISOR.",
       "CloseComplaintUnfounded", &v1::CloseComplaintUnfoundedRequest::default_instance(),
       kComplaintId, {{"inspector", "inspectors"}},
       {{"document=NAME:SHA256", "a document of the site check (kind other); repeat, 1-20"}}},
      {"complaint extend", Kind::kComplaint,
       "Extends the reply clock once (+30 days by default), with the reason told to the "
       "complainant. BUREAU_HEAD.",
       "ExtendComplaintReply", &v1::ExtendComplaintReplyRequest::default_instance(),
       kComplaintId, kNoticeAliases},
      {"complaint reply", Kind::kComplaint,
       "Answers the complainant (办结答复), quoting the linked cases; --interim for a reply while "
       "a linked case is still open. SUPERVISOR.",
       "ReplyToComplaint", &v1::ReplyToComplaintRequest::default_instance(), kComplaintId,
       kNoticeAliases},
      {"complaint review-request", Kind::kComplaint,
       "Records the complainant's request for review (复查) after the reply. SUPERVISOR.",
       "RequestComplaintReview", &v1::RequestComplaintReviewRequest::default_instance(),
       kComplaintId},
      {"complaint review-answer", Kind::kComplaint,
       "Answers a review: --outcome=upheld|changed. SUPERVISOR.", "AnswerComplaintReview",
       &v1::AnswerComplaintReviewRequest::default_instance(), kComplaintId, kNoticeAliases},
      {"complaint callback", Kind::kComplaint,
       "Records a callback (回访): satisfied | not_satisfied | unreachable. SUPERVISOR.",
       "RecordComplaintCallback", &v1::RecordComplaintCallbackRequest::default_instance(),
       {{"COMPLAINT_ID", "complaint_id"}, {"RESULT", "result"}}},
      {"import-complaints", Kind::kImportComplaints,
       "Imports the 12369 platform's CSV export (UTF-8 or GBK; columns in docs/rectifyctl.md), "
       "all or nothing: bad rows are listed by line and nothing is written; tickets already "
       "there are skipped, so importing a file again changes nothing. SUPERVISOR.",
       "ImportComplaints", nullptr, {{"FILE", ""}}},
      {"sync", Kind::kSync,
       "Sends the outbox's pending commands in order; refused ones are set aside.", ""},
      {"outbox", Kind::kOutbox, "Shows the outbox: pending, sent and set-aside commands.", ""},
  };
  return *specs;
}

const Spec* FindSpec(const std::string& name) {
  for (const Spec& spec : Specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// The request message type of a mutating subcommand.
const google::protobuf::Descriptor* RequestType(const Spec& spec) {
  if (spec.kind == Kind::kMutate || spec.kind == Kind::kReport) {
    return v1::Command::descriptor()->FindFieldByName(spec.command_field)->message_type();
  }
  return spec.prototype == nullptr ? nullptr : spec.prototype->GetDescriptor();
}

bool IsPositionalPath(const Spec& spec, const std::string& path) {
  for (const auto& [placeholder, field] : spec.positionals) {
    if (field == path) return true;
  }
  return false;
}

std::string SpecUsage(const Spec& spec) {
  if (spec.kind == Kind::kReport) return kReportUsage;
  std::string out = absl::StrCat("Usage: rectifyctl ", spec.name);
  for (const auto& [placeholder, field] : spec.positionals) absl::StrAppend(&out, " ", placeholder);
  absl::StrAppend(&out, " [FLAGS]\n\n", spec.summary, "\n");
  const google::protobuf::Descriptor* type = RequestType(spec);
  std::vector<std::vector<std::string>> rows;
  if (type != nullptr) {
    std::map<std::string, std::string> alias_of;
    for (const auto& [alias, path] : spec.aliases) alias_of[path] = alias;
    auto add = [&](const FieldDescriptor& field, const std::string& path) {
      if (IsPositionalPath(spec, path)) return;
      std::string note = field.is_repeated() ? "repeatable" : "";
      if (path == "command_id") note = "your id for safe retries; default random";
      if (alias_of.count(path) > 0) {
        note = absl::StrCat(note, note.empty() ? "" : "; ", "also --", alias_of[path]);
      }
      rows.push_back({absl::StrCat("  --", path, "=", ValueHint(field)), note});
    };
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor& field = *type->field(i);
      if (IsSettable(field)) {
        add(field, field.name());
      } else if (field.message_type() != nullptr && !field.is_repeated()) {
        // One level of nesting, e.g. ListCasesRequest.filter.
        for (int k = 0; k < field.message_type()->field_count(); ++k) {
          const FieldDescriptor& inner = *field.message_type()->field(k);
          if (IsSettable(inner)) add(inner, absl::StrCat(field.name(), ".", inner.name()));
        }
      }
    }
  }
  for (const auto& [flag, help] : spec.extra_flags) rows.push_back({"  --" + flag, help});
  if (!rows.empty()) {
    absl::StrAppend(&out, "\nFlags (the request's fields):\n", FormatTable({"", ""}, rows).substr(1));
  }
  absl::StrAppend(&out,
                  "\nTIME is RFC 3339 (2026-11-28T09:30:00+08:00) or \"2026-11-28 09:30\" "
                  "(China time).\n");
  return out;
}

int Usage(const std::string& problem, const std::string& usage) {
  std::fprintf(stderr, "rectifyctl: %s\n\n%s", problem.c_str(), usage.c_str());
  return kExitUsage;
}

// Prints a failed call's status and returns the exit code it calls for.
int Report(const absl::Status& status) {
  std::string message(status.message());
  if (message.empty() && status.code() == absl::StatusCode::kUnimplemented) {
    message = "the server does not offer this call yet";
  }
  // The server's Chinese reason first (what a bureau user reads), then the
  // code and the English message (for operators and scripts).
  if (const auto reason = UserMessageOf(status)) {
    std::fprintf(stderr, "rectifyctl: %s\n", reason->zh_cn().c_str());
  }
  std::fprintf(stderr, "rectifyctl: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               message.c_str());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return kExitUsage;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kExitUnreachable;
    default:
      return kExitRefused;
  }
}

// Refuses flags the subcommand does not know.
absl::Status CheckKnownFlags(const std::multimap<std::string, std::string>& flags,
                             const std::set<std::string>& known) {
  for (const auto& [name, value] : flags) {
    if (known.count(name) == 0) return absl::InvalidArgumentError("unknown flag --" + name);
  }
  return absl::OkStatus();
}

template <typename Enum>
absl::Status ParseEnumFlag(const std::string& flag, const std::string& value,
                           const std::string& prefix,
                           bool (*parse)(const std::string&, Enum*), Enum* out) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("--", flag, " is required"));
  if (!parse(prefix + absl::AsciiStrToUpper(value), out)) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, "=", value, " is not known"));
  }
  return absl::OkStatus();
}

std::string RandomCommandId() {
  absl::BitGen bits;
  return absl::StrCat("ctl-", absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16));
}

absl::StatusOr<v1::ReportCaseRequest> BuildReport(const CommandLine& line) {
  const auto& flags = line.flags;
  RETURN_IF_ERROR(CheckKnownFlags(
      flags, {"title", "category", "severity", "source", "region", "description", "source_ref",
              "address", "lat", "lon", "subject", "credit_code", "complainant", "phone",
              "found_at", "occurred_at", "tag", "command_id"}));
  if (!line.arguments.empty()) {
    return absl::InvalidArgumentError("report takes no arguments, only flags");
  }
  v1::ReportCaseRequest request;
  ASSIGN_OR_RETURN(std::string command_id, SingleFlag(flags, "command_id", RandomCommandId()));
  request.set_command_id(command_id);
  ASSIGN_OR_RETURN(std::string title, SingleFlag(flags, "title", ""));
  request.set_title(title);
  ASSIGN_OR_RETURN(std::string description, SingleFlag(flags, "description", ""));
  request.set_description(description);
  ASSIGN_OR_RETURN(std::string category, SingleFlag(flags, "category", ""));
  v1::Category category_value;
  RETURN_IF_ERROR(ParseEnumFlag("category", category, "CATEGORY_", &v1::Category_Parse,
                                &category_value));
  request.set_category(category_value);
  ASSIGN_OR_RETURN(std::string severity, SingleFlag(flags, "severity", ""));
  v1::Severity severity_value;
  RETURN_IF_ERROR(ParseEnumFlag("severity", severity, "SEVERITY_", &v1::Severity_Parse,
                                &severity_value));
  request.set_severity(severity_value);
  ASSIGN_OR_RETURN(std::string source, SingleFlag(flags, "source", ""));
  v1::CaseSource source_value;
  RETURN_IF_ERROR(ParseEnumFlag("source", source, "CASE_SOURCE_", &v1::CaseSource_Parse,
                                &source_value));
  request.set_source(source_value);
  ASSIGN_OR_RETURN(std::string source_ref, SingleFlag(flags, "source_ref", ""));
  request.set_source_reference(source_ref);
  ASSIGN_OR_RETURN(std::string region, SingleFlag(flags, "region", ""));
  request.mutable_location()->set_region_code(region);
  ASSIGN_OR_RETURN(std::string address, SingleFlag(flags, "address", ""));
  request.mutable_location()->set_address(address);
  ASSIGN_OR_RETURN(std::string lat, SingleFlag(flags, "lat", ""));
  ASSIGN_OR_RETURN(std::string lon, SingleFlag(flags, "lon", ""));
  if (!lat.empty() || !lon.empty()) {
    double latitude = 0, longitude = 0;
    if (!absl::SimpleAtod(lat, &latitude)) {
      return absl::InvalidArgumentError("--lat must be a number of degrees (and --lon given)");
    }
    if (!absl::SimpleAtod(lon, &longitude)) {
      return absl::InvalidArgumentError("--lon must be a number of degrees (and --lat given)");
    }
    request.mutable_location()->mutable_point()->set_latitude(latitude);
    request.mutable_location()->mutable_point()->set_longitude(longitude);
  }
  ASSIGN_OR_RETURN(std::string subject, SingleFlag(flags, "subject", ""));
  request.mutable_subject()->set_name(subject);
  ASSIGN_OR_RETURN(std::string credit_code, SingleFlag(flags, "credit_code", ""));
  request.mutable_subject()->set_unified_social_credit_code(credit_code);
  ASSIGN_OR_RETURN(std::string complainant, SingleFlag(flags, "complainant", ""));
  request.mutable_complainant()->set_name(complainant);
  ASSIGN_OR_RETURN(std::string phone, SingleFlag(flags, "phone", ""));
  request.mutable_complainant()->set_phone(phone);
  ASSIGN_OR_RETURN(std::string found_at, SingleFlag(flags, "found_at", ""));
  if (found_at.empty()) {
    *request.mutable_found_at() = ToProto(SystemClock().Now());
  } else {
    ASSIGN_OR_RETURN(absl::Time time, ParseTime("--found_at", found_at));
    *request.mutable_found_at() = ToProto(time);
  }
  ASSIGN_OR_RETURN(std::string occurred_at, SingleFlag(flags, "occurred_at", ""));
  if (!occurred_at.empty()) {
    ASSIGN_OR_RETURN(absl::Time time, ParseTime("--occurred_at", occurred_at));
    *request.mutable_occurred_at() = ToProto(time);
  }
  for (const std::string& tag : RepeatedFlag(flags, "tag")) request.add_tags(tag);
  return request;
}


// Fills `request` from the subcommand's arguments and flags. Arguments whose
// placeholder maps to no field go to `own_args`.
absl::Status FillRequest(const Spec& spec, const CommandLine& line, Message& request,
                         std::vector<std::string>* own_args) {
  const std::vector<std::string>& args = line.arguments;
  if (args.size() != spec.positionals.size()) {
    std::vector<std::string> names;
    for (const auto& [placeholder, field] : spec.positionals) names.push_back(placeholder);
    return absl::InvalidArgumentError(
        names.empty() ? absl::StrCat(spec.name, " takes no arguments, only flags")
                      : absl::StrCat(spec.name, " takes ", absl::StrJoin(names, " ")));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& [placeholder, path] = spec.positionals[i];
    if (path.empty()) {
      own_args->push_back(args[i]);
      continue;
    }
    RETURN_IF_ERROR(SetFieldFromText(request, path, args[i], placeholder));
  }
  std::set<std::string> extra;
  for (const auto& [flag, help] : spec.extra_flags) extra.insert(flag.substr(0, flag.find('=')));
  std::map<std::string, int> seen;
  for (const auto& [name, value] : line.flags) {
    if (name == "help" || extra.count(name) > 0) continue;
    const auto alias = spec.aliases.find(name);
    const std::string path = alias != spec.aliases.end() ? alias->second : name;
    const FieldDescriptor* field = FieldAtPath(*request.GetDescriptor(), path);
    if (field == nullptr || !IsSettable(*field) || IsPositionalPath(spec, path)) {
      return absl::InvalidArgumentError("unknown flag --" + name);
    }
    if (!field->is_repeated() && ++seen[path] > 1) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", name, " is given more than once"));
    }
    RETURN_IF_ERROR(SetFieldFromText(request, path, value, "--" + name));
  }
  const FieldDescriptor* command_id = request.GetDescriptor()->FindFieldByName("command_id");
  if (command_id != nullptr && request.GetReflection()->GetString(request, command_id).empty()) {
    request.GetReflection()->SetString(&request, command_id, RandomCommandId());
  }
  return absl::OkStatus();
}

// The settings every subcommand that talks to the server shares.
struct Context {
  ClientOptions options;
  // How long work shows its progress on standard error (--progress).
  ProgressStyle progress = ProgressStyle::kLines;
  bool json = false;
  // Tables show unit ids instead of names.
  bool ids = false;
  bool offline = false;
  bool dry_run = false;
  std::string client_dir;

  absl::StatusOr<std::unique_ptr<RectifyClient>> Client() const {
    return RectifyClient::Create(options);
  }
  std::string OutboxDir() const { return client_dir + "/outbox"; }
};

int PrintJson(const Message& message) {
  absl::StatusOr<std::string> text = ToJson(message);
  if (!text.ok()) return Report(text.status());
  std::cout << *text;
  return kExitOk;
}

int PrintCase(const v1::Case& state, const Message& reply, bool json) {
  if (json) return PrintJson(reply);
  std::cout << FormatCase(state);
  return kExitOk;
}

std::string ShortTime(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(timestamp.seconds()),
                          rectify::ChinaTimeZone());
}

// A deadline as people write it: "2027-01-04" for one that ends that day,
// with the minute for one that ends inside a day (base/dates.h).
std::string DueText(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return DeadlineIso(absl::FromUnixSeconds(timestamp.seconds()));
}

std::string EventType(const v1::Event& event) {
  const auto* oneof = v1::Event::descriptor()->FindOneofByName("payload");
  const auto* field = event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
  return field == nullptr ? "" : field->name();
}

std::string ActorName(const v1::Actor& actor) {
  return actor.display_name().empty()
             ? actor.principal_id()
             : absl::StrCat(actor.display_name(), " (", actor.principal_id(), ")");
}

// What kind of unit, as people say it.
std::string UnitKindWord(v1::UnitKind kind) {
  switch (kind) {
    case v1::UNIT_KIND_TOWNSHIP:
      return "乡镇";
    case v1::UNIT_KIND_COUNTY_DEPARTMENT:
      return "县直部门";
    case v1::UNIT_KIND_ENTERPRISE:
      return "企业";
    case v1::UNIT_KIND_OTHER:
      return "其他";
    default:
      return "";
  }
}

// The names of the units of the caller's jurisdiction (the directory, read
// with ListUnits, retired ones included), by id; empty when it cannot be
// read (the tables then show ids).
std::map<std::string, std::string> UnitNamesFor(RectifyClient& client) {
  std::map<std::string, std::string> names;
  v1::ListUnitsRequest request;
  request.set_include_retired(true);
  request.set_page_size(500);
  for (int page = 0; page < 100; ++page) {
    auto reply = client.Call(&v1::UnitService::Stub::ListUnits, request);
    if (!reply.ok()) break;
    for (const v1::Unit& unit : reply->units()) names[unit.unit_id()] = unit.details().full_name();
    if (reply->next_page_token().empty()) break;
    request.set_page_token(reply->next_page_token());
  }
  return names;
}

// How a table shows a unit: its name (with --ids, its id); an id the
// directory does not hold as it is.
class UnitLabels {
 public:
  UnitLabels(const Context& context, RectifyClient& client) : ids_(context.ids) {
    if (!ids_ && !context.json) names_ = UnitNamesFor(client);
  }
  std::string operator()(const std::string& unit_id) const {
    if (ids_) return unit_id;
    auto found = names_.find(unit_id);
    return found == names_.end() || found->second.empty() ? unit_id : found->second;
  }

 private:
  bool ids_;
  std::map<std::string, std::string> names_;
};

std::vector<std::string> UnitRow(const v1::Unit& unit) {
  return {unit.unit_id(),
          unit.details().full_name(),
          unit.details().short_name(),
          UnitKindWord(unit.details().kind()),
          unit.details().region_code(),
          unit.retired() ? "已撤销" : "在用",
          unit.details().unified_social_credit_code(),
          unit.details().contact().name(),
          unit.details().contact().phone()};
}

const std::vector<std::string> kUnitHeader = {"ID",     "NAME",        "SHORT",
                                              "KIND",   "REGION",      "STATUS",
                                              "CREDIT_CODE", "CONTACT", "PHONE"};

int PrintUnit(const Context& context, const v1::UnitResponse& reply) {
  if (context.json) return PrintJson(reply);
  std::cout << FormatTable(kUnitHeader, {UnitRow(reply.unit())});
  return kExitOk;
}

// Creates each unit of the units file `path`; one line per unit.
int RunImportUnits(const Context& context, const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return Usage(std::string(text.status().message()), kUsage);
  v1::UnitsFile file;
  if (!google::protobuf::TextFormat::ParseFromString(*text, &file)) {
    return Usage(absl::StrCat(path, " is not a units file (text format of rectify.v1.UnitsFile)"),
                 kUsage);
  }
  if (context.dry_run) return PrintJson(file);
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), kUsage);
  int created = 0;
  int existing = 0;
  for (const v1::UnitsFileEntry& entry : file.units()) {
    v1::GetUnitRequest get;
    get.set_unit_id(entry.unit_id());
    auto found = (*client)->Call(&v1::UnitService::Stub::GetUnit, get);
    if (found.ok()) {
      ++existing;
      std::cout << "exists  " << entry.unit_id() << "\n";
      continue;
    }
    if (found.status().code() != absl::StatusCode::kNotFound) return Report(found.status());
    v1::CreateUnitRequest request;
    // The same id for the same unit and description, so that a second
    // import after a lost reply is answered, not refused.
    request.set_command_id(absl::StrCat(
        "import-", entry.unit_id(), "-",
        HexEncode(Sha256(entry.details().SerializeAsString())).substr(0, 16)));
    request.set_unit_id(entry.unit_id());
    *request.mutable_details() = entry.details();
    auto reply = (*client)->Call(&v1::UnitService::Stub::CreateUnit, request);
    if (reply.ok()) {
      ++created;
      std::cout << "created " << entry.unit_id() << "  " << entry.details().full_name() << "\n";
    } else if (reply.status().code() == absl::StatusCode::kAlreadyExists) {
      ++existing;
      std::cout << "exists  " << entry.unit_id() << "\n";
    } else {
      std::cout << "refused " << entry.unit_id() << "\n";
      return Report(reply.status());
    }
  }
  std::cout << created << " created, " << existing << " already in the directory\n";
  return kExitOk;
}

// A page of a stream's events as a table, and how to ask for the next.
int PrintEvents(const google::protobuf::RepeatedPtrField<v1::Event>& events,
                const std::string& next_page_token) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::Event& event : events) {
    rows.push_back({std::to_string(event.version()), ShortTime(event.occurred_at()),
                    EventType(event), ActorName(event.actor()), std::to_string(event.position())});
  }
  std::cout << FormatTable({"VERSION", "TIME", "EVENT", "BY", "POSITION"}, rows);
  if (!next_page_token.empty()) std::cout << "more: --page_token=" << next_page_token << "\n";
  return kExitOk;
}

// Replaces a local reference ("local:1") by the case id the server gave the
// case when the outbox was synced.
absl::Status ResolveLocalCase(const Context& context, Message& request) {
  const FieldDescriptor* field = request.GetDescriptor()->FindFieldByName("case_id");
  if (field == nullptr) return absl::OkStatus();
  const std::string case_id = request.GetReflection()->GetString(request, field);
  if (!IsLocalRef(case_id)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::unique_ptr<Outbox> outbox, Outbox::Open(context.OutboxDir()));
  absl::StatusOr<std::string> resolved = outbox->Resolve(case_id);
  if (!resolved.ok()) return absl::InvalidArgumentError(std::string(resolved.status().message()));
  request.GetReflection()->SetString(&request, field, *resolved);
  return absl::OkStatus();
}

int RunMutation(const Context& context, const Spec& spec, v1::Command command) {
  Message* request = MutableRequestOf(command);
  if (context.dry_run) return PrintJson(command);
  if (context.offline) {
    // When it happened is when it was recorded, not when the network came back.
    const FieldDescriptor* occurred = request->GetDescriptor()->FindFieldByName("occurred_at");
    if (occurred != nullptr && !request->GetReflection()->HasField(*request, occurred)) {
      request->GetReflection()->MutableMessage(request, occurred)->CopyFrom(
          ToProto(SystemClock().Now()));
    }
    absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(context.OutboxDir());
    if (!outbox.ok()) return Report(outbox.status());
    absl::StatusOr<OutboxEntry> entry = (*outbox)->Append(command);
    if (!entry.ok()) return Usage(std::string(entry.status().message()), SpecUsage(spec));
    if (context.json) {
      google::protobuf::Struct reply;
      auto& fields = *reply.mutable_fields();
      fields["seq"].set_number_value(static_cast<double>(entry->seq));
      fields["command_id"].set_string_value(entry->command.command_id());
      fields["local_ref"].set_string_value(entry->local_ref);
      return PrintJson(reply);
    }
    std::cout << "recorded offline as #" << entry->seq << " (command id "
              << entry->command.command_id() << ")";
    if (!entry->local_ref.empty()) std::cout << "; the case is " << entry->local_ref;
    std::cout << "\nrun `rectifyctl sync` when the network is back\n";
    return kExitOk;
  }
  if (absl::Status resolved = ResolveLocalCase(context, *request); !resolved.ok()) {
    return Usage(std::string(resolved.message()), SpecUsage(spec));
  }
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), kUsage);
  absl::StatusOr<CommandReply> reply = SendCommand(**client, command);
  if (!reply.ok()) return Report(reply.status());
  return PrintCase(reply->case_state, *reply->response, context.json);
}

int RunRead(const Context& context, const Spec& spec, Message& request,
            const std::vector<std::string>& own_args, const CommandLine& line) {
  if (absl::Status resolved = ResolveLocalCase(context, request); !resolved.ok()) {
    return Usage(std::string(resolved.message()), SpecUsage(spec));
  }
  // Files are read before --dry_run prints, so the request shown is the one sent.
  std::string upload_bytes;
  if (spec.kind == Kind::kUpload) {
    auto& metadata = static_cast<v1::UploadEvidenceMetadata&>(request);
    absl::StatusOr<std::string> bytes = ReadWholeFile(own_args[0]);
    if (!bytes.ok()) return Usage(std::string(bytes.status().message()), SpecUsage(spec));
    upload_bytes = std::move(*bytes);
    metadata.set_sha256(HexEncode(Sha256(upload_bytes)));
    metadata.set_size_bytes(static_cast<int64_t>(upload_bytes.size()));
    if (metadata.file_name().empty()) {
      const size_t slash = own_args[0].rfind('/');
      metadata.set_file_name(slash == std::string::npos ? own_args[0]
                                                        : own_args[0].substr(slash + 1));
    }
  }
  if (context.dry_run) return PrintJson(request);
  if (context.offline) {
    return Usage(absl::StrCat(spec.name, " needs the server; only case commands work offline"),
                 SpecUsage(spec));
  }
  absl::StatusOr<std::unique_ptr<RectifyClient>> made = context.Client();
  if (!made.ok()) return Usage(std::string(made.status().message()), kUsage);
  RectifyClient& client = **made;
  switch (spec.kind) {
    case Kind::kGet: {
      auto reply = client.Call(&v1::CaseService::Stub::GetCase,
                               static_cast<const v1::GetCaseRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      return PrintCase(reply->case_(), *reply, context.json);
    }
    case Kind::kList: {
      auto reply = client.Call(&v1::CaseService::Stub::ListCases,
                               static_cast<const v1::ListCasesRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      const UnitLabels unit_label(context, client);
      std::vector<std::vector<std::string>> rows;
      for (const v1::Case& c : reply->cases()) {
        rows.push_back({c.case_id(), ShortEnumName(v1::CaseStatus_Name(c.status()), "CASE_STATUS_"),
                        ShortEnumName(v1::Category_Name(c.category()), "CATEGORY_"),
                        unit_label(c.responsible_unit()), DueText(c.rectification_due_at()),
                        c.overdue() ? "yes" : "", c.title()});
      }
      std::cout << FormatTable({"CASE", "STATUS", "CATEGORY", "UNIT", "DUE", "OVERDUE", "TITLE"},
                               rows);
      if (!reply->next_page_token().empty()) {
        std::cout << "more: --page_token=" << reply->next_page_token() << "\n";
      }
      return kExitOk;
    }
    case Kind::kHistory: {
      auto reply = client.Call(&v1::CaseService::Stub::GetCaseHistory,
                               static_cast<const v1::GetCaseHistoryRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      return PrintEvents(reply->events(), reply->next_page_token());
    }
    case Kind::kWatch: {
      int64_t limit = 0;
      double seconds = 0;
      auto limit_text = SingleFlag(line.flags, "limit", "0");
      auto for_text = SingleFlag(line.flags, "for", "0");
      if (!limit_text.ok() || !for_text.ok() || !absl::SimpleAtoi(*limit_text, &limit) ||
          !absl::SimpleAtod(*for_text, &seconds) || limit < 0 || seconds < 0) {
        return Usage("--limit and --for take a number", SpecUsage(spec));
      }
      int64_t seen = 0;
      const absl::Status status = client.WatchEvents(
          static_cast<const v1::WatchEventsRequest&>(request),
          seconds > 0 ? absl::Seconds(seconds) : absl::InfiniteDuration(),
          [&](const v1::WatchEventsResponse& item) {
            if (!item.has_event()) return true;
            const v1::Event& event = item.event();
            if (context.json) {
              absl::StatusOr<std::string> text = ToJson(event);
              if (text.ok()) std::cout << *text;
            } else {
              std::cout << event.position() << "  " << ShortTime(event.occurred_at()) << "  "
                        << event.stream_id() << "  v" << event.version() << "  "
                        << EventType(event) << "  " << ActorName(event.actor()) << "\n";
            }
            std::cout.flush();
            return limit == 0 || ++seen < limit;
          });
      if (!status.ok()) return Report(status);
      return kExitOk;
    }
    case Kind::kUpload: {
      ProgressReporter progress(std::cerr, context.progress, SystemClock(), "upload",
                                ProgressUnit::kBytes);
      progress.Start(static_cast<int64_t>(upload_bytes.size()));
      auto reply = client.UploadEvidence(static_cast<const v1::UploadEvidenceMetadata&>(request),
                                         upload_bytes,
                                         [&progress](int64_t sent) { progress.Update(sent); });
      progress.Finish();
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      std::cout << "evidence " << reply->evidence().evidence_id() << " recorded on "
                << reply->case_().case_id() << "\n";
      return kExitOk;
    }
    case Kind::kDownload: {
      ProgressReporter progress(std::cerr, context.progress, SystemClock(), "download",
                                ProgressUnit::kBytes);
      progress.Start(0);
      auto reply = client.DownloadEvidence(
          static_cast<const v1::DownloadEvidenceRequest&>(request),
          [&progress](int64_t received, int64_t size) {
            progress.SetTotal(size);
            progress.Update(received);
          });
      progress.Finish();
      if (!reply.ok()) return Report(reply.status());
      const auto& [evidence, bytes] = *reply;
      if (HexEncode(Sha256(bytes)) != evidence.sha256()) {
        return Report(absl::DataLossError("the downloaded bytes do not match their SHA-256"));
      }
      // Without --out the file is named after the uploader's name for it:
      // another party's data, so reduced to a plain name in this folder.
      const std::string safe_name = SafeLocalFileName(evidence.file_name(), evidence.evidence_id());
      auto out = SingleFlag(line.flags, "out", safe_name);
      auto force = SingleFlag(line.flags, "force", "false");
      if (!out.ok() || out->empty()) return Usage("--out is needed", SpecUsage(spec));
      if (!force.ok() || (*force != "true" && *force != "false")) {
        return Usage("--force takes no value", SpecUsage(spec));
      }
      if (absl::Status written = WriteNewFile(*out, bytes, *force == "true"); !written.ok()) {
        return Report(written);
      }
      std::cout << "wrote " << bytes.size() << " bytes to " << *out << "\n";
      if (line.flags.count("out") == 0 && safe_name != evidence.file_name()) {
        std::cout << "(the uploader named it \"" << absl::CHexEscape(evidence.file_name())
                  << "\", which is not a plain file name)\n";
      }
      return kExitOk;
    }
    case Kind::kLists: {
      auto reply = client.Call(&v1::SupervisionService::Stub::ListRectificationLists,
                               static_cast<const v1::ListRectificationListsRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      std::vector<std::vector<std::string>> rows;
      for (const v1::RectificationList& list : reply->lists()) {
        rows.push_back({list.list_id(), ShortEnumName(v1::ListStatus_Name(list.status()),
                                                      "LIST_STATUS_"),
                        list.region_code(), list.owner_unit(), list.title()});
      }
      std::cout << FormatTable({"LIST", "STATUS", "REGION", "OWNER", "TITLE"}, rows);
      return kExitOk;
    }
    case Kind::kListMutate: {
      absl::StatusOr<v1::RectificationList> list;
      std::unique_ptr<Message> reply;
      auto keep = [&](auto result) {
        if (!result.ok()) {
          list = result.status();
          return;
        }
        list = result->list();
        reply = std::make_unique<std::decay_t<decltype(*result)>>(*std::move(result));
      };
      if (spec.name == "list-create") {
        keep(client.Call(&v1::SupervisionService::Stub::CreateRectificationList,
                         static_cast<const v1::CreateRectificationListRequest&>(request)));
      } else if (spec.name == "list-add") {
        keep(client.Call(&v1::SupervisionService::Stub::AddListItems,
                         static_cast<const v1::AddListItemsRequest&>(request)));
      } else if (spec.name == "list-remove") {
        keep(client.Call(&v1::SupervisionService::Stub::RemoveListItem,
                         static_cast<const v1::RemoveListItemRequest&>(request)));
      } else {
        keep(client.Call(&v1::SupervisionService::Stub::CloseRectificationList,
                         static_cast<const v1::CloseRectificationListRequest&>(request)));
      }
      if (!list.ok()) return Report(list.status());
      if (context.json) return PrintJson(*reply);
      std::cout << list->list_id() << "  "
                << ShortEnumName(v1::ListStatus_Name(list->status()), "LIST_STATUS_") << "  "
                << list->items_size() << " items  " << list->title() << "\n";
      return kExitOk;
    }
    case Kind::kListShow: {
      auto reply = client.Call(&v1::SupervisionService::Stub::GetRectificationList,
                               static_cast<const v1::GetRectificationListRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      const v1::RectificationList& list = reply->list();
      std::cout << list.list_id() << "  "
                << ShortEnumName(v1::ListStatus_Name(list.status()), "LIST_STATUS_") << "  "
                << list.title() << "\n"
                << "origin: " << list.origin() << "  owner: " << list.owner_unit()
                << "  region: " << list.region_code() << "\n\n";
      std::vector<std::vector<std::string>> items;
      for (const v1::ListItem& item : list.items()) {
        items.push_back({std::to_string(item.item_number()), item.case_id(),
                         ShortTime(item.added_at())});
      }
      std::cout << FormatTable({"NO", "CASE", "ADDED"}, items) << "\n";
      auto row = [](const std::string& unit, const v1::ListProgress& p) {
        return std::vector<std::string>{unit, std::to_string(p.closed()),
                                        std::to_string(p.total()), std::to_string(p.overdue()),
                                        p.total() == 0
                                            ? std::string("no items")
                                            : absl::StrFormat("%.1f%%", p.closure_rate() * 100)};
      };
      std::vector<std::vector<std::string>> rows;
      const UnitLabels unit_label(context, client);
      for (const v1::UnitProgress& unit : reply->unit_progress()) {
        rows.push_back(row(unit.responsible_unit().empty() ? "(unassigned)"
                                                           : unit_label(unit.responsible_unit()),
                           unit.progress()));
      }
      rows.push_back(row("total", reply->progress()));
      std::cout << FormatTable({"UNIT", "CLOSED", "TOTAL", "OVERDUE", "CLOSURE"}, rows);
      return kExitOk;
    }
    case Kind::kListExport: {
      auto out = SingleFlag(line.flags, "out", "");
      if (!out.ok() || out->empty()) return Usage("--out=FILE is needed", SpecUsage(spec));
      std::ofstream file(*out, std::ios::binary | std::ios::trunc);
      if (!file) return Report(absl::InternalError("cannot write " + *out));
      int64_t bytes = 0;
      // The ledger's size is not known before its end: bytes and rate only.
      ProgressReporter progress(std::cerr, context.progress, SystemClock(), "export",
                                ProgressUnit::kBytes);
      progress.Start(0);
      const absl::Status status =
          client.ExportLedger(static_cast<const v1::ExportLedgerRequest&>(request),
                              [&](const std::string& chunk) {
                                file << chunk;
                                bytes += static_cast<int64_t>(chunk.size());
                                progress.Update(bytes);
                              });
      progress.Finish();
      file.close();
      if (!status.ok()) return Report(status);
      if (!file) return Report(absl::InternalError("cannot write " + *out));
      std::cout << "wrote " << bytes << " bytes to " << *out << "\n";
      return kExitOk;
    }
    case Kind::kNotices: {
      auto reply = client.Call(&v1::SupervisionService::Stub::ListNotices,
                               static_cast<const v1::ListNoticesRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      std::vector<std::vector<std::string>> rows;
      const UnitLabels unit_label(context, client);
      for (const v1::UnitNotices& unit : reply->units()) {
        for (const v1::Notice& notice : unit.notices()) {
          rows.push_back({unit_label(unit.responsible_unit()),
                          ShortEnumName(v1::NoticeReason_Name(notice.reason()), "NOTICE_REASON_"),
                          notice.case_id(), std::to_string(notice.days()), notice.title()});
        }
      }
      std::cout << FormatTable({"UNIT", "REASON", "CASE", "DAYS", "TITLE"}, rows);
      return kExitOk;
    }
    case Kind::kMonthly: {
      auto html_file = SingleFlag(line.flags, "html", "");
      if (!html_file.ok() || (line.flags.count("html") > 0 && html_file->empty())) {
        return Usage("--html takes one FILE", SpecUsage(spec));
      }
      auto reply = client.Call(&v1::SupervisionService::Stub::GetMonthlyReport,
                               static_cast<const v1::GetMonthlyReportRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (!html_file->empty()) {
        // Written only once the report is in hand, so a refused call leaves
        // an earlier page in place.
        const std::string page = RenderMonthlyReportHtml(*reply);
        std::ofstream file(*html_file, std::ios::binary | std::ios::trunc);
        file << page;
        file.close();
        if (!file) return Report(absl::InternalError("cannot write " + *html_file));
        std::cout << "wrote " << page.size() << " bytes to " << *html_file << "\n";
        return kExitOk;
      }
      if (context.json) return PrintJson(*reply);
      auto row = [](const std::string& group, const std::string& key,
                    const v1::ReportFigures& f) {
        return std::vector<std::string>{
            group, key, std::to_string(f.new_cases()), std::to_string(f.assigned()),
            std::to_string(f.rectifying()), std::to_string(f.verified()),
            std::to_string(f.closed()), std::to_string(f.overdue()),
            std::to_string(f.closed_to_date()), std::to_string(f.open_at_end()),
            absl::StrFormat("%.1f%%", f.closure_rate() * 100),
            absl::StrFormat("%g", f.median_days_to_close())};
      };
      std::vector<std::vector<std::string>> rows = {row("total", "", reply->total())};
      for (const auto& r : reply->by_category()) {
        rows.push_back(row("category", ShortEnumName(r.key(), "CATEGORY_"), r.figures()));
      }
      // A region row reads "620722101 洪水镇": the code and the name the
      // server's region directory gives.
      for (const auto& r : reply->by_region()) {
        rows.push_back(row("region", r.name().empty() ? r.key() : absl::StrCat(r.key(), " ", r.name()),
                           r.figures()));
      }
      const UnitLabels unit_label(context, client);
      for (const auto& r : reply->by_unit()) {
        rows.push_back(
            row("unit", r.key().empty() ? "(unassigned)" : unit_label(r.key()), r.figures()));
      }
      std::cout << absl::StrFormat("monthly report %04d-%02d, region %s, as of %s (China time)\n",
                                   reply->year(), reply->month(), reply->region_prefix(),
                                   absl::FormatTime("%Y-%m-%d %H:%M", ToTime(reply->as_of()),
                                                    rectify::ChinaTimeZone()));
      std::cout << FormatTable({"GROUP", "KEY", "NEW", "ASSIGNED", "RECTIFYING", "VERIFIED",
                                "CLOSED", "OVERDUE", "CLOSED_TO_DATE", "OPEN", "CLOSURE",
                                "MEDIAN_DAYS"},
                               rows);
      std::vector<std::vector<std::string>> notice_rows;
      for (const v1::UnitNotices& unit : reply->notices()) {
        for (const v1::Notice& notice : unit.notices()) {
          notice_rows.push_back(
              {unit_label(unit.responsible_unit()),
               ShortEnumName(v1::NoticeReason_Name(notice.reason()), "NOTICE_REASON_"),
               notice.case_id(), std::to_string(notice.days()), notice.title()});
        }
      }
      std::cout << absl::StrFormat(
          "\nnotices at the month's end (no progress: %d days, not started: %d days): %d\n",
          reply->no_progress_days(), reply->not_started_days(), notice_rows.size());
      if (!notice_rows.empty()) {
        std::cout << FormatTable({"UNIT", "REASON", "CASE", "DAYS", "TITLE"}, notice_rows);
      }
      return kExitOk;
    }
    case Kind::kUnits: {
      auto reply = client.Call(&v1::UnitService::Stub::ListUnits,
                               static_cast<const v1::ListUnitsRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      std::vector<std::vector<std::string>> rows;
      for (const v1::Unit& unit : reply->units()) rows.push_back(UnitRow(unit));
      std::cout << FormatTable(kUnitHeader, rows);
      if (!reply->next_page_token().empty()) {
        std::cout << "more: --page_token=" << reply->next_page_token() << "\n";
      }
      return kExitOk;
    }
    case Kind::kUnitShow: {
      auto reply = client.Call(&v1::UnitService::Stub::GetUnit,
                               static_cast<const v1::GetUnitRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      return PrintUnit(context, *reply);
    }
    case Kind::kUnitMutate: {
      absl::StatusOr<v1::UnitResponse> reply;
      if (spec.name == "unit-create") {
        reply = client.Call(&v1::UnitService::Stub::CreateUnit,
                            static_cast<const v1::CreateUnitRequest&>(request));
      } else if (spec.name == "unit-update") {
        reply = client.Call(&v1::UnitService::Stub::UpdateUnit,
                            static_cast<const v1::UpdateUnitRequest&>(request));
      } else if (spec.name == "unit-retire") {
        reply = client.Call(&v1::UnitService::Stub::RetireUnit,
                            static_cast<const v1::RetireUnitRequest&>(request));
      } else {
        reply = client.Call(&v1::UnitService::Stub::ReactivateUnit,
                            static_cast<const v1::ReactivateUnitRequest&>(request));
      }
      if (!reply.ok()) return Report(reply.status());
      return PrintUnit(context, *reply);
    }
    case Kind::kUnitHistory: {
      auto reply = client.Call(&v1::UnitService::Stub::GetUnitHistory,
                               static_cast<const v1::GetUnitHistoryRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      return PrintEvents(reply->events(), reply->next_page_token());
    }
    case Kind::kPenaltyStep: {
      absl::StatusOr<PenaltyReply> reply = SendPenaltyStep(client, request);
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply->response);
      std::cout << PenaltyCaseLine(reply->penalty_case);
      return kExitOk;
    }
    case Kind::kPenaltyShow: {
      auto reply = client.Call(&v1::PenaltyService::Stub::GetPenaltyCase,
                               static_cast<const v1::GetPenaltyCaseRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      std::cout << FormatPenaltyCase(*reply);
      return kExitOk;
    }
    case Kind::kPenaltyList: {
      auto reply = client.Call(&v1::PenaltyService::Stub::ListPenaltyCases,
                               static_cast<const v1::ListPenaltyCasesRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      std::cout << FormatTable(PenaltyQueueHeader(), PenaltyQueueRows(*reply));
      if (!reply->next_page_token().empty()) {
        std::cout << "more: --page_token=" << reply->next_page_token() << "\n";
      }
      return kExitOk;
    }
    case Kind::kPenaltyHistory: {
      auto reply = client.Call(&v1::PenaltyService::Stub::GetPenaltyCaseHistory,
                               static_cast<const v1::GetPenaltyCaseHistoryRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      if (context.json) return PrintJson(*reply);
      return PrintEvents(reply->events(), reply->next_page_token());
    }
    case Kind::kPenaltyExport: {
      auto out = SingleFlag(line.flags, "out", "");
      if (!out.ok() || out->empty()) return Usage("--out=FILE is needed", SpecUsage(spec));
      const std::string out_file = *out;
      auto reply = client.Call(&v1::PenaltyService::Stub::ExportPenaltyPublication,
                               static_cast<const v1::ExportPenaltyPublicationRequest&>(request));
      if (!reply.ok()) return Report(reply.status());
      // Written only once the server answered: a refusal leaves an earlier file.
      const std::string csv = PublicationCsv(*reply);
      std::ofstream file(out_file, std::ios::binary | std::ios::trunc);
      file << csv;
      file.close();
      if (!file) return Report(absl::InternalError("cannot write " + out_file));
      std::cout << "wrote " << reply->entries_size() << " entries (" << csv.size()
                << " bytes) to " << out_file << "\n";
      return kExitOk;
    }
    default:
      return Usage("internal: not a read", kUsage);
  }
}

// FillRequest, and a complaint's site-check documents given as
// --document=FILE_NAME:SHA256 (an inspection record).
absl::Status FillComplaintRequest(const Spec& spec, const CommandLine& line, Message& request) {
  std::vector<std::string> own_args;
  RETURN_IF_ERROR(FillRequest(spec, line, request, &own_args));
  if (auto* close = dynamic_cast<v1::CloseComplaintUnfoundedRequest*>(&request)) {
    for (const std::string& value : RepeatedFlag(line.flags, "document")) {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos || colon == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("--document=", value, " is not FILE_NAME:SHA256"));
      }
      v1::SiteCheckDocument& document = *close->add_check_documents();
      document.set_kind(v1::EVIDENCE_KIND_INSPECTION_RECORD);
      document.set_file_name(value.substr(0, colon));
      document.set_sha256(value.substr(colon + 1));
    }
  }
  return absl::OkStatus();
}

// Calls the spec's ComplaintService method and prints its reply: the queue,
// one complaint, a history, or the complaint after a step (in Chinese).
int RunComplaint(const Context& context, const Spec& spec, const Message& request) {
  if (context.dry_run) return PrintJson(request);
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), kUsage);
  absl::StatusOr<std::unique_ptr<Message>> reply =
      CallComplaintService(**client, spec.command_field, request);
  if (!reply.ok()) return Report(reply.status());
  if (context.json) return PrintJson(**reply);
  if (const auto* list = dynamic_cast<const v1::ListComplaintsResponse*>(reply->get())) {
    std::cout << FormatComplaintQueue(*list);
  } else if (const auto* get = dynamic_cast<const v1::GetComplaintResponse*>(reply->get())) {
    std::cout << FormatComplaint(get->complaint(), get->clocks());
  } else if (const auto* history =
                 dynamic_cast<const v1::GetComplaintHistoryResponse*>(reply->get())) {
    return PrintEvents(history->events(), history->next_page_token());
  } else {
    // Every step answers with the complaint after it (and open-case with the
    // new case's id).
    const FieldDescriptor* field = (*reply)->GetDescriptor()->FindFieldByName("complaint");
    if (field == nullptr) return PrintJson(**reply);
    const auto& complaint =
        static_cast<const v1::Complaint&>((*reply)->GetReflection()->GetMessage(**reply, field));
    std::cout << FormatComplaint(complaint, {});
    if (const auto* opened = dynamic_cast<const v1::OpenCaseFromComplaintResponse*>(reply->get())) {
      std::cout << "已立案 " << opened->case_id() << "\n";
    }
  }
  return kExitOk;
}

// A file that cannot be imported: the reason, "nothing imported", exit 2.
int FileProblem(const std::string& problem) {
  std::fprintf(stderr, "rectifyctl: %s\nrectifyctl: nothing imported\n", problem.c_str());
  return kExitUsage;
}

// Imports a 12369 export (client/complaint_csv.h): every problem the file's
// form shows, or the server's bad rows, by line, and nothing written; else
// one line per row.
int RunImportComplaints(const Context& context, const std::string& path) {
  // Bounded before it is read: an export of more than 4 MiB is refused.
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (!size_error && size > kMaxComplaintCsvBytes) {
    return FileProblem(absl::StrCat(path, " has ", size, " bytes; at most ",
                                    kMaxComplaintCsvBytes, " are imported"));
  }
  absl::StatusOr<std::string> bytes = ReadWholeFile(path);
  if (!bytes.ok()) return FileProblem(std::string(bytes.status().message()));
  absl::StatusOr<DecodedExport> decoded = DecodeExport(*bytes);
  if (!decoded.ok()) return FileProblem(absl::StrCat(path, ": ", decoded.status().message()));
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(decoded->text);
  if (!records.ok()) return FileProblem(absl::StrCat(path, ": ", records.status().message()));
  ComplaintCsv csv = ToImportRows(*records);
  if (!csv.problems.empty()) {
    for (const CsvProblem& problem : csv.problems) {
      std::fprintf(stderr, "%s:%d: %s%s%s (%s)\n", path.c_str(), problem.line,
                   problem.column.c_str(), problem.column.empty() ? "" : ": ",
                   problem.message_zh.c_str(), problem.message.c_str());
    }
    std::fprintf(stderr, "rectifyctl: nothing imported: %zu problem(s) in %s\n",
                 csv.problems.size(), path.c_str());
    return kExitUsage;
  }
  v1::ImportComplaintsRequest request;
  request.set_command_id(RandomCommandId());
  for (v1::ComplaintImportRow& row : csv.rows) *request.add_rows() = std::move(row);
  if (context.dry_run) return PrintJson(request);
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), kUsage);
  auto reply = (*client)->Call(&v1::ComplaintService::Stub::ImportComplaints, request);
  if (!reply.ok()) return Report(reply.status());
  if (!reply->committed()) {
    for (const v1::ComplaintImportProblem& problem : reply->problems()) {
      std::fprintf(stderr, "%s:%d: %s: %s (%s)\n", path.c_str(), problem.row_number(),
                   problem.field().c_str(), problem.message_zh().c_str(),
                   problem.message().c_str());
    }
    std::fprintf(stderr, "rectifyctl: nothing imported: the server refused %d row(s) of %s\n",
                 reply->problems_size(), path.c_str());
    if (context.json) PrintJson(*reply);
    return kExitRefused;
  }
  if (context.json) return PrintJson(*reply);
  for (const v1::ComplaintImportResult& result : reply->results()) {
    std::cout << (result.already_present() ? "exists   " : "imported ") << result.ticket_number()
              << "  " << result.complaint_id() << "  (line " << result.row_number() << ")\n";
  }
  std::cout << "导入 " << reply->imported() << " 件，已存在 " << reply->already_present()
            << " 件 (" << reply->imported() << " imported, " << reply->already_present()
            << " already present)\n";
  return kExitOk;
}

std::string StateName(OutboxState state) {
  switch (state) {
    case OutboxState::kPending:
      return "pending";
    case OutboxState::kSent:
      return "sent";
    case OutboxState::kSetAside:
      return "set aside";
  }
  return "";
}

int RunOutbox(const Context& context) {
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(context.OutboxDir());
  if (!outbox.ok()) return Report(outbox.status());
  absl::StatusOr<std::vector<OutboxEntry>> entries = (*outbox)->Entries();
  if (!entries.ok()) return Report(entries.status());
  if (context.json) {
    google::protobuf::Struct reply;
    auto* list = (*reply.mutable_fields())["entries"].mutable_list_value();
    for (const OutboxEntry& entry : *entries) {
      auto& fields = *list->add_values()->mutable_struct_value()->mutable_fields();
      fields["seq"].set_number_value(static_cast<double>(entry.seq));
      fields["state"].set_string_value(StateName(entry.state));
      fields["command"].set_string_value(CommandName(entry.command));
      fields["command_id"].set_string_value(entry.command.command_id());
      fields["case_ref"].set_string_value(RequestString(entry.command, "case_id").empty()
                                              ? entry.local_ref
                                              : RequestString(entry.command, "case_id"));
      fields["case_id"].set_string_value(entry.case_id);
      if (entry.state == OutboxState::kSetAside) {
        fields["code"].set_string_value(absl::StatusCodeToString(entry.refusal.code()));
        fields["reason"].set_string_value(std::string(entry.refusal.message()));
        if (const auto reason = UserMessageOf(entry.refusal)) {
          fields["reason_zh"].set_string_value(reason->zh_cn());
        }
      }
    }
    return PrintJson(reply);
  }
  std::vector<std::vector<std::string>> rows;
  for (const OutboxEntry& entry : *entries) {
    const std::string ref = entry.local_ref.empty() ? RequestString(entry.command, "case_id")
                                                    : entry.local_ref;
    std::string note;
    if (entry.state == OutboxState::kSent) note = "→ " + entry.case_id;
    if (entry.state == OutboxState::kSetAside) {
      const auto reason = UserMessageOf(entry.refusal);
      note = absl::StrCat(absl::StatusCodeToString(entry.refusal.code()), ": ",
                          reason ? reason->zh_cn() : std::string(entry.refusal.message()));
    }
    rows.push_back({std::to_string(entry.seq), StateName(entry.state), CommandName(entry.command),
                    ref, entry.command.command_id(), note});
  }
  std::cout << FormatTable({"#", "STATE", "COMMAND", "CASE", "COMMAND ID", "RESULT"}, rows);
  return kExitOk;
}

int RunSync(const Context& context) {
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(context.OutboxDir());
  if (!outbox.ok()) return Report(outbox.status());
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), kUsage);
  int64_t pending = 0;
  if (absl::StatusOr<std::vector<OutboxEntry>> entries = (*outbox)->Entries(); entries.ok()) {
    for (const OutboxEntry& entry : *entries) pending += entry.state == OutboxState::kPending;
  }
  ProgressReporter progress(std::cerr, context.progress, SystemClock(), "sync",
                            ProgressUnit::kCommands);
  progress.Start(pending);
  int64_t tried = 0;
  const SyncResult result =
      (*outbox)->Sync([&](const v1::Command& command) -> absl::StatusOr<std::string> {
        absl::StatusOr<CommandReply> reply = SendCommand(**client, command);
        // Answered (sent or refused) counts; a stop leaves it pending.
        if (reply.ok() || IsRefusal(reply.status().code())) progress.Update(++tried);
        if (!reply.ok()) return reply.status();
        return reply->case_state.case_id();
      });
  progress.Finish();
  std::cout << "sent " << result.sent << ", set aside " << result.set_aside << ", pending "
            << result.pending << "\n";
  if (result.set_aside > 0) std::cout << "see `rectifyctl outbox` for the server's reasons\n";
  if (!result.stopped.ok()) return Report(result.stopped);
  return kExitOk;
}

// Money flags typed in yuan (Spec.money) set their fen fields exactly (never
// through a floating point).
absl::Status ApplyMoneyFlags(const Spec& spec, const CommandLine& line, Message& request) {
  for (const auto& [flag, path] : spec.money) {
    if (line.flags.count(flag) == 0) continue;
    ASSIGN_OR_RETURN(std::string text, SingleFlag(line.flags, flag, ""));
    ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--" + flag, text));
    RETURN_IF_ERROR(SetFieldFromText(request, path, std::to_string(fen), "--" + flag));
  }
  return absl::OkStatus();
}

int Main(const std::vector<std::string>& args) {
  absl::StatusOr<CommandLine> parsed =
      ParseCommandLine(args, {"json", "help", "offline", "tls", "dry_run", "granted", "passed",
                              "filter.overdue_only", "overdue", "force", "ids",
                              "include_retired", "anonymous", "details.anonymous", "interim",
                              "overdue_only", "waived", "unpublished", "unpublished_only"});
  if (!parsed.ok()) return Usage(std::string(parsed.status().message()), kUsage);
  CommandLine line = std::move(*parsed);
  if (line.subcommand.empty() || line.subcommand == "help" ||
      line.global_flags.count("help") > 0) {
    const bool asked = line.subcommand == "help" || line.global_flags.count("help") > 0;
    std::fputs(kUsage, asked ? stdout : stderr);
    return asked ? kExitOk : kExitUsage;
  }
  if (absl::Status known = CheckKnownFlags(
          line.global_flags, {"server", "token", "json", "config", "tls", "tls_ca", "tls_cert",
                              "tls_key", "timeout", "offline", "client_dir", "dry_run", "ids",
                              "progress"});
      !known.ok()) {
    return Usage(std::string(known.message()), kUsage);
  }
  // Two-word subcommands: "referral approve", "evidence upload", "list export"
  // (`list` itself takes no arguments).
  std::string name = line.subcommand;
  if (!line.arguments.empty() &&
      (name == "referral" || name == "evidence" || name == "complaint" || name == "penalty" ||
       (name == "list" && line.arguments.front() == "export"))) {
    name = absl::StrCat(name, " ", line.arguments.front());
    line.arguments.erase(line.arguments.begin());
  }
  const Spec* spec = FindSpec(name);
  if (spec == nullptr) return Usage(absl::StrCat("unknown command \"", name, "\""), kUsage);
  if (line.flags.count("help") > 0) {
    std::fputs(SpecUsage(*spec).c_str(), stdout);
    return kExitOk;
  }

  // Settings: a flag, else the environment, else the config file, else the default.
  std::map<std::string, std::string> global;
  for (const auto& [flag, value] : line.global_flags) {
    if (global.count(flag) > 0) return Usage("flag --" + flag + " is given more than once", kUsage);
    global[flag] = value;
  }
  const bool explicit_config = global.count("config") > 0;
  absl::StatusOr<std::map<std::string, std::string>> config =
      LoadConfig(explicit_config ? global["config"] : DefaultConfigPath(), explicit_config);
  if (!config.ok()) return Usage(std::string(config.status().message()), kUsage);
  auto setting = [&](const std::string& key, const char* env,
                     const std::string& fallback) -> std::string {
    if (global.count(key) > 0) return global[key];
    if (env != nullptr) {
      if (const char* value = std::getenv(env); value != nullptr) return value;
    }
    if (config->count(key) > 0) return config->at(key);
    return fallback;
  };
  Context context;
  context.options.server = setting("server", "RECTIFY_SERVER", context.options.server);
  context.options.token = setting("token", "RECTIFY_TOKEN", "");
  context.options.tls = setting("tls", nullptr, "false") == "true";
  context.options.tls_ca = setting("tls_ca", nullptr, "");
  context.options.tls_cert = setting("tls_cert", nullptr, "");
  context.options.tls_key = setting("tls_key", nullptr, "");
  const std::string timeout = setting("timeout", nullptr, config->count("timeout_seconds") > 0
                                                              ? config->at("timeout_seconds")
                                                              : "10");
  double timeout_seconds = 0;
  if (!absl::SimpleAtod(timeout, &timeout_seconds) || timeout_seconds <= 0) {
    return Usage("--timeout must be a positive number of seconds", kUsage);
  }
  context.options.call_timeout = absl::Seconds(timeout_seconds);
  absl::StatusOr<ProgressMode> progress_mode =
      ParseProgressMode(global.count("progress") > 0 ? global["progress"] : "auto");
  if (!progress_mode.ok()) return Usage(std::string(progress_mode.status().message()), kUsage);
  context.progress = ChooseProgressStyle(*progress_mode, STDERR_FILENO);
  context.json = global.count("json") > 0 && global["json"] == "true";
  context.offline = global.count("offline") > 0 && global["offline"] == "true";
  context.dry_run = global.count("dry_run") > 0 && global["dry_run"] == "true";
  context.ids = global.count("ids") > 0 && global["ids"] == "true";
  context.client_dir = setting("client_dir", "RECTIFY_CLIENT_DIR", DefaultClientDir());
  if (context.client_dir.empty() && (context.offline || spec->kind == Kind::kSync ||
                                     spec->kind == Kind::kOutbox)) {
    return Usage("--client_dir is needed (no $HOME)", kUsage);
  }

  switch (spec->kind) {
    case Kind::kReport: {
      absl::StatusOr<v1::ReportCaseRequest> request = BuildReport(line);
      if (!request.ok()) return Usage(std::string(request.status().message()), kReportUsage);
      v1::Command command;
      *command.mutable_report_case() = std::move(*request);
      return RunMutation(context, *spec, std::move(command));
    }
    case Kind::kMutate: {
      v1::Command command;
      Message* request = command.GetReflection()->MutableMessage(
          &command, v1::Command::descriptor()->FindFieldByName(spec->command_field));
      std::vector<std::string> own_args;
      if (absl::Status filled = FillRequest(*spec, line, *request, &own_args); !filled.ok()) {
        return Usage(std::string(filled.message()), SpecUsage(*spec));
      }
      return RunMutation(context, *spec, std::move(command));
    }
    case Kind::kImportComplaints:
      if (line.arguments.size() != 1 || !line.flags.empty()) {
        return Usage("import-complaints takes one FILE", SpecUsage(*spec));
      }
      return RunImportComplaints(context, line.arguments[0]);
    case Kind::kComplaint: {
      std::unique_ptr<Message> request(spec->prototype->New());
      std::vector<std::string> own_args;
      if (absl::Status filled = FillComplaintRequest(*spec, line, *request); !filled.ok()) {
        return Usage(std::string(filled.message()), SpecUsage(*spec));
      }
      return RunComplaint(context, *spec, *request);
    }
    case Kind::kImportUnits:
      if (line.arguments.size() != 1 || !line.flags.empty()) {
        return Usage("import-units takes one FILE", SpecUsage(*spec));
      }
      return RunImportUnits(context, line.arguments[0]);
    case Kind::kSync:
    case Kind::kOutbox:
      if (!line.arguments.empty() || !line.flags.empty()) {
        return Usage(absl::StrCat(spec->name, " takes no arguments or flags"), SpecUsage(*spec));
      }
      return spec->kind == Kind::kSync ? RunSync(context) : RunOutbox(context);
    default: {
      std::unique_ptr<Message> request(spec->prototype->New());
      std::vector<std::string> own_args;
      if (absl::Status filled = FillRequest(*spec, line, *request, &own_args); !filled.ok()) {
        return Usage(std::string(filled.message()), SpecUsage(*spec));
      }
      if (absl::Status money = ApplyMoneyFlags(*spec, line, *request); !money.ok()) {
        return Usage(std::string(money.message()), SpecUsage(*spec));
      }
      return RunRead(context, *spec, *request, own_args, line);
    }
  }
}

}  // namespace
}  // namespace rectify::client

int main(int argc, char** argv) {
  return rectify::client::Main(std::vector<std::string>(argv + 1, argv + argc));
}
