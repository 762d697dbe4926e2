// Sealing and opening personal data; see personal_data.h.
#include "storage/personal_data.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"

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

// The unit description whose contact an event carries (UnitCreated or
// UnitUpdated), or null.
v1::UnitDetails* MutableUnitDetails(v1::Event& event) {
  if (event.has_unit_created()) return event.mutable_unit_created()->mutable_details();
  if (event.has_unit_updated()) return event.mutable_unit_updated()->mutable_details();
  return nullptr;
}

const v1::UnitDetails* UnitDetailsOf(const v1::Event& event) {
  if (event.has_unit_created()) return &event.unit_created().details();
  if (event.has_unit_updated()) return &event.unit_updated().details();
  return nullptr;
}

std::optional<v1::PersonalDataRecord> SealUnitContact(v1::UnitDetails& details,
                                                      absl::string_view name_salt,
                                                      absl::string_view phone_salt) {
  v1::UnitContact contact = details.contact();
  details.clear_contact();
  details.clear_contact_salts();
  details.clear_contact_commitment();
  v1::PersonalDataRecord record;
  v1::UnitContactCommitment commitment;
  bool any = CommitField(contact.name(), name_salt, commitment.mutable_name_sha256(),
                         record.mutable_unit_contact_salts()->mutable_name());
  any |= CommitField(contact.phone(), phone_salt, commitment.mutable_phone_sha256(),
                     record.mutable_unit_contact_salts()->mutable_phone());
  if (!any) return std::nullopt;
  *details.mutable_contact_commitment() = std::move(commitment);
  *record.mutable_unit_contact() = std::move(contact);
  return record;
}

std::optional<v1::PersonalDataRecord> Seal(v1::Event& event, absl::string_view name_salt,
                                           absl::string_view phone_salt) {
  if (v1::UnitDetails* details = MutableUnitDetails(event); details != nullptr) {
    return SealUnitContact(*details, name_salt, phone_salt);
  }
  // A case's complainant, or a complaint's (ComplaintReceived): the same
  // fields in the same side-record slots.
  v1::Complainant* held = nullptr;
  v1::ComplainantSalts* salts = nullptr;
  v1::ComplainantCommitment* committed = nullptr;
  if (event.has_case_reported()) {
    v1::CaseReported& reported = *event.mutable_case_reported();
    held = reported.mutable_complainant();
    salts = reported.mutable_complainant_salts();
    committed = reported.mutable_complainant_commitment();
  } else if (event.has_complaint_received()) {
    v1::ComplaintReceived& received = *event.mutable_complaint_received();
    held = received.mutable_details()->mutable_complainant();
    salts = received.mutable_complainant_salts();
    committed = received.mutable_complainant_commitment();
  } else {
    return std::nullopt;
  }
  v1::Complainant complainant = std::move(*held);
  v1::PersonalDataRecord record;
  v1::ComplainantCommitment commitment;
  bool any = CommitField(complainant.name(), name_salt, commitment.mutable_name_sha256(),
                         record.mutable_complainant_salts()->mutable_name());
  any |= CommitField(complainant.phone(), phone_salt, commitment.mutable_phone_sha256(),
                     record.mutable_complainant_salts()->mutable_phone());
  if (event.has_case_reported()) {
    event.mutable_case_reported()->clear_complainant();
    event.mutable_case_reported()->clear_complainant_salts();
    event.mutable_case_reported()->clear_complainant_commitment();
  } else {
    event.mutable_complaint_received()->mutable_details()->clear_complainant();
    event.mutable_complaint_received()->clear_complainant_salts();
    event.mutable_complaint_received()->clear_complainant_commitment();
  }
  (void)salts;
  (void)committed;
  if (!any) return std::nullopt;
  if (event.has_case_reported()) {
    *event.mutable_case_reported()->mutable_complainant_commitment() = std::move(commitment);
  } else {
    *event.mutable_complaint_received()->mutable_complainant_commitment() = std::move(commitment);
  }
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
  if (!event.has_case_reported() && !event.has_complaint_received() &&
      UnitDetailsOf(event) == nullptr) {
    return std::nullopt;
  }
  return Seal(event, RandomSalt(), RandomSalt());
}

std::optional<v1::PersonalDataRecord> SealPersonalDataWithSalts(v1::Event& event,
                                                                absl::string_view name_salt,
                                                                absl::string_view phone_salt) {
  return Seal(event, name_salt, phone_salt);
}

bool CommitsToPersonalData(const v1::Event& event) {
  if (const v1::UnitDetails* details = UnitDetailsOf(event); details != nullptr) {
    return details->has_contact_commitment();
  }
  if (event.has_complaint_received()) {
    return event.complaint_received().has_complainant_commitment();
  }
  return event.has_case_reported() && event.case_reported().has_complainant_commitment();
}

absl::Status OpenPersonalData(v1::Event& event, const v1::PersonalDataRecord& record) {
  if (!CommitsToPersonalData(event)) {
    return absl::DataLossError(absl::StrCat("event ", event.stream_id(), "#", event.version(),
                                            " has a personal data record but no commitment"));
  }
  if (v1::UnitDetails* details = MutableUnitDetails(event); details != nullptr) {
    const v1::UnitContactCommitment& commitment = details->contact_commitment();
    RETURN_IF_ERROR(CheckField(event, "contact name", record.unit_contact().name(),
                               record.unit_contact_salts().name(), commitment.name_sha256()));
    RETURN_IF_ERROR(CheckField(event, "contact phone", record.unit_contact().phone(),
                               record.unit_contact_salts().phone(), commitment.phone_sha256()));
    *details->mutable_contact() = record.unit_contact();
    *details->mutable_contact_salts() = record.unit_contact_salts();
    return absl::OkStatus();
  }
  const v1::ComplainantCommitment& commitment =
      event.has_complaint_received() ? event.complaint_received().complainant_commitment()
                                     : event.case_reported().complainant_commitment();
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
  if (event.has_complaint_received()) {
    v1::ComplaintReceived& received = *event.mutable_complaint_received();
    *received.mutable_details()->mutable_complainant() = record.complainant();
    *received.mutable_complainant_salts() = record.complainant_salts();
    return absl::OkStatus();
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
