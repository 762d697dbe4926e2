// The command mix of the server benchmarks; see case_mix.h.
#include "bench/case_mix.h"

namespace rectify::bench {
namespace {

// 2026-11-28 09:30 +08:00: a fixed instant in the past, so that no request
// depends on the clock of the machine that sends it.
constexpr int64_t kFoundAtSeconds = 1795829400;

}  // namespace

const char* StepName(int step) {
  switch (step) {
    case 0: return "ReportCase";
    case 1: return "AssignCase";
    case 2: return "StartRectification";
    default: return "ReportProgress";
  }
}

v1::ReportCaseRequest MakeReport(const std::string& command_id) {
  v1::ReportCaseRequest request;
  request.set_command_id(command_id);
  request.set_title("砂石料场扬尘未覆盖，周边村民投诉");
  request.set_description("北滩村砂石料场堆场约3000平方米未苫盖，现场扬尘明显；雾炮未开启，"
                          "运输车辆未冲洗，道路有明显遗撒。");
  request.set_category(v1::CATEGORY_AIR);
  request.set_severity(v1::SEVERITY_HIGH);
  request.set_source(v1::CASE_SOURCE_HOTLINE_12369);
  request.set_source_reference("12369-2026-GS-004521");
  request.mutable_location()->set_region_code("620722");
  request.mutable_location()->set_address("甘肃省张掖市民乐县洪水镇北滩村");
  request.mutable_location()->mutable_point()->set_latitude(38.4342);
  request.mutable_location()->mutable_point()->set_longitude(100.8167);
  request.mutable_subject()->set_name("民乐县某某建材有限公司");
  request.mutable_subject()->set_unified_social_credit_code("91620722MA71000018");
  request.mutable_complainant()->set_name("王秀英");
  request.mutable_complainant()->set_phone("138-0936-0000");
  request.mutable_found_at()->set_seconds(kFoundAtSeconds);
  request.add_tags("扬尘");
  return request;
}

v1::AssignCaseRequest MakeAssign(const std::string& command_id, const std::string& case_id) {
  v1::AssignCaseRequest request;
  request.set_command_id(command_id);
  request.set_case_id(case_id);
  request.set_responsible_unit(kRectifierUnit);
  // No due instant: the policy's default period applies (30 calendar days).
  request.set_requirements("全部苫盖堆场，开启雾炮，设置车辆冲洗设施，清理道路遗撒。");
  return request;
}

v1::StartRectificationRequest MakeStart(const std::string& command_id,
                                        const std::string& case_id) {
  v1::StartRectificationRequest request;
  request.set_command_id(command_id);
  request.set_case_id(case_id);
  request.set_note("已组织人员进场");
  return request;
}

v1::ReportProgressRequest MakeProgress(const std::string& command_id, const std::string& case_id,
                                       int percent) {
  v1::ReportProgressRequest request;
  request.set_command_id(command_id);
  request.set_case_id(case_id);
  request.set_text("已苫盖堆场约三分之二，雾炮已开启，冲洗设施在安装中。");
  request.set_percent_complete(percent);
  return request;
}

v1::Case TypicalCase(const std::string& case_id, int step) {
  const v1::ReportCaseRequest report = MakeReport("");
  v1::Case state;
  state.set_case_id(case_id);
  state.set_version(step + 1);
  state.set_status(step == 0 ? v1::CASE_STATUS_FOUND
                   : step == 1 ? v1::CASE_STATUS_ASSIGNED
                               : v1::CASE_STATUS_RECTIFYING);
  state.set_title(report.title());
  state.set_description(report.description());
  state.set_category(report.category());
  state.set_severity(report.severity());
  state.set_source(report.source());
  state.set_source_reference(report.source_reference());
  *state.mutable_location() = report.location();
  *state.mutable_subject() = report.subject();
  *state.mutable_found_at() = report.found_at();
  *state.mutable_tags() = report.tags();
  state.mutable_reported_by()->set_principal_id("insp-zhang");
  state.mutable_reported_by()->set_display_name("张伟");
  state.mutable_reported_by()->set_role(v1::ROLE_INSPECTOR);
  state.mutable_reported_by()->set_unit_id("minle-eeb");
  state.mutable_reported_at()->set_seconds(kFoundAtSeconds + 3600);
  state.mutable_updated_at()->set_seconds(kFoundAtSeconds + 3600 + step);
  if (step >= 1) {
    const v1::AssignCaseRequest assign = MakeAssign("", case_id);
    state.set_responsible_unit(assign.responsible_unit());
    state.set_requirements(assign.requirements());
    state.mutable_rectification_due_at()->set_seconds(kFoundAtSeconds + 30 * 86400);
    state.mutable_assigned_at()->set_seconds(kFoundAtSeconds + 3700);
    v1::Deadline* deadline = state.add_deadlines();
    deadline->set_deadline_id("rect-1");
    deadline->set_kind(v1::DEADLINE_KIND_RECTIFICATION);
    deadline->mutable_due_at()->set_seconds(kFoundAtSeconds + 30 * 86400);
    deadline->mutable_rule()->set_unit(v1::DEADLINE_UNIT_CALENDAR_DAYS);
    deadline->mutable_rule()->set_amount(30);
    deadline->mutable_rule()->set_basis("policy default: rectification");
    deadline->mutable_opened_at()->set_seconds(kFoundAtSeconds + 3700);
    deadline->set_state(v1::DEADLINE_STATE_OPEN);
  }
  if (step >= 2) state.mutable_started_at()->set_seconds(kFoundAtSeconds + 3800);
  for (int progress = 3; progress <= step; ++progress) {
    const v1::ReportProgressRequest request = MakeProgress("", case_id, 40 * (progress - 2));
    v1::ProgressReport* report_entry = state.add_progress_reports();
    report_entry->set_text(request.text());
    report_entry->set_percent_complete(request.percent_complete());
    report_entry->mutable_reported_by()->set_principal_id("rect-hongshui");
    report_entry->mutable_reported_by()->set_role(v1::ROLE_RECTIFIER);
    report_entry->mutable_reported_by()->set_unit_id(kRectifierUnit);
    report_entry->mutable_reported_by()->set_display_name("洪水镇环保站");
    report_entry->mutable_reported_at()->set_seconds(kFoundAtSeconds + 3900 + progress);
    state.mutable_last_progress_at()->set_seconds(kFoundAtSeconds + 3900 + progress);
  }
  return state;
}

}  // namespace rectify::bench
