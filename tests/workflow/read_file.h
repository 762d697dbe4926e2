// Reads a file of the test's runfiles (a `data` dependency) into a string,
// e.g. ReadRunfile("config/calendar_cn.txt"). Tests only: the workflow
// itself never reads files.
#ifndef RECTIFY_TESTS_WORKFLOW_READ_FILE_H_
#define RECTIFY_TESTS_WORKFLOW_READ_FILE_H_

#include <fstream>
#include <sstream>
#include <string>

namespace rectify::testing {

// The file's bytes; empty when it cannot be read (the test then fails on
// parsing an empty file, naming what is missing).
inline std::string ReadRunfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_WORKFLOW_READ_FILE_H_
