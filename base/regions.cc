// The region directory: the national table embedded from
// config/regions_cn.txt, the bureau's file parsed at start (base/regions.h).
#include "base/regions.h"

#include <atomic>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "base/utf8.h"

namespace rectify {
namespace {

constexpr char kNationalText[] =
#include "base/regions_builtin.inc"
    ;

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

bool IsPlaceholder(absl::string_view name) {
  return name == "市辖区" || name == "县" || name == "省直辖县级行政区划" ||
         name == "自治区直辖县级行政区划";
}

// True for valid UTF-8 of 1 to 50 code points without control characters.
bool IsName(absl::string_view name) {
  size_t i = 0;
  int count = 0;
  while (i < name.size()) {
    char32_t code_point;
    const size_t length = DecodeUtf8(name, i, &code_point);
    if (length == 0 || code_point < 0x20 || code_point == 0x7F) return false;
    i += length;
    ++count;
  }
  return count >= 1 && count <= 50;
}

// The levels' lengths, province to village.
constexpr size_t kLevels[] = {2, 4, 6, 9, 12};

absl::string_view LevelWord(size_t length) {
  switch (length) {
    case 2: return "province";
    case 4: return "city";
    case 6: return "county";
    case 9: return "township";
    default: return "village";
  }
}

}  // namespace

bool RegionDirectory::AddLine(absl::string_view code, absl::string_view name) {
  return names_.emplace(std::string(code), std::string(name)).second;
}

const RegionDirectory& RegionDirectory::National() {
  static const RegionDirectory* const national = new RegionDirectory([] {
    RegionDirectory directory;
    for (absl::string_view line : absl::StrSplit(kNationalText, '\n')) {
      if (line.empty() || line[0] == '#') continue;
      const std::vector<absl::string_view> parts = absl::StrSplit(line, '\t');
      // The file is generated and checked by scripts/make-regions; a line
      // that does not parse is a build defect, not input.
      if (parts.size() != 2 || !directory.AddLine(parts[0], parts[1])) std::abort();
    }
    return directory;
  }());
  return *national;
}

absl::StatusOr<std::shared_ptr<const RegionDirectory>> RegionDirectory::WithLocal(
    absl::string_view local_text) {
  auto directory = std::shared_ptr<RegionDirectory>(new RegionDirectory(National()));
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(local_text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrFormat("line %d: %s", line_number, why));
    };
    const size_t tab = line.find_first_of("\t ");
    if (tab == absl::string_view::npos) return bad("expected \"code<TAB>name\"");
    const absl::string_view code = line.substr(0, tab);
    const absl::string_view name = absl::StripAsciiWhitespace(line.substr(tab + 1));
    if (!AllDigits(code) || (code.size() != 9 && code.size() != 12)) {
      return bad(absl::StrCat("\"", absl::CHexEscape(code.substr(0, 20)),
                              "\" is not a township (9 digits) or village (12 digits) code"));
    }
    if (!IsName(name)) {
      return bad("the name must be 1 to 50 characters of UTF-8 text");
    }
    const std::string parent(code.substr(0, code.size() - 3));
    if (directory->Name(parent).empty()) {
      return bad(absl::StrCat(code, ": its ", code.size() == 9 ? "county " : "township ", parent,
                              code.size() == 9 ? " is not in the national table"
                                               : " is not listed above it in this file"));
    }
    if (!directory->AddLine(code, name)) return bad(absl::StrCat(code, " is listed twice"));
    (code.size() == 9 ? directory->covered_counties_ : directory->covered_townships_)
        .insert(parent);
  }
  return std::shared_ptr<const RegionDirectory>(std::move(directory));
}

absl::string_view RegionDirectory::Name(absl::string_view code) const {
  auto it = names_.find(code);
  return it == names_.end() ? absl::string_view() : absl::string_view(it->second);
}

std::string RegionDirectory::DisplayName(absl::string_view code) const {
  const absl::string_view name = Name(code);
  if (code.size() == 4 && IsPlaceholder(name)) return std::string(Name(code.substr(0, 2)));
  return std::string(name);
}

std::string RegionDirectory::FullName(absl::string_view code) const {
  std::string full;
  for (size_t length : kLevels) {
    if (length > code.size()) break;
    const absl::string_view name = Name(code.substr(0, length));
    if (name.empty()) break;
    if (!IsPlaceholder(name)) absl::StrAppend(&full, name);
  }
  return full;
}

absl::Status RegionDirectory::Check(absl::string_view field, absl::string_view code) const {
  for (size_t length : kLevels) {
    if (length > code.size()) break;
    const absl::string_view part = code.substr(0, length);
    if (!Name(part).empty()) continue;
    // Below a county (township) or a township (village) the bureau's file
    // does not cover, nothing more is known.
    if (length == 9 && !covered_counties_.contains(code.substr(0, 6))) break;
    if (length == 12 && !covered_townships_.contains(code.substr(0, 9))) break;
    if (length == 2) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" names no province of GB/T 2260 (no province has the code %s)", field, code,
          part));
    }
    const std::string above = FullName(code.substr(0, length <= 6 ? length - 2 : length - 3));
    const absl::string_view source = length <= 6 ? "GB/T 2260" : "the bureau's regions file";
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: \"%s\" names no %s of %s (%s has no %s)", field, code,
                        LevelWord(length), source, above, part));
  }
  return absl::OkStatus();
}

namespace {

struct Current {
  absl::Mutex mutex;
  std::vector<std::shared_ptr<const RegionDirectory>> kept ABSL_GUARDED_BY(mutex);
  std::atomic<const RegionDirectory*> current{&RegionDirectory::National()};
};

Current& TheCurrent() {
  static Current* const current = new Current;
  return *current;
}

}  // namespace

const RegionDirectory& CurrentRegions() {
  return *TheCurrent().current.load(std::memory_order_acquire);
}

void SetCurrentRegions(std::shared_ptr<const RegionDirectory> regions) {
  Current& current = TheCurrent();
  absl::MutexLock lock(&current.mutex);
  current.current.store(regions.get(), std::memory_order_release);
  current.kept.push_back(std::move(regions));
}

void ResetCurrentRegions() {
  Current& current = TheCurrent();
  absl::MutexLock lock(&current.mutex);
  current.current.store(&RegionDirectory::National(), std::memory_order_release);
}

}  // namespace rectify
