// The browser-facing rules of rectify_web: cookie attributes, reading the
// cookie back, and which state-changing requests the CSRF check lets in.
#include "web/gateway/web_security.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace rectify::web {
namespace {

TEST(WebSecurityTest, SessionCookieAttributes) {
  const absl::Time expires = absl::FromUnixSeconds(1798761600);  // 2027-01-01 00:00:00 UTC
  EXPECT_EQ(*SessionCookie("abc_DEF-123", expires, /*tls=*/false),
            "rectify_session=abc_DEF-123; Expires=Fri, 01 Jan 2027 00:00:00 GMT; Path=/; "
            "HttpOnly; SameSite=Strict");
  EXPECT_EQ(*SessionCookie("abc", expires, /*tls=*/true),
            "__Host-rectify_session=abc; Expires=Fri, 01 Jan 2027 00:00:00 GMT; Path=/; "
            "HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(ClearedSessionCookie(false),
            "rectify_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
  // A token that would break the header is never set.
  EXPECT_FALSE(SessionCookie("a;b", expires, false).ok());
  EXPECT_FALSE(SessionCookie("a\r\nSet-Cookie: x=y", expires, false).ok());
  EXPECT_FALSE(SessionCookie("", expires, false).ok());
}

TEST(WebSecurityTest, ReadsTheSessionCookie) {
  EXPECT_EQ(SessionTokenFromCookies("a=1; rectify_session=tok; b=2", false), "tok");
  EXPECT_EQ(SessionTokenFromCookies("rectify_session=tok", true), "");
  EXPECT_EQ(SessionTokenFromCookies("__Host-rectify_session=tok", true), "tok");
  EXPECT_EQ(SessionTokenFromCookies("xrectify_session=tok", false), "");
  EXPECT_EQ(SessionTokenFromCookies("", false), "");
}

TEST(WebSecurityTest, CsrfCheck) {
  const CsrfPolicy policy{{"https://rectify.example.cn"}, /*tls=*/false};
  const auto check = [&](absl::string_view method, absl::string_view version,
                         absl::string_view origin, bool cookie) {
    return CheckStateChange(policy, method, version, origin, "127.0.0.1:8080", cookie).ok();
  };
  EXPECT_TRUE(check("GET", "", "https://evil.example", true));  // reads are not checked here
  EXPECT_TRUE(check("POST", "1", "http://127.0.0.1:8080", true));
  EXPECT_TRUE(check("POST", "1", "https://rectify.example.cn", true));
  EXPECT_TRUE(check("POST", "1", "", false));  // curl or buf with a bearer header
  EXPECT_FALSE(check("POST", "", "http://127.0.0.1:8080", true));
  EXPECT_FALSE(check("POST", "2", "http://127.0.0.1:8080", true));
  EXPECT_FALSE(check("POST", "1", "https://127.0.0.1:8080", true));  // another scheme
  EXPECT_FALSE(check("POST", "1", "http://127.0.0.1:8081", true));   // another port
  EXPECT_FALSE(check("POST", "1", "null", true));
  EXPECT_FALSE(check("PUT", "1", "https://evil.example", false));
  EXPECT_FALSE(check("POST", "1", "", true));  // the cookie without an Origin
  const CsrfPolicy tls{{}, /*tls=*/true};
  EXPECT_TRUE(CheckStateChange(tls, "POST", "1", "https://web.local", "web.local", true).ok());
  EXPECT_FALSE(CheckStateChange(tls, "POST", "1", "http://web.local", "web.local", true).ok());
}

TEST(WebSecurityTest, HeadersForbidInlineScriptAndFraming) {
  bool csp = false;
  bool hsts = false;
  for (const auto& [name, value] : SecurityHeaders(/*tls=*/true)) {
    if (name == "Content-Security-Policy") {
      csp = true;
      EXPECT_EQ(value.find("unsafe"), std::string::npos);
      EXPECT_NE(value.find("script-src 'self';"), std::string::npos);
      EXPECT_NE(value.find("frame-ancestors 'none'"), std::string::npos);
    }
    if (name == "Strict-Transport-Security") hsts = true;
  }
  EXPECT_TRUE(csp);
  EXPECT_TRUE(hsts);
  for (const auto& header : SecurityHeaders(/*tls=*/false)) {
    EXPECT_NE(header.first, "Strict-Transport-Security");
  }
}

}  // namespace
}  // namespace rectify::web
