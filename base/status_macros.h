// Small helpers for absl::Status propagation. Debian's Abseil (20220623)
// predates ABSL_RETURN_IF_ERROR, so Rectify keeps its own, here and only here.
//
//   RETURN_IF_ERROR(store.Commit(batch));
//   ASSIGN_OR_RETURN(v1::Case state, store.GetCase(id));
#ifndef RECTIFY_BASE_STATUS_MACROS_H_
#define RECTIFY_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status rectify_status_ = (expr);         \
    if (!rectify_status_.ok()) return rectify_status_; \
  } while (false)

#define RECTIFY_CONCAT_INNER_(a, b) a##b
#define RECTIFY_CONCAT_(a, b) RECTIFY_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs`, which may be a declaration.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  RECTIFY_ASSIGN_OR_RETURN_IMPL_(RECTIFY_CONCAT_(rectify_statusor_, __LINE__), lhs, rexpr)

#define RECTIFY_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = std::move(statusor).value()

#endif  // RECTIFY_BASE_STATUS_MACROS_H_
