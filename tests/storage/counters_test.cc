// Counter cells (storage/counters.h): the encoding round-trips, counts that
// cancel out disappear, malformed bytes are refused, and the merge operator
// adds cells in a real RocksDB, failing the read of a cell it cannot decode
// rather than counting it as zero.
#include "storage/counters.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/temp_dir.h"

namespace rectify::storage {
namespace {

TEST(CounterCellTest, RoundTripsAndDropsZeros) {
  const CounterCell cell = {{1, 3}, {5, -2}, {1000 + 34, 1}, {7, 0}};
  const std::string bytes = EncodeCounterCell(cell);
  CounterCell decoded;
  ASSERT_TRUE(DecodeCounterCell(bytes, &decoded));
  EXPECT_EQ(decoded, (CounterCell{{1, 3}, {5, -2}, {1034, 1}}));
  CounterCell sum = decoded;
  AddCounterCell({{1, -3}, {5, 2}, {9, 4}}, sum);
  EXPECT_EQ(sum, (CounterCell{{9, 4}, {1034, 1}}));
  EXPECT_EQ(EncodeCounterCell({{2, 0}}), "");
}

TEST(CounterCellTest, MalformedBytesAreRefused) {
  CounterCell cell;
  EXPECT_FALSE(DecodeCounterCell("\x80", &cell));          // a varint cut short
  EXPECT_FALSE(DecodeCounterCell("\x01", &cell));          // a number without a count
  EXPECT_FALSE(DecodeCounterCell("\x02\x02\x01\x02", &cell));  // numbers out of order
  EXPECT_TRUE(DecodeCounterCell("", &cell));
  EXPECT_TRUE(cell.empty());
}

TEST(CounterCellTest, TheMergeOperatorAddsCellsInRocksDb) {
  rectify::testing::TempDir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  options.merge_operator = NewCounterMergeOperator();
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir.Sub("db"), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  ASSERT_TRUE(db->Merge(rocksdb::WriteOptions(), "cell", EncodeCounterCell({{1, 1}})).ok());
  ASSERT_TRUE(db->Merge(rocksdb::WriteOptions(), "cell", EncodeCounterCell({{1, 2}, {4, 1}})).ok());
  ASSERT_TRUE(db->Merge(rocksdb::WriteOptions(), "cell", EncodeCounterCell({{4, -1}})).ok());
  std::string value;
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), "cell", &value).ok());
  CounterCell cell;
  ASSERT_TRUE(DecodeCounterCell(value, &cell));
  EXPECT_EQ(cell, (CounterCell{{1, 3}}));
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "bad", "\x80").ok());
  ASSERT_TRUE(db->Merge(rocksdb::WriteOptions(), "bad", EncodeCounterCell({{1, 1}})).ok());
  EXPECT_FALSE(db->Get(rocksdb::ReadOptions(), "bad", &value).ok());
}

}  // namespace
}  // namespace rectify::storage
