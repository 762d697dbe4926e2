// rectify_web end to end: the real rectify_server (demo principals, a fresh
// RocksDB) and the real rectify_web binary on loopback, driven over HTTP as
// a browser, curl or buf would. Session cookies carry the principals file's
// static tokens (the gateway forwards whatever the cookie holds as the
// bearer token).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/sha256.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "rectify/v1/admin_service.pb.h"
#include "rectify/v1/auth_service.pb.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/complaint_service.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "rectify/v1/user_message.pb.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "tests/web/web_process.h"

namespace rectify::web {
namespace {

using ::rectify::testing::ServerProcess;
using ::rectify::testing::TempDir;
using ::rectify::testing::WebProcess;

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// The JSON object of a reply body, or an empty Struct.
google::protobuf::Struct Json(const std::string& body) {
  google::protobuf::Struct value;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(body, &value).ok()) << body;
  return value;
}

std::string Field(const google::protobuf::Struct& object, const std::string& name) {
  auto it = object.fields().find(name);
  return it == object.fields().end() ? "" : it->second.string_value();
}

// Connect's envelope, written out by hand: flags, big-endian length, bytes.
std::string Envelope(const std::string& payload) {
  std::string out(5, '\0');
  const uint32_t n = static_cast<uint32_t>(payload.size());
  out[1] = static_cast<char>(n >> 24);
  out[2] = static_cast<char>(n >> 16);
  out[3] = static_cast<char>(n >> 8);
  out[4] = static_cast<char>(n);
  return out + payload;
}

std::vector<std::pair<int, std::string>> Envelopes(const std::string& body) {
  std::vector<std::pair<int, std::string>> out;
  size_t at = 0;
  while (at + 5 <= body.size()) {
    const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(body[i])); };
    const uint32_t n = (byte(at + 1) << 24) | (byte(at + 2) << 16) | (byte(at + 3) << 8) | byte(at + 4);
    out.emplace_back(static_cast<int>(byte(at)), body.substr(at + 5, n));
    at += 5 + n;
  }
  EXPECT_EQ(at, body.size()) << "trailing bytes after the last envelope";
  return out;
}

std::string PercentEncode(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  return out;
}

// Sends `request` on a new connection and returns the head of the answer
// (status line and headers) as it came on the wire. httplib's client
// percent-decodes header values, which would hide what a browser gets.
std::string RawResponseHead(int port, const std::string& request) {
  const std::string& head = request;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      send(fd, head.data(), head.size(), 0) == static_cast<ssize_t>(head.size())) {
    char buffer[4096];
    ssize_t n;
    while (answer.find("\r\n\r\n") == std::string::npos &&
           (n = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
      answer.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  return answer.substr(0, answer.find("\r\n\r\n"));
}

// Sends only the head of a request (no body, whatever Content-Length says)
// and returns the status line of the answer: a body refused by its size is
// answered without being read.
std::string StatusLineForHead(int port, const std::string& head) {
  const std::string answer = RawResponseHead(port, head);
  return answer.substr(0, answer.find("\r\n"));
}

// A header of a raw response head, or empty.
std::string RawHeader(const std::string& head, const std::string& name) {
  const std::string key = "\r\n" + name + ": ";
  const size_t at = head.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  return head.substr(start, head.find("\r\n", start) - start);
}

class GatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    signal(SIGPIPE, SIG_IGN);  // a refused upload closes the socket mid-write
    dir_ = new TempDir();
    // A stand-in for the built app: an index and one hashed asset.
    std::filesystem::create_directories(dir_->Sub("app/assets"));
    std::ofstream(dir_->Sub("app/index.html")) << "<!doctype html><title>app</title>";
    std::ofstream(dir_->Sub("app/assets/main-3f9a1c.js")) << "console.log(1)";
    server_ = new ServerProcess(
        *dir_, {"--demo_accounts_file=" + testing::Runfile("config/accounts.demo.textproto")});
    server_->Start();
    web_ = new WebProcess(*dir_, server_->address(), {"--app_dir=" + dir_->Sub("app")});
    web_->Start();
  }
  static void TearDownTestSuite() {
    if (web_ != nullptr) {
      EXPECT_EQ(web_->Stop(), 0);
    }
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0);
    }
    delete web_;
    delete server_;
    delete dir_;
  }

  httplib::Client Http() {
    httplib::Client client("127.0.0.1", web_->port());
    client.set_read_timeout(30, 0);
    client.set_write_timeout(30, 0);
    return client;
  }

  // Headers a page of the app sends: the session cookie, its own Origin and
  // Connect's protocol header.
  httplib::Headers Browser(const std::string& token) {
    httplib::Headers headers = {{"Origin", web_->origin()}, {"Connect-Protocol-Version", "1"}};
    if (!token.empty()) headers.emplace("Cookie", "rectify_session=" + token);
    return headers;
  }

  static Reply ToReply(const httplib::Result& result, const std::string& what) {
    Reply reply;
    if (!result) {
      ADD_FAILURE() << what << ": " << httplib::to_string(result.error());
      return reply;
    }
    reply.status = result->status;
    reply.body = result->body;
    reply.headers = result->headers;
    return reply;
  }

  Reply Post(const std::string& path, const std::string& body, const httplib::Headers& headers,
             const std::string& content_type = "application/json") {
    httplib::Client client = Http();
    return ToReply(client.Post(path.c_str(), headers, body, content_type.c_str()), "POST " + path);
  }

  Reply Call(const std::string& method, const std::string& json, const std::string& token) {
    return Post("/rectify.v1." + method, json, Browser(token));
  }

  Reply Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client = Http();
    return ToReply(client.Get(path.c_str(), headers), "GET " + path);
  }

  // Reports a case as the demo inspector; returns its id.
  std::string ReportCase(const std::string& title) {
    static int next = 0;
    const Reply reply = Call(
        "CaseService/ReportCase",
        absl::StrFormat(R"({"commandId":"gw-report-%d-%d","title":"%s","category":"CATEGORY_WATER",
            "severity":"SEVERITY_MEDIUM","source":"CASE_SOURCE_INSPECTION",
            "location":{"regionCode":"620722","address":"洪水镇 北滩村"},
            "foundAt":"2026-01-05T02:00:00Z"})",
                        getpid(), ++next, title),
        "demo-inspector");
    EXPECT_EQ(reply.status, 200) << reply.body;
    v1::ReportCaseResponse response;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(reply.body, &response).ok())
        << reply.body;
    return response.case_().case_id();
  }

  // The head of a download as the browser receives it (HEAD: no bytes).
  std::string RawDownloadHead(const std::string& case_id, const std::string& evidence_id) {
    return RawResponseHead(
        web_->port(), absl::StrCat("HEAD /evidence/", case_id, "/", evidence_id,
                                   " HTTP/1.1\r\nHost: 127.0.0.1:", web_->port(),
                                   "\r\nCookie: rectify_session=demo-inspector\r\n"
                                   "Connection: close\r\n\r\n"));
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static WebProcess* web_;
};

TempDir* GatewayTest::dir_ = nullptr;
ServerProcess* GatewayTest::server_ = nullptr;
WebProcess* GatewayTest::web_ = nullptr;

// Every method of CaseService, SupervisionService and PenaltyService, taken from the
// descriptors, answers over Connect JSON with a session cookie: whatever it
// says about an empty request, it is never "no such method".
TEST_F(GatewayTest, EveryCaseAndSupervisionMethodIsReachable) {
  int unary = 0;
  int streaming = 0;
  for (const std::string service : {"rectify.v1.CaseService", "rectify.v1.SupervisionService",
                                    "rectify.v1.PenaltyService"}) {
    const google::protobuf::ServiceDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = descriptor->method(i);
      const std::string path = absl::StrCat("/", service, "/", method->name());
      SCOPED_TRACE(path);
      if (method->client_streaming()) continue;  // UploadEvidence: PUT, tested below
      if (method->server_streaming()) {
        httplib::Headers headers = Browser("demo-supervisor");
        headers.emplace("Connect-Timeout-Ms", "800");
        const Reply reply = Post(path, Envelope("{}"), headers, "application/connect+json");
        EXPECT_EQ(reply.status, 200) << reply.body;
        EXPECT_EQ(reply.Header("Content-Type"), "application/connect+json");
        const auto frames = Envelopes(reply.body);
        ASSERT_FALSE(frames.empty());
        EXPECT_EQ(frames.back().first, 2) << "the last message ends the stream";
        const google::protobuf::Struct end = Json(frames.back().second);
        const auto error = end.fields().find("error");
        if (error != end.fields().end()) {
          EXPECT_NE(Field(error->second.struct_value(), "code"), "unimplemented");
        }
        ++streaming;
      } else {
        const Reply reply = Post(path, "{}", Browser("demo-supervisor"));
        EXPECT_NE(reply.status, 404) << reply.body;
        EXPECT_NE(reply.status, 501) << reply.body;
        EXPECT_EQ(reply.Header("Content-Type"), "application/json");
        const google::protobuf::Struct body = Json(reply.body);
        if (reply.status != 200) {
          EXPECT_NE(Field(body, "code"), "") << reply.body;
          EXPECT_NE(Field(body, "code"), "unimplemented") << reply.body;
        }
        ++unary;
      }
    }
  }
  // 28 unary and 3 server-streaming methods as of this API: a shrinking
  // table would mean the descriptors were not found.
  EXPECT_GE(unary, 28);
  EXPECT_GE(streaming, 3);
}

// The session cookie of a Set-Cookie header: its value, or empty.
std::string CookieValue(const std::string& set_cookie) {
  const std::string prefix = "rectify_session=";
  if (set_cookie.rfind(prefix, 0) != 0) return "";
  return set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
}

TEST_F(GatewayTest, LoginSetsTheSessionCookieAndLogoutClearsIt) {
  const httplib::Headers page = Browser("");
  // A wrong password and an unknown account: the same answer, no cookie.
  Reply wrong = Post("/rectify.v1.AuthService/Login",
                     R"({"accountName":"wangqiang","password":"not-it","deviceLabel":"平板"})", page);
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(Field(Json(wrong.body), "code"), "unauthenticated");
  EXPECT_EQ(wrong.Header("Set-Cookie"), "");
  Reply unknown = Post("/rectify.v1.AuthService/Login",
                       R"({"accountName":"nobody","password":"not-it","deviceLabel":"平板"})", page);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Field(Json(unknown.body), "message"), Field(Json(wrong.body), "message"));

  Reply login = Post(
      "/rectify.v1.AuthService/Login",
      R"({"accountName":"wangqiang","password":"rectify-demo-2026","deviceLabel":"执法平板 03"})",
      page);
  ASSERT_EQ(login.status, 200) << login.body;
  // The token went into the cookie, not the body the page sees.
  EXPECT_EQ(login.body.find("sessionToken"), std::string::npos) << login.body;
  v1::LoginResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(login.body, &response).ok());
  EXPECT_EQ(response.session_token(), "");
  EXPECT_FALSE(response.session_id().empty());
  EXPECT_EQ(response.principal().display_name(), "王强");
  const std::string set_cookie = login.Header("Set-Cookie");
  const std::string token = CookieValue(set_cookie);
  ASSERT_GE(token.size(), 43u) << set_cookie;  // 256 bits in base64
  EXPECT_NE(set_cookie.find("; Path=/; HttpOnly; SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP: no Secure";
  EXPECT_NE(set_cookie.find("; Expires="), std::string::npos);

  // The cookie alone authenticates the next calls.
  Reply me = Post("/rectify.v1.AuthService/WhoAmI", "{}", Browser(token));
  ASSERT_EQ(me.status, 200) << me.body;
  v1::WhoAmIResponse who;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(me.body, &who).ok());
  EXPECT_EQ(who.principal().display_name(), "王强");
  EXPECT_EQ(who.principal().role(), v1::ROLE_SUPERVISOR);
  EXPECT_EQ(who.session().device_label(), "执法平板 03");
  EXPECT_EQ(Call("CaseService/ListCases", "{}", token).status, 200);

  Reply logout = Post("/rectify.v1.AuthService/Logout", "{}", Browser(token));
  EXPECT_EQ(logout.status, 200) << logout.body;
  EXPECT_EQ(logout.Header("Set-Cookie"),
            "rectify_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
  // The session is gone on the server: the old cookie no longer works.
  EXPECT_EQ(Post("/rectify.v1.AuthService/WhoAmI", "{}", Browser(token)).status, 401);
}

TEST_F(GatewayTest, GetCaseReturnsWhatWasReported) {
  const std::string case_id = ReportCase("河道旁堆放建筑垃圾");
  ASSERT_FALSE(case_id.empty());
  const Reply reply =
      Call("CaseService/GetCase", absl::StrCat(R"({"caseId":")", case_id, R"("})"), "demo-supervisor");
  ASSERT_EQ(reply.status, 200) << reply.body;
  v1::GetCaseResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(reply.body, &response).ok());
  EXPECT_EQ(response.case_().case_id(), case_id);
  EXPECT_EQ(response.case_().title(), "河道旁堆放建筑垃圾");
  EXPECT_EQ(response.case_().location().address(), "洪水镇 北滩村");

  // The same call in binary protobuf (application/proto), as buf curl sends.
  v1::GetCaseRequest request;
  request.set_case_id(case_id);
  const Reply binary = Post("/rectify.v1.CaseService/GetCase", request.SerializeAsString(),
                            Browser("demo-supervisor"), "application/proto");
  ASSERT_EQ(binary.status, 200) << binary.body;
  EXPECT_EQ(binary.Header("Content-Type"), "application/proto");
  v1::GetCaseResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(binary.body));
  EXPECT_EQ(parsed.case_().title(), "河道旁堆放建筑垃圾");
}

TEST_F(GatewayTest, ErrorsCarryConnectCodesAndHttpStatuses) {
  // No cookie, no Authorization: the server refuses the call.
  Reply reply = Call("CaseService/ListCases", "{}", "");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(Field(Json(reply.body), "code"), "unauthenticated");
  // A cookie with a token the server does not know.
  reply = Call("CaseService/ListCases", "{}", "not-a-token");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(Field(Json(reply.body), "code"), "unauthenticated");
  // ADMIN reads no case content.
  reply = Call("CaseService/ListCases", "{}", "demo-admin");
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_EQ(Field(Json(reply.body), "code"), "permission_denied");
  // A report without a title: invalid_argument naming the field.
  reply = Call("CaseService/ReportCase",
               R"({"commandId":"gw-no-title","category":"CATEGORY_WATER",
                   "severity":"SEVERITY_MEDIUM","source":"CASE_SOURCE_INSPECTION",
                   "location":{"regionCode":"620722"},"foundAt":"2026-01-05T02:00:00Z"})",
               "demo-inspector");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(Field(Json(reply.body), "code"), "invalid_argument");
  EXPECT_EQ(Field(Json(reply.body), "message"), "title: is required");
  // ... and the Chinese the user reads, as a Connect error detail: the
  // UserMessage in base64 (unpadded), which decodes to 标题：必填 on "title".
  {
    const google::protobuf::Struct body = Json(reply.body);
    ASSERT_TRUE(body.fields().contains("details")) << reply.body;
    const auto& details = body.fields().at("details").list_value();
    ASSERT_EQ(details.values_size(), 1) << reply.body;
    const google::protobuf::Struct& detail = details.values(0).struct_value();
    EXPECT_EQ(Field(detail, "type"), "rectify.v1.UserMessage");
    std::string bytes;
    ASSERT_TRUE(absl::Base64Unescape(Field(detail, "value"), &bytes)) << reply.body;
    v1::UserMessage message;
    ASSERT_TRUE(message.ParseFromString(bytes));
    EXPECT_EQ(message.zh_cn(), "标题：必填");
    EXPECT_EQ(message.field(), "title");
  }
  // JSON that is not a GetCaseRequest (an unknown field): refused by the
  // gateway, naming the message.
  reply = Call("CaseService/GetCase", R"({"caseIdentifier":"x"})", "demo-supervisor");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(Field(Json(reply.body), "code"), "invalid_argument");
  EXPECT_NE(Field(Json(reply.body), "message").find("rectify.v1.GetCaseRequest"), std::string::npos);
  // Not found, through the server.
  reply = Call("CaseService/GetCase", R"({"caseId":"620722-2026-999999"})", "demo-supervisor");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(Field(Json(reply.body), "code"), "not_found");
  // No such method, and services that are not exposed.
  for (const std::string path :
       {"/rectify.v1.CaseService/DropCase", "/grpc.health.v1.Health/Check",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "/rectify.v1.Nothing/Get"}) {
    reply = Post(path, "{}", Browser("demo-supervisor"));
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(Field(Json(reply.body), "code"), "unimplemented") << path;
  }
  // A content type Connect does not define.
  reply = Post("/rectify.v1.CaseService/GetCase", "{}", Browser("demo-supervisor"), "text/plain");
  EXPECT_EQ(reply.status, 415);
  // A malformed timeout.
  httplib::Headers headers = Browser("demo-supervisor");
  headers.emplace("Connect-Timeout-Ms", "soon");
  reply = Post("/rectify.v1.CaseService/ListCases", "{}", headers);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(Field(Json(reply.body), "code"), "invalid_argument");
  // A body over the 4 MiB limit, refused before it is read.
  EXPECT_EQ(StatusLineForHead(
                web_->port(),
                absl::StrCat("POST /rectify.v1.CaseService/GetCase HTTP/1.1\r\nHost: 127.0.0.1:",
                             web_->port(), "\r\nContent-Type: application/json\r\n"
                             "Connect-Protocol-Version: 1\r\nContent-Length: ",
                             (4 << 20) + 1, "\r\n\r\n")),
            "HTTP/1.1 413 Payload Too Large");
}

TEST_F(GatewayTest, CrossSiteStateChangesAreRefused) {
  const std::string body =
      R"({"commandId":"gw-csrf","title":"跨站","category":"CATEGORY_WATER",
          "severity":"SEVERITY_MEDIUM","source":"CASE_SOURCE_INSPECTION",
          "location":{"regionCode":"620722"},"foundAt":"2026-01-05T02:00:00Z"})";
  // A form post from another site: another Origin, no Connect header.
  Reply reply = Post("/rectify.v1.CaseService/ReportCase", body,
                     {{"Origin", "https://evil.example"},
                      {"Cookie", "rectify_session=demo-inspector"}},
                     "application/x-www-form-urlencoded");
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(Field(Json(reply.body), "code"), "permission_denied");
  // A script on another site that adds the Connect header.
  reply = Post("/rectify.v1.CaseService/ReportCase", body,
               {{"Origin", "https://evil.example"},
                {"Connect-Protocol-Version", "1"},
                {"Cookie", "rectify_session=demo-inspector"}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(Field(Json(reply.body), "message"), "the origin https://evil.example is not allowed");
  // Our own origin but without Connect's header.
  reply = Post("/rectify.v1.CaseService/ReportCase", body,
               {{"Origin", web_->origin()}, {"Cookie", "rectify_session=demo-inspector"}});
  EXPECT_EQ(reply.status, 403);
  // The cookie without any Origin.
  reply = Post("/rectify.v1.CaseService/ReportCase", body,
               {{"Connect-Protocol-Version", "1"}, {"Cookie", "rectify_session=demo-inspector"}});
  EXPECT_EQ(reply.status, 403);
  // An upload from another site.
  httplib::Client client = Http();
  httplib::Result put = client.Put("/evidence/620722-2026-000001?command_id=x", {{"Origin", "https://evil.example"}, {"Connect-Protocol-Version", "1"}, {"Cookie", "rectify_session=demo-inspector"}}, "abc", "image/png");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 403);

  // None of them reported a case: the command id is still free, so the
  // same report now (from the page's own origin) creates case number one
  // of this title.
  reply = Call("CaseService/ListCases", "{}", "demo-supervisor");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body.find("跨站"), std::string::npos) << reply.body;

  // curl or buf with a bearer header and no cookie needs no Origin.
  reply = Post("/rectify.v1.CaseService/ListCases", "{}",
               {{"Connect-Protocol-Version", "1"}, {"Authorization", "Bearer demo-supervisor"}});
  EXPECT_EQ(reply.status, 200) << reply.body;
}

TEST_F(GatewayTest, EveryResponseCarriesTheSecurityHeaders) {
  std::vector<Reply> replies = {
      Get("/"), Get("/no/such/page"), Get("/missing.js"), Get("/healthz"),
      Call("CaseService/ListCases", "{}", "demo-supervisor"),
      Call("CaseService/ListCases", "{}", ""),
      Post("/rectify.v1.CaseService/ListCases", "{}", {{"Origin", "https://evil.example"}})};
  for (const Reply& reply : replies) {
    SCOPED_TRACE(reply.status);
    const std::string csp = reply.Header("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(reply.Header("X-Frame-Options"), "DENY");
    EXPECT_EQ(reply.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(reply.Header("Referrer-Policy"), "no-referrer");
  }
}

// GET /reports/monthly: the page rectifyctl writes, from GetMonthlyReport
// with the caller's session; its own policy (no script, framed only by the
// app's pages); the server's refusals as Connect errors.
TEST_F(GatewayTest, MonthlyReportPageIsTheServersFiguresLaidOut) {
  ASSERT_FALSE(ReportCase("工业园区异味").empty());
  // The month the server is in (China Standard Time): the server's clock is
  // the real one in this test.
  const std::string month = absl::FormatTime("%Y-%m", absl::Now(), absl::FixedTimeZone(8 * 3600));
  const std::string next_year =
      absl::FormatTime("%Y", absl::Now() + absl::Hours(24 * 400), absl::FixedTimeZone(8 * 3600));
  const Reply page = Get("/reports/monthly?month=" + month + "&region=620722",
                         Browser("demo-supervisor"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.Header("Content-Security-Policy"),
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'self'");
  EXPECT_EQ(page.Header("X-Frame-Options"), "SAMEORIGIN");
  EXPECT_EQ(page.Header("Cache-Control"), "private, no-store");
  EXPECT_NE(page.body.find("环境问题整改月调度报告</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("统计区域：甘肃省张掖市民乐县（620722）"), std::string::npos);
  EXPECT_NE(page.body.find("<svg class=\"chart"), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);

  // No session: the server's refusal, as Connect JSON.
  const Reply anonymous = Get("/reports/monthly?month=" + month);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_NE(anonymous.body.find("\"code\":\"unauthenticated\""), std::string::npos) << anonymous.body;
  // Another county's inspector asking for Minle: permission denied.
  const Reply outside = Get("/reports/monthly?month=" + month + "&region=620722",
                            Browser("demo-inspector-ganzhou"));
  EXPECT_EQ(outside.status, 403) << outside.body;
  // A month not begun: the server's INVALID_ARGUMENT naming `month`.
  const Reply future = Get("/reports/monthly?month=" + next_year + "-01", Browser("demo-supervisor"));
  EXPECT_EQ(future.status, 400);
  EXPECT_NE(future.body.find("month: "), std::string::npos) << future.body;
  // Malformed queries never reach the server.
  for (const char* query :
       {"", "?month=2026-3", "?month=2026-03x", "?month=+026-03", "?month=2026/03",
        "?month=2026-03&region=62x", "?month=2026-03&region=6207220000001"}) {
    SCOPED_TRACE(query);
    const Reply bad = Get(std::string("/reports/monthly") + query, Browser("demo-supervisor"));
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("\"code\":\"invalid_argument\""), std::string::npos) << bad.body;
    EXPECT_TRUE(bad.body.find("month: ") != std::string::npos ||
                bad.body.find("region: ") != std::string::npos)
        << bad.body;
  }
}

TEST_F(GatewayTest, ServesTheAppWithCachingAndRouteFallback) {
  Reply index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(index.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(index.Header("Content-Type"), "text/html; charset=utf-8");
  Reply asset = Get("/assets/main-3f9a1c.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1)");
  EXPECT_EQ(asset.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(asset.Header("Content-Type"), "text/javascript; charset=utf-8");
  // An app route is the index; a missing file or asset is not.
  Reply route = Get("/cases/620722-2026-000001");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, index.body);
  EXPECT_EQ(Get("/missing.js").status, 404);
  EXPECT_EQ(Get("/assets/gone").status, 404);
  EXPECT_EQ(Get("/../../etc/passwd").status, 404);
  // An RPC path with GET is neither a page nor a call.
  EXPECT_EQ(Get("/rectify.v1.CaseService/GetCase").status, 405);
  EXPECT_EQ(Get("/healthz").body, "ok\n");
}

TEST_F(GatewayTest, WatchEventsStreamsAsConnectServerStreaming) {
  const std::string case_id = ReportCase("夜间施工噪声扰民");
  httplib::Headers headers = Browser("demo-supervisor");
  headers.emplace("Connect-Timeout-Ms", "1500");
  const Reply reply =
      Post("/rectify.v1.CaseService/WatchEvents",
           Envelope(absl::StrCat(R"({"streamId":")", case_id, R"("})")), headers,
           "application/connect+json");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto frames = Envelopes(reply.body);
  ASSERT_GE(frames.size(), 2u) << reply.body;
  v1::WatchEventsResponse first;
  ASSERT_EQ(frames[0].first, 0);
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(frames[0].second, &first).ok())
      << frames[0].second;
  EXPECT_EQ(first.event().stream_id(), case_id);
  EXPECT_TRUE(first.event().has_case_reported());
  // The stream ends when the client's deadline passes.
  EXPECT_EQ(frames.back().first, 2);
  const google::protobuf::Struct end = Json(frames.back().second);
  EXPECT_EQ(Field(end.fields().at("error").struct_value(), "code"), "deadline_exceeded");
}

TEST_F(GatewayTest, VerifyStoreWithProgressStreamsProgressThenTheResult) {
  ReportCase("夜间施工噪声扰民");
  ReportCase("餐饮油烟直排");
  httplib::Headers headers = Browser("demo-admin");
  const Reply reply = Post("/rectify.v1.AdminService/VerifyStoreWithProgress", Envelope("{}"),
                           headers, "application/connect+json");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto frames = Envelopes(reply.body);
  // At least: progress 0 of N, progress N of N, the result, the end (N: the
  // two cases' events and whatever else the test server holds).
  ASSERT_GE(frames.size(), 3u) << reply.body;
  v1::VerifyStoreUpdate progress;
  ASSERT_EQ(frames[0].first, 0);
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(frames[0].second, &progress).ok())
      << frames[0].second;
  EXPECT_EQ(progress.progress().unit(), "events");
  EXPECT_EQ(progress.progress().done(), 0);
  v1::VerifyStoreUpdate result;
  ASSERT_EQ(frames[frames.size() - 2].first, 0);
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(frames[frames.size() - 2].second, &result).ok());
  ASSERT_TRUE(result.has_result()) << frames[frames.size() - 2].second;
  EXPECT_GE(result.result().events(), 2);
  EXPECT_EQ(progress.progress().total(), result.result().events());
  EXPECT_TRUE(result.result().problems().empty());
  // The end of the stream carries no error.
  EXPECT_EQ(frames.back().first, 2);
  EXPECT_EQ(Json(frames.back().second).fields().count("error"), 0u) << frames.back().second;
}

constexpr int64_t kSize = int64_t{60} << 20;
constexpr size_t kBlock = 1 << 20;

// A deterministic byte pattern for uploads, made a block at a time.
std::string Block(int64_t offset, size_t length) {
  std::string block(length, '\0');
  for (size_t i = 0; i < length; ++i) {
    const int64_t at = offset + static_cast<int64_t>(i);
    block[i] = static_cast<char>((at * 131 + at / 4093) & 0xff);
  }
  return block;
}

TEST_F(GatewayTest, SixtyMibUploadStreamsWithBoundedMemoryAndDownloadsBack) {
  const std::string case_id = ReportCase("企业偷排废水");
  ASSERT_FALSE(case_id.empty());
  Sha256Hasher hasher;
  for (int64_t at = 0; at < kSize; at += kBlock) hasher.Update(Block(at, kBlock));
  const std::string sha256 = HexEncode(hasher.Finish());

  const pid_t pid = web_->pid();
  const int64_t rss_before = testing::ResidentBytes(pid);
  ASSERT_GT(rss_before, 0);
  const std::string path = absl::StrCat(
      "/evidence/", case_id, "?command_id=gw-upload-", getpid(), "&kind=EVIDENCE_KIND_VIDEO",
      "&file_name=", PercentEncode("排污口 夜间.mp4"), "&sha256=", sha256,
      "&description=", PercentEncode("排污口录像"));
  httplib::Client client = Http();
  httplib::Result put = client.Put(
      path.c_str(), Browser("demo-inspector"), static_cast<size_t>(kSize),
      [](size_t offset, size_t length, httplib::DataSink& sink) {
        const size_t n = std::min<size_t>(length, kBlock);
        const std::string block = Block(static_cast<int64_t>(offset), n);
        return sink.write(block.data(), block.size());
      },
      "video/mp4");
  ASSERT_TRUE(put) << httplib::to_string(put.error());
  ASSERT_EQ(put->status, 200) << put->body;
  v1::UploadEvidenceResponse uploaded;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(put->body, &uploaded).ok()) << put->body;
  EXPECT_EQ(uploaded.evidence().sha256(), sha256);
  EXPECT_EQ(uploaded.evidence().size_bytes(), kSize);
  EXPECT_EQ(uploaded.evidence().media_type(), "video/mp4");
  const int64_t peak_after_upload = testing::PeakResidentBytes(pid);
  // The gateway never held the file: its peak grew by far less than 60 MiB.
  EXPECT_LT(peak_after_upload - rss_before, int64_t{16} << 20)
      << "before " << rss_before << " peak " << peak_after_upload;

  // Download: streamed back with the stored type and a safe name.
  Sha256Hasher downloaded;
  int64_t received = 0;
  httplib::Headers response_headers;
  int status = 0;
  httplib::Result get = client.Get(
      absl::StrCat("/evidence/", case_id, "/", uploaded.evidence().evidence_id()).c_str(),
      Browser("demo-inspector"),
      [&](const httplib::Response& response) {
        status = response.status;
        response_headers = response.headers;
        return true;
      },
      [&](const char* data, size_t length) {
        downloaded.Update(absl::string_view(data, length));
        received += static_cast<int64_t>(length);
        return true;
      });
  ASSERT_TRUE(get) << httplib::to_string(get.error());
  EXPECT_EQ(status, 200);
  EXPECT_EQ(received, kSize);
  EXPECT_EQ(HexEncode(downloaded.Finish()), sha256);
  const auto header = [&](const std::string& name) {
    auto it = response_headers.find(name);
    return it == response_headers.end() ? std::string() : it->second;
  };
  EXPECT_EQ(header("Content-Type"), "video/mp4");
  EXPECT_EQ(header("Content-Length"), std::to_string(kSize));
  EXPECT_EQ(header("X-Content-Type-Options"), "nosniff");
  // 排 E6 8E 92, 污 E6 B1 A1, 口 E5 8F A3, 夜 E5 A4 9C, 间 E9 97 B4.
  EXPECT_EQ(RawHeader(RawDownloadHead(case_id, uploaded.evidence().evidence_id()),
                      "Content-Disposition"),
            "attachment; filename=\"___ __.mp4\"; filename*=UTF-8''"
            "%E6%8E%92%E6%B1%A1%E5%8F%A3%20%E5%A4%9C%E9%97%B4.mp4");
  EXPECT_EQ(header("Content-Security-Policy"), "sandbox; default-src 'none'");
  const int64_t peak_after_download = testing::PeakResidentBytes(pid);
  EXPECT_LT(peak_after_download - rss_before, int64_t{16} << 20)
      << "before " << rss_before << " peak after upload " << peak_after_upload
      << " peak after download " << peak_after_download;
}

TEST_F(GatewayTest, PathTraversalFileNamesAreNeutralised) {
  const std::string case_id = ReportCase("危险废物随意堆放");
  const std::string bytes = "%PDF-1.4 not really";
  const std::string sha256 = HexEncode(Sha256(bytes));
  struct Case {
    std::string file_name;
    std::string media_type;
    std::string disposition;
    std::string content_type;
  };
  const std::vector<Case> cases = {
      {"../../etc/passwd", "text/plain",
       "attachment; filename=\"passwd\"; filename*=UTF-8''passwd", "text/plain"},
      {"..\\..\\windows\\win.ini", "text/plain",
       "attachment; filename=\"win.ini\"; filename*=UTF-8''win.ini", "text/plain"},
      {"..", "application/pdf", "attachment; filename=\"evidence\"; filename*=UTF-8''evidence",
       "application/pdf"},
      {"report\"; filename=evil.html", "text/html; charset=utf-8",
       "attachment; filename=\"report__ filename=evil.html\"; "
       "filename*=UTF-8''report%22%3B%20filename%3Devil.html",
       "text/html"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file_name);
    const std::string path = absl::StrCat(
        "/evidence/", case_id, "?command_id=gw-name-", getpid(), "-", ++n,
        "&kind=EVIDENCE_KIND_DOCUMENT&file_name=", PercentEncode(c.file_name),
        "&sha256=", sha256);
    httplib::Client client = Http();
    httplib::Result put = client.Put(path.c_str(), Browser("demo-inspector"), bytes,
                                     c.media_type.c_str());
    ASSERT_TRUE(put);
    if (put->status == 400) {
      // A server that checks names itself (issue 11) refuses a path before
      // any byte is stored; the gateway passes its answer through.
      EXPECT_EQ(Field(Json(put->body), "code"), "invalid_argument");
      EXPECT_EQ(Field(Json(put->body), "message").rfind("file_name", 0), 0u) << put->body;
      continue;
    }
    ASSERT_EQ(put->status, 200) << put->body;
    v1::UploadEvidenceResponse uploaded;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(put->body, &uploaded).ok());
    EXPECT_EQ(uploaded.evidence().file_name(), c.file_name) << "stored as given";
    const Reply got = Get(absl::StrCat("/evidence/", case_id, "/", uploaded.evidence().evidence_id()),
                          Browser("demo-inspector"));
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.body, bytes);
    EXPECT_EQ(RawHeader(RawDownloadHead(case_id, uploaded.evidence().evidence_id()),
                        "Content-Disposition"),
              c.disposition);
    EXPECT_EQ(got.Header("Content-Type"), c.content_type);
  }
}

TEST_F(GatewayTest, UploadsAreCheckedBeforeTheyAreRead) {
  const std::string case_id = ReportCase("扬尘");
  httplib::Client client = Http();
  // Over the 64 MiB limit by its Content-Length: refused with 413 at once.
  EXPECT_EQ(StatusLineForHead(
                web_->port(),
                absl::StrCat("PUT /evidence/", case_id, "?command_id=gw-big HTTP/1.1\r\n"
                             "Host: 127.0.0.1:", web_->port(), "\r\nOrigin: ", web_->origin(),
                             "\r\nCookie: rectify_session=demo-inspector\r\n"
                             "Content-Type: image/png\r\nConnect-Protocol-Version: 1\r\n"
                             "Content-Length: ", (int64_t{64} << 20) + 1, "\r\n\r\n")),
            "HTTP/1.1 413 Payload Too Large");
  // A wrong SHA-256: the server's check, passed through.
  httplib::Result put = client.Put(absl::StrCat("/evidence/", case_id,
                                "?command_id=gw-badsum&kind=EVIDENCE_KIND_PHOTO&file_name=a.png"
                                "&sha256=", std::string(64, '0')).c_str(),
                   Browser("demo-inspector"), std::string("png bytes"), "image/png");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 400) << put->body;
  EXPECT_EQ(Field(Json(put->body), "code"), "invalid_argument");
  // A download of evidence that does not exist.
  const Reply missing = Get(absl::StrCat("/evidence/", case_id, "/ev-99"), Browser("demo-inspector"));
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(Field(Json(missing.body), "code"), "not_found");
}

// A complaint's site-check documents over HTTP beside evidence: PUT
// /complaint-documents/{id} streams the file in (the same limits and
// checks), GET streams it back to whoever reads the complaint; a unit gets
// the answer of a complaint that does not exist.
TEST_F(GatewayTest, SiteCheckDocumentsUploadAndDownloadOverHttp) {
  const Reply received = Call(
      "ComplaintService/ReceiveComplaint",
      absl::StrFormat(R"({"commandId":"gw-complaint-%d","details":{"channel":"COMPLAINT_CHANNEL_PHONE",
          "ticketNumber":"12369-GW-%d","title":"砂石料场夜间扬尘","content":"夜间作业，扬尘很大",
          "category":"CATEGORY_AIR","anonymous":true,
          "location":{"regionCode":"620722","address":"洪水镇 北滩村"}}})",
                      getpid(), getpid()),
      "demo-supervisor");
  ASSERT_EQ(received.status, 200) << received.body;
  v1::ReceiveComplaintResponse complaint;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(received.body, &complaint).ok());
  const std::string id = complaint.complaint().complaint_id();
  const Reply accepted = Call(
      "ComplaintService/AcceptComplaint",
      absl::StrFormat(R"({"commandId":"gw-accept-%d","complaintId":"%s"})", getpid(), id),
      "demo-supervisor");
  ASSERT_EQ(accepted.status, 200) << accepted.body;

  // 700,000 bytes: three of the gateway's 256 KiB messages.
  std::string bytes(700000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919) % 251);
  const std::string sha256 = HexEncode(Sha256(bytes));
  const std::string name = "现场检查笔录.pdf";
  auto put = [&](const std::string& token, const std::string& command_id,
                 const std::string& sha) {
    httplib::Client client = Http();
    return ToReply(client.Put(absl::StrCat("/complaint-documents/", id, "?command_id=", command_id,
                                           "&kind=EVIDENCE_KIND_INSPECTION_RECORD&file_name=",
                                           PercentEncode(name), "&sha256=", sha)
                                  .c_str(),
                              Browser(token), bytes, "application/pdf"),
                   "PUT /complaint-documents");
  };
  // Refused: an inspector may not close it (403), a wrong SHA-256 (400),
  // over 64 MiB by its Content-Length (413, before any byte is read).
  Reply refused = put("demo-inspector", "gw-doc-inspector", sha256);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(Field(Json(refused.body), "code"), "permission_denied");
  refused = put("demo-supervisor", "gw-doc-badsum", std::string(64, '0'));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Field(Json(refused.body), "code"), "invalid_argument");
  EXPECT_EQ(StatusLineForHead(
                web_->port(),
                absl::StrCat("PUT /complaint-documents/", id, "?command_id=gw-doc-big HTTP/1.1\r\n"
                             "Host: 127.0.0.1:", web_->port(), "\r\nOrigin: ", web_->origin(),
                             "\r\nCookie: rectify_session=demo-supervisor\r\n"
                             "Content-Type: application/pdf\r\nConnect-Protocol-Version: 1\r\n"
                             "Content-Length: ", (int64_t{64} << 20) + 1, "\r\n\r\n")),
            "HTTP/1.1 413 Payload Too Large");

  const Reply uploaded = put("demo-supervisor", absl::StrCat("gw-doc-", getpid()), sha256);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  v1::UploadSiteCheckDocumentResponse document;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(uploaded.body, &document).ok());
  EXPECT_EQ(document.document().document_id(), "scd-1");
  EXPECT_EQ(document.document().sha256(), sha256);
  EXPECT_EQ(document.document().size(), 700000);
  EXPECT_EQ(document.document().media_type(), "application/pdf");

  const std::string path = absl::StrCat("/complaint-documents/", id, "/scd-1");
  for (const char* token : {"demo-supervisor", "demo-inspector"}) {
    const Reply got = Get(path, Browser(token));
    ASSERT_EQ(got.status, 200) << token << ": " << got.body;
    EXPECT_TRUE(got.body == bytes) << token;
    EXPECT_EQ(got.Header("Content-Type"), "application/pdf");
    EXPECT_EQ(got.Header("Cache-Control"), "private, no-store");
  }
  // "现场检查笔录.pdf" in UTF-8, percent-encoded by RFC 5987.
  EXPECT_EQ(RawHeader(RawResponseHead(web_->port(),
                                      absl::StrCat("HEAD ", path, " HTTP/1.1\r\nHost: 127.0.0.1:",
                                                   web_->port(),
                                                   "\r\nCookie: rectify_session=demo-supervisor"
                                                   "\r\nConnection: close\r\n\r\n")),
                      "Content-Disposition"),
            "attachment; filename=\"______.pdf\"; filename*=UTF-8''"
            "%E7%8E%B0%E5%9C%BA%E6%A3%80%E6%9F%A5%E7%AC%94%E5%BD%95.pdf");
  const Reply unit = Get(path, Browser("demo-rectifier"));
  EXPECT_EQ(unit.status, 404) << unit.body;
  EXPECT_EQ(Field(Json(unit.body), "code"), "not_found");
}

}  // namespace
}  // namespace rectify::web
