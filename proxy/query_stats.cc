#include "proxy/query_stats.h"

#include <algorithm>

namespace weft::proxy {

namespace {
// Where statements go once the table is full: one visible entry, not silent loss.
constexpr std::uint64_t overflow_digest = 0;
}  // namespace

void query_stats::record_statement(std::uint64_t digest, std::string_view text_if_new, std::string_view schema,
                                   std::chrono::microseconds latency, std::uint64_t rows, bool failed,
                                   const std::string& server) {
  auto it = digests_.find(digest);
  if (it == digests_.end()) {
    if (digests_.size() >= max_digests) {
      digest = overflow_digest;
      text_if_new = "(other statements: the digest table is full)";
    }
    it = digests_.try_emplace(digest).first;
    if (it->second.count == 0) {
      it->second.text = text_if_new;
      it->second.schema = schema;
      it->second.first_seen = std::chrono::system_clock::now();
    }
  }
  auto& d = it->second;
  const auto us = static_cast<std::uint64_t>(latency.count());
  d.latency_min_us = d.count == 0 ? us : std::min(d.latency_min_us, us);
  d.latency_max_us = std::max(d.latency_max_us, us);
  d.latency_sum_us += us;
  ++d.count;
  d.rows += rows;
  d.errors += failed ? 1 : 0;
  if (d.last_server != server) d.last_server = server;
  d.last_seen = std::chrono::system_clock::now();
}

std::string_view to_string(command_kind kind) {
  static constexpr std::array<std::string_view, command_kinds> names{"read", "write", "transaction", "set",
                                                                     "use", "execute", "other"};
  return names[static_cast<std::size_t>(kind)];
}

void query_stats::record_command(command_kind kind, bool on_replica, std::chrono::microseconds latency, bool failed) {
  auto& c = commands_[static_cast<std::size_t>(kind)];
  ++(on_replica ? c.on_replica : c.on_primary);
  c.errors += failed ? 1 : 0;
  const auto us = static_cast<std::uint64_t>(latency.count());
  c.latency_sum_us += us;
  std::size_t bucket = 0;
  while (bucket < latency_bounds_us.size() && us > latency_bounds_us[bucket]) ++bucket;
  ++c.buckets[bucket];
}

void query_stats::record_server(const std::string& server, std::uint64_t sent, std::uint64_t received, bool failed) {
  auto& s = servers_[server];
  ++s.queries;
  s.errors += failed ? 1 : 0;
  s.bytes_sent += sent;
  s.bytes_received += received;
}

void query_stats::merge(const query_stats& other) {
  for (const auto& [digest, theirs] : other.digests_) {
    auto [it, inserted] = digests_.try_emplace(digest, theirs);
    if (inserted) continue;
    auto& mine = it->second;
    mine.latency_min_us = std::min(mine.latency_min_us, theirs.latency_min_us);
    mine.latency_max_us = std::max(mine.latency_max_us, theirs.latency_max_us);
    mine.latency_sum_us += theirs.latency_sum_us;
    mine.count += theirs.count;
    mine.rows += theirs.rows;
    mine.errors += theirs.errors;
    if (theirs.last_seen > mine.last_seen) {
      mine.last_seen = theirs.last_seen;
      mine.last_server = theirs.last_server;
    }
    mine.first_seen = std::min(mine.first_seen, theirs.first_seen);
  }
  for (std::size_t k = 0; k < command_kinds; ++k) {
    auto& mine = commands_[k];
    const auto& theirs = other.commands_[k];
    mine.on_primary += theirs.on_primary;
    mine.on_replica += theirs.on_replica;
    mine.errors += theirs.errors;
    mine.latency_sum_us += theirs.latency_sum_us;
    for (std::size_t b = 0; b < mine.buckets.size(); ++b) mine.buckets[b] += theirs.buckets[b];
  }
  for (const auto& [server, theirs] : other.servers_) {
    auto& mine = servers_[server];
    mine.queries += theirs.queries;
    mine.errors += theirs.errors;
    mine.bytes_sent += theirs.bytes_sent;
    mine.bytes_received += theirs.bytes_received;
  }
  rule_hits_.add(other.rule_hits_);
}

}  // namespace weft::proxy
