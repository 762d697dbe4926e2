// Tests of how rectifyctl shows a case (client/case_format.h): an extension
// shows the due the supervisor granted, not the one the unit asked for.
#include "client/case_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 2026-11-20 00:00 and 2026-11-15 00:00 in China (UTC+8), in Unix seconds.
constexpr int64_t kAsked = 1795104000;
constexpr int64_t kGranted = 1794672000;

TEST(CaseFormatTest, AGrantedExtensionShowsTheGrantedDue) {
  v1::Case state;
  state.set_case_id("620722-2026-000123");
  v1::ExtensionRequest& granted = *state.add_extension_requests();
  granted.set_request_id("ext-1");
  granted.set_state(v1::EXTENSION_STATE_GRANTED);
  granted.mutable_requested_due_at()->set_seconds(kAsked);
  granted.mutable_granted_due_at()->set_seconds(kGranted);
  v1::ExtensionRequest& pending = *state.add_extension_requests();
  pending.set_request_id("ext-2");
  pending.set_state(v1::EXTENSION_STATE_REQUESTED);
  pending.mutable_requested_due_at()->set_seconds(kAsked);
  const std::string shown = FormatCase(state);
  EXPECT_THAT(shown, HasSubstr("ext-1 GRANTED to 2026-11-15 00:00:00 +08:00 (asked "
                               "2026-11-20 00:00:00 +08:00)"));
  EXPECT_THAT(shown, Not(HasSubstr("GRANTED to 2026-11-20")));
  EXPECT_THAT(shown, HasSubstr("ext-2 REQUESTED to 2026-11-20 00:00:00 +08:00"));
}

}  // namespace
}  // namespace rectify::client
