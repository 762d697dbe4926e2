// The writer thread's cache of recent case states; see case_cache.h.
#include "server/case_cache.h"

#include <utility>

namespace rectify::server {

const v1::Case* CaseCache::Find(absl::string_view case_id) {
  auto found = entries_.find(case_id);
  if (found == entries_.end()) return nullptr;
  order_.splice(order_.begin(), order_, found->second.at);
  return &found->second.cached.state;
}

std::optional<CaseCache::Cached> CaseCache::Take(absl::string_view case_id) {
  auto found = entries_.find(case_id);
  if (found == entries_.end()) return std::nullopt;
  std::optional<Cached> cached(std::move(found->second.cached));
  order_.erase(found->second.at);
  entries_.erase(found);
  return cached;
}

void CaseCache::Put(const std::string& case_id, v1::Case state, projection::ProjectedKeys keys) {
  if (capacity_ == 0) return;
  auto found = entries_.find(case_id);
  if (found != entries_.end()) {
    found->second.cached = Cached{std::move(state), std::move(keys)};
    order_.splice(order_.begin(), order_, found->second.at);
    return;
  }
  if (entries_.size() >= capacity_) {
    entries_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(case_id);
  entries_.emplace(case_id, Entry{Cached{std::move(state), std::move(keys)}, order_.begin()});
}

void CaseCache::Clear() {
  entries_.clear();
  order_.clear();
}

}  // namespace rectify::server
