// Writing the referral package; see referral_export.h.
#include "tools/referral_export.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/event.pb.h"
#include "storage/event_hash.h"
#include "tools/check_referral_package_source.h"
#include "workflow/reading_rules.h"
#include "workflow/validation.h"

namespace rectify::tools {
namespace {

namespace fs = std::filesystem;

// A referral the bureau head approved (and so a package to send), whatever
// happened to it since; a refused one, or one withdrawn before it was sent,
// has no package.
bool ReferralApproved(const v1::Referral& referral) {
  return referral.state() == v1::REFERRAL_STATE_APPROVED || workflow::ReferralWasSent(referral);
}

absl::Status WriteFile(const fs::path& path, absl::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

google::protobuf::Value Text(absl::string_view text) {
  google::protobuf::Value value;
  value.set_string_value(std::string(text));
  return value;
}

google::protobuf::Value Number(int64_t number) {
  google::protobuf::Value value;
  value.set_number_value(static_cast<double>(number));
  return value;
}

std::string PayloadName(const v1::Event& event) {
  const google::protobuf::FieldDescriptor* field =
      v1::Event::descriptor()->FindFieldByNumber(event.payload_case());
  return field == nullptr ? std::string() : field->name();
}

// The whole stream, in pages.
absl::StatusOr<std::vector<v1::Event>> ReadWholeStream(storage::EventStore& store,
                                                       absl::string_view case_id) {
  std::vector<v1::Event> events;
  constexpr int kPage = 1000;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::Event> page,
                     store.ReadStream(case_id, static_cast<int64_t>(events.size()) + 1, kPage));
    for (v1::Event& event : page) events.push_back(std::move(event));
    if (page.size() < static_cast<size_t>(kPage)) return events;
  }
}

// Copies the stored evidence bytes to `path`, checking their hash on the way.
absl::Status CopyEvidence(storage::EventStore& store, const v1::Evidence& evidence,
                          const fs::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  Sha256Hasher hasher;
  int64_t size = 0;
  for (uint32_t chunk = 0;; ++chunk) {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                     store.ReadEvidenceChunk(evidence.sha256(), chunk));
    if (!bytes.has_value()) break;
    hasher.Update(*bytes);
    size += static_cast<int64_t>(bytes->size());
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  }
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  if (HexEncode(hasher.Finish()) != evidence.sha256() || size != evidence.size_bytes()) {
    return absl::DataLossError(absl::StrCat("the stored bytes of evidence ",
                                            evidence.evidence_id(), " (", evidence.sha256(),
                                            ") are missing or do not match their hash"));
  }
  return absl::OkStatus();
}

constexpr char kReadme[] =
    R"(环境违法案件移送材料（行刑衔接）/ Referral package of an environmental case

本目录由 Rectify 导出，供公安机关和人民检察院核验。
内容：
  manifest.json   清单：案件编号、事件链末端哈希、每个事件的哈希、证据清单及其 SHA-256
  case.json       案件当前状态（不含举报人个人信息）
  events/*.bin    每个事件的规范字节（canonical bytes），哈希即按此计算
  events.json     事件的可读形式（仅供阅读；核验以 events/*.bin 为准）
  evidence/       证据文件，以其 SHA-256 命名
  check_referral_package.py  独立核验程序（只需 python3，无需其他软件）

核验方法：
  python3 check_referral_package.py .
每个事件的哈希 = SHA-256(前一事件的哈希 ‖ 本事件的规范字节)，第一个事件的前一哈希为空。
核验通过后，请将程序输出的末端哈希与移送函上记载的哈希比对：二者一致，才说明材料
与环境部门存档的案件历史相同。举报人姓名、电话不随材料移送，事件中只保留其加盐承诺值。

This directory was exported by Rectify for the police and the procuratorate.
Check it with:  python3 check_referral_package.py .
Each event's hash is SHA-256(previous hash || the event's canonical bytes); the first
event's previous hash is empty. After the check passes, compare the head hash it prints
with the one written in the transfer letter. The complainant's name and phone are not
in the package; the events keep only their salted commitments.
)";

}  // namespace

absl::StatusOr<ReferralExport> ExportReferralPackage(storage::EventStore& store,
                                                     absl::string_view case_id,
                                                     const std::string& out_dir,
                                                     absl::Time now) {
  RETURN_IF_ERROR(workflow::CheckCaseIdFormat("case_id", case_id));
  ASSIGN_OR_RETURN(v1::Case state, store.GetCase(case_id));
  bool approved = false;
  for (const v1::Referral& referral : state.referrals()) approved |= ReferralApproved(referral);
  if (!approved) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case ", case_id, " has no referral the bureau head approved: there is nothing to send"));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Event> events, ReadWholeStream(store, case_id));
  // Checked before anything is written: a package that does not verify is
  // never made.
  std::string prev_hash;
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::Event& event = events[i];
    if (storage::HoldsLegacyPersonalData(event)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "event ", case_id, "#", event.version(),
          " holds the complainant inside its hashed bytes: run rectify_admin "
          "upgrade-complainants first (docs/storage.md)"));
    }
    if (event.version() != static_cast<int64_t>(i) + 1 || event.prev_hash() != prev_hash ||
        storage::ComputeEventHash(event) != event.hash()) {
      return absl::DataLossError(absl::StrCat("the stored history of ", case_id,
                                              " does not verify at version ", i + 1,
                                              ": run rectify_admin verify"));
    }
    prev_hash = event.hash();
  }

  std::error_code error;
  if (fs::exists(out_dir, error) && !fs::is_empty(out_dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat(out_dir, " holds files; give a new or empty directory"));
  }
  const fs::path root(out_dir);
  fs::create_directories(root / "events", error);
  if (!error) fs::create_directories(root / "evidence", error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot create ", out_dir, ": ", error.message()));
  }

  google::protobuf::Struct manifest;
  auto& fields = *manifest.mutable_fields();
  fields["format"] = Text("rectify-referral-package/1");
  fields["case_id"] = Text(case_id);
  fields["exported_at"] = Text(absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone()));
  fields["hash_rule"] = Text(
      "hash = SHA-256(prev_hash || canonical bytes); prev_hash of version 1 is empty; the "
      "canonical bytes are events/NNNNNN.bin (docs/storage.md, \"Canonical bytes\")");
  fields["personal_data"] =
      Text("none: the complainant is not exported; events keep its salted commitment only");
  fields["event_count"] = Number(static_cast<int64_t>(events.size()));
  fields["head_hash"] = Text(HexEncode(prev_hash));
  google::protobuf::ListValue& event_list = *fields["events"].mutable_list_value();
  v1::GetCaseHistoryResponse readable;  // events.json: the events as JSON
  for (const v1::Event& event : events) {
    const std::string file = absl::StrFormat("events/%06d.bin", event.version());
    RETURN_IF_ERROR(WriteFile(root / file, storage::CanonicalEventBytes(event)));
    google::protobuf::Struct entry;
    auto& entry_fields = *entry.mutable_fields();
    entry_fields["version"] = Number(event.version());
    entry_fields["type"] = Text(PayloadName(event));
    entry_fields["file"] = Text(file);
    entry_fields["prev_hash"] = Text(HexEncode(event.prev_hash()));
    entry_fields["hash"] = Text(HexEncode(event.hash()));
    *event_list.add_values()->mutable_struct_value() = std::move(entry);
    *readable.add_events() = event;
  }
  google::protobuf::ListValue& evidence_list = *fields["evidence"].mutable_list_value();
  for (const v1::Evidence& evidence : state.evidence()) {
    const std::string file = absl::StrCat("evidence/", evidence.sha256());
    RETURN_IF_ERROR(CopyEvidence(store, evidence, root / file));
    google::protobuf::Struct entry;
    auto& entry_fields = *entry.mutable_fields();
    entry_fields["evidence_id"] = Text(evidence.evidence_id());
    entry_fields["kind"] = Text(v1::EvidenceKind_Name(evidence.kind()));
    entry_fields["file_name"] = Text(evidence.file_name());
    entry_fields["media_type"] = Text(evidence.media_type());
    entry_fields["size_bytes"] = Number(evidence.size_bytes());
    entry_fields["sha256"] = Text(evidence.sha256());
    entry_fields["file"] = Text(file);
    *evidence_list.add_values()->mutable_struct_value() = std::move(entry);
  }
  // DOMAIN.md: personal data never travels in a referral copy.
  state.clear_complainant();
  ASSIGN_OR_RETURN(std::string case_json, ToJson(state));
  RETURN_IF_ERROR(WriteFile(root / "case.json", case_json));
  ASSIGN_OR_RETURN(std::string events_json, ToJson(readable));
  RETURN_IF_ERROR(WriteFile(root / "events.json", events_json));
  ASSIGN_OR_RETURN(std::string manifest_json, ToJson(manifest));
  RETURN_IF_ERROR(WriteFile(root / "manifest.json", manifest_json));
  RETURN_IF_ERROR(WriteFile(root / "check_referral_package.py", kCheckReferralPackageSource));
  RETURN_IF_ERROR(WriteFile(root / "README.txt", kReadme));

  ReferralExport exported;
  exported.events = static_cast<int64_t>(events.size());
  exported.evidence_items = state.evidence_size();
  exported.head_hash_hex = HexEncode(prev_hash);
  return exported;
}

}  // namespace rectify::tools
