#include "sharding/insert_rows.h"

#include <algorithm>

#include "routing/sql_lexer.h"
#include "sharding/sql_names.h"
#include "sharding/shard_lookup.h"

namespace weft::sharding {
namespace {

std::size_t offset_in(std::string_view text, const routing::sql_token& t) {
  return static_cast<std::size_t>(t.text.data() - text.data());
}

// The text up to VALUES, with the key added to the column list when it was not written.
std::string insert_prefix(std::string_view sql, const insert_work& work) {
  const auto head = sql.substr(0, work.shape.values_prefix_end);
  if (work.key_index != no_key_column) return std::string(head);
  routing::sql_lexer lexer(head);
  std::size_t close = std::string_view::npos;
  for (auto t = lexer.next(); t.type != routing::token_type::end; t = lexer.next()) {
    if (t.is(')')) close = offset_in(head, t);
  }
  if (close == std::string_view::npos) return std::string(head);  // (the shape read a column list)
  return std::string(head.substr(0, close)) + ", " + quoted_name(work.table.column) + std::string(head.substr(close));
}

// The byte range of the row's value at `index` (between its commas at depth 1), if found.
std::optional<std::pair<std::size_t, std::size_t>> value_range(std::string_view row, std::size_t index) {
  routing::sql_lexer lexer(row);
  int depth = 0;
  std::size_t at = 0, begin = 0, end = 0;
  bool seen = false;
  for (auto t = lexer.next(); t.type != routing::token_type::end; t = lexer.next()) {
    if (t.is('(') && ++depth == 1) continue;
    if (t.is(')') && --depth == 0) break;
    if (depth == 1 && t.is(',')) {
      if (at++ == index) break;
      continue;
    }
    if (at != index) continue;
    if (!seen) begin = offset_in(row, t);
    seen = true;
    end = offset_in(row, t) + t.text.size();
  }
  if (!seen) return std::nullopt;
  return std::make_pair(begin, end);
}

// One row's text with its generated key written in (appended, or in place of its NULL); nullopt
// when its key's value cannot be found again (never sent then: the server would generate one).
std::optional<std::string> row_text(std::string_view sql, const insert_work& work, std::size_t row,
                                    const std::string& key) {
  const auto& r = work.shape.rows[row];
  const auto text = sql.substr(r.begin, r.end - r.begin);
  if (work.key_index == no_key_column) return std::string(text.substr(0, text.size() - 1)) + ", " + key + ")";
  const auto range = value_range(text, work.key_index);
  if (!range) return std::nullopt;
  return std::string(text.substr(0, range->first)) + key + std::string(text.substr(range->second));
}

}  // namespace

std::size_t insert_work::ids_needed() const {
  return static_cast<std::size_t>(std::count(generated.begin(), generated.end(), true));
}

insert_work insert_work_of(const shard_route& route, statement_shape shape) {
  insert_work work;
  if (route.map) work.map = *route.map;
  if (route.table) work.table = *route.table;
  work.shape = std::move(shape);
  work.key_index = route.key_index;
  work.row_shards = route.row_shards;
  for (const auto& s : work.row_shards) work.generated.push_back(!s.has_value());
  return work;
}

std::string place_generated(insert_work& work, std::uint64_t first) {
  work.first_id = first;
  auto next = first;
  for (auto& shard : work.row_shards) {
    if (shard) continue;
    const auto key = normalized_key(key_kind::integer, std::to_string(next));
    shard = key ? shard_of(work.map, *key) : std::nullopt;
    if (!shard) {
      return "its generated key " + std::to_string(next) + " is held by no shard of map '" + work.map.name +
             "' (give the map a shard for it, or write the key)";
    }
    ++next;
  }
  return {};
}

std::vector<std::size_t> shards_of_rows(const insert_work& work) {
  std::vector<std::size_t> shards;
  for (const auto& s : work.row_shards) {
    if (s) shards.push_back(*s);
  }
  std::sort(shards.begin(), shards.end());
  shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
  return shards;
}

std::vector<insert_part> insert_parts(std::string_view sql, const insert_work& work, bool wrap_first) {
  const auto prefix = insert_prefix(sql, work);
  const auto suffix = sql.substr(std::min(work.shape.rows_suffix_begin, sql.size()));
  std::vector<insert_part> parts;
  for (const auto shard : shards_of_rows(work)) parts.push_back({shard, prefix + " ", false});
  auto next = work.first_id.value_or(0);
  std::vector<bool> started(parts.size(), false);
  for (std::size_t row = 0; row < work.row_shards.size(); ++row) {
    std::string text;
    if (work.generated[row] && work.first_id) {
      auto key = std::to_string(next);
      if (wrap_first && next == *work.first_id) key = "LAST_INSERT_ID(" + key + ")";
      ++next;
      auto written = row_text(sql, work, row, key);
      if (!written) return {};
      text = std::move(*written);
    } else {
      const auto& r = work.shape.rows[row];
      text = std::string(sql.substr(r.begin, r.end - r.begin));
    }
    const auto i = static_cast<std::size_t>(
        std::find_if(parts.begin(), parts.end(), [&](const auto& p) { return p.shard == *work.row_shards[row]; }) -
        parts.begin());
    if (i == parts.size()) continue;  // (placed rows always have a part)
    parts[i].sql += (started[i] ? ", " : "") + text;
    started[i] = true;
    parts[i].has_last_row = row + 1 == work.row_shards.size();
  }
  for (auto& part : parts) part.sql += suffix;
  return parts;
}

}  // namespace weft::sharding
