#include "proxy/topology_store.h"

namespace weft::proxy {

topology_store::topology_store(routing::topology initial) {
  for (auto& s : initial.servers) {
    if (s.name.empty()) s.name = s.address.to_string();
  }
  current_ = std::make_shared<const routing::topology>(std::move(initial));
}

topology_ptr topology_store::load() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void topology_store::update(const std::function<void(routing::topology&)>& change) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<routing::topology>(*current_);
  change(*next);
  current_ = std::move(next);
  version_.fetch_add(1, std::memory_order_release);
}

}  // namespace weft::proxy
