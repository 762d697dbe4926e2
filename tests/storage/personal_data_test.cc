// Personal data outside the hashed bytes (storage/personal_data.h,
// storage/event_hash.h, docs/storage.md "Canonical bytes"):
// - the fixed test vectors of the canonical bytes and hashes, whose expected
//   hex was built by hand (protobuf wire format written out byte by byte in
//   python3, no protobuf library) and hashed with sha256sum;
// - a commit seals the complainant: the stored event holds the commitment
//   only, the side record holds value and salt, and the hash recomputes
//   without them;
// - upgrade-complainants on a store written in the old format (the bytes
//   built here as the old binary wrote them): chains rebuilt, idempotent.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "base/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/event_hash.h"
#include "storage/keys.h"
#include "storage/personal_data.h"
#include "storage/rocks_event_store.h"
#include "tests/projection/case_streams.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::storage {
namespace {

using ::rectify::testing::StatusIs;

constexpr char kCaseId[] = "620722-2026-000001";
constexpr char kName[] = "王秀英";
constexpr char kPhone[] = "13800000000";

// The vectors of docs/storage.md, "Canonical bytes".
constexpr char kNameCommitment[] =
    "2ece62d1d5221642401b6aae7fa79f62205ffd5643288cbd4b7de76ac9d5c7b2";
constexpr char kPhoneCommitment[] =
    "d24c699634e87e124aaf87003d8a5b4637c30285236dad7b67f4f63ff4f5eceb";
constexpr char kEvent1Canonical[] =
    "080112123632303732322d323032362d303030303031180120012a0936323037323231303032060880a693cd"
    "063a060880a693cd06420e0a0a696e73702d7a68616e6710014a05636d642d31a201710a123632303732322d"
    "323032362d303030303031120fe58c97e6bba9e69d91e6b897e59d912002280330026a440a202ece62d1d522"
    "1642401b6aae7fa79f62205ffd5643288cbd4b7de76ac9d5c7b21220d24c699634e87e124aaf87003d8a5b46"
    "37c30285236dad7b67f4f63ff4f5eceb";
constexpr char kEvent1Hash[] = "def815c60fd780fff904ed99c5504a9da74b350b189100fed80a82c487dd5eac";
constexpr char kEvent2Canonical[] =
    "080212123632303732322d323032362d303030303031180120022a09363230373232313030320608bca693cd"
    "063a0608bca693cd06420c0a087375702d77616e6710024a05636d642d325220def815c60fd780fff904ed99"
    "c5504a9da74b350b189100fed80a82c487dd5eacaa01150a136d696e6c652d686f6e67736875692d746f776e";
constexpr char kEvent2Hash[] = "9708ba5d6a6135f51682659c16b3fb20f8ba6d029df0e75b9b858de0f801c3a3";

std::string Unhex(absl::string_view hex) { return absl::HexStringToBytes(hex); }

// The CaseReported of the vectors, as the workflow decides it (with the
// complainant in it).
v1::Event ReportedAsDecided() {
  v1::Event event;
  event.set_position(1);
  event.set_stream_id(kCaseId);
  event.set_stream_kind(v1::STREAM_KIND_CASE);
  event.set_version(1);
  event.set_region_code("620722100");
  event.mutable_occurred_at()->set_seconds(1772409600);
  event.mutable_recorded_at()->set_seconds(1772409600);
  event.mutable_actor()->set_principal_id("insp-zhang");
  event.mutable_actor()->set_role(v1::ROLE_INSPECTOR);
  event.set_command_id("cmd-1");
  v1::CaseReported& reported = *event.mutable_case_reported();
  reported.set_case_id(kCaseId);
  reported.set_title("北滩村渗坑");
  reported.set_category(v1::CATEGORY_WATER);
  reported.set_severity(v1::SEVERITY_HIGH);
  reported.set_source(v1::CASE_SOURCE_HOTLINE_12369);
  reported.mutable_complainant()->set_name(kName);
  reported.mutable_complainant()->set_phone(kPhone);
  return event;
}

v1::Event AssignedEvent(const std::string& prev_hash) {
  v1::Event event;
  event.set_position(2);
  event.set_stream_id(kCaseId);
  event.set_stream_kind(v1::STREAM_KIND_CASE);
  event.set_version(2);
  event.set_region_code("620722100");
  event.mutable_occurred_at()->set_seconds(1772409660);
  event.mutable_recorded_at()->set_seconds(1772409660);
  event.mutable_actor()->set_principal_id("sup-wang");
  event.mutable_actor()->set_role(v1::ROLE_SUPERVISOR);
  event.set_command_id("cmd-2");
  event.set_prev_hash(prev_hash);
  event.mutable_case_assigned()->set_responsible_unit("minle-hongshui-town");
  return event;
}

TEST(CanonicalBytesTest, FixedVectors) {
  v1::Event first = ReportedAsDecided();
  const std::optional<v1::PersonalDataRecord> side = SealPersonalDataWithSalts(
      first, std::string(32, '\x11'), std::string(32, '\x22'));
  ASSERT_TRUE(side.has_value());
  EXPECT_EQ(HexEncode(first.case_reported().complainant_commitment().name_sha256()),
            kNameCommitment);
  EXPECT_EQ(HexEncode(first.case_reported().complainant_commitment().phone_sha256()),
            kPhoneCommitment);
  EXPECT_FALSE(first.case_reported().has_complainant()) << "the sealed event holds no value";
  EXPECT_EQ(side->complainant().name(), kName);
  EXPECT_EQ(side->complainant_salts().phone(), std::string(32, '\x22'));

  EXPECT_EQ(HexEncode(CanonicalEventBytes(first)), kEvent1Canonical);
  EXPECT_EQ(HexEncode(ComputeEventHash(first)), kEvent1Hash);
  first.set_hash(Unhex(kEvent1Hash));

  const v1::Event second = AssignedEvent(first.hash());
  EXPECT_EQ(HexEncode(CanonicalEventBytes(second)), kEvent2Canonical);
  EXPECT_EQ(HexEncode(ComputeEventHash(second)), kEvent2Hash);

  // Opened for a reader who may see the complainant, and with its hash set,
  // the event has the same canonical bytes and hash.
  v1::Event opened = first;
  ASSERT_OK(OpenPersonalData(opened, *side));
  EXPECT_EQ(opened.case_reported().complainant().phone(), kPhone);
  EXPECT_EQ(HexEncode(CanonicalEventBytes(opened)), kEvent1Canonical);
  EXPECT_EQ(HexEncode(ComputeEventHash(opened)), kEvent1Hash);
}

TEST(PersonalDataTest, ARecordThatDoesNotMatchTheCommitmentIsNotOpened) {
  v1::Event event = ReportedAsDecided();
  std::optional<v1::PersonalDataRecord> side =
      SealPersonalDataWithSalts(event, std::string(32, '\x11'), std::string(32, '\x22'));
  ASSERT_TRUE(side.has_value());
  side->mutable_complainant()->set_phone("13900000000");
  EXPECT_THAT(OpenPersonalData(event, *side),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("phone")));
  EXPECT_FALSE(event.case_reported().has_complainant());
}

TEST(PersonalDataTest, AnEmptyComplainantIsNotCommitted) {
  v1::Event event = ReportedAsDecided();
  event.mutable_case_reported()->mutable_complainant()->Clear();
  EXPECT_FALSE(SealPersonalData(event).has_value());
  EXPECT_FALSE(event.case_reported().has_complainant());
  EXPECT_FALSE(event.case_reported().has_complainant_commitment());
}

TEST(PersonalDataTest, RandomSaltsDifferPerFieldAndPerEvent) {
  v1::Event a = ReportedAsDecided();
  v1::Event b = ReportedAsDecided();
  const auto side_a = SealPersonalData(a);
  const auto side_b = SealPersonalData(b);
  ASSERT_TRUE(side_a.has_value() && side_b.has_value());
  EXPECT_EQ(side_a->complainant_salts().name().size(), 32u);
  EXPECT_NE(side_a->complainant_salts().name(), side_a->complainant_salts().phone());
  EXPECT_NE(side_a->complainant_salts().name(), side_b->complainant_salts().name());
  // The same phone gives another commitment in another case: no dictionary
  // of phone numbers reverses it.
  EXPECT_NE(a.case_reported().complainant_commitment().phone_sha256(),
            b.case_reported().complainant_commitment().phone_sha256());
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    StoreOptions options;
    options.min_free_bytes = 0;
    auto store = RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
  }

  // Commits a CaseReported (with the complainant, as decided) and an
  // assignment for `case_id`.
  void CommitCase(const std::string& case_id) {
    CommitBatch batch;
    StreamAppend append;
    append.stream_id = case_id;
    v1::Event reported = ReportedAsDecided();
    reported.set_stream_id(case_id);
    reported.mutable_case_reported()->set_case_id(case_id);
    v1::Event assigned = AssignedEvent("");
    assigned.set_stream_id(case_id);
    append.events = {reported, assigned};
    append.projection = "p";
    batch.appends.push_back(std::move(append));
    ASSERT_OK(store_->Commit(std::move(batch)).status());
  }

  std::vector<v1::Event> Stream(const std::string& case_id) {
    auto events = store_->ReadStream(case_id, 1, 100);
    EXPECT_OK(events.status());
    return events.ok() ? *events : std::vector<v1::Event>();
  }

  // The chain recomputed here from the stored bytes: each event's bytes
  // without its hash, the complainant and its salts (none are stored), and
  // SHA-256(prev || those).
  static bool ChainRecomputes(const std::vector<v1::Event>& events) {
    std::string prev;
    for (const v1::Event& stored : events) {
      v1::Event copy = stored;
      copy.clear_hash();
      if (copy.prev_hash() != prev) return false;
      if (Sha256(prev + copy.SerializeAsString()) != stored.hash()) return false;
      prev = stored.hash();
    }
    return true;
  }

  rectify::testing::TempDir dir_;
  std::unique_ptr<RocksEventStore> store_;
};

TEST_F(StoreTest, CommitSealsTheComplainantInTheSameWrite) {
  CommitCase(kCaseId);
  const std::vector<v1::Event> events = Stream(kCaseId);
  ASSERT_EQ(events.size(), 2u);
  const v1::CaseReported& stored = events[0].case_reported();
  EXPECT_FALSE(stored.has_complainant());
  EXPECT_FALSE(stored.has_complainant_salts());
  EXPECT_EQ(events[0].SerializeAsString().find(kName), std::string::npos);
  EXPECT_EQ(events[0].SerializeAsString().find(kPhone), std::string::npos);
  EXPECT_TRUE(ChainRecomputes(events));

  auto side = store_->GetPersonalData(kCaseId, 1);
  ASSERT_OK(side.status());
  ASSERT_TRUE(side->has_value());
  EXPECT_EQ((*side)->complainant().name(), kName);
  EXPECT_EQ(Sha256((*side)->complainant_salts().name() + kName),
            stored.complainant_commitment().name_sha256());
  EXPECT_EQ(Sha256((*side)->complainant_salts().phone() + kPhone),
            stored.complainant_commitment().phone_sha256());
  auto none = store_->GetPersonalData(kCaseId, 2);
  ASSERT_OK(none.status());
  EXPECT_FALSE(none->has_value());

  // Erasure deletes the side record; the chain stays intact.
  ASSERT_TRUE(store_->db()
                  ->Delete(rocksdb::WriteOptions(), store_->FamilyForTesting(keys::kPersonal),
                           keys::EventKey(kCaseId, 1))
                  .ok());
  EXPECT_TRUE(ChainRecomputes(Stream(kCaseId)));
}

TEST_F(StoreTest, UpgradeRewritesOldStreamsOnceAndLeavesTheRestAlone) {
  CommitCase("620722-2026-000001");
  CommitCase("620722-2026-000002");
  CommitCase("620722-2026-000003");
  ASSERT_TRUE(rectify::testing::MakeOldFormatComplainant(*store_, "620722-2026-000001", kName,
                                                         kPhone));
  ASSERT_TRUE(rectify::testing::MakeOldFormatComplainant(*store_, "620722-2026-000003", kName,
                                                         kPhone));
  const std::vector<v1::Event> untouched = Stream("620722-2026-000002");
  const std::vector<v1::Event> old = Stream("620722-2026-000001");
  ASSERT_TRUE(HoldsLegacyPersonalData(old[0]));
  // The old hash covers the complainant: without it the chain does not
  // recompute, which is the bug for the police.
  v1::Event redacted = old[0];
  redacted.mutable_case_reported()->clear_complainant();
  redacted.clear_hash();
  EXPECT_NE(Sha256(redacted.SerializeAsString()), old[0].hash());

  auto upgrade = store_->UpgradeComplainants();
  ASSERT_OK(upgrade.status());
  ASSERT_EQ(upgrade->streams.size(), 2u);
  EXPECT_EQ(upgrade->streams[0].stream_id, "620722-2026-000001");
  EXPECT_EQ(upgrade->streams[0].old_head_hash, old[1].hash());
  EXPECT_EQ(upgrade->streams[1].stream_id, "620722-2026-000003");
  EXPECT_EQ(upgrade->events_rewritten, 4);

  Reopen();
  for (const char* id : {"620722-2026-000001", "620722-2026-000003"}) {
    const std::vector<v1::Event> events = Stream(id);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_FALSE(events[0].case_reported().has_complainant()) << id;
    EXPECT_EQ(events[0].SerializeAsString().find(kName), std::string::npos) << id;
    EXPECT_TRUE(ChainRecomputes(events)) << id;
    EXPECT_EQ(events[0].position(), 0u + (id[17] == '1' ? 1 : 5)) << "positions are kept";
    auto side = store_->GetPersonalData(id, 1);
    ASSERT_OK(side.status());
    ASSERT_TRUE(side->has_value());
    v1::Event opened = events[0];
    ASSERT_OK(OpenPersonalData(opened, **side));
    EXPECT_EQ(opened.case_reported().complainant().name(), kName);
  }
  EXPECT_EQ(upgrade->streams[0].new_head_hash, Stream("620722-2026-000001")[1].hash());
  const std::vector<v1::Event> after = Stream("620722-2026-000002");
  ASSERT_EQ(after.size(), untouched.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), untouched[i].SerializeAsString());
  }

  // Again: nothing left to do, nothing changes.
  const std::string before = Stream("620722-2026-000001")[1].hash();
  auto again = store_->UpgradeComplainants();
  ASSERT_OK(again.status());
  EXPECT_TRUE(again->streams.empty());
  EXPECT_EQ(Stream("620722-2026-000001")[1].hash(), before);
}

// Issue 20: Commit keeps each stream's version and last hash instead of
// seeking its last event; the upgrade rewrites hashes, so a commit right
// after it must chain onto the rewritten head, not the one it kept.
TEST_F(StoreTest, ACommitAfterTheUpgradeChainsOntoTheRewrittenHead) {
  const std::string id = "620722-2026-000001";
  CommitCase(id);
  ASSERT_TRUE(rectify::testing::MakeOldFormatComplainant(*store_, id, kName, kPhone));
  ASSERT_OK(store_->UpgradeComplainants().status());
  CommitBatch batch;
  StreamAppend append;
  append.stream_id = id;
  append.expected_version = 2;
  v1::Event next = AssignedEvent("");
  next.set_stream_id(id);
  next.set_version(3);
  append.events = {next};
  append.projection = "p";
  batch.appends.push_back(std::move(append));
  ASSERT_OK(store_->Commit(std::move(batch)).status());
  const std::vector<v1::Event> events = Stream(id);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].prev_hash(), events[1].hash());
  EXPECT_TRUE(ChainRecomputes(events));
}

}  // namespace
}  // namespace rectify::storage
