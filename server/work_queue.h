// A few threads and a bounded queue for blocking work that must not run on
// gRPC's callback threads: Argon2id password checks and hashes (logins,
// account changes). With as many threads as the PasswordHasher's
// max_concurrent, a login flood waits here in a queue of bounded length and
// is refused with RESOURCE_EXHAUSTED past it, while every other RPC keeps
// its threads.
//
//   WorkQueue queue(2, 64);
//   if (!queue.Submit([reactor] { ...; reactor->Finish(...); })) -> RESOURCE_EXHAUSTED
#ifndef RECTIFY_SERVER_WORK_QUEUE_H_
#define RECTIFY_SERVER_WORK_QUEUE_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace rectify::server {

class WorkQueue {
 public:
  // Starts `threads` threads; at most `max_queued` tasks wait.
  WorkQueue(int threads, int max_queued);
  // Runs what was queued, then joins the threads.
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `task`; false (and `task` is not run) when the queue is full or
  // stopping.
  bool Submit(std::function<void()> task);

 private:
  void Run();

  const size_t max_queued_;
  absl::Mutex mutex_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_WORK_QUEUE_H_
