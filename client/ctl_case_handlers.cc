// rectifyctl's case subcommands; see ctl_case_handlers.h.
#include "client/ctl_case_handlers.h"

#include <functional>
#include <iostream>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/progress.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "client/case_format.h"
#include "client/client_config.h"
#include "client/commands.h"
#include "client/ctl_names.h"
#include "client/ctl_render.h"
#include "client/ctl_usage.h"
#include "client/display_width.h"
#include "client/file_names.h"
#include "client/outbox.h"
#include "google/protobuf/struct.pb.h"

namespace rectify::client::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Records the command in the outbox (--offline) and says how to send it.
int RecordOffline(const Context& context, const Spec& spec, const v1::Command& command) {
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(context.OutboxDir());
  if (!outbox.ok()) return ReportFailure(outbox.status());
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

}  // namespace

int RunCaseCommand(const Context& context, Invocation& call) {
  Message& request = *call.request;
  if (context.dry_run) return PrintJson(call.command);
  if (context.offline) {
    // When it happened is when it was recorded, not when the network came back.
    const FieldDescriptor* occurred = request.GetDescriptor()->FindFieldByName("occurred_at");
    if (occurred != nullptr && !request.GetReflection()->HasField(request, occurred)) {
      request.GetReflection()->MutableMessage(&request, occurred)->CopyFrom(
          ToProto(SystemClock().Now()));
    }
    return RecordOffline(context, *call.spec, call.command);
  }
  if (absl::Status resolved = ResolveLocalCase(context, request); !resolved.ok()) {
    return Usage(std::string(resolved.message()), SpecUsage(*call.spec));
  }
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), GlobalUsage());
  absl::StatusOr<CommandReply> reply = SendCommand(**client, call.command);
  if (!reply.ok()) return ReportFailure(reply.status());
  return PrintCase(context, **client, reply->case_state, *reply->response);
}

int RunGet(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply =
        client.Call(&v1::CaseService::Stub::GetCase, call.Request<v1::GetCaseRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    return PrintCase(context, client, reply->case_(), *reply);
  });
}

int RunList(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply =
        client.Call(&v1::CaseService::Stub::ListCases, call.Request<v1::ListCasesRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
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
    PrintMore(reply->next_page_token());
    return kExitOk;
  });
}

int RunHistory(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&v1::CaseService::Stub::GetCaseHistory,
                             call.Request<v1::GetCaseHistoryRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    return PrintEvents(reply->events(), reply->next_page_token());
  });
}

int RunWatch(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    int64_t limit = 0;
    double seconds = 0;
    auto limit_text = SingleFlag(call.flags(), "limit", "0");
    auto for_text = SingleFlag(call.flags(), "for", "0");
    if (!limit_text.ok() || !for_text.ok() || !absl::SimpleAtoi(*limit_text, &limit) ||
        !absl::SimpleAtod(*for_text, &seconds) || limit < 0 || seconds < 0) {
      return Usage("--limit and --for take a number", SpecUsage(*call.spec));
    }
    int64_t seen = 0;
    JsonWithNames json(client);
    const absl::Status status = client.WatchEvents(
        call.Request<v1::WatchEventsRequest>(),
        seconds > 0 ? absl::Seconds(seconds) : absl::InfiniteDuration(),
        [&](const v1::WatchEventsResponse& item) {
          if (!item.has_event()) return true;
          const v1::Event& event = item.event();
          if (context.json) {
            absl::StatusOr<std::string> text = json.Json(event);
            if (text.ok()) std::cout << *text;
          } else {
            std::cout << event.position() << "  " << ShortTime(event.occurred_at()) << "  "
                      << event.stream_id() << "  v" << event.version() << "  "
                      << EventType(event) << "  " << ActorName(event.actor()) << "\n";
          }
          std::cout.flush();
          return limit == 0 || ++seen < limit;
        });
    if (!status.ok()) return ReportFailure(status);
    return kExitOk;
  });
}

namespace {

// Reads FILE and completes the metadata: SHA-256, size, and the file name
// when --file_name was not given.
template <typename Metadata>
absl::StatusOr<std::string> ReadUpload(const std::string& path, Metadata& metadata) {
  absl::StatusOr<std::string> bytes = ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  metadata.set_sha256(HexEncode(Sha256(*bytes)));
  metadata.set_size_bytes(static_cast<int64_t>(bytes->size()));
  if (metadata.file_name().empty()) {
    const size_t slash = path.rfind('/');
    metadata.set_file_name(slash == std::string::npos ? path : path.substr(slash + 1));
  }
  return bytes;
}

// Uploads `bytes` with `upload(client, on_bytes)`, showing progress; prints
// the reply (JSON) or `done(reply)`.
template <typename Upload, typename Done>
int SendWithProgress(const Context& context, Invocation& call, const std::string& bytes,
                     Upload upload, Done done) {
  return WithServer(context, call, [&](RectifyClient& client) {
    ProgressReporter progress(std::cerr, context.progress, SystemClock(), "upload",
                              ProgressUnit::kBytes);
    progress.Start(static_cast<int64_t>(bytes.size()));
    auto reply = upload(client, [&progress](int64_t sent) { progress.Update(sent); });
    progress.Finish();
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    std::cout << done(*reply) << "\n";
    return kExitOk;
  });
}

// Downloads with `download(client, on_bytes)`, checks the SHA-256, and
// writes the file: --out, or the uploader's name reduced to a plain name in
// this folder (`id` when nothing is left); never over a file without
// --force.
template <typename Download>
int ReceiveToFile(const Context& context, Invocation& call, Download download) {
  return WithServer(context, call, [&](RectifyClient& client) {
    ProgressReporter progress(std::cerr, context.progress, SystemClock(), "download",
                              ProgressUnit::kBytes);
    progress.Start(0);
    auto reply = download(client, [&progress](int64_t received, int64_t size) {
      progress.SetTotal(size);
      progress.Update(received);
    });
    progress.Finish();
    if (!reply.ok()) return ReportFailure(reply.status());
    const auto& [record, bytes, id] = *reply;
    if (HexEncode(Sha256(bytes)) != record.sha256()) {
      return ReportFailure(absl::DataLossError("the downloaded bytes do not match their SHA-256"));
    }
    // Without --out the file is named after the uploader's name for it:
    // another party's data, so reduced to a plain name in this folder.
    const std::string safe_name = SafeLocalFileName(record.file_name(), id);
    auto out = SingleFlag(call.flags(), "out", safe_name);
    auto force = SingleFlag(call.flags(), "force", "false");
    if (!out.ok() || out->empty()) return Usage("--out is needed", SpecUsage(*call.spec));
    if (!force.ok() || (*force != "true" && *force != "false")) {
      return Usage("--force takes no value", SpecUsage(*call.spec));
    }
    if (absl::Status written = WriteNewFile(*out, bytes, *force == "true"); !written.ok()) {
      return ReportFailure(written);
    }
    std::cout << "wrote " << bytes.size() << " bytes to " << *out << "\n";
    if (call.flags().count("out") == 0 && safe_name != record.file_name()) {
      std::cout << "(the uploader named it \"" << absl::CHexEscape(record.file_name())
                << "\", which is not a plain file name)\n";
    }
    return kExitOk;
  });
}

// A download's record, bytes and id (for the fallback file name).
template <typename Record>
struct Downloaded {
  Record record;
  std::string bytes;
  std::string id;
};

}  // namespace

int RunUpload(const Context& context, Invocation& call) {
  // The file is read before --dry_run prints, so the request shown is the one sent.
  const std::string& path = call.own_args[0];
  if (auto* document = dynamic_cast<v1::UploadSiteCheckDocumentMetadata*>(call.request)) {
    absl::StatusOr<std::string> bytes = ReadUpload(path, *document);
    if (!bytes.ok()) return Usage(std::string(bytes.status().message()), SpecUsage(*call.spec));
    return SendWithProgress(
        context, call, *bytes,
        [&](RectifyClient& client, const std::function<void(int64_t)>& on_bytes) {
          return client.UploadSiteCheckDocument(*document, *bytes, on_bytes);
        },
        [](const v1::UploadSiteCheckDocumentResponse& reply) {
          const v1::SiteCheckDocument& d = reply.document();
          return absl::StrCat("site-check document ", d.document_id(), " uploaded to ",
                              reply.complaint().complaint_id(),
                              "; name it in close-unfounded as --document=", d.document_id(), ":",
                              d.sha256(), ":", d.size());
        });
  }
  auto& metadata = static_cast<v1::UploadEvidenceMetadata&>(*call.request);
  absl::StatusOr<std::string> bytes = ReadUpload(path, metadata);
  if (!bytes.ok()) return Usage(std::string(bytes.status().message()), SpecUsage(*call.spec));
  return SendWithProgress(
      context, call, *bytes,
      [&](RectifyClient& client, const std::function<void(int64_t)>& on_bytes) {
        return client.UploadEvidence(metadata, *bytes, on_bytes);
      },
      [](const v1::UploadEvidenceResponse& reply) {
        return absl::StrCat("evidence ", reply.evidence().evidence_id(), " recorded on ",
                            reply.case_().case_id());
      });
}

int RunDownload(const Context& context, Invocation& call) {
  using OnBytes = std::function<void(int64_t, int64_t)>;
  if (auto* document = dynamic_cast<v1::DownloadSiteCheckDocumentRequest*>(call.request)) {
    return ReceiveToFile(
        context, call,
        [&](RectifyClient& client,
            const OnBytes& on_bytes) -> absl::StatusOr<Downloaded<v1::SiteCheckDocument>> {
          auto reply = client.DownloadSiteCheckDocument(*document, on_bytes);
          if (!reply.ok()) return reply.status();
          return Downloaded<v1::SiteCheckDocument>{
              std::move(reply->first), std::move(reply->second), document->document_id()};
        });
  }
  return ReceiveToFile(
      context, call,
      [&](RectifyClient& client,
          const OnBytes& on_bytes) -> absl::StatusOr<Downloaded<v1::Evidence>> {
        auto reply = client.DownloadEvidence(call.Request<v1::DownloadEvidenceRequest>(), on_bytes);
        if (!reply.ok()) return reply.status();
        const std::string id = reply->first.evidence_id();
        return Downloaded<v1::Evidence>{std::move(reply->first), std::move(reply->second), id};
      });
}

}  // namespace rectify::client::ctl
