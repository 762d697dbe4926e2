// The referral package (移送材料, DOMAIN.md "Referral to the police and
// procuratorate"): what `rectify_admin export-referral CASE --out DIR` writes
// for the police and the procuratorate. The case, its evidence list with
// SHA-256 hashes and the evidence bytes, and its whole history as canonical
// bytes with their chain hashes (storage/event_hash.h), so that the standalone
// checker shipped in the package (tools/check_referral_package.py, python3
// with its standard library only) verifies it without Rectify. docs/storage.md
// ("The referral package") describes the layout.
//
// A referral copy never carries personal data (DOMAIN.md, "The case"): the
// events are exported as stored, sealed, with the complainant's commitment
// only, and the case without its complainant, whoever runs the export.
//
//   ASSIGN_OR_RETURN(ReferralExport exported,
//                    ExportReferralPackage(store, "620722-2026-000001", "/tmp/pkg", now));
#ifndef RECTIFY_TOOLS_REFERRAL_EXPORT_H_
#define RECTIFY_TOOLS_REFERRAL_EXPORT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/event_store.h"

namespace rectify::tools {

// What ExportReferralPackage wrote.
struct ReferralExport {
  int64_t events = 0;
  int64_t evidence_items = 0;
  // Lowercase hex of the last event's hash: the package's anchor, to be
  // written into the transfer letter (移送函).
  std::string head_hash_hex;
};

// Writes the referral package of `case_id` into `out_dir`, which must not
// exist or be empty. Errors: INVALID_ARGUMENT for a malformed case id;
// NOT_FOUND when there is no such case; FAILED_PRECONDITION when the case
// has no referral the bureau head approved (nothing to send), when `out_dir`
// holds files, or when an event still holds the complainant in its hashed
// bytes (run `rectify_admin upgrade-complainants` first); DATA_LOSS when the
// stored history does not verify or evidence bytes are missing; INTERNAL for
// an I/O error.
absl::StatusOr<ReferralExport> ExportReferralPackage(storage::EventStore& store,
                                                     absl::string_view case_id,
                                                     const std::string& out_dir,
                                                     absl::Time now);

}  // namespace rectify::tools

#endif  // RECTIFY_TOOLS_REFERRAL_EXPORT_H_
