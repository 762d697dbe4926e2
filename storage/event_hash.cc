// The hash chain link of an event, with OpenSSL's SHA-256; see event_hash.h.
#include "storage/event_hash.h"

#include <openssl/evp.h>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace rectify::storage {

std::string ComputeEventHash(const v1::Event& event) {
  v1::Event unhashed = event;
  unhashed.clear_hash();
  std::string canonical;
  {
    google::protobuf::io::StringOutputStream output(&canonical);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    unhashed.SerializeToCodedStream(&coded);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  EVP_DigestUpdate(context, event.prev_hash().data(), event.prev_hash().size());
  EVP_DigestUpdate(context, canonical.data(), canonical.size());
  EVP_DigestFinal_ex(context, digest, &digest_size);
  EVP_MD_CTX_free(context);
  return std::string(reinterpret_cast<const char*>(digest), digest_size);
}

std::string HexEncode(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xF]);
  }
  return hex;
}

}  // namespace rectify::storage
