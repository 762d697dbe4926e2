// The principals the server tests act as, written once: an inspector and a
// supervisor of 民乐县 (620722) at the county bureau minle-eeb, a rectifier
// of a unit, and any other person of that county.
//
//   pipeline.Submit(Report("c-1", "..."), testing::Inspector(), ...);
#ifndef RECTIFY_TESTS_SERVER_PRINCIPALS_H_
#define RECTIFY_TESTS_SERVER_PRINCIPALS_H_

#include <string>

#include "rectify/v1/common.pb.h"

namespace rectify::testing {

// Anyone of 620722: `id` in `role` at `unit`.
inline v1::Principal Person(const std::string& id, v1::Role role, const std::string& unit) {
  v1::Principal principal;
  principal.set_principal_id(id);
  principal.set_role(role);
  principal.set_unit_id(unit);
  principal.set_jurisdiction("620722");
  return principal;
}

// insp-zhang, an inspector of the county bureau.
inline v1::Principal Inspector() { return Person("insp-zhang", v1::ROLE_INSPECTOR, "minle-eeb"); }

// sup-wang, a supervisor of the county bureau.
inline v1::Principal Supervisor() { return Person("sup-wang", v1::ROLE_SUPERVISOR, "minle-eeb"); }

// `id`, a rectifier of `unit`.
inline v1::Principal Rectifier(const std::string& id, const std::string& unit) {
  return Person(id, v1::ROLE_RECTIFIER, unit);
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_PRINCIPALS_H_
