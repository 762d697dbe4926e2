// Structured log lines for the server: one line per record, `key=value`
// pairs after a timestamp and a level, to stderr, so that operators can grep
// and ship them. Never log personal data (complainant names and phones,
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

// Writes one line: `2026-11-28T16:30:00.123456Z INFO key=value ...`. Values
// with spaces or quotes are quoted. Thread-safe (one write(2) per line).
void Log(LogLevel level, std::initializer_list<LogField> fields);

// The one line a mutating call logs: method, principal id, the stream it
// acted on (`stream_field` is "case" or "list"), outcome code and latency
// since `started`. Identifiers only: never request text, which may hold
// personal data.
void LogCommand(absl::string_view method, absl::string_view principal_id,
                absl::string_view stream_field, absl::string_view stream_id,
                const absl::Status& status, std::chrono::steady_clock::time_point started);

// The clock log lines are stamped with. Default: SystemClock().
void SetLogClock(const Clock* clock);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_LOG_H_
