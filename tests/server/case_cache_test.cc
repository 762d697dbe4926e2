// Tests of the writer's bounded case cache (server/case_cache.h): what Find
// returns after Put, replacement, Take (the state with its keys), and which
// case leaves when it is full.
#include "server/case_cache.h"

#include "gtest/gtest.h"

namespace rectify::server {
namespace {

v1::Case At(const std::string& id, int64_t version) {
  v1::Case state;
  state.set_case_id(id);
  state.set_version(version);
  return state;
}

TEST(CaseCacheTest, FindsWhatWasPutAndTheLatestPut) {
  CaseCache cache(4);
  EXPECT_EQ(cache.Find("620722-2026-000001"), nullptr);
  cache.Put("620722-2026-000001", At("620722-2026-000001", 1), {});
  cache.Put("620722-2026-000001", At("620722-2026-000001", 2), {});
  const v1::Case* found = cache.Find("620722-2026-000001");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->version(), 2);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(CaseCacheTest, TheLeastRecentlyUsedCaseLeavesWhenFull) {
  CaseCache cache(2);
  cache.Put("A", At("A", 1), {});
  cache.Put("B", At("B", 1), {});
  // A is used after B, so B is the least recently used when C comes.
  ASSERT_NE(cache.Find("A"), nullptr);
  cache.Put("C", At("C", 1), {});
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.Find("A"), nullptr);
  EXPECT_EQ(cache.Find("B"), nullptr);
  EXPECT_NE(cache.Find("C"), nullptr);
  // Replacing A makes it the most recent: D pushes out C.
  cache.Put("A", At("A", 2), {});
  cache.Put("D", At("D", 1), {});
  EXPECT_EQ(cache.Find("C"), nullptr);
  EXPECT_EQ(cache.Find("A")->version(), 2);
  EXPECT_NE(cache.Find("D"), nullptr);
}

TEST(CaseCacheTest, TakeHandsOverTheStateAndForgetsTheCase) {
  CaseCache cache(2);
  EXPECT_FALSE(cache.Take("A").has_value());
  projection::ProjectedKeys keys;
  keys.index_keys = {"st/03/A", "un/minle-hongshui-town\0A"};
  cache.Put("A", At("A", 3), keys);
  cache.Put("B", At("B", 1), {});
  std::optional<CaseCache::Cached> taken = cache.Take("A");
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->state.case_id(), "A");
  EXPECT_EQ(taken->state.version(), 3);
  EXPECT_EQ(taken->keys.index_keys, keys.index_keys);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find("A"), nullptr);
  EXPECT_FALSE(cache.Take("A").has_value());
  // Its place is free: two more fit beside B without pushing B out.
  cache.Put("A", At("A", 4), {});
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.Find("B"), nullptr);
  EXPECT_EQ(cache.Find("A")->version(), 4);
}

TEST(CaseCacheTest, CapacityZeroCachesNothingAndClearEmpties) {
  CaseCache none(0);
  none.Put("A", At("A", 1), {});
  EXPECT_EQ(none.Find("A"), nullptr);
  CaseCache cache(3);
  cache.Put("A", At("A", 1), {});
  cache.Clear();
  EXPECT_EQ(cache.Find("A"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace rectify::server
