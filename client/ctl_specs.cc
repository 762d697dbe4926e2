// The table of rectifyctl's subcommands; see ctl_specs.h.
#include "client/ctl_specs.h"

#include "rectify/v1/command.pb.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/complaint_service.pb.h"
#include "rectify/v1/penalty_service.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "rectify/v1/unit_service.pb.h"

namespace rectify::client::ctl {
namespace {

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

// Short flags of a reported case's description (the request's own paths
// work too: --location.region_code is --region).
const std::map<std::string, std::string> kReportAliases = {
    {"source_ref", "source_reference"},
    {"region", "location.region_code"},
    {"address", "location.address"},
    {"lat", "location.point.latitude"},
    {"lon", "location.point.longitude"},
    {"subject", "subject.name"},
    {"credit_code", "subject.unified_social_credit_code"},
    {"complainant", "complainant.name"},
    {"phone", "complainant.phone"},
    {"tag", "tags"}};

}  // namespace

const std::vector<Spec>& Specs() {
  static const auto* specs = new std::vector<Spec>{
      {"report", Kind::kReport, "Reports a new case (FOUND).", "report_case", nullptr, {},
       kReportAliases},
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
      {"complaint document-upload", Kind::kUpload,
       "Uploads a document of the site check (现场检查笔录, a photo) to an ACCEPTED complaint "
       "before close-unfounded names it (SHA-256 and size computed here). SUPERVISOR.",
       "", &v1::UploadSiteCheckDocumentMetadata::default_instance(),
       {{"COMPLAINT_ID", "complaint_id"}, {"FILE", ""}}, {}},
      {"complaint document-download", Kind::kDownload,
       "Downloads a complaint's site-check document and checks its SHA-256. Whoever reads the "
       "complaint.",
       "", &v1::DownloadSiteCheckDocumentRequest::default_instance(),
       {{"COMPLAINT_ID", "complaint_id"}, {"DOCUMENT_ID", "document_id"}}, {},
       {{"out=FILE", "where to write the bytes (default: the document's file name, reduced to a "
                     "plain name in this folder)"},
        {"force", "overwrite FILE if it exists (default: refuse)"}}},
      {"complaint close-unfounded", Kind::kComplaint,
       "Closes an ACCEPTED complaint as unfounded after a site check (查无实据): --checked_at, "
       "--inspector (repeat), --findings, --document=DOCUMENT_ID:SHA256:SIZE (repeat; as "
       "document-upload printed it). SUPERVISOR.",
       "CloseComplaintUnfounded", &v1::CloseComplaintUnfoundedRequest::default_instance(),
       kComplaintId, {{"inspector", "inspectors"}},
       {{"document=ID:SHA256:SIZE", "an uploaded document of the site check; repeat, 1-20"}}},
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


std::string ExtraFlagName(const std::string& extra_flag) {
  return extra_flag.substr(0, extra_flag.find('='));
}

}  // namespace rectify::client::ctl
