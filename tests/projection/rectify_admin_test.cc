// Tests of rectify_admin's commands and exit codes, run in-process through
// RunAdmin: usage errors give 2, a store that cannot be opened 3, problems 1,
// and verify, rebuild, backup and restore do their work.
#include "tools/admin.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/rocks_event_store.h"
#include "tests/projection/case_streams.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::tools {
namespace {

using ::testing::HasSubstr;

class RectifyAdminTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return RunAdmin(args, out_, err_);
  }
  void MakeStore(const std::string& dir, int cases) {
    auto store = storage::RocksEventStore::Open(dir, storage::StoreOptions());
    ASSERT_OK(store.status());
    storage::CommitBatch batch;
    for (int i = 1; i <= cases; ++i) {
      batch.appends.push_back(rectify::testing::ReportedCaseAppend(
          "620722-2026-" + std::to_string(100000 + i), "620722", "dust"));
    }
    rectify::testing::AddReportChanges(batch);
    ASSERT_OK((*store)->Commit(std::move(batch)).status());
  }

  rectify::testing::TempDir dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(RectifyAdminTest, HelpDocumentsTheExitCodes) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Exit codes"));
  EXPECT_THAT(out_.str(), HasSubstr("rectify_admin restore --backup_dir"));
}

TEST_F(RectifyAdminTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(Run({"frobnicate", "--data_dir=/x"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("unknown command"));
  EXPECT_EQ(Run({"verify"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("needs --data_dir"));
  EXPECT_EQ(Run({"verify", "--data_dir=/x", "--colour=blue"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("unknown flag --colour"));
  EXPECT_EQ(Run({"verify", "--data_dir=/x", "--max_problems=many"}), kExitUsage);
  EXPECT_EQ(Run({"backup", "--data_dir=/x"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("needs --backup_dir"));
  EXPECT_EQ(Run({"verify", "rebuild", "--data_dir=/x"}), kExitUsage);
}

TEST_F(RectifyAdminTest, AStoreThatCannotBeOpenedExitsWithThree) {
  EXPECT_EQ(Run({"verify", "--data_dir=" + dir_.Sub("nothing")}), kExitCannotOpen);
  EXPECT_THAT(err_.str(), HasSubstr("no Rectify store"));
  // A store a server holds open.
  MakeStore(dir_.Sub("db"), 1);
  auto held = storage::RocksEventStore::Open(dir_.Sub("db"), storage::StoreOptions());
  ASSERT_OK(held.status());
  EXPECT_EQ(Run({"verify", "--data_dir", dir_.Sub("db")}), kExitCannotOpen);
  EXPECT_THAT(err_.str(), HasSubstr("in use"));
}

TEST_F(RectifyAdminTest, VerifyRebuildVerify) {
  MakeStore(dir_.Sub("db"), 3);
  EXPECT_EQ(Run({"verify", "--data_dir=" + dir_.Sub("db")}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("3 streams, 3 events"));
  EXPECT_THAT(out_.str(), HasSubstr("verify: OK"));
  {
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), storage::StoreOptions());
    ASSERT_OK(store.status());
    storage::Repair damage;
    damage.index_deletes.push_back("r/620722/620722-2026-100002");
    damage.index_puts.push_back("r/620722/620722-2026-999999");
    ASSERT_OK((*store)->ApplyRepair(damage));
  }
  EXPECT_EQ(Run({"verify", "--data_dir=" + dir_.Sub("db"), "--max_problems=1"}), kExitProblems);
  EXPECT_THAT(out_.str(), HasSubstr("problem: index: extra key"));
  EXPECT_THAT(out_.str(), HasSubstr("2 problems (1 listed"));
  EXPECT_EQ(Run({"rebuild", "--data_dir=" + dir_.Sub("db")}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("index keys added 1, removed 1"));
  EXPECT_EQ(Run({"verify", "--data_dir=" + dir_.Sub("db")}), kExitOk);
}

TEST_F(RectifyAdminTest, BackupThenRestoreIntoAnEmptyDirectory) {
  MakeStore(dir_.Sub("db"), 2);
  EXPECT_EQ(Run({"backup", "--data_dir=" + dir_.Sub("db"), "--backup_dir=" + dir_.Sub("bk")}),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("backup: id 1"));
  // Never over an existing store.
  EXPECT_EQ(Run({"restore", "--backup_dir=" + dir_.Sub("bk"), "--data_dir=" + dir_.Sub("db")}),
            kExitCannotOpen);
  EXPECT_THAT(err_.str(), HasSubstr("holds files"));
  EXPECT_EQ(Run({"restore", "--backup_dir=" + dir_.Sub("none"), "--data_dir=" + dir_.Sub("r")}),
            kExitCannotOpen);
  EXPECT_EQ(Run({"restore", "--backup_dir=" + dir_.Sub("bk"), "--data_dir=" + dir_.Sub("r")}),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("up to log position 2"));
  EXPECT_THAT(out_.str(), HasSubstr("verify: OK"));
}

// A store written before the personal-data commitments (its bytes made by
// MakeOldFormatComplainant): verify names the upgrade rather than calling
// the events changed; upgrade-complainants rewrites them, prints each old and
// new head hash, and the store verifies; a second run has nothing to do.
TEST_F(RectifyAdminTest, UpgradeComplainantsBringsAnOldStoreToVerifyClean) {
  {
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), storage::StoreOptions());
    ASSERT_OK(store.status());
    storage::CommitBatch batch;
    for (int i = 1; i <= 3; ++i) {
      storage::StreamAppend append = rectify::testing::ReportedCaseAppend(
          "620722-2026-" + std::to_string(100000 + i), "620722", "dust");
      if (i != 2) {
        // The projection holds the complainant, as Evolve folds it.
        v1::Case state;
        ASSERT_TRUE(state.ParseFromString(append.projection));
        state.mutable_complainant()->set_name("刘芳");
        state.mutable_complainant()->set_phone("0936-12369");
        append.projection = state.SerializeAsString();
      }
      batch.appends.push_back(std::move(append));
    }
    rectify::testing::AddReportChanges(batch);
    ASSERT_OK((*store)->Commit(std::move(batch)).status());
    for (const char* id : {"620722-2026-100001", "620722-2026-100003"}) {
      ASSERT_TRUE(rectify::testing::MakeOldFormatComplainant(**store, id, "刘芳", "0936-12369"));
    }
  }
  // Case 100002 was reported without a complainant: not old format.
  EXPECT_EQ(Run({"verify", "--data_dir=" + dir_.Sub("db")}), kExitProblems);
  EXPECT_THAT(out_.str(), HasSubstr("620722-2026-100001#1 holds the complainant inside its "
                                    "hashed bytes"));
  EXPECT_THAT(out_.str(), HasSubstr("run rectify_admin upgrade-complainants"));
  EXPECT_THAT(out_.str(), ::testing::Not(HasSubstr("was changed")));
  EXPECT_THAT(out_.str(), HasSubstr("verify: 2 problems"));

  EXPECT_EQ(Run({"upgrade-complainants", "--data_dir=" + dir_.Sub("db")}), kExitOk)
      << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("upgraded: 620722-2026-100001 1 events, head "));
  EXPECT_THAT(out_.str(), HasSubstr("upgraded: 620722-2026-100003 1 events"));
  EXPECT_THAT(out_.str(), HasSubstr("upgrade-complainants: 2 streams, 2 events rewritten"));
  EXPECT_THAT(out_.str(), HasSubstr("verify: OK"));

  EXPECT_EQ(Run({"upgrade-complainants", "--data_dir=" + dir_.Sub("db")}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("upgrade-complainants: 0 streams, 0 events rewritten"));
  EXPECT_EQ(Run({"verify", "--data_dir=" + dir_.Sub("db")}), kExitOk) << out_.str();
}

TEST_F(RectifyAdminTest, ExportReferralUsageAndRefusals) {
  EXPECT_EQ(Run({"export-referral", "--data_dir=/x", "--out=/y"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("exactly one case id"));
  EXPECT_EQ(Run({"export-referral", "620722-2026-100001", "--data_dir=/x"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("needs --out"));
  MakeStore(dir_.Sub("db"), 1);
  EXPECT_EQ(Run({"export-referral", "not-a-case", "--data_dir=" + dir_.Sub("db"),
                 "--out=" + dir_.Sub("pkg")}),
            kExitUsage);
  EXPECT_EQ(Run({"export-referral", "620722-2026-100009", "--data_dir=" + dir_.Sub("db"),
                 "--out=" + dir_.Sub("pkg")}),
            kExitProblems);
  // A case without an approved referral has no package.
  EXPECT_EQ(Run({"export-referral", "620722-2026-100001", "--data_dir=" + dir_.Sub("db"),
                 "--out=" + dir_.Sub("pkg")}),
            kExitProblems);
  EXPECT_THAT(err_.str(), HasSubstr("no referral the bureau head approved"));
}

}  // namespace
}  // namespace rectify::tools
