// Structured log lines; see log.h.
#include "server/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/utf8.h"
#include "google/protobuf/stubs/logging.h"

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

// Code points that would change how a terminal or a log viewer shows the
// line: C1 controls, the line and paragraph separators, and the
// bidirectional overrides and isolates ("Trojan Source").
bool IsInvisibleControl(char32_t code_point) {
  return (code_point >= 0x80 && code_point <= 0x9F) || code_point == 0x2028 ||
         code_point == 0x2029 || (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

}  // namespace

namespace {

// The escaped text of `value` (see EscapeLogValue) without quotes; sets
// `*quote` when the text format must quote it.
std::string EscapeLogText(absl::string_view value, bool* quote_out) {
  std::string escaped;
  bool quote = value.empty();
  size_t i = 0;
  while (i < value.size() && i < kMaxLogValueBytes) {
    char32_t code_point = 0;
    const size_t length = DecodeUtf8(value, i, &code_point);
    if (length == 0) {
      // Not UTF-8: the byte in hex.
      absl::StrAppend(&escaped, "\\x", absl::Hex(static_cast<unsigned char>(value[i]), absl::kZeroPad2));
      quote = true;
      ++i;
      continue;
    }
    if (length == 1) {
      const char c = value[i];
      switch (c) {
        case '"':
        case '\\':
          escaped.push_back('\\');
          escaped.push_back(c);
          quote = true;
          break;
        case '\n':
          escaped.append("\\n");
          quote = true;
          break;
        case '\r':
          escaped.append("\\r");
          quote = true;
          break;
        case '\t':
          escaped.append("\\t");
          quote = true;
          break;
        default:
          if (code_point < 0x20 || code_point == 0x7F) {
            absl::StrAppend(&escaped, "\\x", absl::Hex(static_cast<uint32_t>(code_point), absl::kZeroPad2));
            quote = true;
          } else {
            if (c == ' ' || c == '=') quote = true;
            escaped.push_back(c);
          }
      }
    } else if (IsInvisibleControl(code_point)) {
      absl::StrAppend(&escaped, "\\u", absl::Hex(static_cast<uint32_t>(code_point), absl::kZeroPad4));
      quote = true;
    } else {
      escaped.append(value.data() + i, length);
    }
    i += length;
  }
  if (i < value.size()) {
    absl::StrAppend(&escaped, "...(", value.size() - i, " more bytes)");
    quote = true;
  }
  *quote_out = quote;
  return escaped;
}

// `text` (EscapeLogText's: printable, with backslash escapes) as a JSON
// string, whose value is that text.
void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  for (const char c : text) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

std::atomic<LogFormat> log_format{LogFormat::kText};

}  // namespace

std::string EscapeLogValue(absl::string_view value) {
  bool quote = false;
  std::string escaped = EscapeLogText(value, &quote);
  return quote ? absl::StrCat("\"", escaped, "\"") : escaped;
}

std::string JsonLogValue(absl::string_view value) {
  bool quote = false;
  std::string json;
  AppendJsonString(EscapeLogText(value, &quote), &json);
  return json;
}

void SetLogFormat(LogFormat format) { log_format.store(format); }

void SetLogClock(const Clock* clock) { log_clock.store(clock); }

void RouteProtobufLogs() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level, const char* filename,
                                     int line, const std::string& message) {
    if (absl::StrContains(message, "contains invalid UTF-8 data when parsing")) return;
    Log(level >= google::protobuf::LOGLEVEL_ERROR     ? LogLevel::kError
        : level == google::protobuf::LOGLEVEL_WARNING ? LogLevel::kWarning
                                                      : LogLevel::kInfo,
        {{"event", "protobuf"},
         {"source", absl::StrCat(filename != nullptr ? filename : "?", ":", line)},
         {"message", message}});
  });
}

void LogCommand(absl::string_view method, absl::string_view principal_id,
                absl::string_view stream_field, absl::string_view stream_id,
                const absl::Status& status, const CallStart& started) {
  // Latency is an interval, so it is measured on the monotonic clock, not
  // read from the Clock that stamps the line.
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started.at)
                          .count();
  Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning,
      {{"method", std::string(method)},
       {"principal", std::string(principal_id)},
       {stream_field, std::string(stream_id)},
       {"code", absl::StatusCodeToString(status.code())},
       {"latency_us", std::to_string(micros)},
       {"request_id", started.request_id}});
}

void Log(LogLevel level, std::initializer_list<LogField> fields) {
  const Clock* clock = log_clock.load();
  const absl::Time now = (clock != nullptr ? clock : &SystemClock())->Now();
  const std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", now, absl::UTCTimeZone());
  std::string line;
  if (log_format.load(std::memory_order_relaxed) == LogFormat::kJson) {
    absl::StrAppend(&line, "{\"time\":\"", time, "\",\"level\":\"", LevelName(level), "\"");
    for (const LogField& field : fields) {
      line.push_back(',');
      // Keys are the code's own identifiers ([a-z_0-9]), never input.
      AppendJsonString(field.first, &line);
      line.push_back(':');
      line.append(JsonLogValue(field.second));
    }
    line.append("}\n");
  } else {
    line = absl::StrCat(time, " ", LevelName(level));
    for (const LogField& field : fields) {
      absl::StrAppend(&line, " ", field.first, "=");
      line.append(EscapeLogValue(field.second));
    }
    line.push_back('\n');
  }
  // One write so that lines from different threads never interleave.
  const ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace rectify::server
