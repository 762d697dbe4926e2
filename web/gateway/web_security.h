// rectify_web's browser-facing security rules, in one place: the headers
// every response carries, the session cookie (set at login, cleared at
// logout, read on every call), and the CSRF check of state-changing
// requests. docs/security.md ("Web gateway") explains the choices.
#ifndef RECTIFY_WEB_GATEWAY_WEB_SECURITY_H_
#define RECTIFY_WEB_GATEWAY_WEB_SECURITY_H_

#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace rectify::web {

// The headers of every response: a Content-Security-Policy that allows only
// the gateway's own scripts, styles, images and connections (no inline
// script, no eval, no framing, no plugins), Referrer-Policy: no-referrer,
// X-Frame-Options: DENY, X-Content-Type-Options: nosniff, and the
// cross-origin isolation headers; with TLS also Strict-Transport-Security.
std::vector<std::pair<std::string, std::string>> SecurityHeaders(bool tls);

// The CSP of an evidence download on top of the page's: the bytes are never
// run as a page even if a browser is told to show them.
inline constexpr absl::string_view kDownloadCsp = "sandbox; default-src 'none'";

// The session cookie's name: "__Host-rectify_session" under TLS (the
// prefix makes browsers insist on Secure, Path=/ and no Domain), else
// "rectify_session".
std::string SessionCookieName(bool tls);

// The Set-Cookie value that stores `token` until `expires`: HttpOnly,
// SameSite=Strict, Path=/, Secure under TLS. INVALID_ARGUMENT when the token
// holds a character a cookie may not (the server's tokens never do).
absl::StatusOr<std::string> SessionCookie(absl::string_view token, absl::Time expires, bool tls);

// The Set-Cookie value that removes the session cookie.
std::string ClearedSessionCookie(bool tls);

// The session token in a Cookie header, or empty.
std::string SessionTokenFromCookies(absl::string_view cookie_header, bool tls);

// What a state-changing request (POST, PUT) is checked against.
struct CsrfPolicy {
  // Origins allowed besides the gateway's own ("https://rectify.example.cn"),
  // for a page served from another host name. Default: none.
  std::vector<std::string> extra_origins;
  // Whether the gateway is served over TLS (its own origin is https://Host).
  bool tls = false;
};

// Checks a state-changing request: `Connect-Protocol-Version: 1` is
// required (a cross-site form cannot send a custom header, and a cross-site
// script that does must pass a CORS preflight the gateway never grants);
// an Origin header, when present, must be the gateway's own origin
// (scheme://Host) or an extra allowed one; and a request that carries the
// session cookie must have one (every browser sends Origin with a POST or
// PUT). PERMISSION_DENIED saying which rule failed.
absl::Status CheckStateChange(const CsrfPolicy& policy, absl::string_view method,
                              absl::string_view connect_protocol_version,
                              absl::string_view origin, absl::string_view host,
                              bool has_session_cookie);

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_WEB_SECURITY_H_
