// TLS server credentials from PEM files; see tls_credentials.h.
#include "server/tls_credentials.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "grpcpp/security/server_credentials.h"
#include "server/startup_checks.h"

namespace rectify::server {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view flag,
                                    absl::string_view what) {
  ASSIGN_OR_RETURN(std::string text, ReadConfigFile(flag, path));
  if (!absl::StrContains(text, "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", path, " holds no PEM ", what));
  }
  return text;
}

// OK when the first certificate of `cert_chain` is for `private_key`
// (OpenSSL's X509_check_private_key), so that a wrong pair stops the start
// instead of failing every handshake.
absl::Status CheckKeyMatchesCertificate(const TlsFiles& files, const std::string& cert_chain,
                                        const std::string& private_key) {
  using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
  Bio cert_bio(BIO_new_mem_buf(cert_chain.data(), static_cast<int>(cert_chain.size())), &BIO_free);
  Bio key_bio(BIO_new_mem_buf(private_key.data(), static_cast<int>(private_key.size())),
              &BIO_free);
  if (cert_bio == nullptr || key_bio == nullptr) return absl::ResourceExhaustedError("out of memory");
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (certificate == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert: ", files.cert_file, " holds no readable PEM certificate"));
  }
  // No passphrase callback: an encrypted key is refused rather than asked for.
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr,
                              [](char*, int, int, void*) { return 0; }, nullptr),
      &EVP_PKEY_free);
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key: ", files.key_file, " holds no readable, unencrypted PEM private key"));
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_key: the private key in ", files.key_file,
                     " does not belong to the certificate in ", files.cert_file,
                     " (--tls_cert)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsServerCredentials(
    const TlsFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    return absl::InvalidArgumentError(files.cert_file.empty() ? "--tls_key needs --tls_cert"
                                                              : "--tls_cert needs --tls_key");
  }
  if (files.cert_file.empty()) {
    return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
  }
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(files.cert_file, "tls_cert", "certificate"));
  ASSIGN_OR_RETURN(pair.private_key, ReadPem(files.key_file, "tls_key", "private key"));
  RETURN_IF_ERROR(CheckKeyMatchesCertificate(files, pair.cert_chain, pair.private_key));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!files.client_ca_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_root_certs,
                     ReadPem(files.client_ca_file, "tls_client_ca", "CA certificate"));
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  } else {
    options.client_certificate_request = GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace rectify::server
