// The two baselines rectify_server is measured beside (docs/benchmarks.md,
// "Server"): a CaseService that answers the benchmark mix of case_mix.h
// with replies of the real size, either at once (echo_server) or after a
// single writer thread has committed the bytes the real store would write
// for it, with sync, in one RocksDB WriteBatch for all commands waiting
// (raw_commit_server: group commit with no decisions, reads or hashing).
#ifndef RECTIFY_BENCH_BASELINE_SERVICE_H_
#define RECTIFY_BENCH_BASELINE_SERVICE_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rocksdb/db.h"

namespace rectify::bench {

// The raw keys and values of one command, as the store would stage them:
// the event, the log entry, the case projection, two index keys and the
// idempotency record.
struct RawWrite {
  std::string event_key, event;
  std::string log_key, log_value;
  std::string case_key, case_value;
  std::string index_keys[2];
  std::string dedup_key, dedup_value;
};

// One writer thread committing, with sync, each batch of the writes waiting.
class GroupCommitter {
 public:
  // A fresh RocksDB at `dir` with the store's column families, LZ4 and
  // memtable size (as the storage benchmark's raw baseline).
  static absl::StatusOr<std::unique_ptr<GroupCommitter>> Open(const std::string& dir);
  // Commits what is still waiting, then closes the database.
  ~GroupCommitter();

  // `done(ok)` runs on the writer thread once the batch holding `write` is
  // synced (ok) or failed; it must not block.
  void Submit(RawWrite write, std::function<void(bool)> done) ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  struct Pending {
    RawWrite write;
    std::function<void(bool)> done;
  };
  GroupCommitter() = default;
  void Run() ABSL_LOCKS_EXCLUDED(mutex_);

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;  // events, log, cases, index, dedup
  absl::Mutex mutex_;
  std::deque<Pending> waiting_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread writer_;
};

// CaseService answering ReportCase, AssignCase, StartRectification,
// ReportProgress and GetCase with TypicalCase replies. With a committer, each reply
// waits for its group commit; without, it is sent at once.
class BaselineCaseService final : public v1::CaseService::CallbackService {
 public:
  explicit BaselineCaseService(GroupCommitter* committer) : committer_(committer) {}

  grpc::ServerUnaryReactor* ReportCase(grpc::CallbackServerContext* context,
                                       const v1::ReportCaseRequest* request,
                                       v1::ReportCaseResponse* response) override;
  grpc::ServerUnaryReactor* AssignCase(grpc::CallbackServerContext* context,
                                       const v1::AssignCaseRequest* request,
                                       v1::AssignCaseResponse* response) override;
  grpc::ServerUnaryReactor* StartRectification(grpc::CallbackServerContext* context,
                                               const v1::StartRectificationRequest* request,
                                               v1::StartRectificationResponse* response) override;
  grpc::ServerUnaryReactor* ReportProgress(grpc::CallbackServerContext* context,
                                           const v1::ReportProgressRequest* request,
                                           v1::ReportProgressResponse* response) override;
  // Answered at once by both baselines (reads take no commit): the floor
  // of the GetCase figure.
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context,
                                    const v1::GetCaseRequest* request,
                                    v1::GetCaseResponse* response) override;

 private:
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, const Request& request,
                                   const std::string& case_id, int step, Response* response);

  GroupCommitter* const committer_;
  std::atomic<int64_t> next_case_{1};
  std::atomic<uint64_t> next_position_{1};
};

// main() of both baseline servers: flags --listen, --port_file and (raw only)
// --data_dir; serves until SIGINT or SIGTERM.
int ServeBaseline(int argc, char** argv, bool raw_commit);

}  // namespace rectify::bench

#endif  // RECTIFY_BENCH_BASELINE_SERVICE_H_
