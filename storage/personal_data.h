// Personal data kept outside the hashed bytes (DESIGN.md, "Events and the
// store"; docs/storage.md, "Personal data"). An event that carries personal
// data (today the complainant of a CaseReported) is *sealed* when it is
// committed: each non-empty value gets a random 32-byte salt, the event keeps
// only the commitment SHA-256(salt || value), and the values with their salts
// go to a side record (v1::PersonalDataRecord) stored under the event's key in
// the `personal` family, in the same write. A reader who may see the data gets
// the event *opened* (values and salts put back, checked against the
// commitment); every other reader gets it sealed. Either way the hash chain
// verifies (event_hash.h leaves the values out of the canonical bytes).
//
//   std::optional<v1::PersonalDataRecord> side = SealPersonalData(event);  // commit
//   RETURN_IF_ERROR(OpenPersonalData(event, *side));                       // read
#ifndef RECTIFY_STORAGE_PERSONAL_DATA_H_
#define RECTIFY_STORAGE_PERSONAL_DATA_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/event.pb.h"
#include "storage/event_store.h"

namespace rectify::storage {

// Bytes of each salt.
inline constexpr size_t kSaltBytes = 32;

// The 32-byte commitment SHA-256(salt || value) of a non-empty value; empty
// for an empty value (nothing to hide, nothing committed).
std::string PersonalCommitment(absl::string_view salt, absl::string_view value);

// Moves the personal values out of `event` (an event as the workflow made
// it) and leaves their commitments in it, with fresh random salts from
// OpenSSL's RAND_bytes. Returns the side record to store under the event's
// key, or nullopt when the event holds no personal value (it is then only
// cleaned of an empty complainant). Salts and commitments already in the
// event are replaced.
std::optional<v1::PersonalDataRecord> SealPersonalData(v1::Event& event);

// The same with the given salts (the name's and the phone's), for test
// vectors: no randomness.
std::optional<v1::PersonalDataRecord> SealPersonalDataWithSalts(v1::Event& event,
                                                                absl::string_view name_salt,
                                                                absl::string_view phone_salt);

// True when `event` (sealed) commits to personal data, i.e. has a side record.
bool CommitsToPersonalData(const v1::Event& event);

// Puts the values and salts of `record` back into the sealed `event`.
// DATA_LOSS when they do not match the event's commitments (a side record
// changed or misfiled); `event` is then left sealed.
absl::Status OpenPersonalData(v1::Event& event, const v1::PersonalDataRecord& record);

// Opens `event` from the side record `store` holds for it, when it commits
// to personal data and the record is there (an erased record leaves it
// sealed). DATA_LOSS as OpenPersonalData; the store's errors as they are.
absl::Status OpenFromStore(EventStore& store, v1::Event& event);

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_PERSONAL_DATA_H_
