// Statement statistics of one worker: per digest (count, latency, rows, errors, last server),
// per server (queries, bytes, errors) and per query rule (hits). Touched only on the worker's
// thread; the admin and metrics collect copies through the worker's event loop, so the hot path
// takes no lock.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "routing/query_rules.h"

namespace weft::proxy {

struct digest_stats {
  std::string text;    // the normalized statement, as first seen
  std::string schema;  // of the session that first ran it
  std::uint64_t count = 0;
  std::uint64_t errors = 0;
  std::uint64_t rows = 0;  // rows returned
  std::uint64_t latency_sum_us = 0;
  std::uint64_t latency_min_us = 0;
  std::uint64_t latency_max_us = 0;
  std::string last_server;
  std::chrono::system_clock::time_point first_seen, last_seen;
};

struct server_stats {
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;
  std::uint64_t bytes_sent = 0;      // to the server
  std::uint64_t bytes_received = 0;  // from the server
};

// Statements by kind, for stats_commands and the metrics' counters and latency histograms.
enum class command_kind : std::uint8_t { read, write, transaction, set, use, execute, other };
inline constexpr std::size_t command_kinds = 7;
std::string_view to_string(command_kind kind);

// Upper bounds (microseconds) of the latency histogram buckets; one more bucket is +Inf.
inline constexpr std::array<std::uint64_t, 14> latency_bounds_us{
    500, 1000, 2000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000};

struct command_stats {
  std::uint64_t on_primary = 0;
  std::uint64_t on_replica = 0;
  std::uint64_t errors = 0;
  std::uint64_t latency_sum_us = 0;
  std::array<std::uint64_t, latency_bounds_us.size() + 1> buckets{};  // not cumulative
};

class query_stats {
 public:
  void record_command(command_kind kind, bool on_replica, std::chrono::microseconds latency, bool failed);
  const std::array<command_stats, command_kinds>& commands() const { return commands_; }

  // Whether the digest has an entry (if not, the caller provides its text on record()).
  bool knows(std::uint64_t digest) const { return digests_.count(digest) != 0; }
  void record_statement(std::uint64_t digest, std::string_view text_if_new, std::string_view schema,
                        std::chrono::microseconds latency, std::uint64_t rows, bool failed,
                        const std::string& server);
  void record_server(const std::string& server, std::uint64_t sent, std::uint64_t received, bool failed);

  // The rules in `matched` (a bit per position in `rules`) matched a statement.
  void count_rule_hits(const std::vector<routing::query_rule>& rules, std::uint64_t matched) {
    rule_hits_.count(rules, matched);
  }
  const routing::rule_hits& rule_hits() const { return rule_hits_; }
  // Where the session machine's planner counts (the same worker's thread).
  routing::rule_hits& rule_hits_counter() { return rule_hits_; }

  // Adds another worker's figures (for the admin's totals).
  void merge(const query_stats& other);

  const std::unordered_map<std::uint64_t, digest_stats>& digests() const { return digests_; }
  const std::unordered_map<std::string, server_stats>& servers() const { return servers_; }

 private:
  static constexpr std::size_t max_digests = 10000;  // beyond: new digests count under one entry
  std::unordered_map<std::uint64_t, digest_stats> digests_;
  std::unordered_map<std::string, server_stats> servers_;
  std::array<command_stats, command_kinds> commands_{};
  routing::rule_hits rule_hits_;
};

}  // namespace weft::proxy
