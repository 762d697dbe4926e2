// Tests of document numbering (workflow/numbering.h) on its own: the id's
// shape, per county and China year, numbers given back on refusal, the end
// of a year's numbers, and the sequence continued from what a real RocksDB
// store holds (after a reopen, and after Forget).
#include "workflow/numbering.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/rocks_event_store.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"
#include "tests/user_message_matchers.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::RefusedInChinese;
using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

// 2026-03-02 09:00 in China (01:00 UTC).
const absl::Time kMarch = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0),
                                          absl::UTCTimeZone());
// 2026-12-31 23:30 UTC is already 2027-01-01 07:30 in China.
const absl::Time kNewYearInChina = absl::FromCivil(absl::CivilSecond(2026, 12, 31, 23, 30, 0),
                                                   absl::UTCTimeZone());

// A store that holds nothing.
absl::StatusOr<std::string> NothingStored(v1::StreamKind, const std::string&) {
  return std::string();
}

TEST(NumberPrefixTest, CountyYearAndLetters) {
  EXPECT_EQ(NumberPrefix(kCaseNumbers, "620722100", kMarch), "620722-2026-");
  EXPECT_EQ(NumberPrefix(kListNumbers, "620722", kMarch), "L-620722-2026-");
  // A city's and a province's list: the code padded with zeros.
  EXPECT_EQ(NumberPrefix(kListNumbers, "6207", kMarch), "L-620700-2026-");
  EXPECT_EQ(NumberPrefix(kListNumbers, "62", kMarch), "L-620000-2026-");
  // The year is China's.
  EXPECT_EQ(NumberPrefix(kCaseNumbers, "620722", kNewYearInChina), "620722-2027-");
}

TEST(DocumentNumbersTest, CountsPerCountyAndYearAndKind) {
  DocumentNumbers numbers(NothingStored);
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722100", kMarch), "620722-2026-000001");
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000002");
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620702", kMarch), "620702-2026-000001");
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kNewYearInChina), "620722-2027-000001");
  EXPECT_EQ(*numbers.Allocate(kListNumbers, "620722", kMarch), "L-620722-2026-0001");
  EXPECT_EQ(*numbers.Allocate(kListNumbers, "6207", kMarch), "L-620700-2026-0001");
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000003");
}

TEST(DocumentNumbersTest, ReleaseGivesTheLastNumberBack) {
  DocumentNumbers numbers(NothingStored);
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000001");
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000002");
  numbers.Release(kCaseNumbers, "620722-2026-000002");
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000002");
  EXPECT_EQ(*numbers.Allocate(kListNumbers, "620722", kMarch), "L-620722-2026-0001");
  numbers.Release(kListNumbers, "L-620722-2026-0001");
  EXPECT_EQ(*numbers.Allocate(kListNumbers, "620722", kMarch), "L-620722-2026-0001");
  // A prefix never handed out is ignored.
  numbers.Release(kCaseNumbers, "620702-2026-000001");
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000003");
}

TEST(DocumentNumbersTest, AYearsNumbersRunOut) {
  DocumentNumbers numbers([](v1::StreamKind kind, const std::string& prefix) {
    return absl::StatusOr<std::string>(
        kind == v1::STREAM_KIND_CASE ? prefix + "999998" : prefix + "9999");
  });
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-999999");
  EXPECT_THAT(numbers.Allocate(kCaseNumbers, "620722", kMarch),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("county 620722 has used all 999999 case numbers of the year")));
  EXPECT_THAT(numbers.Allocate(kCaseNumbers, "620722", kMarch),
              RefusedInChinese("县区 620722 今年的 999999 个案件编号已全部用完，请联系系统管理员"));
  EXPECT_THAT(numbers.Allocate(kListNumbers, "6207", kMarch),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("county 6207 has used all 9999 list numbers of the year")));
  EXPECT_THAT(numbers.Allocate(kListNumbers, "6207", kMarch),
              RefusedInChinese("县区 6207 今年的 9999 个清单编号已全部用完，请联系系统管理员"));
}

TEST(DocumentNumbersTest, AMalformedStoredIdIsDataLoss) {
  DocumentNumbers numbers([](v1::StreamKind, const std::string& prefix) {
    return absl::StatusOr<std::string>(prefix + "12x");
  });
  EXPECT_THAT(numbers.Allocate(kCaseNumbers, "620722", kMarch),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("stored case id")));
  DocumentNumbers failing([](v1::StreamKind, const std::string&) {
    return absl::StatusOr<std::string>(absl::UnavailableError("disk"));
  });
  EXPECT_THAT(failing.Allocate(kListNumbers, "620722", kMarch),
              StatusIs(absl::StatusCode::kUnavailable));
}

// The numbers continue from a real store's streams.
class StoredNumbersTest : public ::testing::Test {
 protected:
  std::unique_ptr<storage::RocksEventStore> Open() {
    storage::StoreOptions options;
    options.clock = &clock_;
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), options);
    EXPECT_OK(store.status());
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static DocumentNumbers NumbersOf(storage::EventStore& store) {
    return DocumentNumbers([&store](v1::StreamKind kind, const std::string& prefix) {
      return store.LastStreamIdWithPrefix(kind, prefix);
    });
  }

  // Commits one event on a new stream `id` of `kind`.
  static void Store(storage::EventStore& store, const std::string& id, v1::StreamKind kind) {
    storage::StreamAppend append;
    append.stream_id = id;
    append.kind = kind;
    v1::Event event;
    event.set_stream_id(id);
    event.set_stream_kind(kind);
    event.set_version(1);
    event.set_region_code("620722");
    event.set_command_id("cmd-" + id);
    if (kind == v1::STREAM_KIND_CASE) {
      event.mutable_case_reported()->set_case_id(id);
      v1::Case state;
      state.set_case_id(id);
      state.set_version(1);
      append.projection = state.SerializeAsString();
    } else {
      event.mutable_list_created()->set_list_id(id);
      append.projection = "list";
    }
    append.events.push_back(std::move(event));
    storage::CommitBatch batch;
    batch.appends.push_back(std::move(append));
    ASSERT_OK(store.Commit(std::move(batch)).status());
  }

  SimulatedClock clock_{kMarch};
  testing::TempDir dir_;
};

TEST_F(StoredNumbersTest, ContinuesAfterTheStoredIdsAndAcrossAReopen) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    Store(*store, "620722-2026-000041", v1::STREAM_KIND_CASE);
    Store(*store, "620722-2025-000900", v1::STREAM_KIND_CASE);
    Store(*store, "L-620722-2026-0007", v1::STREAM_KIND_RECTIFICATION_LIST);
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  DocumentNumbers numbers = NumbersOf(*store);
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000042");
  EXPECT_EQ(*numbers.Allocate(kListNumbers, "620722", kMarch), "L-620722-2026-0008");
  // Another county, and a kind whose ids were never stored.
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620702", kMarch), "620702-2026-000001");
  EXPECT_EQ(*numbers.Allocate(kListNumbers, "6207", kMarch), "L-620700-2026-0001");
  // Handed out but not written: Forget reads the store again.
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000043");
  numbers.Forget();
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000042");
  Store(*store, "620722-2026-000042", v1::STREAM_KIND_CASE);
  EXPECT_EQ(*numbers.Allocate(kCaseNumbers, "620722", kMarch), "620722-2026-000043");
}

}  // namespace
}  // namespace rectify::workflow
