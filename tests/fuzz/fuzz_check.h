// What the fuzz targets in tests/fuzz share: FUZZ_CHECK, which reports a
// broken property and aborts (libFuzzer then saves the input as a crash
// reproducer), and Parts, which cuts one fuzz input into the several inputs a
// target needs.
//
//   Parts parts(data, size);
//   const std::string token(parts.Next());
//   FUZZ_CHECK(Decode(Encode(key)) == key, "a token that decodes re-encodes");
#ifndef RECTIFY_TESTS_FUZZ_FUZZ_CHECK_H_
#define RECTIFY_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/string_view.h"

// Aborts with `message` and the place when `condition` is false. Unlike
// assert() it is never compiled out.
#define FUZZ_CHECK(condition, message)                                                  \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::fprintf(stderr, "%s:%d: property broken: %s\n  (%s)\n", __FILE__, __LINE__, \
                   static_cast<const char*>(message), #condition);                      \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

namespace rectify::fuzz {

// Splits an input into parts separated by kSeparator, a byte that never
// occurs in UTF-8 text, so that text inputs stay readable in a corpus file.
// Next() past the end gives "".
class Parts {
 public:
  static constexpr char kSeparator = '\xff';

  Parts(const uint8_t* data, size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  bool done() const { return exhausted_; }

  absl::string_view Next() {
    if (exhausted_) return absl::string_view();
    const size_t end = rest_.find(kSeparator);
    if (end == absl::string_view::npos) {
      exhausted_ = true;
      const absl::string_view last = rest_;
      rest_ = absl::string_view();
      return last;
    }
    const absl::string_view part = rest_.substr(0, end);
    rest_.remove_prefix(end + 1);
    return part;
  }

 private:
  absl::string_view rest_;
  bool exhausted_ = false;
};

}  // namespace rectify::fuzz

#endif  // RECTIFY_TESTS_FUZZ_FUZZ_CHECK_H_
