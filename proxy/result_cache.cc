#include "proxy/result_cache.h"

namespace weft::proxy {
namespace {

// Tables remembered with their last write; beyond this many, they are forgotten at once and
// counted as a write to every table (a safe loss of hits, never a stale answer).
constexpr std::size_t max_tables_remembered = 100000;

// What an entry costs beyond its frames (its key, tables, and the bookkeeping around them).
std::size_t overhead_of(const std::string& key, std::span<const std::string> tables) {
  std::size_t n = 160 + key.size();
  for (const auto& t : tables) n += 32 + t.size();
  return n;
}

}  // namespace

std::optional<result_cache::answer> result_cache::find(std::string_view key, clock::time_point now,
                                                       std::uint64_t& generation) {
  std::lock_guard lock(mutex_);
  generation = generation_;
  const auto found = by_key_.find(key);
  if (found == by_key_.end()) {
    ++counts_.misses;
    return std::nullopt;
  }
  const auto at = found->second;
  const bool expired = at->expires <= now;
  if (expired || !fresh(*at)) {
    ++(expired ? counts_.expired : counts_.invalidated);
    ++counts_.misses;
    erase(at);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, at);
  ++counts_.hits;
  return answer{at->frames, at->rows};
}

bool result_cache::store(stored answer) {
  const auto bytes = answer.frames.size() + overhead_of(answer.key, answer.tables);
  if (bytes > max_entry_bytes()) return false;
  std::lock_guard lock(mutex_);
  if (written_since(answer.tables, answer.generation)) {
    ++counts_.stale_stores;
    return false;
  }
  if (const auto old = by_key_.find(answer.key); old != by_key_.end()) erase(old->second);
  evict_to(max_bytes_ - bytes);
  lru_.push_front(entry{std::move(answer.key),
                        std::make_shared<const protocol::bytes>(std::move(answer.frames)), answer.rows,
                        std::vector<std::string>(answer.tables.begin(), answer.tables.end()),
                        answer.generation, answer.expires, bytes});
  by_key_.emplace(lru_.front().key, lru_.begin());
  bytes_ += bytes;
  ++counts_.stores;
  return true;
}

void result_cache::invalidate(std::span<const std::string> tables) {
  std::lock_guard lock(mutex_);
  const auto now = ++generation_;
  if (tables.empty() || written_.size() + tables.size() > max_tables_remembered) {
    written_.clear();
    every_table_written_ = now;
    return;
  }
  for (const auto& t : tables) written_[t] = now;
}

std::size_t result_cache::clear() {
  std::lock_guard lock(mutex_);
  const auto dropped = lru_.size();
  by_key_.clear();
  lru_.clear();
  bytes_ = 0;
  written_.clear();
  every_table_written_ = ++generation_;
  return dropped;
}

result_cache_stats result_cache::stats() const {
  std::lock_guard lock(mutex_);
  auto s = counts_;
  s.entries = lru_.size();
  s.bytes = bytes_;
  s.max_bytes = max_bytes_;
  return s;
}

bool result_cache::fresh(const entry& e) const { return !written_since(e.tables, e.generation); }

bool result_cache::written_since(std::span<const std::string> tables, std::uint64_t generation) const {
  if (every_table_written_ > generation) return true;
  for (const auto& t : tables) {
    const auto found = written_.find(t);
    if (found != written_.end() && found->second > generation) return true;
  }
  return false;
}

void result_cache::erase(entry_list::iterator at) {
  by_key_.erase(std::string_view(at->key));
  bytes_ -= at->bytes;
  lru_.erase(at);
}

void result_cache::evict_to(std::size_t max_bytes) {
  while (bytes_ > max_bytes && !lru_.empty()) {
    erase(std::prev(lru_.end()));
    ++counts_.evictions;
  }
}

}  // namespace weft::proxy
