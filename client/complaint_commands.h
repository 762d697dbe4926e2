// rectifyctl's 12369 complaint subcommands (信访件): which ComplaintService
// RPC each calls, and how a complaint, its clocks and the queue read in
// Chinese for the bureau's staff (docs/rectifyctl.md, "Complaints").
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Message> reply,
//                    CallComplaintService(client, "AcceptComplaint", request));
//   std::cout << FormatComplaint(complaint, clocks);
#ifndef RECTIFY_CLIENT_COMPLAINT_COMMANDS_H_
#define RECTIFY_CLIENT_COMPLAINT_COMMANDS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/rectify_client.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "rectify/v1/complaint_service.pb.h"

namespace rectify::client {

// Calls the ComplaintService method named `method` (e.g. "AcceptComplaint")
// with `request`, which must be that method's request type. INVALID_ARGUMENT
// for a method the service does not have; else the server's status.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> CallComplaintService(
    RectifyClient& client, const std::string& method, const google::protobuf::Message& request);

// A clock's name: 受理期限, 答复期限, 申请复查期限, 复查答复期限.
std::string ComplaintClockWords(v1::DeadlineKind kind);

// Days left on a clock as the server counted them: "剩 5 天（截止 2026-12-17）",
// "今日截止", or "逾期 3 天".
std::string ClockLeftWords(const v1::DeadlineCountdown& clock);

// One complaint, a labelled line per fact, in Chinese; the complainant only
// when the server sent it (else 匿名 or 不可见), then every running clock.
std::string FormatComplaint(const v1::Complaint& complaint,
                            const google::protobuf::RepeatedPtrField<v1::DeadlineCountdown>& clocks);

// The queue: one row per complaint (id, status, ticket, received, title,
// then each running clock with its days left).
std::string FormatComplaintQueue(const v1::ListComplaintsResponse& reply);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMPLAINT_COMMANDS_H_
