// The query result cache: the answers of reads a rule with `cache_ttl_ms` marks, kept as the
// frames the backend sent and shared by every worker. An answer is served while its TTL lasts
// and no write weft forwarded to one of its tables has begun or ended since its read began:
// each write bumps its tables' generation (a number from one counter), an answer remembers the
// counter's value when its read began, and is stale once any of its tables' generation is higher.
// A write whose tables weft cannot name bumps every table. Bounded in bytes; the least recently
// used answer goes first. One short lock per lookup, store or write (no I/O under it).
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/bytes.h"

namespace weft::proxy {

struct result_cache_stats {
  std::uint64_t hits = 0, misses = 0;
  std::uint64_t stores = 0;
  std::uint64_t stale_stores = 0;   // not kept: a write touched a table while the read ran
  std::uint64_t invalidated = 0;    // answers found stale (a write since) and dropped
  std::uint64_t expired = 0;        // answers found past their TTL and dropped
  std::uint64_t evictions = 0;      // dropped to stay within max_bytes
  std::uint64_t entries = 0, bytes = 0, max_bytes = 0;
};

class result_cache {
 public:
  using clock = std::chrono::steady_clock;
  explicit result_cache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  struct answer {
    std::shared_ptr<const protocol::bytes> frames;  // whole frames, sequence ids from 1
    std::uint64_t rows = 0;
  };
  // The fresh answer kept under `key`; a stale or expired one is dropped. On a miss,
  // `generation` is what store() needs: the answer the read brings is kept only if no write
  // touched its tables after this lookup.
  std::optional<answer> find(std::string_view key, clock::time_point now, std::uint64_t& generation);
  struct stored {
    std::string key;
    protocol::bytes frames;
    std::uint64_t rows = 0;
    std::span<const std::string> tables;  // schema.table, lower case
    std::uint64_t generation = 0;         // find()'s, when the read began
    clock::time_point expires;
  };
  // False when not kept: a write since `generation`, or larger (with its key) than max_entry_bytes().
  bool store(stored answer);
  // A write to these tables (schema.table, lower case) begins or ends; empty: to any table.
  void invalidate(std::span<const std::string> tables);
  // Drops every answer, and every read in flight's copy (FLUSH QUERY CACHE, after a change made
  // behind weft's back); returns how many answers were dropped.
  std::size_t clear();
  // The largest answer kept (an eighth of the whole; 0 when the cache is off).
  std::size_t max_entry_bytes() const { return max_bytes_ / 8; }
  bool enabled() const { return max_bytes_ > 0; }
  result_cache_stats stats() const;

 private:
  struct entry {
    std::string key;
    std::shared_ptr<const protocol::bytes> frames;
    std::uint64_t rows = 0;
    std::vector<std::string> tables;
    std::uint64_t generation = 0;
    clock::time_point expires;
    std::size_t bytes = 0;
  };
  using entry_list = std::list<entry>;
  bool fresh(const entry& e) const;  // (under the lock)
  bool written_since(std::span<const std::string> tables, std::uint64_t generation) const;
  void erase(entry_list::iterator at);
  void evict_to(std::size_t max_bytes);

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  entry_list lru_;  // most recently used first
  std::unordered_map<std::string_view, entry_list::iterator> by_key_;  // (views of the entries' keys)
  std::unordered_map<std::string, std::uint64_t> written_;  // table → generation of its last write
  std::uint64_t generation_ = 0;
  std::uint64_t every_table_written_ = 0;  // generation of the last write to unnamed tables
  std::size_t bytes_ = 0;
  result_cache_stats counts_;
};

}  // namespace weft::proxy
