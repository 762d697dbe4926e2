// The server's transport credentials from the --tls_* flags: a certificate
// chain and private key in PEM files, and optionally a CA bundle whose
// client certificates are then required and verified (mutual TLS).
//
//   ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
//                    TlsServerCredentials({.cert_file = ..., .key_file = ...}));
#ifndef RECTIFY_SERVER_TLS_CREDENTIALS_H_
#define RECTIFY_SERVER_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace rectify::server {

struct TlsFiles {
  // PEM certificate chain of the server. Required.
  std::string cert_file;
  // PEM private key of that certificate. Required.
  std::string key_file;
  // PEM CA certificates; when set, clients must present a certificate
  // signed by one of them. Default: empty (no client certificates asked).
  std::string client_ca_file;
};

// The credentials, after reading the files. INVALID_ARGUMENT naming the flag
// when one of cert and key is given without the other, a file does not hold
// PEM data, or the private key does not belong to the certificate;
// FAILED_PRECONDITION naming the flag and file when it cannot be read (see
// ReadConfigFile: missing, a directory, unreadable).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsServerCredentials(
    const TlsFiles& files);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_TLS_CREDENTIALS_H_
