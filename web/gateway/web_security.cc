// rectify_web's browser-facing security rules; see web_security.h.
#include "web/gateway/web_security.h"

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace rectify::web {
namespace {

// RFC 6265 cookie-octet, less the characters that need care in a value.
bool IsCookieValueChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

std::string CookieAttributes(bool tls) {
  return absl::StrCat("; Path=/; HttpOnly; SameSite=Strict", tls ? "; Secure" : "");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SecurityHeaders(bool tls) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"X-Content-Type-Options", "nosniff"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
  if (tls) headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return headers;
}

std::string SessionCookieName(bool tls) {
  return tls ? "__Host-rectify_session" : "rectify_session";
}

absl::StatusOr<std::string> SessionCookie(absl::string_view token, absl::Time expires, bool tls) {
  if (token.empty() || token.size() > 512) {
    return absl::InvalidArgumentError("the session token cannot be a cookie");
  }
  for (const char c : token) {
    if (!IsCookieValueChar(c)) {
      return absl::InvalidArgumentError("the session token cannot be a cookie");
    }
  }
  return absl::StrCat(SessionCookieName(tls), "=", token, "; Expires=",
                      absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", expires, absl::UTCTimeZone()),
                      CookieAttributes(tls));
}

std::string ClearedSessionCookie(bool tls) {
  return absl::StrCat(SessionCookieName(tls), "=; Max-Age=0", CookieAttributes(tls));
}

std::string SessionTokenFromCookies(absl::string_view cookie_header, bool tls) {
  const std::string name = SessionCookieName(tls);
  for (absl::string_view pair : absl::StrSplit(cookie_header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    if (absl::ConsumePrefix(&pair, name) && absl::ConsumePrefix(&pair, "=")) {
      return std::string(pair);
    }
  }
  return "";
}

absl::Status CheckStateChange(const CsrfPolicy& policy, absl::string_view method,
                              absl::string_view connect_protocol_version,
                              absl::string_view origin, absl::string_view host,
                              bool has_session_cookie) {
  if (method == "GET" || method == "HEAD") return absl::OkStatus();
  if (connect_protocol_version != "1") {
    return absl::PermissionDeniedError(
        "a state-changing request needs the header Connect-Protocol-Version: 1");
  }
  if (origin.empty()) {
    if (has_session_cookie) {
      return absl::PermissionDeniedError("a request with the session cookie needs an Origin");
    }
    return absl::OkStatus();
  }
  const std::string own = absl::StrCat(policy.tls ? "https://" : "http://", host);
  if (!host.empty() && absl::EqualsIgnoreCase(origin, own)) return absl::OkStatus();
  for (const std::string& allowed : policy.extra_origins) {
    if (absl::EqualsIgnoreCase(origin, allowed)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat("the origin ", origin, " is not allowed"));
}

}  // namespace rectify::web
