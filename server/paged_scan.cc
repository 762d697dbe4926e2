// The paged index walk and stream read of the list and history RPCs; see
// paged_scan.h.
#include "server/paged_scan.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "base/status_macros.h"
#include "server/page_token.h"
#include "workflow/validation.h"

namespace rectify::server {

absl::StatusOr<std::string> ScanIndexPage(
    storage::EventStore& store, absl::string_view prefix, absl::string_view page_token,
    uint64_t query, int max_examined, absl::FunctionRef<bool()> page_full,
    absl::FunctionRef<absl::Status(const std::string& key)> visit) {
  ASSIGN_OR_RETURN(std::string last_key, DecodePageToken(page_token, query));
  int examined = 0;
  bool more = false;
  while (!page_full()) {
    ASSIGN_OR_RETURN(std::vector<std::string> keys,
                     store.ScanIndex(prefix, last_key, kIndexScanChunk));
    if (keys.empty()) break;
    for (const std::string& key : keys) {
      if (page_full() || examined >= max_examined) {
        more = true;
        break;
      }
      ++examined;
      last_key = key;
      RETURN_IF_ERROR(visit(key));
    }
    if (more || static_cast<int>(keys.size()) < kIndexScanChunk) break;
  }
  if (!more && page_full()) {
    // A full page: more only when a key follows.
    ASSIGN_OR_RETURN(std::vector<std::string> next, store.ScanIndex(prefix, last_key, 1));
    more = !next.empty();
  }
  return more ? EncodePageToken(last_key, query) : std::string();
}

absl::StatusOr<StreamPage> ReadStreamPage(storage::EventStore& store, absl::string_view stream_id,
                                          absl::string_view page_token, uint64_t query,
                                          int page_size) {
  ASSIGN_OR_RETURN(std::string resume, DecodePageToken(page_token, query));
  int64_t from_version = 1;
  if (!resume.empty() && !absl::SimpleAtoi(resume, &from_version)) {
    return workflow::InvalidField("page_token", "is malformed", "无效，请从第一页重新查询");
  }
  StreamPage page;
  ASSIGN_OR_RETURN(page.events, store.ReadStream(stream_id, from_version, page_size + 1));
  if (static_cast<int>(page.events.size()) > page_size) {
    page.events.resize(page_size);
    page.next_page_token = EncodePageToken(std::to_string(page.events.back().version() + 1), query);
  }
  return page;
}

}  // namespace rectify::server
