// The child process of crash_safety_test: opens the store in argv[1] with
// sync on and commits new cases in a loop, forever, reporting each commit on
// stdout only after Commit returned. The test SIGKILLs it at random moments.
//
// Each commit reports one line: "<last_position> <case_id> [<case_id>...]".
// Case ids continue from the greatest one stored, so none is ever reused.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/rocks_event_store.h"
#include "tests/projection/case_streams.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: crash_writer DATA_DIR\n");
    return 2;
  }
  rectify::storage::StoreOptions options;
  options.sync = true;
  auto store = rectify::storage::RocksEventStore::Open(argv[1], options);
  if (!store.ok()) {
    fprintf(stderr, "crash_writer: %s\n", store.status().ToString().c_str());
    return 3;
  }
  auto last = (*store)->LastStreamIdWithPrefix(rectify::v1::STREAM_KIND_CASE, "crash-");
  if (!last.ok()) return 3;
  int64_t next = 1;
  if (!last->empty()) {
    if (!absl::SimpleAtoi(last->substr(6), &next)) return 3;
    ++next;
  }
  for (int round = 0;; ++round) {
    rectify::storage::CommitBatch batch;
    std::string line;
    for (int i = 0; i <= round % 3; ++i) {
      const std::string id = absl::StrFormat("crash-%08d", next++);
      batch.appends.push_back(rectify::testing::ReportedCaseAppend(id, "620722", "dust"));
      absl::StrAppend(&line, " ", id);
    }
    batch.idempotency_records.push_back(rectify::storage::IdempotencyRecord{
        "crash-writer", batch.appends.front().stream_id, absl::FromUnixSeconds(1772409600),
        "ok"});
    rectify::testing::AddReportChanges(batch);
    auto result = (*store)->Commit(std::move(batch));
    if (!result.ok()) {
      fprintf(stderr, "crash_writer: %s\n", result.status().ToString().c_str());
      return 3;
    }
    // One write(2) per line: a pipe write under PIPE_BUF is atomic, so the
    // parent never reads half a report.
    line = absl::StrCat(result->last_position, line, "\n");
    if (write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      return 3;
    }
  }
}
