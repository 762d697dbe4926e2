// End to end with the real binaries: rectifyctl's 12369 complaint
// subcommands against a real rectify_server on 127.0.0.1:0. The platform's
// CSV export in GBK is imported, a file with a malformed row (one the CLI
// reads wrong, one the server refuses) imports nothing and names the line,
// and importing the same file again adds nothing; a complaint goes through
// receive, accept, open-case and show, the queue shows the server's days
// left, and a responsible unit reads no complaint.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rectify/v1/complaint_service.pb.h"
#include "tests/e2e/rectifyctl_run.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::CtlResult;
using ::rectify::testing::ParseJson;
using ::rectify::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;

// The platform's export in GBK, written out byte by byte from the GBK table:
//   工单编号,来件时间,标题,举报内容,行政区划代码,事发地址,举报人姓名,举报人电话
//   12369-E2E-0001,2026-11-28 09:30:00,砂石料场扬尘,砂石料场夜间扬尘,620722,洪水镇北滩村,张三,13800000000
//   12369-E2E-0002,2026-11-29 10:05:00,噪声扰民,夜间噪声扰民,620722,洪水镇,,
constexpr char kGbkExport[] =
    "\xB9\xA4\xB5\xA5\xB1\xE0\xBA\xC5,\xC0\xB4\xBC\xFE\xCA\xB1\xBC\xE4,\xB1\xEA\xCC\xE2,\xBE\xD9\xB1\xA8\xC4\xDA\xC8\xDD,\xD0\xD0\xD5\xFE\xC7\xF8\xBB\xAE\xB4\xFA\xC2\xEB,\xCA\xC2\xB7\xA2\xB5\xD8\xD6\xB7,\xBE\xD9\xB1\xA8\xC8\xCB\xD0\xD5\xC3\xFB,\xBE\xD9\xB1\xA8\xC8\xCB\xB5\xE7\xBB\xB0\x0D\x0A"
    "12369-E2E-0001,2026-11-28 09:30:00,\xC9\xB0\xCA\xAF\xC1\xCF\xB3\xA1\xD1\xEF\xB3\xBE,\xC9\xB0\xCA\xAF\xC1\xCF\xB3\xA1\xD2\xB9\xBC\xE4\xD1\xEF\xB3\xBE,620722,\xBA\xE9\xCB\xAE\xD5\xF2\xB1\xB1\xCC\xB2\xB4\xE5,\xD5\xC5\xC8\xFD,13800000000\x0D\x0A"
    "12369-E2E-0002,2026-11-29 10:05:00,\xD4\xEB\xC9\xF9\xC8\xC5\xC3\xF1,\xD2\xB9\xBC\xE4\xD4\xEB\xC9\xF9\xC8\xC5\xC3\xF1,620722,\xBA\xE9\xCB\xAE\xD5\xF2,,\x0D\x0A";

class ComplaintsCtlTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  CtlResult Ctl(const std::string& token, const std::vector<std::string>& args) {
    return rectify::testing::RunRectifyctl(server_.address(), token, dir_.Sub("client"), dir_.path(),
                                           args);
  }

  std::string WriteFile(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.Sub(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  v1::ListComplaintsResponse Queue() {
    CtlResult listed = Ctl("demo-supervisor", {"--json", "complaints"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return ParseJson<v1::ListComplaintsResponse>(listed.out);
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
};

TEST_F(ComplaintsCtlTest, GbkExportImportsAndImportingItAgainAddsNothing) {
  const std::string path = WriteFile("export-gbk.csv", kGbkExport);
  CtlResult first = Ctl("demo-supervisor", {"import-complaints", path});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("imported 12369-E2E-0001"));
  EXPECT_THAT(first.out, HasSubstr("(line 2)"));
  EXPECT_THAT(first.out, HasSubstr("(line 3)"));
  EXPECT_THAT(first.out, HasSubstr("导入 2 件，已存在 0 件"));

  v1::ListComplaintsResponse queue = Queue();
  ASSERT_EQ(queue.items_size(), 2);
  std::string named_id;
  for (const auto& item : queue.items()) {
    EXPECT_EQ(item.complaint().status(), v1::COMPLAINT_STATUS_RECEIVED);
    EXPECT_EQ(item.complaint().details().channel(), v1::COMPLAINT_CHANNEL_PLATFORM);
    if (item.complaint().details().ticket_number() == "12369-E2E-0001") {
      named_id = item.complaint().complaint_id();
      // The GBK text arrived as the characters it spells.
      EXPECT_EQ(item.complaint().details().content(), "砂石料场夜间扬尘");
      EXPECT_EQ(item.complaint().details().location().address(), "洪水镇北滩村");
    } else {
      EXPECT_TRUE(item.complaint().details().anonymous());
    }
  }
  ASSERT_FALSE(named_id.empty());
  // The supervisor reads who complained; an inspector does not; a unit reads
  // no complaint at all.
  CtlResult shown = Ctl("demo-supervisor", {"complaint", "show", named_id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("张三 13800000000"));
  EXPECT_THAT(shown.out, HasSubstr("待受理"));
  CtlResult inspector = Ctl("demo-inspector", {"complaint", "show", named_id});
  ASSERT_EQ(inspector.exit_code, 0) << inspector.err;
  EXPECT_THAT(inspector.out, Not(HasSubstr("张三")));
  EXPECT_THAT(inspector.out, Not(HasSubstr("13800000000")));
  CtlResult unit = Ctl("demo-rectifier", {"complaint", "show", named_id});
  EXPECT_EQ(unit.exit_code, 3);
  EXPECT_THAT(unit.out + unit.err, Not(HasSubstr("张三")));

  // The same file again: nothing new, the same complaints named.
  CtlResult again = Ctl("demo-supervisor", {"import-complaints", path});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("exists   12369-E2E-0001  " + named_id));
  EXPECT_THAT(again.out, HasSubstr("导入 0 件，已存在 2 件"));
  EXPECT_EQ(Queue().items_size(), 2);
}

TEST_F(ComplaintsCtlTest, AMalformedRowImportsNothingAndNamesItsLine) {
  // UTF-8 with a BOM; line 3's time cannot be read.
  const std::string unreadable = WriteFile(
      "unreadable.csv",
      "\xEF\xBB\xBF" "ticket_number,received_at,title,content,region_code\n"
      "12369-M-1,2026-11-28 09:30,扬尘,工地扬尘,620722\n"
      "12369-M-2,昨天上午,噪声,噪声,620722\n"
      "12369-M-3,2026-11-28 10:00,异味,异味,620722\n");
  CtlResult refused = Ctl("demo-supervisor", {"import-complaints", unreadable});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("unreadable.csv:3: received_at: 来件时间“昨天上午”无法识别"));
  EXPECT_THAT(refused.err, HasSubstr("nothing imported"));
  EXPECT_EQ(Queue().items_size(), 0);

  // A row the server refuses (a region outside the supervisor's 620722):
  // the server names line 4 and writes none of the rows.
  const std::string outside = WriteFile(
      "outside.csv",
      "ticket_number,received_at,title,content,region_code\n"
      "12369-M-1,2026-11-28 09:30,扬尘,工地扬尘,620722\n"
      "12369-M-2,2026-11-28 09:40,噪声,噪声,620722\n"
      "12369-M-3,2026-11-28 10:00,异味,异味,620702\n");
  CtlResult server_refused = Ctl("demo-supervisor", {"import-complaints", outside});
  EXPECT_EQ(server_refused.exit_code, 3) << server_refused.err;
  EXPECT_THAT(server_refused.err, HasSubstr("outside.csv:4: details.location.region_code"));
  EXPECT_THAT(server_refused.err, HasSubstr("nothing imported"));
  EXPECT_EQ(Queue().items_size(), 0);

  // A quote left open: the CLI names the line it starts on.
  const std::string open_quote = WriteFile(
      "open.csv",
      "ticket_number,received_at,title,content,region_code\n"
      "12369-M-1,2026-11-28 09:30,扬尘,\"工地扬尘,620722\n");
  CtlResult unterminated = Ctl("demo-supervisor", {"import-complaints", open_quote});
  EXPECT_EQ(unterminated.exit_code, 2);
  EXPECT_THAT(unterminated.err, HasSubstr("line 2: a quoted cell is not closed"));
  EXPECT_EQ(Queue().items_size(), 0);
}

TEST_F(ComplaintsCtlTest, ReceiveAcceptOpenACaseAndTheQueueShowsTheClocks) {
  CtlResult received =
      Ctl("demo-supervisor",
          {"--json", "complaint", "receive", "--channel=phone", "--ticket=12369-P-1",
           "--title=洪水河排污", "--content=洪水河有工厂排污口夜间排放", "--category=water",
           "--region=620722", "--address=民乐县洪水镇", "--complainant=李四",
           "--phone=13900000000"});
  ASSERT_EQ(received.exit_code, 0) << received.err;
  const v1::Complaint complaint = ParseJson<v1::ReceiveComplaintResponse>(received.out).complaint();
  const std::string id = complaint.complaint_id();
  EXPECT_THAT(id, ::testing::StartsWith("XF-620722-"));

  // The queue's line for it shows the clock's days left exactly as the
  // server counted them.
  v1::ListComplaintsResponse queue = Queue();
  ASSERT_EQ(queue.items_size(), 1);
  ASSERT_EQ(queue.items(0).clocks_size(), 1);
  const v1::DeadlineCountdown clock = queue.items(0).clocks(0);
  EXPECT_EQ(clock.kind(), v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE);
  CtlResult table = Ctl("demo-supervisor", {"complaints"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr(absl::StrCat("受理期限 剩 ", clock.calendar_days_left(),
                                                " 天（截止 ", clock.last_day(), "）")));

  // Opening a case before acceptance is refused with the server's Chinese.
  CtlResult early = Ctl("demo-supervisor", {"complaint", "open-case", id, "--severity=high"});
  EXPECT_EQ(early.exit_code, 3);
  EXPECT_THAT(early.err, HasSubstr("rectifyctl: FAILED_PRECONDITION"));

  CtlResult accepted =
      Ctl("demo-supervisor", {"complaint", "accept", id, "--notice=phone", "--note=属我局职责"});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_THAT(accepted.out, HasSubstr("办理中"));
  CtlResult opened = Ctl("demo-supervisor", {"complaint", "open-case", id, "--severity=high"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_THAT(opened.out, HasSubstr("已立案 620722-"));

  CtlResult shown = Ctl("demo-supervisor", {"complaint", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("答复期限 "));
  EXPECT_THAT(shown.out, HasSubstr("立案"));
  // A final reply while the case is open is refused; an interim one is not.
  CtlResult final_reply = Ctl("demo-supervisor", {"complaint", "reply", id,
                                                  "--text=已立案查处", "--notice=phone"});
  EXPECT_EQ(final_reply.exit_code, 3);
  CtlResult interim = Ctl("demo-supervisor", {"complaint", "reply", id, "--text=已立案查处",
                                              "--interim", "--notice=phone"});
  ASSERT_EQ(interim.exit_code, 0) << interim.err;
  EXPECT_THAT(interim.out, HasSubstr("阶段性答复"));
}

// 查无实据 from the command line: the site check's record uploaded (SHA-256
// and size computed by rectifyctl), named in close-unfounded as the upload
// printed it, downloaded back byte for byte; a wrong size is refused with
// nothing closed, and a unit downloads nothing.
TEST_F(ComplaintsCtlTest, SiteCheckDocumentUploadCloseAndDownload) {
  CtlResult received =
      Ctl("demo-supervisor",
          {"--json", "complaint", "receive", "--channel=phone", "--ticket=12369-U-1",
           "--title=料场扬尘", "--content=砂石料场夜间扬尘", "--category=air",
           "--region=620722", "--address=民乐县洪水镇", "--anonymous"});
  ASSERT_EQ(received.exit_code, 0) << received.err;
  const std::string id =
      ParseJson<v1::ReceiveComplaintResponse>(received.out).complaint().complaint_id();
  ASSERT_EQ(Ctl("demo-supervisor", {"complaint", "accept", id}).exit_code, 0);

  // 1,500,000 bytes: two of the client's 1 MiB messages.
  std::string bytes(1500000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i % 253);
  const std::string path = WriteFile("现场检查笔录.pdf", bytes);
  CtlResult uploaded = Ctl("demo-supervisor", {"complaint", "document-upload", id, path,
                                               "--kind=inspection_record",
                                               "--media_type=application/pdf"});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;
  const std::string marker = "--document=";
  const size_t at = uploaded.out.find(marker);
  ASSERT_NE(at, std::string::npos) << uploaded.out;
  const std::string document = uploaded.out.substr(
      at + marker.size(), uploaded.out.find_first_of(" \n", at) - at - marker.size());
  EXPECT_THAT(document, ::testing::StartsWith("scd-1:"));
  EXPECT_THAT(document, ::testing::EndsWith(":1500000"));

  // Checked "now" to the second (after the receipt, not in the future).
  const std::string checked_at =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Seconds(1), absl::UTCTimeZone());
  const std::vector<std::string> close = {"complaint", "close-unfounded", id,
                                          "--checked_at=" + checked_at,
                                          "--inspector=demo-inspector", "--findings=现场无扬尘"};
  std::vector<std::string> wrong = close;
  wrong.push_back("--document=" + document.substr(0, document.rfind(':')) + ":1499999");
  CtlResult refused = Ctl("demo-supervisor", wrong);
  // INVALID_ARGUMENT naming the field: exit 2 (docs/rectifyctl.md).
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("check_documents[0].size"));
  std::vector<std::string> right = close;
  right.push_back("--document=" + document);
  CtlResult closed = Ctl("demo-supervisor", right);
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_THAT(closed.out, HasSubstr("核查材料"));
  EXPECT_THAT(closed.out, HasSubstr("scd-1  现场检查笔录.pdf  1500000 字节"));

  const std::string out = dir_.Sub("downloaded.pdf");
  CtlResult downloaded = Ctl("demo-inspector", {"complaint", "document-download", id, "scd-1",
                                                "--out=" + out});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.err;
  std::ifstream in(out, std::ios::binary);
  const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(got == bytes);
  CtlResult unit = Ctl("demo-rectifier", {"complaint", "document-download", id, "scd-1",
                                          "--out=" + dir_.Sub("unit.pdf")});
  EXPECT_NE(unit.exit_code, 0);
  EXPECT_THAT(unit.err, HasSubstr("NOT_FOUND"));
}

}  // namespace
}  // namespace rectify
