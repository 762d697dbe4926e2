// The per-jurisdiction policy: which deadline each stage opens and how it is
// counted, the public-notice period, and the notice thresholds. The workflow
// reads it; it never reads a file or a clock itself.
//
// This is the policy's first cut: the defaults the foundation needs. The
// workflow issue extends it (deadline rules per stage, loading from a file).
#ifndef RECTIFY_WORKFLOW_POLICY_H_
#define RECTIFY_WORKFLOW_POLICY_H_

#include "absl/time/time.h"

namespace rectify::workflow {

struct Policy {
  // How far in the future a client's found_at may lie (tablet clock skew).
  // Default: 10 minutes.
  absl::Duration max_clock_skew = absl::Minutes(10);
};

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_POLICY_H_
