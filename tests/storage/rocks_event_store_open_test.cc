// Tests that RocksEventStore::Open refuses every directory it cannot use with
// a clear status and never crashes: locked by another process, unreadable,
// not a Rectify store, written by a newer schema, missing, corrupt.
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::storage {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

class OpenTest : public ::testing::Test {
 protected:
  rectify::testing::TempDir dir_;
};

TEST_F(OpenTest, CreatesAnEmptyStoreAndOpensItAgain) {
  std::string id;
  {
    auto store = RocksEventStore::Open(dir_.Sub("db"), StoreOptions());
    ASSERT_OK(store.status());
    id = (*store)->store_id();
    EXPECT_EQ(id.size(), 32u);
  }
  auto store = RocksEventStore::Open(dir_.Sub("db"), StoreOptions());
  ASSERT_OK(store.status());
  EXPECT_EQ((*store)->store_id(), id);
  EXPECT_EQ((*store)->LastPosition(), 0u);
}

// Issue 20: the families the writer reads by whole key on every command
// (idempotency records, case projections) have Bloom filters in their tables
// and memtables, as the store's OPTIONS file records them; the others none.
TEST_F(OpenTest, ThePointLookupFamiliesHaveBloomFilters) {
  { ASSERT_OK(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()).status()); }
  rocksdb::ConfigOptions config;
  config.ignore_unknown_options = true;  // the store's merge operator and compaction filter
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  const rocksdb::Status loaded =
      rocksdb::LoadLatestOptions(config, dir_.Sub("db"), &db_options, &families);
  ASSERT_TRUE(loaded.ok()) << loaded.ToString();
  std::map<std::string, bool> filtered;
  for (const rocksdb::ColumnFamilyDescriptor& family : families) {
    const auto* table = family.options.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
    ASSERT_NE(table, nullptr) << family.name;
    const bool in_tables = table->filter_policy != nullptr;
    const bool in_memtable = family.options.memtable_whole_key_filtering &&
                             family.options.memtable_prefix_bloom_size_ratio > 0;
    EXPECT_EQ(in_tables, in_memtable) << family.name;
    filtered[family.name] = in_tables;
  }
  EXPECT_TRUE(filtered.at(keys::kDedup));
  EXPECT_TRUE(filtered.at(keys::kCases));
  EXPECT_FALSE(filtered.at(keys::kEvents));
  EXPECT_FALSE(filtered.at(keys::kIndex));
  EXPECT_FALSE(filtered.at(keys::kLog));
}

TEST_F(OpenTest, MissingDirectoryWithoutCreateIsNotFound) {
  StoreOptions options;
  options.create_if_missing = false;
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("nothing"), options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no Rectify store")));
  std::filesystem::create_directories(dir_.Sub("empty"));
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("empty"), options),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(OpenTest, DirectoryLockedByAnotherProcessIsRefused) {
  ASSERT_OK(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()).status());
  int ready[2];
  int release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The other process: holds the store open until the parent says so.
    auto store = RocksEventStore::Open(dir_.Sub("db"), StoreOptions());
    const char status = store.ok() ? 'o' : 'e';
    if (write(ready[1], &status, 1) != 1) _exit(2);
    char ignored;
    if (read(release[0], &ignored, 1) < 0) _exit(3);
    _exit(0);
  }
  char status = 0;
  ASSERT_EQ(read(ready[0], &status, 1), 1);
  ASSERT_EQ(status, 'o');
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in use")));
  ASSERT_EQ(write(release[1], "x", 1), 1);
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
  // Once the other process is gone the store opens again.
  EXPECT_OK(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()).status());
}

TEST_F(OpenTest, SecondOpenInTheSameProcessIsRefused) {
  auto store = RocksEventStore::Open(dir_.Sub("db"), StoreOptions());
  ASSERT_OK(store.status());
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in use")));
}

TEST_F(OpenTest, UnreadableDirectoryIsPermissionDenied) {
  ASSERT_OK(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()).status());
  ASSERT_EQ(chmod(dir_.Sub("db").c_str(), 0), 0);
  // Root reads anything, so the open runs in a child that gave up its
  // capabilities (tests often run as root, in a sandbox without other users).
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[2] = {};
    if (syscall(SYS_capset, &header, none) != 0) _exit(100);
    auto store = RocksEventStore::Open(dir_.Sub("db"), StoreOptions());
    _exit(static_cast<int>(store.status().code()));
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  chmod(dir_.Sub("db").c_str(), 0755);
  ASSERT_TRUE(WIFEXITED(wait_status)) << "Open crashed";
  if (WEXITSTATUS(wait_status) == 100) GTEST_SKIP() << "cannot drop capabilities here";
  EXPECT_EQ(WEXITSTATUS(wait_status), static_cast<int>(absl::StatusCode::kPermissionDenied));
}

TEST_F(OpenTest, AFileIsNotADirectory) {
  std::ofstream(dir_.Sub("file")) << "x";
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("file"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a directory")));
}

TEST_F(OpenTest, DirectoryWithOtherFilesIsNotARectifyStore) {
  std::filesystem::create_directories(dir_.Sub("other"));
  std::ofstream(dir_.Sub("other/notes.txt")) << "not a database";
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("other"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a Rectify store")));
}

TEST_F(OpenTest, PlainRocksDbIsNotARectifyStore) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir_.Sub("plain"), &db).ok());
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "k", "v").ok());
  delete db;
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("plain"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not a Rectify store (no column family \"events\")")));
}

TEST_F(OpenTest, NewerSchemaIsRefusedWithItsVersion) {
  ASSERT_OK(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()).status());
  {
    // What a newer binary might leave: a higher schema version and a column
    // family this binary does not know.
    rocksdb::DBOptions db_options;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(db_options, dir_.Sub("db"), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(db_options, dir_.Sub("db"), descriptors, &handles, &db).ok());
    rocksdb::ColumnFamilyHandle* meta = nullptr;
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      if (handle->GetName() == keys::kMeta) meta = handle;
    }
    ASSERT_NE(meta, nullptr);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), meta, keys::kSchemaVersionKey,
                        std::to_string(kSchemaVersion + 1))
                    .ok());
    rocksdb::ColumnFamilyHandle* future = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "future", &future).ok());
    handles.push_back(future);
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    }
    delete db;
  }
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("schema version " + std::to_string(kSchemaVersion + 1) +
                                 " but this binary knows only up to")));
}

TEST_F(OpenTest, CorruptCurrentFileIsReportedNotCrashed) {
  ASSERT_OK(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()).status());
  std::ofstream(dir_.Sub("db/CURRENT"), std::ios::trunc) << "garbage";
  const auto store = RocksEventStore::Open(dir_.Sub("db"), StoreOptions());
  EXPECT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(dir_.Sub("db")));
}

}  // namespace
}  // namespace rectify::storage
