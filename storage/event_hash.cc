// The canonical bytes and hash chain link of an event, with OpenSSL's
// SHA-256; see event_hash.h.
#include "storage/event_hash.h"

#include "base/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace rectify::storage {
namespace {

std::string DeterministicBytes(const v1::Event& event) {
  std::string bytes;
  google::protobuf::io::StringOutputStream output(&bytes);
  google::protobuf::io::CodedOutputStream coded(&output);
  coded.SetSerializationDeterministic(true);
  event.SerializeToCodedStream(&coded);
  return bytes;
}

bool HasUnhashedFields(const v1::Event& event) {
  if (!event.hash().empty()) return true;
  if (event.has_unit_created()) {
    return event.unit_created().details().has_contact() ||
           event.unit_created().details().has_contact_salts();
  }
  if (event.has_unit_updated()) {
    return event.unit_updated().details().has_contact() ||
           event.unit_updated().details().has_contact_salts();
  }
  if (event.has_complaint_received()) {
    return event.complaint_received().details().has_complainant() ||
           event.complaint_received().has_complainant_salts();
  }
  if (!event.has_case_reported()) return false;
  return event.case_reported().has_complainant() || event.case_reported().has_complainant_salts();
}

}  // namespace

std::string CanonicalEventBytes(const v1::Event& event) {
  // The commit path hashes sealed events before their hash is set: no copy.
  if (!HasUnhashedFields(event)) return DeterministicBytes(event);
  v1::Event canonical = event;
  canonical.clear_hash();
  if (canonical.has_case_reported()) {
    canonical.mutable_case_reported()->clear_complainant();
    canonical.mutable_case_reported()->clear_complainant_salts();
  }
  if (canonical.has_complaint_received()) {
    canonical.mutable_complaint_received()->mutable_details()->clear_complainant();
    canonical.mutable_complaint_received()->clear_complainant_salts();
  }
  if (canonical.has_unit_created()) {
    canonical.mutable_unit_created()->mutable_details()->clear_contact();
    canonical.mutable_unit_created()->mutable_details()->clear_contact_salts();
  }
  if (canonical.has_unit_updated()) {
    canonical.mutable_unit_updated()->mutable_details()->clear_contact();
    canonical.mutable_unit_updated()->mutable_details()->clear_contact_salts();
  }
  return DeterministicBytes(canonical);
}

std::string ComputeEventHash(const v1::Event& event) {
  Sha256Hasher hasher;
  hasher.Update(event.prev_hash());
  hasher.Update(CanonicalEventBytes(event));
  return hasher.Finish();
}

bool HoldsLegacyPersonalData(const v1::Event& event) {
  return event.has_case_reported() && event.case_reported().has_complainant();
}

std::string ComputeLegacyEventHash(const v1::Event& event) {
  Sha256Hasher hasher;
  hasher.Update(event.prev_hash());
  if (event.hash().empty()) {
    hasher.Update(DeterministicBytes(event));
  } else {
    v1::Event unhashed = event;
    unhashed.clear_hash();
    hasher.Update(DeterministicBytes(unhashed));
  }
  return hasher.Finish();
}

}  // namespace rectify::storage
