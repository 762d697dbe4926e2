// Requests whose text is not UTF-8 (issue 11). protobuf refuses to parse a
// proto3 string field that is not UTF-8, and gRPC's callback server then
// answers UNIMPLEMENTED with no message, before the handler runs. With
// rectify/v1/request_parsing.h such a request reaches the handler, whose
// validation answers INVALID_ARGUMENT naming the field, and nothing is
// written. Through a real in-process server on 127.0.0.1 with a real store.
#include "rectify/v1/request_parsing.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rectify/v1/admin_service.grpc.pb.h"
#include "rectify/v1/auth_service.grpc.pb.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/complaint_service.grpc.pb.h"
#include "rectify/v1/supervision_service.grpc.pb.h"
#include "rectify/v1/unit_service.grpc.pb.h"
#include "tests/server/supervision_server.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());
constexpr char kNotUtf8[] = "\xff\xfe\xc0\xaf";

class RequestParsingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(server_.Start(rectify::testing::ReadFileOrEmpty(
                                rectify::testing::Runfile("config/principals.demo.textproto")),
                            policy_, clock_, dir_.Sub("db")));
  }
  void TearDown() override { server_.Stop(); }

  v1::ReportCaseRequest Report() {
    v1::ReportCaseRequest request;
    request.set_command_id(absl::StrCat("report-", ++sequence_));
    request.set_title("黑河排污口");
    request.set_category(v1::CATEGORY_WATER);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code("620722100");
    request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(kStart - absl::Hours(1)));
    return request;
  }

  grpc::Status SendReport(const v1::ReportCaseRequest& request, v1::ReportCaseResponse* response) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-inspector");
    return server_.cases().ReportCase(&context, request, response);
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  rectify::testing::SupervisionServer server_;
  int sequence_ = 0;
};

TEST_F(RequestParsingTest, TextThatIsNotUtf8IsRefusedNamingTheField) {
  struct Bad {
    void (*spoil)(v1::ReportCaseRequest&);
    const char* field;
  };
  const Bad bad[] = {
      {[](v1::ReportCaseRequest& r) { r.set_title(kNotUtf8); }, "title: "},
      {[](v1::ReportCaseRequest& r) { r.mutable_location()->set_address(kNotUtf8); },
       "location.address: "},
      {[](v1::ReportCaseRequest& r) { r.mutable_location()->set_region_code(kNotUtf8); },
       "location.region_code: "},
      {[](v1::ReportCaseRequest& r) {
         r.add_tags("扬尘");
         r.add_tags(kNotUtf8);
       },
       "tags[1]: "},
      {[](v1::ReportCaseRequest& r) { r.set_command_id(kNotUtf8); }, "command_id: "},
  };
  for (const Bad& b : bad) {
    v1::ReportCaseRequest request = Report();
    b.spoil(request);
    v1::ReportCaseResponse response;
    const grpc::Status status = SendReport(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << b.field << " " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(b.field));
  }
  EXPECT_EQ(server_.store().LastPosition(), 0u);

  // Other RPCs too: a read and a mutation on an existing case.
  v1::ReportCaseResponse reported;
  ASSERT_TRUE(SendReport(Report(), &reported).ok());
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-inspector");
    v1::GetCaseRequest request;
    request.set_case_id(absl::StrCat(reported.case_().case_id(), kNotUtf8));
    v1::GetCaseResponse response;
    const grpc::Status status = server_.cases().GetCase(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("case_id: "));
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-supervisor");
    v1::AssignCaseRequest request;
    request.set_command_id("assign-1");
    request.set_case_id(reported.case_().case_id());
    request.set_responsible_unit("minle-hongshui-town");
    request.set_requirements(absl::StrCat("封堵", kNotUtf8));
    v1::AssignCaseResponse response;
    const grpc::Status status = server_.cases().AssignCase(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("requirements: "));
  }
  EXPECT_EQ(server_.store().LastPosition(), 1u);
}

// Without a token too: the answer is UNAUTHENTICATED, as for any request,
// instead of UNIMPLEMENTED before authentication.
TEST_F(RequestParsingTest, AnUnauthenticatedCallerGetsUnauthenticated) {
  grpc::ClientContext context;
  v1::ReportCaseRequest request = Report();
  request.set_title(kNotUtf8);
  v1::ReportCaseResponse response;
  EXPECT_EQ(server_.cases().ReportCase(&context, request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST(ReplaceInvalidUtf8Test, ReplacesOnlyTheBadFieldsAtAnyDepth) {
  v1::ReportCaseRequest request;
  request.set_title("标题");
  request.mutable_location()->set_address(kNotUtf8);
  request.add_tags("ok");
  request.add_tags(kNotUtf8);
  request.mutable_found_at()->set_seconds(1788000000);
  std::string rewritten;
  int replaced = 0;
  ASSERT_TRUE(ReplaceInvalidUtf8(v1::ReportCaseRequest::descriptor(),
                                 request.SerializePartialAsString(), &rewritten, &replaced));
  EXPECT_EQ(replaced, 2);
  v1::ReportCaseRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(rewritten));
  EXPECT_EQ(parsed.title(), "标题");
  EXPECT_EQ(parsed.location().address(), kInvalidUtf8Placeholder);
  ASSERT_EQ(parsed.tags_size(), 2);
  EXPECT_EQ(parsed.tags(0), "ok");
  EXPECT_EQ(parsed.tags(1), kInvalidUtf8Placeholder);
  EXPECT_EQ(parsed.found_at().seconds(), 1788000000);

  // Well-formed text comes out byte for byte; a truncated message is refused.
  request.mutable_location()->set_address("洪水镇");
  request.set_tags(1, "fine");
  const std::string good = request.SerializeAsString();
  ASSERT_TRUE(ReplaceInvalidUtf8(v1::ReportCaseRequest::descriptor(), good, &rewritten, &replaced));
  EXPECT_EQ(replaced, 0);
  EXPECT_EQ(rewritten, good);
  EXPECT_FALSE(ReplaceInvalidUtf8(v1::ReportCaseRequest::descriptor(),
                                  good.substr(0, good.size() - 3), &rewritten, &replaced));
}

// Every request type of every rectify.v1 service is parsed this way, so a
// new RPC cannot bring back the UNIMPLEMENTED answer.
TEST(RequestParsingCoverageTest, EveryServiceMethodsRequestTypeIsCovered) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int methods = 0;
  for (const char* name :
       {v1::CaseService::service_full_name(), v1::SupervisionService::service_full_name(),
        v1::AdminService::service_full_name(), v1::AuthService::service_full_name(),
        v1::UnitService::service_full_name(), v1::ComplaintService::service_full_name()}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string& type = service->method(i)->input_type()->full_name();
      EXPECT_TRUE(IsLenientlyParsed(type)) << service->method(i)->full_name() << " takes " << type
                                           << ": add it to RECTIFY_REQUEST_TYPES";
      ++methods;
    }
  }
  EXPECT_GE(methods, 63);
}

}  // namespace
}  // namespace rectify
