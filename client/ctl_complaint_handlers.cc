// rectifyctl's complaint subcommands; see ctl_complaint_handlers.h.
#include "client/ctl_complaint_handlers.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/client_config.h"
#include "client/complaint_commands.h"
#include "client/complaint_csv.h"
#include "client/ctl_names.h"
#include "client/ctl_render.h"
#include "client/ctl_request.h"
#include "client/ctl_usage.h"

namespace rectify::client::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// A file that cannot be imported: the reason, "nothing imported", exit 2.
int FileProblem(const std::string& problem) {
  std::fprintf(stderr, "rectifyctl: %s\nrectifyctl: nothing imported\n", problem.c_str());
  return kExitUsage;
}

}  // namespace

// Calls the spec's ComplaintService method and prints its reply: the queue,
// one complaint, a history, or the complaint after a step (in Chinese).
int RunComplaint(const Context& context, Invocation& call) {
  const Spec& spec = *call.spec;
  const Message& request = *call.request;
  if (context.dry_run) return PrintJson(request);
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), GlobalUsage());
  absl::StatusOr<std::unique_ptr<Message>> reply =
      CallComplaintService(**client, spec.command_field, request);
  if (!reply.ok()) return ReportFailure(reply.status());
  if (context.json) return PrintJsonWithNames(**client, **reply);
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

// Imports a 12369 export (client/complaint_csv.h): every problem the file's
// form shows, or the server's bad rows, by line, and nothing written; else
// one line per row.
int RunImportComplaints(const Context& context, Invocation& call) {
  const std::string& path = call.own_args[0];
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
  if (!client.ok()) return Usage(std::string(client.status().message()), GlobalUsage());
  auto reply = (*client)->Call(&v1::ComplaintService::Stub::ImportComplaints, request);
  if (!reply.ok()) return ReportFailure(reply.status());
  if (!reply->committed()) {
    for (const v1::ComplaintImportProblem& problem : reply->problems()) {
      std::fprintf(stderr, "%s:%d: %s: %s (%s)\n", path.c_str(), problem.row_number(),
                   problem.field().c_str(), problem.message_zh().c_str(),
                   problem.message().c_str());
    }
    std::fprintf(stderr, "rectifyctl: nothing imported: the server refused %d row(s) of %s\n",
                 reply->problems_size(), path.c_str());
    if (context.json) PrintJsonWithNames(**client, *reply);
    return kExitRefused;
  }
  if (context.json) return PrintJsonWithNames(**client, *reply);
  for (const v1::ComplaintImportResult& result : reply->results()) {
    std::cout << (result.already_present() ? "exists   " : "imported ") << result.ticket_number()
              << "  " << result.complaint_id() << "  (line " << result.row_number() << ")\n";
  }
  std::cout << "导入 " << reply->imported() << " 件，已存在 " << reply->already_present()
            << " 件 (" << reply->imported() << " imported, " << reply->already_present()
            << " already present)\n";
  return kExitOk;
}

}  // namespace rectify::client::ctl
