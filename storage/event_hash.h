// The hash chain of a stream and the canonical bytes it is computed over
// (docs/storage.md, "Canonical bytes"): hash = SHA-256(prev_hash || canonical
// bytes of the event). The canonical bytes are the deterministic protobuf
// serialization (fields in number order, no unknown fields) of the event with
// `hash` unset and its personal values unset (CaseReported.complainant and
// CaseReported.complainant_salts, and a unit's contact and contact_salts in
// UnitCreated/UnitUpdated; their salted commitments stay in). So a
// case file handed to the police verifies link by link for a reader who may
// not see the complainant, and for one who may (the values added back change
// nothing hashed). A store written before the commitments holds the
// complainant inside CaseReported's hashed bytes (`HoldsLegacyPersonalData`);
// `rectify_admin upgrade-complainants` rewrites it.
#ifndef RECTIFY_STORAGE_EVENT_HASH_H_
#define RECTIFY_STORAGE_EVENT_HASH_H_

#include <string>

#include "rectify/v1/event.pb.h"

namespace rectify::storage {

// The canonical bytes of `event` (see above); `event`'s own hash and
// personal values are ignored.
std::string CanonicalEventBytes(const v1::Event& event);

// The 32-byte SHA-256 link of `event`, which must already carry its
// prev_hash: SHA-256(prev_hash || CanonicalEventBytes(event)).
std::string ComputeEventHash(const v1::Event& event);

// True for a stored event written before the personal-data commitments: a
// CaseReported with the complainant inside the event (and so inside the
// bytes its hash was computed over).
bool HoldsLegacyPersonalData(const v1::Event& event);

// The hash such an event was given: SHA-256(prev_hash || deterministic
// serialization with only `hash` unset). For verify of a store not upgraded
// yet.
std::string ComputeLegacyEventHash(const v1::Event& event);

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_EVENT_HASH_H_
