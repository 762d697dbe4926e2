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
  // Bytes EncodeCounterCell never writes (found by tests/fuzz's
  // stored_record_fuzzer): a zero count, a number padded with a zero group,
  // a count longer than 64 bits.
  EXPECT_FALSE(DecodeCounterCell(std::string("\x01\x00", 2), &cell));
  EXPECT_FALSE(DecodeCounterCell(std::string("\x81\x00\x02", 3), &cell));
  EXPECT_FALSE(
      DecodeCounterCell(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11), &cell));
  EXPECT_TRUE(DecodeCounterCell(std::string("\x01\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11),
                                &cell));  // the largest count, INT64_MAX
  EXPECT_EQ(cell, (CounterCell{{1, INT64_MAX}}));
  EXPECT_TRUE(DecodeCounterCell("", &cell));
  EXPECT_TRUE(cell.empty());
}

TEST(CounterCellTest, SumsPastTheLimitWrapAround) {
  // Only a corrupt cell gets here; the sum must still be defined (UBSan
  // found signed overflow) and independent of the order of the changes.
  CounterCell sum = {{1, INT64_MAX}, {2, INT64_MIN}};
  AddCounterCell({{1, 1}, {2, -1}}, sum);
  EXPECT_EQ(sum, (CounterCell{{1, INT64_MIN}, {2, INT64_MAX}}));
  AddCounterCell({{1, -1}, {2, 1}}, sum);
  EXPECT_EQ(sum, (CounterCell{{1, INT64_MAX}, {2, INT64_MIN}}));
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
