// The one home of reading a whole file into memory (config, policy and
// calendar files, TLS keys and certificates, static web files, benchmark
// inputs).
//
//   ASSIGN_OR_RETURN(std::string pem, ReadWholeFile(options.tls_ca));
#ifndef RECTIFY_BASE_FILES_H_
#define RECTIFY_BASE_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace rectify {

// The bytes of the file at `path`; NOT_FOUND ("cannot read <path>") when it
// cannot be opened or read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace rectify

#endif  // RECTIFY_BASE_FILES_H_
