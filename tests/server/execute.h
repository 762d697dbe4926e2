// Submitting a command to a real CommandPipeline from a test and waiting for
// its outcome (the pipeline answers on its writer thread), written once.
//
//   absl::StatusOr<server::CommandOutcome> reported =
//       testing::Execute(*pipeline_, Report("c-1", "..."), testing::Inspector());
#ifndef RECTIFY_TESTS_SERVER_EXECUTE_H_
#define RECTIFY_TESTS_SERVER_EXECUTE_H_

#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "server/pipeline.h"

namespace rectify::testing {

// The outcome of `command` from `principal`, once the pipeline has decided
// (and, when accepted, committed) it.
inline absl::StatusOr<server::CommandOutcome> Execute(server::CommandPipeline& pipeline,
                                                      v1::Command command,
                                                      v1::Principal principal) {
  absl::Notification done;
  absl::StatusOr<server::CommandOutcome> result;
  pipeline.Submit(std::move(command), std::move(principal),
                  [&](absl::StatusOr<server::CommandOutcome> outcome) {
                    result = std::move(outcome);
                    done.Notify();
                  });
  done.WaitForNotification();
  return result;
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_EXECUTE_H_
