// The file name and media type of an evidence download, as a browser gets
// them in Content-Disposition and Content-Type. Expected strings are worked
// out by hand (UTF-8 bytes of each character written next to it).
#include <string>

#include "gtest/gtest.h"
#include "web/gateway/evidence_http.h"

namespace rectify::web {
namespace {

TEST(EvidenceNamesTest, DispositionKeepsOnlyTheLastSegment) {
  EXPECT_EQ(ContentDisposition("IMG_0042.jpg"),
            "attachment; filename=\"IMG_0042.jpg\"; filename*=UTF-8''IMG_0042.jpg");
  EXPECT_EQ(ContentDisposition("/var/www/../../etc/shadow"),
            "attachment; filename=\"shadow\"; filename*=UTF-8''shadow");
  EXPECT_EQ(ContentDisposition("C:\\Users\\a\\b.txt"),
            "attachment; filename=\"b.txt\"; filename*=UTF-8''b.txt");
  EXPECT_EQ(ContentDisposition(".htaccess"),
            "attachment; filename=\"htaccess\"; filename*=UTF-8''htaccess");
  EXPECT_EQ(ContentDisposition("report.pdf. . "),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  EXPECT_EQ(ContentDisposition(""), "attachment; filename=\"evidence\"; filename*=UTF-8''evidence");
  EXPECT_EQ(ContentDisposition("a/"), "attachment; filename=\"evidence\"; filename*=UTF-8''evidence");
}

TEST(EvidenceNamesTest, DispositionDropsControlCharactersAndEncodesTheRest) {
  // CR LF would end the header; they are dropped.
  EXPECT_EQ(ContentDisposition("a\r\nSet-Cookie: x=1.png"),
            "attachment; filename=\"aSet-Cookie: x=1.png\"; "
            "filename*=UTF-8''aSet-Cookie%3A%20x%3D1.png");
  // 照 E7 85 A7, 片 E7 89 87; '%' is encoded in both forms.
  EXPECT_EQ(ContentDisposition("照片 100%.jpg"),
            "attachment; filename=\"__ 100_.jpg\"; filename*=UTF-8''%E7%85%A7%E7%89%87%20100%25.jpg");
}

TEST(EvidenceNamesTest, LongNamesAreCutOnACharacterBoundary) {
  // 51 × 照 is 153 bytes: the cut at 150 bytes keeps exactly 50 characters.
  std::string name;
  for (int i = 0; i < 51; ++i) name += "照";
  std::string ascii(50, '_');
  std::string encoded;
  for (int i = 0; i < 50; ++i) encoded += "%E7%85%A7";
  EXPECT_EQ(ContentDisposition(name),
            "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
}

TEST(EvidenceNamesTest, MediaTypes) {
  EXPECT_EQ(SafeMediaType("image/jpeg"), "image/jpeg");
  EXPECT_EQ(SafeMediaType("Image/PNG"), "image/png");
  EXPECT_EQ(SafeMediaType("application/vnd.ms-excel"), "application/vnd.ms-excel");
  EXPECT_EQ(SafeMediaType("text/html; charset=utf-8"), "application/octet-stream");
  EXPECT_EQ(SafeMediaType("image/png\r\nX-Evil: 1"), "application/octet-stream");
  EXPECT_EQ(SafeMediaType("jpeg"), "application/octet-stream");
  EXPECT_EQ(SafeMediaType("/png"), "application/octet-stream");
  EXPECT_EQ(SafeMediaType("image/"), "application/octet-stream");
  EXPECT_EQ(SafeMediaType(""), "application/octet-stream");
}

}  // namespace
}  // namespace rectify::web
