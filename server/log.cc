// Structured log lines; see log.h.
#include "server/log.h"

#include <unistd.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace rectify::server {
namespace {

std::atomic<const Clock*> log_clock{nullptr};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

void AppendValue(std::string& line, absl::string_view value) {
  const bool quote = value.empty() || value.find_first_of(" \"=\n\t") != absl::string_view::npos;
  if (!quote) {
    line.append(value.data(), value.size());
    return;
  }
  line.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') line.push_back('\\');
    if (c == '\n') {
      line.append("\\n");
      continue;
    }
    line.push_back(c);
  }
  line.push_back('"');
}

}  // namespace

void SetLogClock(const Clock* clock) { log_clock.store(clock); }

void LogCommand(absl::string_view method, absl::string_view principal_id,
                absl::string_view stream_field, absl::string_view stream_id,
                const absl::Status& status, std::chrono::steady_clock::time_point started) {
  // Latency is an interval, so it is measured on the monotonic clock, not
  // read from the Clock that stamps the line.
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning,
      {{"method", std::string(method)},
       {"principal", std::string(principal_id)},
       {stream_field, std::string(stream_id)},
       {"code", absl::StatusCodeToString(status.code())},
       {"latency_us", std::to_string(micros)}});
}

void Log(LogLevel level, std::initializer_list<LogField> fields) {
  const Clock* clock = log_clock.load();
  const absl::Time now = (clock != nullptr ? clock : &SystemClock())->Now();
  std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", now, absl::UTCTimeZone()), " ", LevelName(level));
  for (const LogField& field : fields) {
    absl::StrAppend(&line, " ", field.first, "=");
    AppendValue(line, field.second);
  }
  line.push_back('\n');
  // One write so that lines from different threads never interleave.
  const ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace rectify::server
