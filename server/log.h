// Structured log lines for the server: one line per record, `key=value`
// pairs after a timestamp and a level, to stderr, so that operators can grep
// and ship them. Every value is escaped and capped (EscapeLogValue), so a
// value from a client can neither break a line nor forge one. Never log personal data (complainant names and phones,
// tokens): callers pass identifiers only.
//
//   Log(LogLevel::kInfo, {{"event", "listening"}, {"address", address}});
#ifndef RECTIFY_SERVER_LOG_H_
#define RECTIFY_SERVER_LOG_H_

#include <chrono>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/clock.h"

namespace rectify::server {

enum class LogLevel { kInfo, kWarning, kError };

using LogField = std::pair<absl::string_view, std::string>;

// Writes one line: `2026-11-28T16:30:00.123456Z INFO key=value ...`, each
// value through EscapeLogValue. Thread-safe (one write(2) per line).
void Log(LogLevel level, std::initializer_list<LogField> fields);

// The longest part of a value a log line keeps, in bytes: 1024.
inline constexpr size_t kMaxLogValueBytes = 1024;

// `value` as a log line shows it, so that no value (a client's id, a status
// message quoting client input) can forge a line or hide in one:
// backslash, quote, \n, \r and \t escaped as in C; other C0 controls, DEL
// and bytes that are not UTF-8 as \xNN; C1 controls, U+2028/U+2029 and the
// bidirectional overrides and isolates as \uNNNN; cut after
// kMaxLogValueBytes bytes of input with "...(N more bytes)". Quoted when
// empty or when it holds a space, '=', or anything escaped.
//   EscapeLogValue("a\nb") == "\"a\\nb\""
std::string EscapeLogValue(absl::string_view value);

// When a call began and its request id (rpc_interceptor.h's StartCall makes
// one from the call's context).
struct CallStart {
  std::chrono::steady_clock::time_point at;
  std::string request_id;
};

// The one line a mutating call logs: method, principal id, the stream it
// acted on (`stream_field` is "case", "list" or "account"), outcome code,
// latency since `started` and the request id. Identifiers only: never request text, which may hold
// personal data.
void LogCommand(absl::string_view method, absl::string_view principal_id,
                absl::string_view stream_field, absl::string_view stream_id,
                const absl::Status& status, const CallStart& started);

// Sends libprotobuf's log lines through Log (event=protobuf, escaped like
// every value) instead of its raw stderr output, and drops its complaint
// about a string field that is not UTF-8 when parsing: a client can send
// those at will, and the request is answered INVALID_ARGUMENT naming the
// field (rectify/v1/request_parsing.h). Call once at start.
void RouteProtobufLogs();

// How lines are written. kText: `TIME LEVEL key=value ...`. kJson: one
// object per line, `{"time":"...","level":"INFO","key":"value",...}`, each
// value the text EscapeLogValue gives (unquoted), as a JSON string: a
// shipper sees the same escaped text, never a raw control character.
enum class LogFormat { kText, kJson };
// Default: kText. Thread-safe; set once at start.
void SetLogFormat(LogFormat format);

// `value` as a JSON string in a kJson line.
//   JsonLogValue("a\nb") == "\"a\\\\nb\""  (the JSON text "a\\nb")
std::string JsonLogValue(absl::string_view value);

// The clock log lines are stamped with. Default: SystemClock().
void SetLogClock(const Clock* clock);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_LOG_H_
