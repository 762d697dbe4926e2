// The offline outbox on a small RocksDB; see outbox.h.
//
// Keys (one column family):
//   "e" be64(seq)   → v1::Command bytes, as recorded
//   "s" be64(seq)   → state once decided: "S" case_id (sent) or
//                     "A" code "\t" message (set aside); absent = pending
//   "l" be64(local) → be64(seq) of the report that has that local reference
//   "n"             → be64(last seq) be64(last local number)
#include "client/outbox.h"

#include <filesystem>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/user_message.h"
#include "client/commands.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace rectify::client {
namespace {

constexpr char kLocalPrefix[] = "local:";

std::string Be64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return out;
}

uint64_t FromBe64(const std::string& bytes, size_t at = 0) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8 && at + i < bytes.size(); ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  }
  return value;
}

std::string EntryKey(uint64_t seq) { return "e" + Be64(seq); }
std::string StateKey(uint64_t seq) { return "s" + Be64(seq); }

// Between a set-aside command's English refusal and the server's Chinese one
// in its state record (an ASCII record separator: no message holds it).
constexpr char kReasonSeparator = '\x1e';
std::string LocalKey(uint64_t local) { return "l" + Be64(local); }
constexpr char kCountersKey[] = "n";

absl::Status FromRocks(const rocksdb::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("outbox storage: ", status.ToString()));
}

rocksdb::WriteOptions SyncWrite() {
  rocksdb::WriteOptions options;
  options.sync = true;  // an acknowledged record or mark survives power loss
  return options;
}

// The number of a local reference, 0 when it is not one.
uint64_t LocalNumber(const std::string& ref) {
  uint64_t number = 0;
  if (!absl::StartsWith(ref, kLocalPrefix) ||
      !absl::SimpleAtoi(ref.substr(sizeof(kLocalPrefix) - 1), &number)) {
    return 0;
  }
  return number;
}

}  // namespace

bool IsLocalRef(const std::string& case_id) { return absl::StartsWith(case_id, kLocalPrefix); }

bool IsRefusal(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kUnimplemented:
      return true;
    default:
      return false;
  }
}

Outbox::Outbox(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
Outbox::~Outbox() = default;

absl::StatusOr<std::unique_ptr<Outbox>> Outbox::Open(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.info_log_level = rocksdb::WARN_LEVEL;
  options.keep_log_file_num = 2;
  options.max_open_files = 64;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(options, dir, &db);
  if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
    return absl::FailedPreconditionError(
        absl::StrCat("the outbox in ", dir, " is in use by another rectifyctl"));
  }
  if (!status.ok()) return FromRocks(status);
  return std::unique_ptr<Outbox>(new Outbox(std::unique_ptr<rocksdb::DB>(db)));
}

absl::StatusOr<OutboxEntry> Outbox::Append(v1::Command command) {
  const std::string name = CommandName(command);
  if (name.empty() || name == "mark_overdue" || name == "record_evidence" ||
      absl::StrContains(name, "list")) {
    return absl::InvalidArgumentError("only case commands can be recorded offline");
  }
  if (RequestString(command, "command_id").empty()) {
    return absl::InvalidArgumentError("command_id is required");
  }
  std::string counters;
  rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), kCountersKey, &counters);
  if (!got.ok() && !got.IsNotFound()) return FromRocks(got);
  uint64_t last_seq = FromBe64(counters, 0);
  uint64_t last_local = FromBe64(counters, 8);

  const std::string case_id = RequestString(command, "case_id");
  if (IsLocalRef(case_id)) {
    const uint64_t number = LocalNumber(case_id);
    std::string ignored;
    if (number == 0 || !db_->Get(rocksdb::ReadOptions(), LocalKey(number), &ignored).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("case_id ", case_id, " is not a case reported in this outbox"));
    }
    command.set_stream_id(case_id);
  } else if (!case_id.empty()) {
    command.set_stream_id(case_id);
  }

  OutboxEntry entry;
  entry.seq = ++last_seq;
  rocksdb::WriteBatch batch;
  if (command.has_report_case()) {
    ++last_local;
    entry.local_ref = absl::StrCat(kLocalPrefix, last_local);
    command.set_stream_id(entry.local_ref);
    batch.Put(LocalKey(last_local), Be64(entry.seq));
  }
  command.set_command_id(RequestString(command, "command_id"));
  entry.command = command;
  batch.Put(EntryKey(entry.seq), command.SerializeAsString());
  batch.Put(kCountersKey, Be64(last_seq) + Be64(last_local));
  if (absl::Status status = FromRocks(db_->Write(SyncWrite(), &batch)); !status.ok()) {
    return status;
  }
  return entry;
}

absl::StatusOr<OutboxEntry> Outbox::ReadEntry(uint64_t seq) const {
  std::string bytes;
  if (absl::Status status = FromRocks(db_->Get(rocksdb::ReadOptions(), EntryKey(seq), &bytes));
      !status.ok()) {
    return status;
  }
  OutboxEntry entry;
  entry.seq = seq;
  if (!entry.command.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("outbox entry ", seq, " is damaged"));
  }
  if (entry.command.has_report_case()) entry.local_ref = entry.command.stream_id();
  std::string state;
  const rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), StateKey(seq), &state);
  if (got.IsNotFound()) return entry;
  if (!got.ok()) return FromRocks(got);
  if (!state.empty() && state[0] == 'S') {
    entry.state = OutboxState::kSent;
    entry.case_id = state.substr(1);
  } else if (!state.empty() && state[0] == 'A') {
    entry.state = OutboxState::kSetAside;
    const size_t tab = state.find('\t');
    int code = static_cast<int>(absl::StatusCode::kUnknown);
    if (!absl::SimpleAtoi(state.substr(1, tab == std::string::npos ? std::string::npos : tab - 1),
                          &code)) {
      code = static_cast<int>(absl::StatusCode::kUnknown);
    }
    // "A<code>\t<English>", then "\x1e<Chinese>" when the server sent one.
    std::string message = tab == std::string::npos ? "" : state.substr(tab + 1);
    const size_t separator = message.find(kReasonSeparator);
    std::string chinese;
    if (separator != std::string::npos) {
      chinese = message.substr(separator + 1);
      message.resize(separator);
    }
    entry.refusal = absl::Status(static_cast<absl::StatusCode>(code), message);
    if (!chinese.empty()) entry.refusal = WithUserMessage(std::move(entry.refusal), chinese);
  }
  return entry;
}

absl::StatusOr<std::vector<OutboxEntry>> Outbox::Entries() const {
  std::vector<OutboxEntry> entries;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("e"); it->Valid() && it->key().starts_with("e"); it->Next()) {
    absl::StatusOr<OutboxEntry> entry = ReadEntry(FromBe64(it->key().ToString(), 1));
    if (!entry.ok()) return entry.status();
    entries.push_back(std::move(*entry));
  }
  if (absl::Status status = FromRocks(it->status()); !status.ok()) return status;
  return entries;
}

absl::StatusOr<std::string> Outbox::Resolve(const std::string& local_ref) const {
  const uint64_t number = LocalNumber(local_ref);
  std::string seq;
  if (number == 0 || !db_->Get(rocksdb::ReadOptions(), LocalKey(number), &seq).ok()) {
    return absl::NotFoundError(absl::StrCat(local_ref, " is not a case reported in this outbox"));
  }
  absl::StatusOr<OutboxEntry> report = ReadEntry(FromBe64(seq));
  if (!report.ok()) return report.status();
  switch (report->state) {
    case OutboxState::kSent:
      return report->case_id;
    case OutboxState::kSetAside:
      return absl::FailedPreconditionError(absl::StrCat(
          "the report of ", local_ref, " was refused: ", report->refusal.message()));
    case OutboxState::kPending:
      break;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("the report of ", local_ref, " is not synced yet (rectifyctl sync)"));
}

absl::Status Outbox::MarkSent(const OutboxEntry& entry, const std::string& case_id) {
  rocksdb::WriteBatch batch;
  batch.Put(StateKey(entry.seq), "S" + case_id);
  return FromRocks(db_->Write(SyncWrite(), &batch));
}

absl::Status Outbox::MarkSetAside(const OutboxEntry& entry, const absl::Status& refusal) {
  rocksdb::WriteBatch batch;
  const auto reason = UserMessageOf(refusal);
  batch.Put(StateKey(entry.seq),
            absl::StrCat("A", static_cast<int>(refusal.code()), "\t", refusal.message(),
                         reason ? absl::StrCat(std::string(1, kReasonSeparator), reason->zh_cn())
                                : std::string()));
  return FromRocks(db_->Write(SyncWrite(), &batch));
}

SyncResult Outbox::Sync(const Sender& send) {
  SyncResult result;
  absl::StatusOr<std::vector<OutboxEntry>> entries = Entries();
  if (!entries.ok()) {
    result.stopped = entries.status();
    return result;
  }
  size_t i = 0;
  for (; i < entries->size(); ++i) {
    const OutboxEntry& entry = (*entries)[i];
    if (entry.state != OutboxState::kPending) continue;
    v1::Command command = entry.command;
    const std::string case_id = RequestString(command, "case_id");
    if (IsLocalRef(case_id)) {
      absl::StatusOr<std::string> resolved = Resolve(case_id);
      if (!resolved.ok() && resolved.status().code() != absl::StatusCode::kFailedPrecondition) {
        result.stopped = resolved.status();  // a storage error, not a refusal
        break;
      }
      if (!resolved.ok()) {
        // Its report was refused: this entry can never be sent either.
        if (absl::Status marked = MarkSetAside(entry, resolved.status()); !marked.ok()) {
          result.stopped = marked;
          break;
        }
        ++result.set_aside;
        continue;
      }
      SetRequestString(command, "case_id", *resolved);
    }
    absl::StatusOr<std::string> sent = send(command);
    absl::Status marked;
    if (sent.ok()) {
      marked = MarkSent(entry, *sent);
      if (marked.ok()) ++result.sent;
    } else if (IsRefusal(sent.status().code())) {
      marked = MarkSetAside(entry, sent.status());
      if (marked.ok()) ++result.set_aside;
    } else {
      result.stopped = sent.status();
      break;
    }
    if (!marked.ok()) {
      result.stopped = marked;
      break;
    }
  }
  for (; i < entries->size(); ++i) {
    if ((*entries)[i].state == OutboxState::kPending) ++result.pending;
  }
  return result;
}

}  // namespace rectify::client
