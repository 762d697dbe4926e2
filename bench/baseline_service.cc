// The baseline servers' service and group committer; see baseline_service.h.
#include "bench/baseline_service.h"

#include <signal.h>

#include <cstdio>
#include <fstream>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/case_mix.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "host:port to serve on (port 0: any free port)");
ABSL_FLAG(std::string, port_file, "", "when set, the chosen port is written here once serving");
ABSL_FLAG(std::string, data_dir, "./raw-data",
          "raw_commit_server: directory of the RocksDB database (created)");

namespace rectify::bench {
namespace {

std::string BigEndian64(uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GroupCommitter>> GroupCommitter::Open(const std::string& dir) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  rocksdb::ColumnFamilyOptions family;
  family.write_buffer_size = size_t{64} << 20;
  family.compression = rocksdb::kLZ4Compression;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(), storage::keys::kEvents,
                           storage::keys::kLog, storage::keys::kCases, storage::keys::kIndex,
                           storage::keys::kDedup}) {
    descriptors.emplace_back(name, family);
  }
  std::unique_ptr<GroupCommitter> committer(new GroupCommitter());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status opened = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &db);
  if (!opened.ok()) return absl::InternalError(opened.ToString());
  committer->db_.reset(db);
  committer->families_ = std::move(handles);
  committer->writer_ = std::thread([raw = committer.get()] { raw->Run(); });
  return committer;
}

GroupCommitter::~GroupCommitter() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  for (auto* handle : families_) db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
}

void GroupCommitter::Submit(RawWrite write, std::function<void(bool)> done) {
  absl::MutexLock lock(&mutex_);
  waiting_.push_back(Pending{std::move(write), std::move(done)});
}

void GroupCommitter::Run() {
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  while (true) {
    std::deque<Pending> batch;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(
          +[](GroupCommitter* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
            return self->stopping_ || !self->waiting_.empty();
          },
          this));
      if (waiting_.empty()) return;  // stopping, nothing left
      batch.swap(waiting_);
    }
    rocksdb::WriteBatch write_batch;
    for (const Pending& pending : batch) {
      const RawWrite& w = pending.write;
      write_batch.Put(families_[1], w.event_key, w.event).PermitUncheckedError();
      write_batch.Put(families_[2], w.log_key, w.log_value).PermitUncheckedError();
      write_batch.Put(families_[3], w.case_key, w.case_value).PermitUncheckedError();
      for (const std::string& key : w.index_keys) {
        write_batch.Put(families_[4], key, "").PermitUncheckedError();
      }
      write_batch.Put(families_[5], w.dedup_key, w.dedup_value).PermitUncheckedError();
    }
    const bool ok = db_->Write(write_options, &write_batch).ok();
    // No lock held here: `done` finishes gRPC reactors.
    for (Pending& pending : batch) pending.done(ok);
  }
}

template <typename Request, typename Response>
grpc::ServerUnaryReactor* BaselineCaseService::Answer(grpc::CallbackServerContext* context,
                                                      const Request& request,
                                                      const std::string& case_id, int step,
                                                      Response* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const uint64_t position = next_position_.fetch_add(1);
  *response->mutable_case_() = TypicalCase(case_id, step);
  response->set_position(position);
  if (committer_ == nullptr) {
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  RawWrite write;
  const std::string version = BigEndian64(step + 1);
  write.event_key = case_id + version;
  // The event: the request's payload plus its envelope (positions, times,
  // actor, command id, two 32-byte hashes), about 150 bytes.
  write.event = request.SerializeAsString() + std::string(150, 'e');
  write.log_key = BigEndian64(position);
  write.log_value = case_id + version;
  write.case_key = case_id;
  write.case_value = response->case_().SerializeAsString();
  write.index_keys[0] = absl::StrCat("s/", step, "/620722/", case_id);
  write.index_keys[1] = absl::StrCat("u/", kRectifierUnit, "/", step, "/", case_id);
  write.dedup_key = absl::StrCat("principal/", request.command_id());
  // The stored reply: the case and a fingerprint of the command.
  write.dedup_value = write.case_value + std::string(40, 'd');
  committer_->Submit(std::move(write), [reactor](bool ok) {
    reactor->Finish(ok ? grpc::Status::OK
                       : grpc::Status(grpc::StatusCode::INTERNAL, "raw commit failed"));
  });
  return reactor;
}

grpc::ServerUnaryReactor* BaselineCaseService::ReportCase(grpc::CallbackServerContext* context,
                                                          const v1::ReportCaseRequest* request,
                                                          v1::ReportCaseResponse* response) {
  const std::string case_id = absl::StrFormat("620722-2026-%06d", next_case_.fetch_add(1));
  return Answer(context, *request, case_id, 0, response);
}

grpc::ServerUnaryReactor* BaselineCaseService::AssignCase(grpc::CallbackServerContext* context,
                                                          const v1::AssignCaseRequest* request,
                                                          v1::AssignCaseResponse* response) {
  return Answer(context, *request, request->case_id(), 1, response);
}

grpc::ServerUnaryReactor* BaselineCaseService::StartRectification(
    grpc::CallbackServerContext* context, const v1::StartRectificationRequest* request,
    v1::StartRectificationResponse* response) {
  return Answer(context, *request, request->case_id(), 2, response);
}

grpc::ServerUnaryReactor* BaselineCaseService::ReportProgress(
    grpc::CallbackServerContext* context, const v1::ReportProgressRequest* request,
    v1::ReportProgressResponse* response) {
  // Steps 3 and 4 of the cycle are the 40 % and 80 % reports.
  return Answer(context, *request, request->case_id(), request->percent_complete() >= 80 ? 4 : 3,
                response);
}

grpc::ServerUnaryReactor* BaselineCaseService::GetCase(grpc::CallbackServerContext* context,
                                                       const v1::GetCaseRequest* request,
                                                       v1::GetCaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  *response->mutable_case_() = TypicalCase(request->case_id(), 0);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

int ServeBaseline(int argc, char** argv, bool raw_commit) {
  // SIGINT and SIGTERM are taken by sigwait, blocked before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  absl::ParseCommandLine(argc, argv);

  std::unique_ptr<GroupCommitter> committer;
  if (raw_commit) {
    absl::StatusOr<std::unique_ptr<GroupCommitter>> opened =
        GroupCommitter::Open(absl::GetFlag(FLAGS_data_dir));
    if (!opened.ok()) {
      std::fprintf(stderr, "cannot open %s: %s\n", absl::GetFlag(FLAGS_data_dir).c_str(),
                   opened.status().ToString().c_str());
      return 1;
    }
    committer = std::move(*opened);
  }
  BaselineCaseService service(committer.get());
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "cannot listen on %s\n", absl::GetFlag(FLAGS_listen).c_str());
    return 1;
  }
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file); !port_file.empty()) {
    const std::string temporary = port_file + ".tmp";
    std::ofstream(temporary) << port << "\n";
    std::rename(temporary.c_str(), port_file.c_str());
  }
  std::thread signal_waiter([&server, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  });
  server->Wait();
  signal_waiter.join();
  committer.reset();  // commits what waits, closes the database
  return 0;
}

}  // namespace rectify::bench
