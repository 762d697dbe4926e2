// The offline outbox: a durable local queue of commands recorded while the
// server cannot be reached (an inspector's tablet in a village), sent later
// in the order recorded.
//
// Storage: a small RocksDB in the client's data directory (--client_dir,
// default ~/.local/share/rectify/outbox). Every change is one WriteBatch
// written with sync=true, so a recorded command or a sent mark survives a
// crash or power loss once the call returns, and the mark of a sent command
// and the local reference it resolves are written together. RocksDB's LOCK
// file keeps a second rectifyctl out while one is using the queue.
//
// Each entry is a v1::Command with its command_id fixed when recorded. A
// report gets a local reference ("local:1", "local:2", ...) that later
// entries may use as their case_id; Sync() replaces it by the id the server
// assigned before sending them.
//
// Exactly once in effect: an entry is marked sent only after the server
// answered. A client killed between the server's commit and the mark sends
// the entry again on the next Sync() with the same command_id, and the
// server answers with the original reply (and the original case id) instead
// of acting twice. Nothing is lost: an entry leaves the pending state only
// by being sent or set aside.
//
// Set aside: an entry the server refuses (INVALID_ARGUMENT,
// FAILED_PRECONDITION, PERMISSION_DENIED, NOT_FOUND, ALREADY_EXISTS, ABORTED,
// OUT_OF_RANGE, UNIMPLEMENTED) keeps its place and the server's reason and
// is never sent again; so are entries on a case whose report was set aside.
// Any other failure (UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED,
// RESOURCE_EXHAUSTED, INTERNAL, ...) says nothing about the command: Sync()
// stops there and the entry stays pending, keeping the order.
//
// Not thread-safe: one Outbox per process, used from one thread.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Outbox> outbox, Outbox::Open(dir + "/outbox"));
//   ASSIGN_OR_RETURN(OutboxEntry entry, outbox->Append(command));   // entry.local_ref == "local:1"
//   SyncResult result = outbox->Sync([&](const v1::Command& c) { ... return case_id; });
#ifndef RECTIFY_CLIENT_OUTBOX_H_
#define RECTIFY_CLIENT_OUTBOX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rectify/v1/command.pb.h"

namespace rocksdb {
class DB;
}

namespace rectify::client {

enum class OutboxState { kPending, kSent, kSetAside };

struct OutboxEntry {
  // Position in the queue, from 1, in the order recorded.
  uint64_t seq = 0;
  // The command as recorded (its case_id may be a local reference).
  v1::Command command;
  OutboxState state = OutboxState::kPending;
  // For a report: its local reference, e.g. "local:3"; else "".
  std::string local_ref;
  // Once sent: the server's case id.
  std::string case_id;
  // Once set aside: the server's code and message.
  absl::Status refusal;
};

struct SyncResult {
  // Entries sent in this sync, set aside in it, and still pending after it.
  int sent = 0;
  int set_aside = 0;
  int pending = 0;
  // OK when the queue was worked to its end; else why Sync() stopped early
  // (e.g. UNAVAILABLE: the server went away again).
  absl::Status stopped;
};

// True for the codes that set a command aside (the server refused it), false
// for those that stop a sync (a problem of the connection or the server).
bool IsRefusal(absl::StatusCode code);

class Outbox {
 public:
  // Opens (creating) the queue in `dir`. FAILED_PRECONDITION when another
  // process has it open; INTERNAL for a storage error.
  static absl::StatusOr<std::unique_ptr<Outbox>> Open(const std::string& dir);
  ~Outbox();

  // Records `command`. It must hold a CaseService request with a command_id;
  // a case_id of the form "local:N" must name a report already recorded.
  // INVALID_ARGUMENT otherwise (nothing recorded). A report gets the next
  // local reference.
  absl::StatusOr<OutboxEntry> Append(v1::Command command);

  // Every entry, in order.
  absl::StatusOr<std::vector<OutboxEntry>> Entries() const;

  // The server's case id of a local reference. NOT_FOUND when no report has
  // it; FAILED_PRECONDITION when its report is not sent yet or was set aside.
  absl::StatusOr<std::string> Resolve(const std::string& local_ref) const;

  // Sends one command and returns the case id the server answered with.
  using Sender = std::function<absl::StatusOr<std::string>(const v1::Command&)>;

  // Sends the pending entries in order (local references resolved), marking
  // each sent or set aside as it goes; see the file comment.
  SyncResult Sync(const Sender& send);

 private:
  explicit Outbox(std::unique_ptr<rocksdb::DB> db);
  absl::StatusOr<OutboxEntry> ReadEntry(uint64_t seq) const;
  absl::Status MarkSent(const OutboxEntry& entry, const std::string& case_id);
  absl::Status MarkSetAside(const OutboxEntry& entry, const absl::Status& refusal);

  std::unique_ptr<rocksdb::DB> db_;
};

// True when `case_id` is a local reference ("local:7").
bool IsLocalRef(const std::string& case_id);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTBOX_H_
