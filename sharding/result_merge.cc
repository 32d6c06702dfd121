#include "sharding/result_merge.h"

#include <algorithm>
#include <limits>
#include <map>

#include "protocol/result_set.h"
#include "sharding/decimal_text.h"
#include "sharding/merge_order.h"
#include "sharding/result_view.h"
#include "sharding/value_order.h"

namespace weft::sharding {
namespace {

namespace p = protocol;
using owned_row = p::text_row;

// Frames with sequence ids from 1.
class frame_writer {
 public:
  void packet(p::bytes_view payload) {
    const auto n = payload.size();
    out_.insert(out_.end(), {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                             static_cast<std::uint8_t>(n >> 16), seq_++});
    out_.insert(out_.end(), payload.begin(), payload.end());
  }
  p::bytes take() { return std::move(out_); }

 private:
  p::bytes out_;
  std::uint8_t seq_ = 1;
};


owned_row owned(const row_values& values) {
  owned_row out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(v ? std::optional<std::string>(std::string(*v)) : std::nullopt);
  return out;
}

// NULL-aware sum of two exact numbers (NULL + x = x).
std::optional<std::string> add_nullable(const std::optional<std::string>& a, std::optional<std::string_view> b,
                                        bool& failed) {
  if (!b) return a;
  if (!a) return std::string(*b);
  auto sum = decimal_add(*a, *b);
  if (!sum) failed = true;
  return sum;
}

// One shard row folded into its group's row (the group's first row started it).
std::string fold(owned_row& group, const row_values& row, const scatter_plan& plan, const std::vector<value_kind>& kinds) {
  bool failed = false;
  for (std::size_t i = 0; i < plan.columns.size(); ++i) {
    const auto& column = plan.columns[i];
    switch (column.function) {
      case aggregate::none: break;
      case aggregate::count:
      case aggregate::sum: group[i] = add_nullable(group[i], row[i], failed); break;
      case aggregate::min:
      case aggregate::max: {
        if (!row[i]) break;
        const auto c = group[i] ? compare_values(kinds[i], row[i], std::string_view(*group[i])) : std::optional<int>(-1);
        if (!c) return "MIN/MAX of a column whose values are not ordered across shards (a string under a "
                       "non-binary collation, ENUM, JSON)";
        if (!group[i] || (column.function == aggregate::min ? *c < 0 : *c > 0)) group[i] = std::string(*row[i]);
        break;
      }
      case aggregate::avg:
        group[column.avg_sum] = add_nullable(group[column.avg_sum], row[column.avg_sum], failed);
        group[column.avg_count] = add_nullable(group[column.avg_count], row[column.avg_count], failed);
        break;
    }
  }
  return failed ? "an aggregate's value is no number" : "";
}

// What no exact re-aggregation can do with these columns.
std::string unmergeable_aggregate(const scatter_plan& plan, const std::vector<value_kind>& kinds) {
  for (std::size_t i = 0; i < plan.columns.size(); ++i) {
    const auto f = plan.columns[i].function;
    if ((f == aggregate::sum || f == aggregate::avg) && kinds[i] != value_kind::exact_number) {
      return "SUM and AVG of floating-point values across shards would differ from one server's in the last "
             "digits: refused (sum an exact type)";
    }
  }
  return {};
}

// AVG columns from their hidden SUM and COUNT, at the scale the shards answered AVG with.
std::string finish_averages(std::vector<owned_row>& rows, const scatter_plan& plan,
                            const std::vector<column_info>& columns) {
  for (auto& row : rows) {
    for (std::size_t i = 0; i < plan.columns.size(); ++i) {
      const auto& column = plan.columns[i];
      if (column.function != aggregate::avg) continue;
      const auto& sum = row[column.avg_sum];
      const auto count = row[column.avg_count] ? std::stoull(*row[column.avg_count]) : 0;
      row[i] = sum && count ? decimal_divide(*sum, count, columns[i].decimals) : std::nullopt;
      if (sum && count && !row[i]) return "an average's sum is no number";
    }
  }
  return {};
}

// GROUP BY: one row per group (in the group columns' order, as the server sorts GROUP BY).
std::string aggregate_rows(const std::vector<result_view>& views, const scatter_plan& plan,
                           std::vector<owned_row>& out) {
  const auto& columns = views[0].columns;
  std::vector<value_kind> kinds;
  for (const auto& c : columns) kinds.push_back(kind_of(c));
  if (auto why = unmergeable_aggregate(plan, kinds); !why.empty()) return why;
  std::map<std::string, std::size_t> groups;
  for (const auto& view : views) {
    for (const auto& row : view.rows) {
      std::string key;
      for (const auto g : plan.group_by) {
        const auto part = equality_key(kinds[g], row.values[g]);
        if (!part) return "GROUP BY " + std::string(columns[g].name) + ": its values are not compared across shards "
                          "(a string under a non-binary collation, ENUM, JSON)";
        key += std::to_string(part->size()) + ":" + *part;
      }
      const auto [at, fresh] = groups.try_emplace(key, out.size());
      if (fresh) {
        out.push_back(owned(row.values));
      } else if (auto why = fold(out[at->second], row.values, plan, kinds); !why.empty()) {
        return why;
      }
    }
  }
  if (auto why = finish_averages(out, plan, columns); !why.empty()) return why;
  std::vector<sort_key> by_group;
  for (const auto g : plan.group_by) by_group.push_back({g, false, kinds[g]});
  bool failed = false;
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return before(a, b, by_group, failed); });
  return failed ? "a group column's value is unreadable" : "";
}

// DISTINCT: the first of each set of rows the server would find equal.
std::string distinct_rows(std::vector<owned_row>& rows, const std::vector<column_info>& columns, std::size_t visible) {
  std::vector<value_kind> kinds;
  for (std::size_t i = 0; i < visible; ++i) kinds.push_back(kind_of(columns[i]));
  std::map<std::string, bool> seen;
  std::vector<owned_row> kept;
  for (auto& row : rows) {
    std::string key;
    for (std::size_t i = 0; i < visible; ++i) {
      const auto part = equality_key(kinds[i], row[i] ? std::optional<std::string_view>(*row[i]) : std::nullopt);
      if (!part) return "DISTINCT over " + std::string(columns[i].name) + ": its values are not compared across "
                        "shards (a string under a non-binary collation, ENUM, JSON)";
      key += std::to_string(part->size()) + ":" + *part;
    }
    if (seen.emplace(key, true).second) kept.push_back(std::move(row));
  }
  rows = std::move(kept);
  return {};
}

p::bytes encode_answer(const result_view& first, std::size_t visible, const std::vector<owned_row>& rows,
                       std::uint16_t warnings) {
  frame_writer w;
  p::bytes count;
  p::byte_writer(count).lenenc_int(visible);
  w.packet(count);
  for (std::size_t i = 0; i < visible; ++i) w.packet(first.columns[i].payload);
  if (!first.columns_eof.empty()) w.packet(first.columns_eof);
  for (auto row : rows) {
    row.resize(visible);
    w.packet(p::encode_text_row(row));
  }
  w.packet(terminator_with(first, warnings));
  return w.take();
}

// Each shard ran the ORDER BY, so its rows come in order: a k-way merge of the answers gives the
// first `wanted` rows of the whole (ties in shard order, as a stable sort of them would) without
// sorting or copying the rest. nullopt when a shard's rows are not in weft's order after all
// (then the caller sorts them all).
std::optional<std::vector<owned_row>> merged_in_order(const std::vector<result_view>& views,
                                                      const std::vector<sort_key>& order, std::uint64_t wanted,
                                                      bool& failed) {
  for (const auto& v : views) {
    for (std::size_t i = 1; i < v.rows.size(); ++i) {
      if (before(v.rows[i].values, v.rows[i - 1].values, order, failed)) return std::nullopt;
    }
  }
  std::vector<std::size_t> next(views.size(), 0);
  std::vector<owned_row> out;
  while (out.size() < wanted && !failed) {
    std::optional<std::size_t> first;
    for (std::size_t s = 0; s < views.size(); ++s) {
      if (next[s] == views[s].rows.size()) continue;
      if (!first || before(views[s].rows[next[s]].values, views[*first].rows[next[*first]].values, order, failed)) {
        first = s;
      }
    }
    if (!first) break;
    out.push_back(owned(views[*first].rows[next[*first]++].values));
  }
  return out;
}

// The shards' answers read; the first shard error, or why they cannot be merged.
std::optional<merged_answer> read_all(std::span<const p::bytes_view> responses, std::vector<result_view>& views,
                                      std::size_t max_rows, bool extended_type_info) {
  std::size_t rows = 0;
  for (const auto& r : responses) {
    views.push_back(read_result(r, extended_type_info));
    const auto& v = views.back();
    if (v.what == result_view::kind::error) {
      frame_writer w;
      w.packet(v.error);
      return merged_answer{w.take(), {}, 0};
    }
    if (v.what == result_view::kind::unreadable) return merged_answer{{}, v.problem, 0};
    if (v.columns.size() != views[0].columns.size()) return merged_answer{{}, "the shards answered with different columns", 0};
    rows += v.rows.size();
    if (rows > max_rows) {
      return merged_answer{{}, "the shards' answers hold more than " + std::to_string(max_rows) +
                                   " rows, weft's bound for a read across shards: narrow it (a key, a LIMIT)", 0};
    }
  }
  return std::nullopt;
}

// Every shard's rows as one list: re-aggregated, or all of them (DISTINCT applied).
std::string gathered_rows(const std::vector<result_view>& views, const scatter_plan& plan,
                          const std::vector<column_info>& columns, std::size_t visible, std::vector<owned_row>& rows) {
  if (plan.aggregates) return aggregate_rows(views, plan, rows);
  for (const auto& v : views) {
    for (const auto& r : v.rows) rows.push_back(owned(r.values));
  }
  return plan.distinct ? distinct_rows(rows, columns, visible) : std::string();
}

}  // namespace

merged_answer merge_results(std::span<const p::bytes_view> responses, const scatter_plan& plan, std::size_t max_rows,
                            bool extended_type_info) {
  std::vector<result_view> views;
  if (responses.empty()) return {{}, "no shard answered", 0};
  if (auto early = read_all(responses, views, max_rows, extended_type_info)) return std::move(*early);
  const auto& first = views[0];
  const auto visible = first.columns.size() - std::min(plan.hidden_columns, first.columns.size());
  std::vector<sort_key> order;
  std::string why = resolve_order(first.columns, visible, plan.order_by, order);
  bool failed = false;
  std::vector<owned_row> rows;
  std::optional<std::vector<owned_row>> in_order;
  if (why.empty() && !plan.aggregates && !plan.distinct && !order.empty()) {
    constexpr auto all = std::numeric_limits<std::uint64_t>::max();
    const auto wanted = plan.count && *plan.count <= all - plan.offset ? plan.offset + *plan.count : all;
    in_order = merged_in_order(views, order, wanted, failed);
  }
  if (in_order) {
    rows = std::move(*in_order);
  } else if (why.empty()) {
    why = gathered_rows(views, plan, first.columns, visible, rows);
    if (why.empty() && !order.empty()) {
      std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) { return before(a, b, order, failed); });
    }
  }
  if (failed) why = "an ORDER BY value is unreadable";
  if (!why.empty()) return {{}, why, 0};
  const auto from = std::min<std::uint64_t>(plan.offset, rows.size());
  const auto to = plan.count ? std::min<std::uint64_t>(rows.size(), from + *plan.count) : rows.size();
  std::vector<owned_row> answer(std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(from)),
                                std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(to)));
  std::uint32_t warnings = 0;
  for (const auto& v : views) warnings += v.warnings;
  return {encode_answer(first, visible, answer, static_cast<std::uint16_t>(std::min<std::uint32_t>(warnings, 0xFFFF))),
          {}, answer.size()};
}

}  // namespace weft::sharding
