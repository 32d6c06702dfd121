#include "sharding/global_sequence.h"

#include <charconv>

#include "protocol/messages.h"
#include "sharding/result_view.h"
#include "sharding/sql_names.h"

namespace weft::sharding {
namespace {

template <typename T>
std::optional<T> number_in(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  T value{};
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::uint64_t> sequence_blocks::take(const std::string& table, std::size_t n) {
  const auto found = blocks_.find(table);
  if (found == blocks_.end() || found->second.end - found->second.next < n || n == 0) return std::nullopt;
  const auto first = found->second.next;
  found->second.next += n;
  return first;
}

void sequence_blocks::add(const std::string& table, std::uint64_t end, std::uint64_t size) {
  auto& b = blocks_[table];
  b.next = end - size;
  b.end = end;
}

bool sequence_blocks::probed(const std::string& table) const {
  const auto found = blocks_.find(table);
  return found != blocks_.end() && found->second.probed;
}

void sequence_blocks::mark_probed(const std::string& table) { blocks_[table].probed = true; }

std::string shard_probe_sql(const sharded_table& table) {
  return "SELECT (SELECT MAX(" + quoted_name(table.column) + ") FROM " + quoted_name(table.schema) + "." +
         quoted_name(table.table) +
         "), (SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + quoted_string(table.schema) +
         " AND TABLE_NAME = " + quoted_string(table.table) + " AND COLUMN_NAME = " + quoted_string(table.column) +
         " AND EXTRA LIKE '%auto_increment%')";
}

std::string allocation_sql(std::string_view table_name, std::uint64_t floor, std::uint64_t size) {
  const auto f = std::to_string(floor), s = std::to_string(size);
  return "INSERT INTO weft.shard_sequences (table_name, next_value) VALUES (" + quoted_string(table_name) + ", " + f +
         " + " + s + ") ON DUPLICATE KEY UPDATE next_value = GREATEST(next_value, " + f + ") + " + s +
         " RETURNING next_value";
}

shard_probe read_shard_probe(protocol::bytes_view response, bool extended_type_info) {
  shard_probe probe;
  const auto r = read_result(response, extended_type_info);
  const auto row = single_row(r, 2, probe.problem);
  if (!row) return probe;
  probe.highest = number_in<std::int64_t>((*row)[0]);
  if ((*row)[0] && !probe.highest) probe.problem = "its highest key is not an integer";
  probe.auto_increment = number_in<std::uint64_t>((*row)[1]).value_or(0) > 0;
  return probe;
}

allocation read_allocation(protocol::bytes_view response, bool extended_type_info) {
  allocation out;
  const auto r = read_result(response, extended_type_info);
  const auto row = single_row(r, 1, out.problem);
  if (!row) return out;
  out.end = number_in<std::uint64_t>((*row)[0]);
  if (!out.end) out.problem = "the sequence's value is not a number";
  return out;
}

}  // namespace weft::sharding
