// Writes the seed corpus of every fuzz target into tests/fuzz/corpus/: real
// inputs made with the real code (commands that drive a case through each
// path, stored events and keys, outcomes, tokens, the shipped config files,
// the sample monthly report), so that fuzzing starts from the formats'
// interesting corners instead of random bytes. Run it again when a format
// changes:
//
//   bazel run //tests/fuzz:make_seeds
//
// (it writes into the source tree named by BUILD_WORKSPACE_DIRECTORY, or
// into the folder given as its argument).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "rectify/v1/command.pb.h"
#include "server/page_token.h"
#include "server/pipeline.h"
#include "storage/counters.h"
#include "storage/keys.h"
#include "tests/client/sample_monthly_report.h"
#include "tests/workflow/case_builder.h"
#include "workflow/decider.h"
#include "workflow/lists.h"

namespace rectify::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kSeparator = '\xff';
constexpr char kListId[] = "L-620722-2026-0001";

fs::path corpus_root;
fs::path source_root;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  const fs::path folder = corpus_root / target;
  fs::create_directories(folder);
  std::ofstream out(folder / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", (folder / name).c_str());
    std::exit(1);
  }
}

std::string ReadSource(const std::string& path) {
  std::ifstream in(source_root / path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", (source_root / path).c_str());
    std::exit(1);
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string Frame(const std::string& bytes) {
  std::string framed;
  framed.push_back(static_cast<char>(bytes.size() >> 8));
  framed.push_back(static_cast<char>(bytes.size() & 0xFF));
  return framed + bytes;
}

// ------------------------------------------------------------ command_fuzzer

// Records commands as command_fuzzer reads them while a CaseDriver runs them.
class Recorder {
 public:
  Recorder() : driver_(NoticePolicy()) {}

  // Moves the clock by `hours` (up to 255 per record) and tries `command`
  // as the standard principal of `role`.
  void Send(const v1::Command& command, v1::Role role, int hours = 1) {
    Advance(hours);
    AppendRecord(static_cast<uint8_t>(role - 1), 0, command.SerializeAsString());
    const v1::Principal principal = PrincipalOf(role);
    if (command.request_case() >= v1::Command::kCreateRectificationList) {
      SendList(command, principal);
    } else {
      (void)driver_.Try(command, principal);
    }
  }
  void Send(Kind kind, int hours = 1) {
    Advance(hours);
    const v1::Principal principal = AllowedPrincipal(kind);
    const v1::Command command = MakeCommand(kind, driver_.state(), driver_.now(), principal);
    AppendRecord(static_cast<uint8_t>(principal.role() - 1), 0, command.SerializeAsString());
    (void)driver_.Try(command, principal);
  }
  const v1::Case& state() const { return driver_.state(); }
  const CaseDriver& driver() const { return driver_; }
  const v1::RectificationList& list() const { return list_; }
  const std::string& bytes() const { return bytes_; }

 private:
  void Advance(int hours) {
    // The driver moves by all of it; records with an empty command only
    // move the fuzzer's clock by 255 hours each.
    driver_.Advance(absl::Hours(hours));
    while (hours > 255) {
      AppendRecord(0, 255, "");
      hours -= 255;
    }
    pending_hours_ = hours;
  }
  void AppendRecord(uint8_t principal, uint8_t hours, const std::string& command) {
    bytes_.push_back(static_cast<char>(principal));
    bytes_.push_back(static_cast<char>(hours == 0 ? pending_hours_ : hours));
    bytes_ += Frame(command);
  }
  void SendList(const v1::Command& command, const v1::Principal& principal) {
    std::map<std::string, v1::Case> cases;
    if (driver_.state().version() > 0) cases[driver_.state().case_id()] = driver_.state();
    absl::StatusOr<workflow::ListDecision> decision =
        workflow::DecideList(list_, cases, command, principal, driver_.now(), driver_.policy());
    if (!decision.ok()) return;
    for (const v1::Event& event : decision->list_events) {
      if (!workflow::EvolveList(list_, event).ok()) std::abort();
    }
  }

  CaseDriver driver_;
  v1::RectificationList list_;
  std::string bytes_;
  int pending_hours_ = 0;
};

v1::Command ListCommand(int sequence) {
  v1::Command command;
  command.set_stream_id(kListId);
  command.set_command_id(absl::StrCat("list-", sequence));
  return command;
}

// The complaint seeds' first steps: a 12369 complaint from a named caller
// in 620722, received and accepted with the caller told by phone
// (command_fuzzer numbers it XF-620722-2026-000001). `next` gives each
// command its id.
void ReceiveAndAccept(Recorder& recorder, const std::function<v1::Command()>& next,
                      v1::ComplaintChannel channel, const std::string& ticket,
                      const std::string& title, const std::string& content,
                      const std::string& name, const std::string& phone) {
  v1::Command receive = next();
  v1::ComplaintDetails& details = *receive.mutable_receive_complaint()->mutable_details();
  details.set_channel(channel);
  details.set_ticket_number(ticket);
  details.set_title(title);
  details.set_content(content);
  details.mutable_location()->set_region_code("620722");
  details.mutable_complainant()->set_name(name);
  details.mutable_complainant()->set_phone(phone);
  recorder.Send(receive, v1::ROLE_SUPERVISOR);
  v1::Command accept = next();
  accept.mutable_accept_complaint()->set_complaint_id("XF-620722-2026-000001");
  accept.mutable_accept_complaint()->mutable_notice()->set_channel(
      v1::COMPLAINANT_NOTICE_CHANNEL_PHONE);
  recorder.Send(accept, v1::ROLE_SUPERVISOR);
}

void CommandSeeds() {
  const std::vector<std::vector<Kind>> paths = {
      {Kind::kReportCase, Kind::kAssignCase, Kind::kStartRectification, Kind::kReportProgress,
       Kind::kRequestExtension, Kind::kDecideExtension, Kind::kSubmitCompletion,
       Kind::kVerifyRectification},
      {Kind::kReportCase, Kind::kAssignCase, Kind::kReassignCase, Kind::kStartRectification,
       Kind::kRecordEvidence, Kind::kSubmitCompletion, Kind::kRaiseObjection},
      {Kind::kReportCase, Kind::kCloseAsUnfounded, Kind::kReopenCase, Kind::kAssignCase},
      {Kind::kReportCase, Kind::kProposeReferral, Kind::kApproveReferral, Kind::kSendReferral,
       Kind::kReceiveReferral, Kind::kExtendReferralReview, Kind::kDecideReferral,
       Kind::kRequestReconsideration, Kind::kDecideReconsideration, Kind::kRequestSupervision,
       Kind::kExplainNonFiling},
      {Kind::kReportCase, Kind::kProposeReferral, Kind::kRefuseReferral, Kind::kProposeReferral,
       Kind::kWithdrawReferral},
  };
  int number = 0;
  for (const std::vector<Kind>& path : paths) {
    Recorder recorder;
    for (Kind kind : path) recorder.Send(kind);
    Write("command", absl::StrCat("path-", ++number), recorder.bytes());
  }
  {
    // To the end: verified, past the public notice, closed; overdue marks.
    Recorder recorder;
    for (Kind kind : {Kind::kReportCase, Kind::kAssignCase, Kind::kStartRectification,
                      Kind::kSubmitCompletion, Kind::kVerifyRectification}) {
      recorder.Send(kind);
    }
    recorder.Send(Kind::kCloseCase, 24 * 30);
    Write("command", "closed", recorder.bytes());
    Recorder late;
    late.Send(Kind::kReportCase);
    late.Send(Kind::kAssignCase);
    late.Send(Kind::kMarkOverdue, 24 * 40);
    Write("command", "overdue", late.bytes());
  }
  // Every kind once on a case that was reported and assigned.
  for (int k = 0; k < kKindCount; ++k) {
    Recorder recorder;
    recorder.Send(Kind::kReportCase);
    recorder.Send(Kind::kAssignCase);
    recorder.Send(static_cast<Kind>(k));
    Write("command", absl::StrCat("kind-", KindName(static_cast<Kind>(k))), recorder.bytes());
  }
  {
    // A rectification list: created, the case added, removed, added, closed.
    Recorder recorder;
    recorder.Send(Kind::kReportCase);
    recorder.Send(Kind::kAssignCase);
    const std::string case_id = recorder.state().case_id();
    v1::Command create = ListCommand(1);
    create.mutable_create_rectification_list()->set_title("2026年第一季度整改清单");
    create.mutable_create_rectification_list()->set_owner_unit("minle-eeb");
    create.mutable_create_rectification_list()->set_region_code("620722");
    recorder.Send(create, v1::ROLE_SUPERVISOR);
    v1::Command add = ListCommand(2);
    add.mutable_add_list_items()->set_list_id(kListId);
    add.mutable_add_list_items()->add_case_ids(case_id);
    recorder.Send(add, v1::ROLE_SUPERVISOR);
    v1::Command remove = ListCommand(3);
    remove.mutable_remove_list_item()->set_list_id(kListId);
    remove.mutable_remove_list_item()->set_case_id(case_id);
    remove.mutable_remove_list_item()->set_reason("重复登记");
    recorder.Send(remove, v1::ROLE_SUPERVISOR);
    add.set_command_id("list-4");
    recorder.Send(add, v1::ROLE_SUPERVISOR);
    v1::Command close = ListCommand(5);
    close.mutable_close_rectification_list()->set_list_id(kListId);
    recorder.Send(close, v1::ROLE_SUPERVISOR);
    Write("command", "list", recorder.bytes());
  }
  {
    // A 12369 complaint: received, accepted, attached to the case, an
    // interim reply, the case closed as unfounded, the final reply, a review
    // asked and answered, a callback (command_fuzzer numbers the complaint
    // XF-620722-2026-000001).
    Recorder recorder;
    recorder.Send(Kind::kReportCase);
    const std::string case_id = recorder.state().case_id();
    const std::string id = "XF-620722-2026-000001";
    int sequence = 0;
    auto next = [&]() {
      v1::Command command;
      command.set_command_id(absl::StrCat("complaint-", ++sequence));
      return command;
    };
    ReceiveAndAccept(recorder, next, v1::COMPLAINT_CHANNEL_PHONE, "12369-620722-2026-00042",
                     "砂石料场夜间扬尘", "北滩村砂石料场夜间作业，扬尘很大。", "李四",
                     "13800000000");
    v1::Command attach = next();
    attach.mutable_attach_complaint_to_case()->set_complaint_id(id);
    attach.mutable_attach_complaint_to_case()->set_case_id(case_id);
    recorder.Send(attach, v1::ROLE_SUPERVISOR);
    v1::Command interim = next();
    interim.mutable_reply_to_complaint()->set_complaint_id(id);
    interim.mutable_reply_to_complaint()->set_text("正在核查");
    interim.mutable_reply_to_complaint()->set_interim(true);
    interim.mutable_reply_to_complaint()->mutable_notice()->set_channel(
        v1::COMPLAINANT_NOTICE_CHANNEL_SMS);
    recorder.Send(interim, v1::ROLE_SUPERVISOR);
    v1::Command unfounded;
    unfounded.set_stream_id(case_id);
    unfounded.set_command_id(absl::StrCat("complaint-", ++sequence));
    unfounded.mutable_close_as_unfounded()->set_case_id(case_id);
    unfounded.mutable_close_as_unfounded()->set_reason("现场核查未发现扬尘");
    recorder.Send(unfounded, v1::ROLE_SUPERVISOR);
    v1::Command reply = interim;
    reply.set_command_id(absl::StrCat("complaint-", ++sequence));
    reply.mutable_reply_to_complaint()->set_interim(false);
    reply.mutable_reply_to_complaint()->set_text("经现场核查，未发现扬尘");
    recorder.Send(reply, v1::ROLE_SUPERVISOR, 24);
    v1::Command review = next();
    review.mutable_request_complaint_review()->set_complaint_id(id);
    review.mutable_request_complaint_review()->set_grounds("夜间仍有扬尘");
    recorder.Send(review, v1::ROLE_SUPERVISOR, 48);
    v1::Command answer = next();
    answer.mutable_answer_complaint_review()->set_complaint_id(id);
    answer.mutable_answer_complaint_review()->set_answer("复查维持原答复");
    answer.mutable_answer_complaint_review()->set_outcome(v1::REVIEW_OUTCOME_UPHELD);
    answer.mutable_answer_complaint_review()->mutable_notice()->set_channel(
        v1::COMPLAINANT_NOTICE_CHANNEL_LETTER);
    recorder.Send(answer, v1::ROLE_SUPERVISOR, 48);
    v1::Command callback = next();
    callback.mutable_record_complaint_callback()->set_complaint_id(id);
    callback.mutable_record_complaint_callback()->set_result(v1::CALLBACK_RESULT_NOT_SATISFIED);
    callback.mutable_record_complaint_callback()->set_note("仍有噪声");
    recorder.Send(callback, v1::ROLE_SUPERVISOR, 24);
    Write("command", "complaint", recorder.bytes());
  }
  {
    // A complaint closed as unfounded after a site check: two documents
    // uploaded (command 190), then the close naming both as stored.
    // "complaint-site-check-refusals": a size that is not the stored one,
    // and a document of another id.
    for (const bool refusals : {false, true}) {
      Recorder recorder;
      const std::string id = "XF-620722-2026-000001";
      int sequence = 0;
      auto next = [&]() {
        v1::Command command;
        command.set_command_id(absl::StrCat("site-check-", ++sequence));
        return command;
      };
      ReceiveAndAccept(recorder, next, v1::COMPLAINT_CHANNEL_WEB, "12369-620722-2026-00077",
                       "河道旁堆放垃圾", "南丰镇河道旁有人堆放生活垃圾。", "王五", "13900000000");
      std::vector<v1::SiteCheckDocument> documents;
      for (const char* name : {"现场检查笔录.pdf", "现场照片.jpg"}) {
        v1::Command upload = next();
        v1::UploadSiteCheckDocumentMetadata& metadata =
            *upload.mutable_upload_site_check_document();
        metadata.set_command_id(upload.command_id());
        metadata.set_complaint_id(id);
        metadata.set_kind(documents.empty() ? v1::EVIDENCE_KIND_DOCUMENT : v1::EVIDENCE_KIND_PHOTO);
        metadata.set_file_name(name);
        metadata.set_media_type(documents.empty() ? "application/pdf" : "image/jpeg");
        metadata.set_sha256(std::string(64, documents.empty() ? 'a' : 'b'));
        metadata.set_size_bytes(documents.empty() ? 2500000 : 480000);
        recorder.Send(upload, v1::ROLE_SUPERVISOR);
        v1::SiteCheckDocument& document = documents.emplace_back();
        document.set_kind(metadata.kind());
        document.set_file_name(metadata.file_name());
        document.set_sha256(metadata.sha256());
        document.set_size(metadata.size_bytes());
        document.set_document_id(absl::StrCat("scd-", documents.size()));
      }
      v1::Command close = next();
      v1::CloseComplaintUnfoundedRequest& request = *close.mutable_close_complaint_unfounded();
      request.set_command_id(close.command_id());
      request.set_complaint_id(id);
      request.mutable_checked_at()->set_seconds(
          absl::ToUnixSeconds(recorder.driver().now() - absl::Minutes(30)));
      request.add_inspectors("insp-li");
      request.set_findings("现场未发现垃圾堆放");
      for (const v1::SiteCheckDocument& document : documents) {
        *request.add_check_documents() = document;
      }
      if (refusals) {
        v1::Command wrong_size = close;
        wrong_size.set_command_id("site-check-wrong-size");
        wrong_size.mutable_close_complaint_unfounded()->mutable_check_documents(0)->set_size(
            2500001);
        recorder.Send(wrong_size, v1::ROLE_SUPERVISOR);
        v1::Command unknown = close;
        unknown.set_command_id("site-check-unknown");
        unknown.mutable_close_complaint_unfounded()->mutable_check_documents(1)->set_document_id(
            "scd-9");
        recorder.Send(unknown, v1::ROLE_SUPERVISOR);
      }
      recorder.Send(close, v1::ROLE_SUPERVISOR, 2);
      Write("command", refusals ? "complaint-site-check-refusals" : "complaint-site-check",
            recorder.bytes());
    }
  }
  {
    // A penalty case (workflow/penalties.h) from the case through every
    // step: filing extended and approved, investigation by two inspectors,
    // prior notice, hearing requested, scheduled 20 days ahead and held, the
    // decision period extended, the decision served, a reconsideration
    // upheld, an order to correct, the recheck finding the violation
    // continuing (daily penalty d-2 and order o-2), the second recheck
    // finding it corrected, d-2 paid in time, a late lawsuit withdrawn,
    // execution, publication, closing (command_fuzzer numbers the penalty
    // case P-620722-2026-0001). "penalty-refusals": a notice too short for
    // the hearing, a late hearing request, a remedy making the fine heavier.
    for (const bool refusals : {false, true}) {
      Recorder recorder;
      recorder.Send(Kind::kReportCase);
      recorder.Send(Kind::kAssignCase);
      const std::string case_id = recorder.state().case_id();
      const std::string id = "P-620722-2026-0001";
      int sequence = 0;
      auto next = [&]() {
        v1::Command command;
        command.set_command_id(absl::StrCat("penalty-", ++sequence));
        command.set_stream_id(id);
        return command;
      };
      auto officers = [](v1::Command& command,
                         google::protobuf::RepeatedPtrField<std::string>* names) {
        names->Add("insp-zhang");
        names->Add("insp-li");
        *command.add_named_principals() = PrincipalOf(v1::ROLE_INSPECTOR);
        v1::Principal second = PrincipalOf(v1::ROLE_INSPECTOR);
        second.set_principal_id("insp-li");
        *command.add_named_principals() = second;
      };
      auto at = [&](int hours_from_now) {
        google::protobuf::Timestamp timestamp;
        timestamp.set_seconds(
            absl::ToUnixSeconds(recorder.driver().now() + absl::Hours(hours_from_now)));
        return timestamp;
      };
      v1::Command open = next();
      open.clear_stream_id();
      open.mutable_open_penalty_case()->set_source_case_id(case_id);
      open.mutable_open_penalty_case()->set_violation("逾期未整改，继续超标排放");
      recorder.Send(open, v1::ROLE_SUPERVISOR);
      v1::Command extend = next();
      extend.mutable_extend_penalty_filing()->set_penalty_case_id(id);
      extend.mutable_extend_penalty_filing()->set_reason("需补充调查");
      recorder.Send(extend, v1::ROLE_BUREAU_HEAD);
      v1::Command file = next();
      file.mutable_decide_penalty_filing()->set_penalty_case_id(id);
      file.mutable_decide_penalty_filing()->set_approved(true);
      recorder.Send(file, v1::ROLE_BUREAU_HEAD);
      v1::Command investigate = next();
      investigate.mutable_record_penalty_investigation()->set_penalty_case_id(id);
      investigate.mutable_record_penalty_investigation()->set_report("现场查明暗管排放");
      officers(investigate, investigate.mutable_record_penalty_investigation()->mutable_officers());
      recorder.Send(investigate, v1::ROLE_INSPECTOR);
      v1::Command notice = next();
      v1::ServePenaltyPriorNoticeRequest& notify = *notice.mutable_serve_penalty_prior_notice();
      notify.set_penalty_case_id(id);
      notify.set_facts("通过暗管排放水污染物【工艺配方】");
      notify.set_grounds("《中华人民共和国水污染防治法》第八十三条");
      notify.mutable_intended()->add_kinds(v1::PENALTY_KIND_FINE);
      notify.mutable_intended()->set_fine_fen(5'000'000);
      recorder.Send(notice, v1::ROLE_SUPERVISOR);
      v1::Command request = next();
      request.mutable_request_penalty_hearing()->set_penalty_case_id(id);
      recorder.Send(request, v1::ROLE_SUPERVISOR, refusals ? 24 * 20 : 1);
      if (refusals) {
        // Past the window: refused; requested on time (backdated) instead.
        v1::Command backdated = next();
        backdated.mutable_request_penalty_hearing()->set_penalty_case_id(id);
        *backdated.mutable_request_penalty_hearing()->mutable_requested_at() = at(-24 * 19);
        recorder.Send(backdated, v1::ROLE_SUPERVISOR);
      }
      v1::Command schedule = next();
      schedule.mutable_schedule_penalty_hearing()->set_penalty_case_id(id);
      schedule.mutable_schedule_penalty_hearing()->set_place("民乐县生态环境局听证室");
      if (refusals) {
        // Notified 3 days ahead: fewer than 7 working days, refused.
        *schedule.mutable_schedule_penalty_hearing()->mutable_scheduled_for() = at(24 * 3);
        recorder.Send(schedule, v1::ROLE_SUPERVISOR);
        schedule.set_command_id(absl::StrCat("penalty-", ++sequence));
      }
      *schedule.mutable_schedule_penalty_hearing()->mutable_scheduled_for() = at(24 * 20);
      recorder.Send(schedule, v1::ROLE_SUPERVISOR);
      v1::Command period = next();
      period.mutable_extend_penalty_decision_period()->set_penalty_case_id(id);
      period.mutable_extend_penalty_decision_period()->set_reason("案情复杂");
      recorder.Send(period, v1::ROLE_BUREAU_HEAD);
      v1::Command held = next();
      held.mutable_record_penalty_hearing()->set_penalty_case_id(id);
      held.mutable_record_penalty_hearing()->set_record("当事人陈述申辩");
      recorder.Send(held, v1::ROLE_SUPERVISOR, 24 * 21);
      v1::Command decide = next();
      v1::DecidePenaltyRequest& decision = *decide.mutable_decide_penalty();
      decision.set_penalty_case_id(id);
      decision.set_facts(notify.facts());
      decision.set_legal_basis(notify.grounds());
      *decision.mutable_terms() = notify.intended();
      recorder.Send(decide, v1::ROLE_BUREAU_HEAD);
      v1::Command serve = next();
      serve.mutable_serve_penalty_decision()->set_penalty_case_id(id);
      serve.mutable_serve_penalty_decision()->set_decision_id("d-1");
      recorder.Send(serve, v1::ROLE_SUPERVISOR);
      v1::Command remedy = next();
      remedy.mutable_record_penalty_remedy()->set_penalty_case_id(id);
      remedy.mutable_record_penalty_remedy()->set_decision_id("d-1");
      remedy.mutable_record_penalty_remedy()->set_kind(v1::REMEDY_KIND_RECONSIDERATION);
      remedy.mutable_record_penalty_remedy()->set_body("民乐县人民政府");
      recorder.Send(remedy, v1::ROLE_SUPERVISOR);
      v1::Command outcome = next();
      outcome.mutable_decide_penalty_remedy()->set_penalty_case_id(id);
      outcome.mutable_decide_penalty_remedy()->set_decision_id("d-1");
      outcome.mutable_decide_penalty_remedy()->set_kind(v1::REMEDY_KIND_RECONSIDERATION);
      outcome.mutable_decide_penalty_remedy()->set_outcome(v1::REMEDY_OUTCOME_UPHELD);
      if (refusals) {
        v1::Command heavier = outcome;
        heavier.mutable_decide_penalty_remedy()->set_outcome(v1::REMEDY_OUTCOME_CHANGED);
        heavier.mutable_decide_penalty_remedy()->set_changed_fine_fen(5'000'001);
        recorder.Send(heavier, v1::ROLE_SUPERVISOR);
        outcome.set_command_id(absl::StrCat("penalty-", ++sequence));
      }
      recorder.Send(outcome, v1::ROLE_SUPERVISOR);
      v1::Command order = next();
      order.mutable_issue_correction_order()->set_penalty_case_id(id);
      order.mutable_issue_correction_order()->set_requirements("拆除暗管，恢复原状");
      *order.mutable_issue_correction_order()->mutable_correct_by() = at(24 * 10);
      recorder.Send(order, v1::ROLE_SUPERVISOR);
      v1::Command serve_order = next();
      serve_order.mutable_serve_correction_order()->set_penalty_case_id(id);
      serve_order.mutable_serve_correction_order()->set_order_id("o-1");
      recorder.Send(serve_order, v1::ROLE_SUPERVISOR);
      v1::Command recheck = next();
      v1::RecordCorrectionRecheckRequest& found = *recheck.mutable_record_correction_recheck();
      found.set_penalty_case_id(id);
      found.set_order_id("o-1");
      found.set_result(v1::RECHECK_RESULT_CONTINUING);
      found.set_findings("暗管仍在排放");
      officers(recheck, found.mutable_officers());
      *found.mutable_next_correct_by() = at(24 * 40);
      recorder.Send(recheck, v1::ROLE_INSPECTOR, 24 * 10);
      serve = next();
      serve.mutable_serve_penalty_decision()->set_penalty_case_id(id);
      serve.mutable_serve_penalty_decision()->set_decision_id("d-2");
      recorder.Send(serve, v1::ROLE_SUPERVISOR);
      v1::Command publish = next();
      publish.mutable_publish_penalty()->set_penalty_case_id(id);
      publish.mutable_publish_penalty()->set_decision_id("d-2");
      recorder.Send(publish, v1::ROLE_SUPERVISOR);
      serve_order = next();
      serve_order.mutable_serve_correction_order()->set_penalty_case_id(id);
      serve_order.mutable_serve_correction_order()->set_order_id("o-2");
      recorder.Send(serve_order, v1::ROLE_SUPERVISOR);
      recheck.set_command_id(absl::StrCat("penalty-", ++sequence));
      found.set_order_id("o-2");
      found.set_result(v1::RECHECK_RESULT_CORRECTED);
      found.set_findings("暗管已拆除");
      found.clear_next_correct_by();
      recorder.Send(recheck, v1::ROLE_INSPECTOR, 24 * 5);
      v1::Command pay = next();
      pay.mutable_record_penalty_payment()->set_penalty_case_id(id);
      pay.mutable_record_penalty_payment()->set_decision_id("d-2");
      pay.mutable_record_penalty_payment()->set_fine_fen(5'000'000 * 10);
      recorder.Send(pay, v1::ROLE_SUPERVISOR);
      remedy.set_command_id(absl::StrCat("penalty-", ++sequence));
      remedy.mutable_record_penalty_remedy()->set_kind(v1::REMEDY_KIND_LAWSUIT);
      remedy.mutable_record_penalty_remedy()->set_body("民乐县人民法院");
      recorder.Send(remedy, v1::ROLE_SUPERVISOR, 24 * 200);
      outcome.set_command_id(absl::StrCat("penalty-", ++sequence));
      outcome.mutable_decide_penalty_remedy()->set_kind(v1::REMEDY_KIND_LAWSUIT);
      outcome.mutable_decide_penalty_remedy()->set_outcome(v1::REMEDY_OUTCOME_WITHDRAWN);
      recorder.Send(outcome, v1::ROLE_SUPERVISOR);
      v1::Command execute = next();
      execute.mutable_apply_compulsory_execution()->set_penalty_case_id(id);
      execute.mutable_apply_compulsory_execution()->set_decision_id("d-1");
      execute.mutable_apply_compulsory_execution()->set_court("民乐县人民法院");
      recorder.Send(execute, v1::ROLE_BUREAU_HEAD);
      publish.set_command_id(absl::StrCat("penalty-", ++sequence));
      publish.mutable_publish_penalty()->set_decision_id("d-1");
      recorder.Send(publish, v1::ROLE_SUPERVISOR);
      v1::Command close = next();
      close.mutable_close_penalty_case()->set_penalty_case_id(id);
      close.mutable_close_penalty_case()->set_reason(v1::PENALTY_CLOSING_REASON_EXECUTED);
      close.mutable_close_penalty_case()->set_remark("已申请法院强制执行");
      recorder.Send(close, v1::ROLE_SUPERVISOR);
      Write("command", refusals ? "penalty-refusals" : "penalty", recorder.bytes());
    }
  }
  {
    // Refusals: a report with a bad region code, text with markup, a
    // wrong principal.
    Recorder recorder;
    v1::Command report = MakeCommand(Kind::kReportCase, v1::Case(), StartTime() + absl::Hours(1),
                                     AllowedPrincipal(Kind::kReportCase));
    v1::Command bad = report;
    bad.mutable_report_case()->mutable_location()->set_region_code("62x");
    recorder.Send(bad, v1::ROLE_INSPECTOR, 1);
    bad = report;
    bad.mutable_report_case()->set_title("<script>alert(1)</script>=HYPERLINK(\"x\")");
    recorder.Send(bad, v1::ROLE_RECTIFIER, 0);
    Write("command", "refusals", recorder.bytes());
  }
}

// --------------------------------------------------- the other targets

void PageTokenSeeds() {
  const std::string query = "ListCases 620722 status=ASSIGNED";
  const uint64_t fingerprint = server::QueryFingerprint({"fuzz", query});
  Write("page_token", "case-key",
        server::EncodePageToken(std::string("620722-2026-000123\0\0\0\0\0\0\0\0\x05", 27),
                                fingerprint) +
            kSeparator + query);
  Write("page_token", "index-key",
        server::EncodePageToken("s/620722/ASSIGNED/2026-03-02", fingerprint) + kSeparator + query);
  Write("page_token", "other-query",
        server::EncodePageToken("620722-2026-000001", fingerprint) + kSeparator + "other");
  Write("page_token", "not-base64", std::string("%%%not a token") + kSeparator + query);
}

void PrincipalsSeeds() {
  const std::string demo = ReadSource("config/principals.demo.textproto");
  Write("principals", "demo-known", demo + kSeparator + "demo-inspector");
  Write("principals", "demo-unknown", demo + kSeparator + "not-a-token");
  Write("principals", "system-role",
        "principals { principal { principal_id: \"x\" role: ROLE_SYSTEM jurisdiction: \"62\" } "
        "token_sha256: \"" + std::string(64, 'a') + "\" }" + kSeparator + "t");
}

void ConfigSeeds() {
  Write("policy", "policy_default", ReadSource("config/policy_default.txt"));
  Write("policy", "policy_620722", ReadSource("config/policy_620722.txt"));
  Write("policy", "every-unit",
        "name: fuzz\nmax_clock_skew_minutes: 0\n"
        "deadline: START 36 HOURS 开工\ndeadline: PUBLIC_NOTICE 5 WORKING_DAYS 公示\n"
        "deadline: RECTIFICATION 3650 CALENDAR_DAYS 整改\ndeadline: REFERRAL_SEND off\n"
        "notice_no_progress_days: 0\nnotice_not_started_days: 7\n");
  const std::string calendar = ReadSource("config/calendar_cn.txt");
  Write("calendar", "calendar_cn", calendar);
  Write("calendar", "calendar_cn-error",
        absl::StrReplaceAll(calendar, {{"beyond_table: weekends", "beyond_table: error"}}));
  Write("calendar", "one-year",
        "zone: Asia/Shanghai\nyear: 2200\nholiday: 2200-12-24..2200-12-31\n"
        "workday: 2200-12-27\n");
}

void StoredSeeds() {
  Recorder recorder;
  for (Kind kind : {Kind::kReportCase, Kind::kAssignCase, Kind::kStartRectification,
                    Kind::kReportProgress, Kind::kSubmitCompletion, Kind::kProposeReferral}) {
    recorder.Send(kind);
  }
  std::string events(1, '\0');
  for (const v1::Event& event : recorder.driver().history()) {
    events += Frame(event.SerializeAsString());
  }
  Write("stored_record", "case-events", events);
  const std::string case_id = recorder.state().case_id();
  Write("stored_record", "event-key", "\x01" + storage::keys::EventKey(case_id, 7));
  storage::TimerKey timer{StartTime() + absl::Hours(72), case_id, "dl-3"};
  Write("stored_record", "timer-key", "\x02" + storage::keys::TimerKeyBytes(timer));
  storage::CounterCell first{{1, 3}, {2, -1}, {300, 1}};
  storage::CounterCell second{{2, 1}, {7, 1'000'000'000'000}};
  Write("stored_record", "counter-cells",
        "\x03" + Frame(storage::EncodeCounterCell(first)) +
            Frame(storage::EncodeCounterCell(second)));

  const std::string fingerprint(32, '\x5a');
  server::CommandOutcome outcome;
  outcome.state = recorder.state();
  outcome.position = 42;
  Write("outcome", "case",
        server::EncodeOutcome(fingerprint, 42, v1::STREAM_KIND_CASE, case_id,
                              recorder.state().version()));
  Write("outcome", "case-legacy", server::EncodeLegacyOutcome(fingerprint, outcome));
  Recorder list_recorder;
  v1::Command create = ListCommand(1);
  create.mutable_create_rectification_list()->set_title("整改清单");
  create.mutable_create_rectification_list()->set_owner_unit("minle-eeb");
  create.mutable_create_rectification_list()->set_region_code("620722");
  list_recorder.Send(create, v1::ROLE_SUPERVISOR);
  server::CommandOutcome list_outcome;
  list_outcome.list = list_recorder.list();
  list_outcome.position = 7;
  Write("outcome", "list",
        server::EncodeOutcome(fingerprint, 7, v1::STREAM_KIND_RECTIFICATION_LIST,
                              list_recorder.list().list_id(), list_recorder.list().version()));
  Write("outcome", "list-legacy",
        server::EncodeLegacyOutcome(fingerprint, list_outcome,
                                    v1::STREAM_KIND_RECTIFICATION_LIST));
}

void CsvSeeds() {
  const std::vector<std::string> rows = {
      std::string("1") + kSeparator + "污水直排" + kSeparator + "民乐县洪水镇" + kSeparator +
          "2026-04-01 17:00" + kSeparator + "封堵排口, 建设管网" + kSeparator + "60% 已完成" +
          kSeparator + "RECTIFYING OVERDUE",
      std::string("他说\"马上整改\"") + kSeparator + "第一行\r\n第二行" + kSeparator + "a\nb" +
          kSeparator + "" + kSeparator + "\"",
      std::string("=HYPERLINK(\"http://x\")") + kSeparator + "+1" + kSeparator + "-2" +
          kSeparator + "@SUM(A1)" + kSeparator + "\tx" + kSeparator + "\rx",
  };
  for (size_t i = 0; i < rows.size(); ++i) Write("csv", absl::StrCat("row-", i + 1), rows[i]);
}

void ReportSeeds() {
  Write("report_html", "sample", SampleMonthlyReport().SerializeAsString());
  v1::GetMonthlyReportResponse empty;
  Write("report_html", "empty", empty.SerializeAsString());
}

}  // namespace
}  // namespace rectify::testing

int main(int argc, char** argv) {
  using rectify::testing::corpus_root;
  using rectify::testing::source_root;
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  source_root = workspace != nullptr ? workspace : ".";
  corpus_root = argc > 1 ? std::filesystem::path(argv[1]) : source_root / "tests/fuzz/corpus";
  rectify::testing::CommandSeeds();
  rectify::testing::PageTokenSeeds();
  rectify::testing::PrincipalsSeeds();
  rectify::testing::ConfigSeeds();
  rectify::testing::StoredSeeds();
  rectify::testing::CsvSeeds();
  rectify::testing::ReportSeeds();
  std::printf("seeds written to %s\n", corpus_root.c_str());
  return 0;
}
