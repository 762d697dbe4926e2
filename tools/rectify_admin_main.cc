// rectify_admin's main(): hands argv to RunAdmin (admin.h), which parses the
// flags itself so that every usage error exits with 2.
#include <iostream>
#include <string>
#include <vector>

#include "tools/admin.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return rectify::tools::RunAdmin(args, std::cout, std::cerr);
}
