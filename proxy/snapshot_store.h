// Live state published as immutable snapshots: the topology (configuration plus what the
// monitor saw) and the runtime configuration (users, query rules). Writers (monitor, admin,
// reload) publish a whole new snapshot; readers on the workers keep the one they have until the
// version number moves, so the hot path is one atomic load.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace weft::proxy {

template <class T>
class snapshot_store {
 public:
  using ptr = std::shared_ptr<const T>;

  explicit snapshot_store(T initial) : current_(std::make_shared<const T>(std::move(initial))) {}

  ptr load() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  // Applies `change` to a copy of the current snapshot and publishes the result (writers are
  // serialized, so concurrent changes never lose each other).
  void update(const std::function<void(T&)>& change) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<T>(*current_);
    change(*next);
    current_ = std::move(next);
    version_.fetch_add(1, std::memory_order_release);
  }
  // Publishes a whole new snapshot (no copy of the current one first).
  void publish(T next) {
    auto made = std::make_shared<const T>(std::move(next));
    std::lock_guard lock(mutex_);
    current_ = std::move(made);
    version_.fetch_add(1, std::memory_order_release);
  }
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // One per worker thread.
  class reader {
   public:
    explicit reader(const snapshot_store& store) : store_(store) {}
    const ptr& current() {
      const auto v = store_.version();
      if (v != seen_ || !current_) {
        current_ = store_.load();
        seen_ = v;
      }
      return current_;
    }
    std::uint64_t seen() const { return seen_; }

   private:
    const snapshot_store& store_;
    std::uint64_t seen_ = 0;
    ptr current_;
  };

 private:
  mutable std::mutex mutex_;
  ptr current_;
  std::atomic<std::uint64_t> version_{1};
};

}  // namespace weft::proxy
