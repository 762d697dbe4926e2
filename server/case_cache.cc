// The writer thread's cache of recent case states; see case_cache.h.
#include "server/case_cache.h"

#include <utility>

namespace rectify::server {

const v1::Case* CaseCache::Find(absl::string_view case_id) {
  auto found = entries_.find(case_id);
  if (found == entries_.end()) return nullptr;
  order_.splice(order_.begin(), order_, found->second.at);
  return &found->second.state;
}

std::optional<v1::Case> CaseCache::Take(absl::string_view case_id) {
  auto found = entries_.find(case_id);
  if (found == entries_.end()) return std::nullopt;
  std::optional<v1::Case> state(std::move(found->second.state));
  order_.erase(found->second.at);
  entries_.erase(found);
  return state;
}

void CaseCache::Put(const std::string& case_id, v1::Case state) {
  if (capacity_ == 0) return;
  auto found = entries_.find(case_id);
  if (found != entries_.end()) {
    found->second.state = std::move(state);
    order_.splice(order_.begin(), order_, found->second.at);
    return;
  }
  if (entries_.size() >= capacity_) {
    entries_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(case_id);
  entries_.emplace(case_id, Entry{std::move(state), order_.begin()});
}

void CaseCache::Clear() {
  entries_.clear();
  order_.clear();
}

}  // namespace rectify::server
