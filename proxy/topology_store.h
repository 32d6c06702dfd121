// The live topology: configuration plus what the monitor saw, published as immutable snapshots.
// Writers (monitor, later the admin) publish a whole new snapshot; readers on the workers keep
// the one they have until the version number moves, so the hot path is one atomic load.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "routing/topology.h"

namespace weft::proxy {

using topology_ptr = std::shared_ptr<const routing::topology>;

class topology_store {
 public:
  explicit topology_store(routing::topology initial);

  topology_ptr load() const;
  // Applies `change` to a copy of the current snapshot and publishes the result (writers are
  // serialized, so concurrent changes never lose each other).
  void update(const std::function<void(routing::topology&)>& change);
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // One per worker thread.
  class reader {
   public:
    explicit reader(const topology_store& store) : store_(store) {}
    const topology_ptr& current() {
      const auto v = store_.version();
      if (v != seen_ || !current_) {
        current_ = store_.load();
        seen_ = v;
      }
      return current_;
    }

   private:
    const topology_store& store_;
    std::uint64_t seen_ = 0;
    topology_ptr current_;
  };

 private:
  mutable std::mutex mutex_;
  topology_ptr current_;
  std::atomic<std::uint64_t> version_{1};
};

}  // namespace weft::proxy
