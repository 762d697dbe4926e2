// The event feed behind CaseService.WatchEvents: every subscriber reads the
// global log from its own cursor, first the history, then live events as
// the pipeline commits them, in position order. Because catching up and
// following live are the same read (EventStore::ReadLog after the cursor),
// there is no gap and no duplicate at the switch.
//
// Threads: one feed thread reads pages of the log for subscribers whose
// previous page has been written; gRPC's threads write the page's messages
// one at a time (OnWriteDone starts the next). So a subscriber holds at most
// one page in memory, a slow one only lags on its own cursor, and the writer
// thread does nothing but Publish (a mutex and a counter) after each commit.
//
// Fairness: a subscriber is "live" once a read of its reached the end of the
// log (or it started there), "catching up" before. The feed thread serves
// live subscribers first, round-robin, and a catch-up page (at most
// catch_up_page_events events: the bounded work of one turn) after at most
// live_pages_per_catch_up live pages in a row, catch-up subscribers also
// round-robin. So a thousand subscribers replaying the history delay a live
// one by about one catch-up page, not by a page of each of them, and
// catch-up is never starved (docs/benchmarks.md, "WatchEvents").
//
// Limits: at most max_streams streams, max_streams_per_principal per
// principal (RESOURCE_EXHAUSTED past them); after_position past the end of
// the log is OUT_OF_RANGE naming the last position (a client that resumes
// against a store restored from an older backup must not skip silently).
//
// Idle streams get resume_after_position every idle_heartbeat, so a
// subscriber whose filter matched nothing for a long time still learns how
// far it may resume from.
//
// Shutdown: each stream sends resume_after_position (everything up to it
// was delivered) and ends with OK.
//
//   EventFeed feed(store);
//   feed.Start();
//   pipeline.SetCommitListener([&feed](uint64_t position) { feed.Publish(position); });
//   ...
//   return feed.Watch(std::move(spec));   // in the WatchEvents handler
#ifndef RECTIFY_SERVER_EVENT_FEED_H_
#define RECTIFY_SERVER_EVENT_FEED_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "grpcpp/support/server_callback.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"
#include "storage/event_store.h"

namespace rectify::server {

// What one subscriber asked for, checked.
struct WatchSpec {
  v1::Principal principal;
  uint64_t after_position = 0;
  // Only this stream, when not empty.
  std::string stream_id;
  // Only events whose region starts with this; always inside the
  // principal's jurisdiction.
  std::string region_prefix;
  // Only these payload field names; empty means all.
  absl::flat_hash_set<std::string> event_types;
  // Whether the subscriber's credentials still hold (Authenticator::
  // StillValid): run before each page and each heartbeat, and the stream
  // ends with its error (UNAUTHENTICATED after a logout, a revoked session,
  // a disabled or changed account) before another event is sent. Empty for
  // credentials that cannot end (a principals-file token).
  std::function<absl::Status()> still_valid;
};

// `request` checked for `principal`: INVALID_ARGUMENT naming the field
// (event_types, region_prefix, stream_id); PERMISSION_DENIED for a
// region_prefix outside the jurisdiction or an ADMIN (who reads no case).
absl::StatusOr<WatchSpec> MakeWatchSpec(const v1::Principal& principal,
                                        const v1::WatchEventsRequest& request);

// The region prefix a read of `principal` covers: `requested` narrowed to
// the jurisdiction (the jurisdiction when empty or wider). INVALID_ARGUMENT
// naming `field` for a prefix that is not digits or names no region
// (workflow::CheckRegionPrefixCode); PERMISSION_DENIED naming
// it for one outside the jurisdiction.
absl::StatusOr<std::string> ScopeRegion(const v1::Principal& principal,
                                        absl::string_view requested, absl::string_view field);

// `event` (as stored) as `principal` may read it: a CaseReported opened
// (the complainant and its salts put back from the side record,
// storage/personal_data.h) for a reader who may see personal data
// (MaySeePersonalData), otherwise with its commitment only. The hash chain
// verifies either way. DATA_LOSS when the side record does not match the
// commitment; the store's errors as they are.
absl::StatusOr<v1::Event> EventForReader(const v1::Principal& principal, v1::Event event,
                                         storage::EventStore& store);

// A stream that ends at once with `status` (for a refused WatchEvents).
grpc::ServerWriteReactor<v1::WatchEventsResponse>* FinishedWatch(grpc::Status status);

struct EventFeedOptions {
  // Events read from the log per page (and so held per subscriber at most).
  // Default: 256.
  int page_events = 256;
  // Events read per page for a subscriber still catching up: the work a
  // live subscriber may wait behind. Ignored without live_first.
  // Default: 64.
  int catch_up_page_events = 64;
  // Serve live subscribers before catching-up ones (see the file comment).
  // false gives the plain round-robin over all subscribers that the feed had
  // before, kept only to measure against (docs/benchmarks.md).
  // Default: true.
  bool live_first = true;
  // Live pages served in a row while a catch-up page waits. Default: 8.
  int live_pages_per_catch_up = 8;
  // A stream that has written nothing for this long is sent
  // resume_after_position. Zero or less: never. Default: 30 s.
  absl::Duration idle_heartbeat = absl::Seconds(30);
  // Streams open at once, over all principals. Default: 4096.
  int max_streams = 4096;
  // Streams open at once for one principal. Default: 64.
  int max_streams_per_principal = 64;
  // Reads the time for idle_heartbeat; must outlive the feed.
  // Default: nullptr, meaning SystemClock().
  const Clock* clock = nullptr;
};

class EventFeed {
 public:
  // `store` must outlive the feed.
  explicit EventFeed(storage::EventStore& store, EventFeedOptions options = EventFeedOptions());
  // Stops if still running. Destroy it only after the gRPC server has stopped.
  ~EventFeed();
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // Starts the feed thread.
  void Start();

  // Everything up to `last_position` is committed. Called by the pipeline's
  // writer thread after each commit: it never blocks for long.
  void Publish(uint64_t last_position);

  // A new subscriber; the reactor belongs to gRPC (it deletes itself).
  // The stream ends at once with OUT_OF_RANGE when spec.after_position is
  // past the last committed position (the message names it),
  // RESOURCE_EXHAUSTED past max_streams or max_streams_per_principal, and
  // UNAVAILABLE after Shutdown.
  grpc::ServerWriteReactor<v1::WatchEventsResponse>* Watch(WatchSpec spec);

  // Ends every stream with resume_after_position as soon as its write in
  // flight (if any) completes. Does not wait.
  void Shutdown();

  // Shutdown, then joins the feed thread.
  void Stop();

  // Subscribers whose streams have not ended yet.
  size_t subscriber_count() const;

  // What the metrics endpoint shows of the subscribers: how many, how many
  // follow live, and how far (in log positions) the furthest behind and all
  // together are from the last published position, counting what each
  // client has acknowledged receiving.
  struct Figures {
    size_t subscribers = 0;
    size_t live = 0;
    uint64_t max_lag = 0;
    uint64_t total_lag = 0;
    uint64_t published = 0;
  };
  Figures figures() const;

 private:
  class Stream;

  void Run();
  // A stream the feed thread should serve now.
  bool Ready(const Stream& stream) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // The ready stream to serve next (live first, see the file comment), or
  // nullptr.
  Stream* Choose() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // A stream that is due a heartbeat at `now`, or nullptr.
  Stream* DueHeartbeat(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Reads the next page for `stream`, which the feed thread owns (busy).
  void ServePage(Stream& stream, uint64_t cursor);
  // Called with the stream's write slot owned: ends it, or writes its next
  // message, or frees the slot. Releases `mutex_`.
  void Continue(Stream& stream) ABSL_UNLOCK_FUNCTION(mutex_);
  // OK while the stream's credentials hold (WatchSpec::still_valid);
  // UNAUTHENTICATED (or UNAVAILABLE when that cannot be told) otherwise.
  // Called without mutex_.
  static absl::Status StillValid(const Stream& stream);
  // Whether `spec`'s subscriber gets `event`; `readable` caches, per case of
  // one page, whether the subscriber may read it.
  bool Visible(const WatchSpec& spec, const v1::Event& event,
               absl::flat_hash_map<std::string, bool>& readable);

  storage::EventStore& store_;
  const EventFeedOptions options_;
  const Clock& clock_;

  mutable absl::Mutex mutex_;
  uint64_t published_ ABSL_GUARDED_BY(mutex_) = 0;
  bool shutting_down_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool started_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<Stream*> streams_ ABSL_GUARDED_BY(mutex_);
  // Open streams per principal id.
  absl::flat_hash_map<std::string, int> per_principal_ ABSL_GUARDED_BY(mutex_);
  // Where the round-robin scans for a live and a catching-up stream start.
  size_t next_live_ ABSL_GUARDED_BY(mutex_) = 0;
  size_t next_behind_ ABSL_GUARDED_BY(mutex_) = 0;
  // Live pages served since the last catch-up page.
  int live_streak_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread thread_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_EVENT_FEED_H_
