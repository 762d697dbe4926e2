// How Rectify requests are parsed off the wire, for every generated
// rectify/v1/*.grpc.pb.h (bazel/proto.bzl has grpc_cpp_plugin include this
// header in each, so every use of a request type sees it).
//
// Why: proto3 string fields must hold valid UTF-8, and protobuf 3.21's
// parser refuses a message whose string field does not (after writing an
// ERROR line to stderr). gRPC 1.51's callback server answers any request it
// cannot parse with UNIMPLEMENTED and an empty message, before the handler,
// so a client sending one bad byte learnt nothing and the server wrote raw
// libprotobuf lines before authenticating anyone.
//
// What: grpc::SerializationTraits for each request type parse as usual and,
// only when that fails, rewrite each string field that is not UTF-8 to
// kInvalidUtf8Placeholder (text with a control character, which every
// check of ours refuses: CheckText, CheckId, region codes) and parse again.
// The handler then runs and its validation answers INVALID_ARGUMENT naming
// the field ("title: is not valid UTF-8 text"). A message that is malformed
// otherwise still fails. Responses and every other message parse as before.
#ifndef RECTIFY_V1_REQUEST_PARSING_H_
#define RECTIFY_V1_REQUEST_PARSING_H_

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>

#include <string>

// Every request message of the rectify.v1 services. A test
// (tests/server/request_parsing_test.cc) fails when a service method's
// request type is missing here.
#define RECTIFY_REQUEST_TYPES(X)                                                               \
  X(AcceptComplaintRequest) X(AnswerComplaintReviewRequest) X(AttachComplaintToCaseRequest)   \
  X(CloseComplaintUnfoundedRequest) X(ExtendComplaintReplyRequest) X(GetComplaintRequest)      \
  X(GetComplaintHistoryRequest) X(ImportComplaintsRequest) X(ListComplaintsRequest)            \
  X(OpenCaseFromComplaintRequest) X(ReceiveComplaintRequest) X(RecordComplaintCallbackRequest) \
  X(ReplyToComplaintRequest) X(RequestComplaintReviewRequest) X(TransferComplaintRequest)      \
  X(UploadSiteCheckDocumentRequest) X(DownloadSiteCheckDocumentRequest)                         \
  X(AddListItemsRequest) X(ApproveReferralRequest) X(ApproveReviewExtensionRequest)            \
  X(AssignCaseRequest) X(CloseAsUnfoundedRequest) X(CloseCaseRequest)                          \
  X(CloseRectificationListRequest) X(CreateAccountRequest) X(CreateBackupRequest)              \
  X(CreateRectificationListRequest) X(CreateUnitRequest) X(DecideExtensionRequest)             \
  X(DecideReconsiderationRequest) X(DecideReferralRequest) X(DisableAccountRequest)            \
  X(DownloadEvidenceRequest) X(EnableAccountRequest) X(ExplainNonFilingRequest)                \
  X(ExportLedgerRequest) X(ExtendReferralReviewRequest) X(GetAccountHistoryRequest)            \
  X(GetCaseHistoryRequest) X(GetCaseRequest) X(GetMonthlyReportRequest)                        \
  X(GetRectificationListHistoryRequest) X(GetRectificationListRequest) X(GetRegionNamesRequest)  \
  X(GetUnitHistoryRequest) X(GetUnitRequest) X(ListAccountsRequest) X(ListCasesRequest)        \
  X(ListMySessionsRequest) X(ListNoticesRequest) X(ListOfficersRequest)                        \
  X(ListRectificationListsRequest) X(ListSessionsRequest) X(ListUnitsRequest) X(LoginRequest)  \
  X(LogoutRequest) X(PreviewDeadlineRequest) X(ProposeReferralRequest)                         \
  X(RaiseObjectionRequest) X(ReactivateUnitRequest) X(ReassignCaseRequest)                     \
  X(ReceiveReferralRequest) X(RefuseReferralRequest) X(RemoveListItemRequest)                  \
  X(ReopenCaseRequest) X(ReportCaseRequest) X(ReportProgressRequest)                           \
  X(RequestExtensionRequest) X(RequestReconsiderationRequest) X(RequestSupervisionRequest)     \
  X(ResetPasswordRequest) X(RetireUnitRequest) X(RevokeAccountSessionRequest)                  \
  X(RevokeSessionRequest) X(SendReferralRequest) X(StartRectificationRequest)                  \
  X(SubmitCompletionRequest) X(UpdateAccountRequest) X(UpdateUnitRequest)                      \
  X(UploadEvidenceRequest) X(VerifyRectificationRequest) X(VerifyStoreRequest)                 \
  X(WatchEventsRequest) X(WhoAmIRequest) X(WithdrawReferralRequest)                            \
  /* PenaltyService (penalty_service.proto) */                                                 \
  X(OpenPenaltyCaseRequest) X(DecidePenaltyFilingRequest) X(ExtendPenaltyFilingRequest)        \
  X(RecordPenaltyInvestigationRequest) X(ServePenaltyPriorNoticeRequest) X(RequestPenaltyHearingRequest)\
  X(SchedulePenaltyHearingRequest) X(RecordPenaltyHearingRequest) X(ExtendPenaltyDecisionPeriodRequest)\
  X(DecidePenaltyRequest) X(ServePenaltyDecisionRequest) X(RecordPenaltyPaymentRequest)        \
  X(RecordPenaltyRemedyRequest) X(DecidePenaltyRemedyRequest) X(ApplyCompulsoryExecutionRequest)\
  X(PublishPenaltyRequest) X(IssueCorrectionOrderRequest) X(ServeCorrectionOrderRequest)       \
  X(RecordCorrectionRecheckRequest) X(ClosePenaltyCaseRequest) X(GetPenaltyCaseRequest)        \
  X(ListPenaltyCasesRequest) X(GetPenaltyCaseHistoryRequest) X(ExportPenaltyPublicationRequest)

namespace rectify {
namespace v1 {
#define RECTIFY_DECLARE_REQUEST(Type) class Type;
RECTIFY_REQUEST_TYPES(RECTIFY_DECLARE_REQUEST)
#undef RECTIFY_DECLARE_REQUEST
}  // namespace v1

// What a string field that is not UTF-8 holds after parsing.
inline constexpr char kInvalidUtf8Placeholder[] = "\x01(not UTF-8)";

// Parses `buffer` into `message` as above; clears `buffer`. Not OK only for
// a message that cannot be parsed even so.
grpc::Status ParseRequest(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* message);

// `bytes` (a serialized message of type `descriptor`) with every string
// field that is not UTF-8, at any depth, replaced by kInvalidUtf8Placeholder;
// `*replaced` counts them. False when `bytes` is not a well-formed message.
bool ReplaceInvalidUtf8(const grpc::protobuf::Descriptor* descriptor, const std::string& bytes,
                        std::string* rewritten, int* replaced);

// Whether the request type `full_name` ("rectify.v1.ReportCaseRequest") is
// parsed this way.
bool IsLenientlyParsed(const std::string& full_name);

}  // namespace rectify

namespace grpc {
#define RECTIFY_REQUEST_TRAITS(Type)                                                     \
  template <>                                                                            \
  class SerializationTraits<::rectify::v1::Type, void> {                                 \
   public:                                                                               \
    static Status Serialize(const protobuf::MessageLite& msg, ByteBuffer* bb,            \
                            bool* own_buffer) {                                          \
      return GenericSerialize<ProtoBufferWriter, ::rectify::v1::Type>(msg, bb, own_buffer); \
    }                                                                                    \
    static Status Deserialize(ByteBuffer* buffer, protobuf::MessageLite* msg) {          \
      return ::rectify::ParseRequest(buffer, msg);                                       \
    }                                                                                    \
  };
RECTIFY_REQUEST_TYPES(RECTIFY_REQUEST_TRAITS)
#undef RECTIFY_REQUEST_TRAITS
}  // namespace grpc

#endif  // RECTIFY_V1_REQUEST_PARSING_H_
