// The event feed behind WatchEvents; see event_feed.h.
#include "server/event_feed.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "server/access.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "storage/event_hash.h"
#include "storage/personal_data.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

// The payload's field name in Event, e.g. "case_reported".
std::string PayloadName(const v1::Event& event) {
  const google::protobuf::FieldDescriptor* field =
      v1::Event::descriptor()->FindFieldByNumber(event.payload_case());
  return field == nullptr ? std::string() : field->name();
}

class FinishedWatchReactor : public grpc::ServerWriteReactor<v1::WatchEventsResponse> {
 public:
  explicit FinishedWatchReactor(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

absl::StatusOr<std::string> ScopeRegion(const v1::Principal& principal,
                                        absl::string_view requested, absl::string_view field) {
  const std::string& jurisdiction = principal.jurisdiction();
  if (jurisdiction.empty()) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(principal.principal_id(), " has no jurisdiction"),
                  "您的账号没有设置辖区，请联系系统管理员");
  }
  if (requested.size() > 12 ||
      !std::all_of(requested.begin(), requested.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return workflow::InvalidField(field, "must be the digits of a region code prefix (at most 12)",
                                  "须为最多 12 位数字的行政区划代码");
  }
  // A prefix must name a region (2, 4, 6, 9 or 12 digits; base/regions.h).
  if (!requested.empty()) RETURN_IF_ERROR(workflow::CheckRegionPrefixCode(field, requested));
  if (absl::StartsWith(jurisdiction, requested)) return jurisdiction;
  if (absl::StartsWith(requested, jurisdiction)) return std::string(requested);
  return Refuse(absl::StatusCode::kPermissionDenied,
                absl::StrCat(field, " ", requested, " is outside the jurisdiction ", jurisdiction,
                             " of ", principal.principal_id()),
                absl::StrCat("区域 ", requested, " 不在您的辖区（", jurisdiction, "）内"));
}

absl::StatusOr<WatchSpec> MakeWatchSpec(const v1::Principal& principal,
                                        const v1::WatchEventsRequest& request) {
  if (principal.role() == v1::ROLE_ADMIN) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(principal.principal_id(), " is an ADMIN, who does not read case content"),
                  "系统管理员不能查看案件内容");
  }
  WatchSpec spec;
  spec.principal = principal;
  spec.after_position = request.after_position();
  ASSIGN_OR_RETURN(spec.region_prefix,
                   ScopeRegion(principal, request.region_prefix(), "region_prefix"));
  RETURN_IF_ERROR(workflow::CheckId("stream_id", request.stream_id(), /*required=*/false));
  spec.stream_id = request.stream_id();
  for (const std::string& type : request.event_types()) {
    const google::protobuf::FieldDescriptor* field = v1::Event::descriptor()->FindFieldByName(type);
    if (field == nullptr || field->containing_oneof() == nullptr ||
        field->containing_oneof()->name() != "payload") {
      return absl::InvalidArgumentError(absl::StrCat(
          "event_types: \"", absl::CHexEscape(type.substr(0, 64)),
          "\" is not an event type; use a field name of Event.payload, e.g. case_reported"));
    }
    spec.event_types.insert(type);
  }
  return spec;
}

absl::StatusOr<v1::Event> EventForReader(const v1::Principal& principal, v1::Event event,
                                         storage::EventStore& store) {
  if (!event.has_case_reported()) return event;
  if (MaySeePersonalData(principal, event.region_code())) {
    // A store not upgraded yet holds the complainant in the event itself.
    if (storage::HoldsLegacyPersonalData(event)) return event;
    RETURN_IF_ERROR(storage::OpenFromStore(store, event));
    return event;
  }
  event.mutable_case_reported()->clear_complainant();
  event.mutable_case_reported()->clear_complainant_salts();
  return event;
}

grpc::ServerWriteReactor<v1::WatchEventsResponse>* FinishedWatch(grpc::Status status) {
  return new FinishedWatchReactor(std::move(status));
}

// One subscriber's stream. All of its state is guarded by the feed's mutex.
// Its "write slot" (busy_) belongs to exactly one party at a time — the feed
// thread reading a page, or the gRPC thread of the write in flight — and
// only that party calls StartWrite or Finish, never under the mutex (gRPC
// may run reactions inline).
class EventFeed::Stream : public grpc::ServerWriteReactor<v1::WatchEventsResponse> {
 public:
  Stream(EventFeed* feed, WatchSpec spec, bool live, absl::Time now)
      : feed_(feed),
        spec_(std::move(spec)),
        cursor_(spec_.after_position),
        acked_(spec_.after_position),
        live_(live),
        last_write_(now) {}

  void OnWriteDone(bool ok) override {
    feed_->mutex_.Lock();
    if (finished_) {
      feed_->mutex_.Unlock();
      return;
    }
    if (ok) {
      acked_ = current_covers_;
    } else {
      // The client is gone; the stream can only end.
      end_status_ = absl::CancelledError("the client went away");
    }
    feed_->Continue(*this);
  }

  void OnCancel() override {
    feed_->mutex_.Lock();
    cancelled_ = true;
    if (!busy_ && !finished_) {
      busy_ = true;
      feed_->Continue(*this);
      return;
    }
    feed_->mutex_.Unlock();
  }

  void OnDone() override {
    {
      absl::MutexLock lock(&feed_->mutex_);
      auto& streams = feed_->streams_;
      streams.erase(std::remove(streams.begin(), streams.end(), this), streams.end());
      auto count = feed_->per_principal_.find(spec_.principal.principal_id());
      if (count != feed_->per_principal_.end() && --count->second <= 0) {
        feed_->per_principal_.erase(count);
      }
    }
    delete this;
  }

 private:
  friend class EventFeed;

  struct Item {
    v1::WatchEventsResponse response;
    // Once written, the client has everything up to this position.
    uint64_t covers = 0;
  };

  EventFeed* const feed_;
  const WatchSpec spec_;
  // Read from the log up to here.
  uint64_t cursor_;
  // Delivered up to here: where a resume starts.
  uint64_t acked_;
  // The rest of the current page, and the message being written.
  std::deque<Item> page_;
  v1::WatchEventsResponse current_;
  uint64_t current_covers_ = 0;
  // Has reached the end of the log once: served before catch-up.
  bool live_;
  // When the last message was handed to gRPC (or the stream began).
  absl::Time last_write_;
  bool busy_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  absl::Status end_status_;
};

EventFeed::EventFeed(storage::EventStore& store, EventFeedOptions options)
    : store_(store),
      options_(options),
      clock_(options.clock != nullptr ? *options.clock : SystemClock()) {
  absl::MutexLock lock(&mutex_);
  published_ = store_.LastPosition();
}

EventFeed::~EventFeed() { Stop(); }

void EventFeed::Start() {
  absl::MutexLock lock(&mutex_);
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] { Run(); });
}

void EventFeed::Publish(uint64_t last_position) {
  absl::MutexLock lock(&mutex_);
  published_ = std::max(published_, last_position);
}

grpc::ServerWriteReactor<v1::WatchEventsResponse>* EventFeed::Watch(WatchSpec spec) {
  // The store's own count, not published_, which may lag a commit by a moment.
  const uint64_t last = store_.LastPosition();
  if (spec.after_position > last) {
    return FinishedWatch(grpc::Status(
        grpc::StatusCode::OUT_OF_RANGE,
        absl::StrCat("after_position ", spec.after_position,
                     " is past the end of the event log, whose last position is ", last,
                     "; resume from at most ", last,
                     " (a store restored from a backup may end earlier than a client has seen)")));
  }
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mutex_);
    if (shutting_down_) {
      return FinishedWatch(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                        "the server is shutting down; resume elsewhere or later"));
    }
    if (streams_.size() >= static_cast<size_t>(std::max(options_.max_streams, 0))) {
      return FinishedWatch(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("the server has ", streams_.size(),
                       " event streams open, its limit; try again later")));
    }
    int& open = per_principal_[spec.principal.principal_id()];
    if (open >= options_.max_streams_per_principal) {
      const int held = open;
      if (open == 0) per_principal_.erase(spec.principal.principal_id());
      return FinishedWatch(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat(spec.principal.principal_id(), " has ", held,
                       " event streams open, the limit per principal; end one first")));
    }
    ++open;
    const bool live = spec.after_position >= published_;
    Stream* stream = new Stream(this, std::move(spec), live, now);
    streams_.push_back(stream);
    return stream;
  }
}

void EventFeed::Shutdown() {
  absl::MutexLock lock(&mutex_);
  shutting_down_ = true;
}

void EventFeed::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    shutting_down_ = true;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

size_t EventFeed::subscriber_count() const {
  absl::MutexLock lock(&mutex_);
  return streams_.size();
}

EventFeed::Figures EventFeed::figures() const {
  absl::MutexLock lock(&mutex_);
  Figures figures;
  figures.subscribers = streams_.size();
  figures.published = published_;
  for (const Stream* stream : streams_) {
    if (stream->live_) ++figures.live;
    const uint64_t lag = published_ > stream->acked_ ? published_ - stream->acked_ : 0;
    figures.max_lag = std::max(figures.max_lag, lag);
    figures.total_lag += lag;
  }
  return figures;
}

bool EventFeed::Ready(const Stream& stream) const {
  return !stream.busy_ && !stream.finished_ &&
         (stream.cancelled_ || shutting_down_ || stream.cursor_ < published_);
}

bool EventFeed::HasWork() const {
  if (stopping_) return true;
  for (const Stream* stream : streams_) {
    if (Ready(*stream)) return true;
  }
  return false;
}

EventFeed::Stream* EventFeed::Choose() {
  const size_t count = streams_.size();
  if (count == 0) return nullptr;
  // Without live_first every stream counts as live: one round-robin.
  Stream* live = nullptr;
  size_t live_at = 0;
  for (size_t i = 0; i < count; ++i) {
    const size_t at = (next_live_ + i) % count;
    Stream* stream = streams_[at];
    if (Ready(*stream) && (stream->live_ || !options_.live_first)) {
      live = stream;
      live_at = at;
      break;
    }
  }
  Stream* behind = nullptr;
  size_t behind_at = 0;
  if (options_.live_first && (live == nullptr || live_streak_ >= options_.live_pages_per_catch_up)) {
    for (size_t i = 0; i < count; ++i) {
      const size_t at = (next_behind_ + i) % count;
      Stream* stream = streams_[at];
      if (Ready(*stream) && !stream->live_) {
        behind = stream;
        behind_at = at;
        break;
      }
    }
  }
  if (behind != nullptr) {
    live_streak_ = 0;
    next_behind_ = (behind_at + 1) % count;
    return behind;
  }
  if (live != nullptr) {
    ++live_streak_;
    next_live_ = (live_at + 1) % count;
  }
  return live;
}

EventFeed::Stream* EventFeed::DueHeartbeat(absl::Time now) {
  if (options_.idle_heartbeat <= absl::ZeroDuration()) return nullptr;
  for (Stream* stream : streams_) {
    if (!stream->busy_ && !stream->finished_ &&
        now - stream->last_write_ >= options_.idle_heartbeat) {
      return stream;
    }
  }
  return nullptr;
}

void EventFeed::Run() {
  // Idle streams are checked for a heartbeat at least this often.
  const absl::Duration poll = options_.idle_heartbeat > absl::ZeroDuration()
                                  ? std::min(options_.idle_heartbeat / 2, absl::Seconds(1))
                                  : absl::InfiniteDuration();
  while (true) {
    mutex_.Lock();
    mutex_.AwaitWithTimeout(absl::Condition(this, &EventFeed::HasWork), poll);
    Stream* chosen = Choose();
    if (chosen == nullptr) {
      if (stopping_) {
        // Nothing left to serve.
        mutex_.Unlock();
        return;
      }
      Stream* idle = DueHeartbeat(clock_.Now());
      if (idle == nullptr) {
        mutex_.Unlock();
        continue;
      }
      // The heartbeat is also when an idle stream learns that its session
      // has ended.
      idle->busy_ = true;
      mutex_.Unlock();
      absl::Status valid = StillValid(*idle);
      mutex_.Lock();
      if (!valid.ok() || idle->cancelled_ || shutting_down_) {
        if (!valid.ok()) idle->end_status_ = std::move(valid);
        Continue(*idle);
        continue;
      }
      // Everything up to acked_ is delivered: the idle stream may resume
      // from there. OnWriteDone frees the slot again (its page is empty).
      idle->current_.Clear();
      idle->current_.set_resume_after_position(idle->acked_);
      idle->current_covers_ = idle->acked_;
      idle->last_write_ = clock_.Now();
      mutex_.Unlock();
      idle->StartWrite(&idle->current_);
      continue;
    }
    chosen->busy_ = true;
    if (chosen->cancelled_ || shutting_down_) {
      Continue(*chosen);
      continue;
    }
    const uint64_t cursor = chosen->cursor_;
    mutex_.Unlock();
    ServePage(*chosen, cursor);
  }
}

absl::Status EventFeed::StillValid(const Stream& stream) {
  if (!stream.spec_.still_valid) return absl::OkStatus();
  absl::Status valid = stream.spec_.still_valid();
  if (absl::IsUnauthenticated(valid) || absl::IsPermissionDenied(valid)) return valid;
  if (!valid.ok()) {
    // The session store could not be read: end the stream as a failed read
    // would, so the client resumes (and is authenticated again).
    Log(LogLevel::kError, {{"event", "watch_session_check_failed"}, {"status", valid.ToString()}});
    return absl::UnavailableError("the session cannot be checked now; resume from the last "
                                  "position received");
  }
  return absl::OkStatus();
}

bool EventFeed::Visible(const WatchSpec& spec, const v1::Event& event,
                        absl::flat_hash_map<std::string, bool>& readable) {
  if (!spec.stream_id.empty() && event.stream_id() != spec.stream_id) return false;
  if (!absl::StartsWith(event.region_code(), spec.region_prefix)) return false;
  if (!spec.event_types.empty() && !spec.event_types.contains(PayloadName(event))) return false;
  // Accounts: their history is AdminService.GetAccountHistory's, for ADMINs
  // of their jurisdiction; units': UnitService.GetUnitHistory's; 12369
  // complaints': ComplaintService.GetComplaintHistory's (a unit must never
  // learn who complained, nor that a complaint names its case). WatchEvents
  // never sends them.
  if (event.stream_kind() == v1::STREAM_KIND_ACCOUNT ||
      event.stream_kind() == v1::STREAM_KIND_UNIT ||
      event.stream_kind() == v1::STREAM_KIND_COMPLAINT) {
    return false;
  }
  if (event.stream_kind() != v1::STREAM_KIND_CASE) {
    // Rectification lists: the bureau's own work, not other agencies'.
    switch (spec.principal.role()) {
      case v1::ROLE_INSPECTOR:
      case v1::ROLE_SUPERVISOR:
      case v1::ROLE_BUREAU_HEAD:
      case v1::ROLE_AUDITOR:
        return true;
      default:
        return false;
    }
  }
  auto cached = readable.find(event.stream_id());
  if (cached == readable.end()) {
    // Access is judged on the case as it is now (as GetCaseHistory does): a
    // unit assigned a case sees its history from the report on.
    absl::StatusOr<v1::Case> state = store_.GetCase(event.stream_id());
    const bool may_read = state.ok() && CheckCanRead(spec.principal, *state).ok();
    cached = readable.emplace(event.stream_id(), may_read).first;
  }
  return cached->second;
}

void EventFeed::ServePage(Stream& stream, uint64_t cursor) {
  // No event goes to a subscriber whose session has ended since the
  // stream began.
  if (absl::Status valid = StillValid(stream); !valid.ok()) {
    mutex_.Lock();
    stream.end_status_ = std::move(valid);
    Continue(stream);
    return;
  }
  // A catching-up subscriber's turn reads a smaller page: it is the work a
  // live subscriber may wait behind.
  bool live = false;
  {
    absl::MutexLock lock(&mutex_);
    live = stream.live_ || !options_.live_first;
  }
  const int limit = std::max(1, live ? options_.page_events : options_.catch_up_page_events);
  absl::StatusOr<std::vector<v1::Event>> events = store_.ReadLog(cursor, limit);
  std::deque<Stream::Item> page;
  uint64_t end = cursor;
  if (events.ok()) {
    absl::flat_hash_map<std::string, bool> readable;
    for (v1::Event& event : *events) {
      end = event.position();
      if (!Visible(stream.spec_, event, readable)) continue;
      Stream::Item item;
      if (event.has_case_reported()) {
        absl::StatusOr<v1::Event> readable_event =
            EventForReader(stream.spec_.principal, event, store_);
        if (readable_event.ok()) {
          event = *std::move(readable_event);
        } else {
          // The event is still delivered, sealed: the commitment only.
          Log(LogLevel::kError, {{"event", "watch_personal_data_failed"},
                                 {"status", readable_event.status().ToString()}});
          event.mutable_case_reported()->clear_complainant();
          event.mutable_case_reported()->clear_complainant_salts();
        }
      }
      *item.response.mutable_event() = std::move(event);
      item.covers = end;
      page.push_back(std::move(item));
    }
    // Writing the page's last message delivers every event read, the
    // invisible ones after it included.
    if (!page.empty()) page.back().covers = end;
  } else {
    Log(LogLevel::kError, {{"event", "watch_read_failed"}, {"status", events.status().ToString()}});
  }
  mutex_.Lock();
  if (!events.ok()) {
    stream.end_status_ = absl::UnavailableError(
        "the event log cannot be read now; resume from the last position received");
  }
  stream.cursor_ = end;
  if (page.empty()) stream.acked_ = end;
  // A short read reached the end of the log: from now on a live subscriber.
  if (events.ok() && events->size() < static_cast<size_t>(limit)) {
    stream.live_ = true;
  }
  stream.page_ = std::move(page);
  Continue(stream);
}

void EventFeed::Continue(Stream& stream) {
  if (stream.cancelled_ || !stream.end_status_.ok()) {
    stream.finished_ = true;
    const grpc::Status status = stream.cancelled_
                                    ? grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")
                                    : ToGrpcStatus(stream.end_status_);
    mutex_.Unlock();
    stream.Finish(status);
    return;
  }
  if (shutting_down_) {
    stream.finished_ = true;
    stream.page_.clear();
    stream.current_.Clear();
    stream.current_.set_resume_after_position(stream.acked_);
    mutex_.Unlock();
    stream.StartWriteAndFinish(&stream.current_, grpc::WriteOptions(), grpc::Status::OK);
    return;
  }
  if (!stream.page_.empty()) {
    stream.current_ = std::move(stream.page_.front().response);
    stream.current_covers_ = stream.page_.front().covers;
    stream.page_.pop_front();
    stream.last_write_ = clock_.Now();
    mutex_.Unlock();
    stream.StartWrite(&stream.current_);
    return;
  }
  stream.busy_ = false;
  mutex_.Unlock();
}

}  // namespace rectify::server
