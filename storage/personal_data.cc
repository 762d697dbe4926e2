// Sealing and opening personal data; see personal_data.h.
#include "storage/personal_data.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"

namespace rectify::storage {
namespace {

std::string RandomSalt() {
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    // Without randomness a commitment to a phone number could be reversed by
    // trying every number: never write one. OpenSSL's generator fails only
    // when the kernel gives it no entropy at all.
    std::abort();
  }
  return salt;
}

// Commits `value` with `salt` into `commitment` and `salts`; false when the
// value is empty (nothing committed).
bool CommitField(absl::string_view value, absl::string_view salt, std::string* commitment,
                 std::string* stored_salt) {
  commitment->clear();
  stored_salt->clear();
  if (value.empty()) return false;
  *stored_salt = std::string(salt);
  *commitment = PersonalCommitment(salt, value);
  return true;
}

std::optional<v1::PersonalDataRecord> Seal(v1::Event& event, absl::string_view name_salt,
                                           absl::string_view phone_salt) {
  if (!event.has_case_reported()) return std::nullopt;
  v1::CaseReported& reported = *event.mutable_case_reported();
  v1::Complainant complainant = reported.complainant();
  reported.clear_complainant();
  reported.clear_complainant_salts();
  reported.clear_complainant_commitment();
  v1::PersonalDataRecord record;
  v1::ComplainantCommitment commitment;
  bool any = CommitField(complainant.name(), name_salt, commitment.mutable_name_sha256(),
                         record.mutable_complainant_salts()->mutable_name());
  any |= CommitField(complainant.phone(), phone_salt, commitment.mutable_phone_sha256(),
                     record.mutable_complainant_salts()->mutable_phone());
  if (!any) return std::nullopt;
  *reported.mutable_complainant_commitment() = std::move(commitment);
  *record.mutable_complainant() = std::move(complainant);
  return record;
}

absl::Status CheckField(const v1::Event& event, absl::string_view what, absl::string_view value,
                        absl::string_view salt, absl::string_view commitment) {
  if (value.empty() && commitment.empty()) return absl::OkStatus();
  if (PersonalCommitment(salt, value) != commitment) {
    return absl::DataLossError(absl::StrCat("the personal data record of event ",
                                            event.stream_id(), "#", event.version(),
                                            " does not match its commitment (", what, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PersonalCommitment(absl::string_view salt, absl::string_view value) {
  if (value.empty()) return std::string();
  Sha256Hasher hasher;
  hasher.Update(salt);
  hasher.Update(value);
  return hasher.Finish();
}

std::optional<v1::PersonalDataRecord> SealPersonalData(v1::Event& event) {
  if (!event.has_case_reported()) return std::nullopt;
  return Seal(event, RandomSalt(), RandomSalt());
}

std::optional<v1::PersonalDataRecord> SealPersonalDataWithSalts(v1::Event& event,
                                                                absl::string_view name_salt,
                                                                absl::string_view phone_salt) {
  return Seal(event, name_salt, phone_salt);
}

bool CommitsToPersonalData(const v1::Event& event) {
  return event.has_case_reported() && event.case_reported().has_complainant_commitment();
}

absl::Status OpenPersonalData(v1::Event& event, const v1::PersonalDataRecord& record) {
  if (!CommitsToPersonalData(event)) {
    return absl::DataLossError(absl::StrCat("event ", event.stream_id(), "#", event.version(),
                                            " has a personal data record but no commitment"));
  }
  const v1::ComplainantCommitment& commitment = event.case_reported().complainant_commitment();
  if (absl::Status name = CheckField(event, "name", record.complainant().name(),
                                     record.complainant_salts().name(), commitment.name_sha256());
      !name.ok()) {
    return name;
  }
  if (absl::Status phone =
          CheckField(event, "phone", record.complainant().phone(),
                     record.complainant_salts().phone(), commitment.phone_sha256());
      !phone.ok()) {
    return phone;
  }
  v1::CaseReported& reported = *event.mutable_case_reported();
  *reported.mutable_complainant() = record.complainant();
  *reported.mutable_complainant_salts() = record.complainant_salts();
  return absl::OkStatus();
}

absl::Status OpenFromStore(EventStore& store, v1::Event& event) {
  if (!CommitsToPersonalData(event)) return absl::OkStatus();
  absl::StatusOr<std::optional<v1::PersonalDataRecord>> record =
      store.GetPersonalData(event.stream_id(), event.version());
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::OkStatus();
  return OpenPersonalData(event, **record);
}

}  // namespace rectify::storage
