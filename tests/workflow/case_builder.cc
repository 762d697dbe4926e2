// Test helpers for the workflow; see case_builder.h.
#include "tests/workflow/case_builder.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "workflow/decider.h"
#include "base/proto_time.h"

namespace rectify::testing {

using rectify::ToProto;
using rectify::ToTime;

const v1::Deadline& DeadlineById(const v1::Case& state, const std::string& id) {
  for (const v1::Deadline& deadline : state.deadlines()) {
    if (deadline.deadline_id() == id) return deadline;
  }
  static const v1::Deadline* const kNone = new v1::Deadline;
  ADD_FAILURE() << "no deadline " << id;
  return *kNone;
}

absl::Time Local(int y, int m, int d, int h) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), absl::FixedTimeZone(8 * 3600));
}

v1::Principal PrincipalOf(v1::Role role) {
  v1::Principal principal;
  principal.set_role(role);
  principal.set_jurisdiction("620722");
  switch (role) {
    case v1::ROLE_INSPECTOR:
      principal.set_principal_id("insp-zhang");
      principal.set_unit_id("minle-eeb");
      break;
    case v1::ROLE_SUPERVISOR:
      principal.set_principal_id("sup-wang");
      principal.set_unit_id("minle-eeb");
      break;
    case v1::ROLE_RECTIFIER:
      principal.set_principal_id("rect-zhao");
      principal.set_unit_id(kUnit);
      break;
    case v1::ROLE_BUREAU_HEAD:
      principal.set_principal_id("head-chen");
      principal.set_unit_id("minle-eeb");
      break;
    case v1::ROLE_POLICE:
      principal.set_principal_id("police-liu");
      principal.set_unit_id(kPoliceUnit);
      break;
    case v1::ROLE_PROCURATOR:
      principal.set_principal_id("proc-sun");
      principal.set_unit_id("minle-procuratorate");
      break;
    case v1::ROLE_AUDITOR:
      principal.set_principal_id("aud-zhou");
      break;
    case v1::ROLE_ADMIN:
      principal.set_principal_id("admin-wu");
      break;
    case v1::ROLE_SYSTEM:
      principal.set_principal_id("system");
      principal.set_jurisdiction("");
      break;
    default:
      principal.set_principal_id("nobody");
      break;
  }
  principal.set_display_name(principal.principal_id());
  return principal;
}

absl::Time StartTime() {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), absl::FixedTimeZone(8 * 3600));
}

const char* KindName(Kind kind) {
  static const char* const kNames[kKindCount] = {
      "ReportCase",         "AssignCase",          "ReassignCase",
      "StartRectification", "ReportProgress",      "RequestExtension",
      "DecideExtension",    "SubmitCompletion",    "VerifyRectification",
      "RaiseObjection",     "CloseCase",           "CloseAsUnfounded",
      "ReopenCase",         "ProposeReferral",     "ApproveReferral",
      "RefuseReferral",     "SendReferral",        "ReceiveReferral",
      "ExtendReferralReview", "DecideReferral",    "RequestReconsideration",
      "DecideReconsideration", "RequestSupervision", "ExplainNonFiling",
      "WithdrawReferral",   "RecordEvidence",      "MarkOverdue"};
  return kNames[static_cast<int>(kind)];
}

const char* StageName(Stage stage) {
  static const char* const kNames[] = {
      "New",           "Found",          "Assigned",         "Rectifying",
      "CompletionPending", "ExtensionPending", "Verified",   "Closed",
      "ReferralProposed", "ReferralApproved", "ReferralSent", "ReferralReceived",
      "ReferralDeclined", "ReconsiderationRequested", "DeclineUpheld", "SupervisionRequested"};
  return kNames[static_cast<int>(stage)];
}

v1::Principal AllowedPrincipal(Kind kind) {
  switch (kind) {
    case Kind::kReportCase:
    case Kind::kVerifyRectification:
    case Kind::kProposeReferral:
    case Kind::kRecordEvidence:
      return PrincipalOf(v1::ROLE_INSPECTOR);
    case Kind::kStartRectification:
    case Kind::kReportProgress:
    case Kind::kRequestExtension:
    case Kind::kSubmitCompletion:
      return PrincipalOf(v1::ROLE_RECTIFIER);
    case Kind::kApproveReferral:
    case Kind::kRefuseReferral:
      return PrincipalOf(v1::ROLE_BUREAU_HEAD);
    case Kind::kReceiveReferral:
    case Kind::kExtendReferralReview:
    case Kind::kDecideReferral:
    case Kind::kDecideReconsideration:
    case Kind::kExplainNonFiling:
      return PrincipalOf(v1::ROLE_POLICE);
    case Kind::kMarkOverdue:
      return PrincipalOf(v1::ROLE_SYSTEM);
    default:
      return PrincipalOf(v1::ROLE_SUPERVISOR);
  }
}

namespace {

std::string LatestReferral(const v1::Case& state) {
  return state.referrals_size() > 0 ? state.referrals(state.referrals_size() - 1).referral_id()
                                    : "ref-1";
}

}  // namespace

v1::Command MakeCommand(Kind kind, const v1::Case& state, absl::Time now,
                        const v1::Principal& principal) {
  static std::atomic<int> counter{0};
  v1::Command command;
  const std::string case_id = state.case_id().empty() ? kCaseId : state.case_id();
  command.set_stream_id(case_id);
  command.set_command_id(absl::StrCat("cmd-", ++counter));
  const std::string referral_id = LatestReferral(state);
  switch (kind) {
    case Kind::kReportCase: {
      v1::ReportCaseRequest& r = *command.mutable_report_case();
      r.set_command_id(command.command_id());
      r.set_title("砂石料场扬尘未覆盖");
      r.set_description("北滩村砂石料场堆场未苫盖，现场扬尘明显。");
      r.set_category(v1::CATEGORY_AIR);
      r.set_severity(v1::SEVERITY_MEDIUM);
      r.set_source(v1::CASE_SOURCE_INSPECTION);
      r.mutable_location()->set_region_code("620722100");
      r.mutable_location()->set_address("洪水镇北滩村");
      r.mutable_subject()->set_name("民乐县某建材有限公司");
      r.mutable_subject()->set_unified_social_credit_code("91620722MA71000018");
      *r.mutable_found_at() = ToProto(now - absl::Hours(2));
      break;
    }
    case Kind::kAssignCase: {
      auto& r = *command.mutable_assign_case();
      r.set_case_id(case_id);
      r.set_responsible_unit(kUnit);
      r.set_requirements("堆场全部苫盖，安装喷淋");
      break;
    }
    case Kind::kReassignCase: {
      auto& r = *command.mutable_reassign_case();
      r.set_case_id(case_id);
      r.set_responsible_unit(state.responsible_unit() == kUnit ? "minle-liuba-town" : kUnit);
      r.set_reason("the site belongs to the other township");
      break;
    }
    case Kind::kStartRectification:
      command.mutable_start_rectification()->set_case_id(case_id);
      command.mutable_start_rectification()->set_note("已组织人员进场");
      break;
    case Kind::kReportProgress: {
      auto& r = *command.mutable_report_progress();
      r.set_case_id(case_id);
      r.set_text("已苫盖一半");
      r.set_percent_complete(50);
      break;
    }
    case Kind::kRequestExtension: {
      auto& r = *command.mutable_request_extension();
      r.set_case_id(case_id);
      *r.mutable_requested_due_at() =
          ToProto(std::max(ToTime(state.rectification_due_at()), now) + absl::Hours(24 * 10));
      r.set_reason("喷淋设备到货延迟");
      break;
    }
    case Kind::kDecideExtension: {
      auto& r = *command.mutable_decide_extension();
      r.set_case_id(case_id);
      r.set_request_id("ext-1");
      for (const v1::ExtensionRequest& request : state.extension_requests()) {
        if (request.state() == v1::EXTENSION_STATE_REQUESTED) r.set_request_id(request.request_id());
      }
      r.set_granted(true);
      break;
    }
    case Kind::kSubmitCompletion:
      command.mutable_submit_completion()->set_case_id(case_id);
      command.mutable_submit_completion()->set_summary("已全部苫盖并安装喷淋");
      break;
    case Kind::kVerifyRectification:
      command.mutable_verify_rectification()->set_case_id(case_id);
      command.mutable_verify_rectification()->set_passed(true);
      command.mutable_verify_rectification()->set_notes("现场核查，整改到位");
      break;
    case Kind::kRaiseObjection:
      command.mutable_raise_objection()->set_case_id(case_id);
      command.mutable_raise_objection()->set_text("群众反映夜间仍有扬尘");
      break;
    case Kind::kCloseCase:
      command.mutable_close_case()->set_case_id(case_id);
      command.mutable_close_case()->set_remark("销号");
      break;
    case Kind::kCloseAsUnfounded:
      command.mutable_close_as_unfounded()->set_case_id(case_id);
      command.mutable_close_as_unfounded()->set_reason("查无实据");
      break;
    case Kind::kReopenCase:
      command.mutable_reopen_case()->set_case_id(case_id);
      command.mutable_reopen_case()->set_reason("问题反弹");
      if (state.responsible_unit().empty()) command.mutable_reopen_case()->set_responsible_unit(kUnit);
      break;
    case Kind::kProposeReferral: {
      auto& r = *command.mutable_propose_referral();
      r.set_case_id(case_id);
      r.set_suspected_offence("污染环境罪 (刑法第338条)");
      r.set_report("两名执法人员现场检查发现...");
      r.add_proposing_officers(principal.principal_id());
      r.add_proposing_officers(principal.principal_id() == "insp-li" ? "insp-zhang" : "insp-li");
      // As the handler resolves them from the principal registry: both are
      // inspectors of Minle County.
      for (const std::string& id : r.proposing_officers()) {
        v1::Principal& officer = *command.add_named_principals();
        officer = PrincipalOf(v1::ROLE_INSPECTOR);
        officer.set_principal_id(id);
      }
      break;
    }
    case Kind::kApproveReferral:
      command.mutable_approve_referral()->set_case_id(case_id);
      command.mutable_approve_referral()->set_referral_id(referral_id);
      break;
    case Kind::kRefuseReferral:
      command.mutable_refuse_referral()->set_case_id(case_id);
      command.mutable_refuse_referral()->set_referral_id(referral_id);
      command.mutable_refuse_referral()->set_reason("证据不足");
      break;
    case Kind::kSendReferral: {
      auto& r = *command.mutable_send_referral();
      r.set_case_id(case_id);
      r.set_referral_id(referral_id);
      r.set_police_unit(kPoliceUnit);
      r.set_procuratorate_unit("minle-procuratorate");
      break;
    }
    case Kind::kReceiveReferral:
      command.mutable_receive_referral()->set_case_id(case_id);
      command.mutable_receive_referral()->set_referral_id(referral_id);
      break;
    case Kind::kExtendReferralReview: {
      auto& r = *command.mutable_extend_referral_review();
      r.set_case_id(case_id);
      r.set_referral_id(referral_id);
      const v1::Referral* referral = nullptr;
      for (const v1::Referral& candidate : state.referrals()) {
        if (candidate.referral_id() == referral_id) referral = &candidate;
      }
      r.set_review_days(referral != nullptr && referral->filing_review_days() >= 7 ? 30 : 7);
      r.set_reason("线索需要查证");
      break;
    }
    case Kind::kDecideReferral: {
      auto& r = *command.mutable_decide_referral();
      r.set_case_id(case_id);
      r.set_referral_id(referral_id);
      r.set_decision(v1::FILING_DECISION_DECLINED);
      r.set_reason("未达到立案追诉标准");
      break;
    }
    case Kind::kRequestReconsideration:
      command.mutable_request_reconsideration()->set_case_id(case_id);
      command.mutable_request_reconsideration()->set_referral_id(referral_id);
      command.mutable_request_reconsideration()->set_grounds("监测数据超标三倍以上");
      break;
    case Kind::kDecideReconsideration: {
      auto& r = *command.mutable_decide_reconsideration();
      r.set_case_id(case_id);
      r.set_referral_id(referral_id);
      r.set_decision(v1::FILING_DECISION_DECLINED);
      r.set_reason("维持原决定");
      break;
    }
    case Kind::kRequestSupervision:
      command.mutable_request_supervision()->set_case_id(case_id);
      command.mutable_request_supervision()->set_referral_id(referral_id);
      command.mutable_request_supervision()->set_grounds("建议检察院立案监督");
      break;
    case Kind::kExplainNonFiling:
      command.mutable_explain_non_filing()->set_case_id(case_id);
      command.mutable_explain_non_filing()->set_referral_id(referral_id);
      command.mutable_explain_non_filing()->set_explanation("不予立案理由说明");
      break;
    case Kind::kWithdrawReferral:
      command.mutable_withdraw_referral()->set_case_id(case_id);
      command.mutable_withdraw_referral()->set_referral_id(referral_id);
      command.mutable_withdraw_referral()->set_reason("已作行政处罚");
      break;
    case Kind::kRecordEvidence: {
      auto& r = *command.mutable_record_evidence();
      r.set_case_id(case_id);
      r.set_kind(v1::EVIDENCE_KIND_PHOTO);
      r.set_file_name("IMG_0042.jpg");
      r.set_media_type("image/jpeg");
      r.set_sha256(std::string(64, 'a'));
      r.set_size_bytes(123456);
      break;
    }
    case Kind::kMarkOverdue: {
      std::string id = "none";
      for (const v1::Deadline& deadline : state.deadlines()) {
        if (deadline.state() != v1::DEADLINE_STATE_OPEN) continue;
        if (id == "none" || ToTime(deadline.due_at()) <= now) id = deadline.deadline_id();
        if (ToTime(deadline.due_at()) <= now) break;
      }
      command.mutable_mark_overdue()->set_deadline_id(id);
      break;
    }
  }
  return command;
}

CaseDriver::CaseDriver(workflow::Policy policy) : policy_(std::move(policy)), now_(StartTime()) {}

absl::StatusOr<std::vector<v1::Event>> CaseDriver::Try(const v1::Command& command,
                                                       const v1::Principal& principal) {
  absl::StatusOr<std::vector<v1::Event>> events =
      workflow::Decide(state_, command, principal, now_, policy_);
  if (!events.ok()) return events;
  for (const v1::Event& event : *events) {
    if (absl::Status status = workflow::Evolve(state_, event); !status.ok()) {
      ADD_FAILURE() << "Evolve refused an event Decide produced: " << status << "\n"
                    << event.DebugString();
      return status;
    }
    history_.push_back(event);
  }
  return events;
}

std::vector<v1::Event> CaseDriver::Do(Kind kind, const v1::Principal& principal) {
  absl::StatusOr<std::vector<v1::Event>> events =
      Try(MakeCommand(kind, state_, now_, principal), principal);
  if (!events.ok()) {
    ADD_FAILURE() << KindName(kind) << " by " << principal.principal_id() << " refused: "
                  << events.status();
    return {};
  }
  return *std::move(events);
}

void CaseDriver::DriveTo(Stage stage) {
  auto step = [this](Kind kind) {
    Do(kind);
    Advance(absl::Hours(1));
  };
  if (stage == Stage::kNew) return;
  step(Kind::kReportCase);
  switch (stage) {
    case Stage::kNew:
    case Stage::kFound:
      return;
    case Stage::kAssigned:
      step(Kind::kAssignCase);
      return;
    case Stage::kRectifying:
    case Stage::kCompletionPending:
    case Stage::kExtensionPending:
    case Stage::kVerified:
    case Stage::kClosed:
      step(Kind::kAssignCase);
      step(Kind::kStartRectification);
      if (stage == Stage::kRectifying) return;
      if (stage == Stage::kExtensionPending) {
        step(Kind::kRequestExtension);
        return;
      }
      step(Kind::kSubmitCompletion);
      if (stage == Stage::kCompletionPending) return;
      step(Kind::kVerifyRectification);
      if (stage == Stage::kVerified) return;
      Advance(absl::Hours(24 * 30));  // past any public notice
      step(Kind::kCloseCase);
      return;
    default:
      break;
  }
  const Kind referral_steps[] = {Kind::kProposeReferral,        Kind::kApproveReferral,
                                 Kind::kSendReferral,           Kind::kReceiveReferral,
                                 Kind::kDecideReferral,         Kind::kRequestReconsideration,
                                 Kind::kDecideReconsideration,  Kind::kRequestSupervision};
  const int steps = static_cast<int>(stage) - static_cast<int>(Stage::kReferralProposed) + 1;
  for (int i = 0; i < steps; ++i) step(referral_steps[i]);
}

std::vector<std::string> PayloadNames(const std::vector<v1::Event>& events) {
  std::vector<std::string> names;
  for (const v1::Event& event : events) {
    const auto* field = v1::Event::descriptor()->FindFieldByNumber(event.payload_case());
    names.push_back(field == nullptr ? "none" : field->name());
  }
  return names;
}

workflow::Policy NoticePolicy() {
  workflow::Policy policy;
  policy.name = "test-notice";
  policy.deadlines[v1::DEADLINE_KIND_PUBLIC_NOTICE] =
      workflow::DeadlineSpec{true, v1::DEADLINE_UNIT_WORKING_DAYS, 5, "公示"};
  policy.deadlines[v1::DEADLINE_KIND_START] =
      workflow::DeadlineSpec{true, v1::DEADLINE_UNIT_WORKING_DAYS, 3, "start"};
  return policy;
}

}  // namespace rectify::testing
