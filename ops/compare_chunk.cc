// Planning a table's chunks and comparing one chunk (ops/compare_table.h).
#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "ops/compare_table.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

using clock = std::chrono::steady_clock;

struct digest {
  std::string count, hash;
  bool operator==(const digest&) const = default;
};

// The chunk's digest; a warning (GROUP_CONCAT cut short, were a chunk ever larger than the
// session allows) makes it no digest at all rather than a digest of part of the chunk.
std::variant<digest, std::string> digest_on(monitor::mariadb_client& server, const std::string& sql) {
  auto t = server.query(sql);
  if (!t) return server.address().to_string() + ": " + server.error();
  if (t->rows.size() != 1 || t->rows[0].size() != 2) return server.address().to_string() + ": no digest";
  const auto warnings = server.scalar("SELECT @@warning_count");
  if (!warnings) return server.address().to_string() + ": " + server.error();
  if (*warnings != "0") return server.address().to_string() + ": the chunk's digest came with warnings";
  const auto& r = t->rows[0];
  return digest{r[0].value_or("0"), r[1].value_or("")};
}

std::variant<monitor::result_table, std::string> rows_on(monitor::mariadb_client& server, const std::string& sql) {
  auto t = server.query(sql);
  if (!t) return server.address().to_string() + ": " + server.error();
  return std::move(*t);
}

bool lock_conflict(const monitor::mariadb_client& c) { return c.error_code() == 1205 || c.error_code() == 1213; }

// On the source: a transaction holding share locks on the chunk's range; returns the source's
// GTID position once no write to the range can commit any more.
std::variant<std::string, std::string> lock_range(monitor::mariadb_client& source, const table_shape& t,
                                                  const std::string& condition, const compare_settings& s) {
  for (unsigned attempt = 0;; ++attempt) {
    if (source.execute("START TRANSACTION") && source.query(lock_query(t, condition))) {
      auto pos = source.scalar("SELECT @@gtid_binlog_pos");
      if (pos) return std::variant<std::string, std::string>(std::in_place_index<0>, *pos);
    }
    const bool retry = lock_conflict(source) && attempt < s.lock_retries;
    const auto why = source.address().to_string() + ": " + source.error();
    source.execute("ROLLBACK");
    if (!retry) return std::variant<std::string, std::string>(std::in_place_index<1>, why);
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * (attempt + 1)));
  }
}

std::optional<std::string> wait_for(monitor::mariadb_client& replica, const std::string& position,
                                    const compare_settings& s) {
  if (position.empty()) return std::nullopt;
  const auto answer = replica.scalar("SELECT MASTER_GTID_WAIT(" + sql_value(position, monitor::value_kind::text) +
                                     ", " + std::to_string(s.gtid_wait.count()) + ")");
  if (!answer) return replica.address().to_string() + ": " + replica.error();
  if (*answer != "0") return replica.address().to_string() + " did not reach the source's position " + position +
                             " within " + std::to_string(s.gtid_wait.count()) + " s";
  return std::nullopt;
}

template <typename T>
std::variant<std::pair<T, T>, std::string> both(std::future<std::variant<T, std::string>> a,
                                                std::future<std::variant<T, std::string>> b) {
  auto x = a.get();
  auto y = b.get();
  if (auto* e = std::get_if<std::string>(&x)) return *e;
  if (auto* e = std::get_if<std::string>(&y)) return *e;
  return std::pair<T, T>(std::move(std::get<T>(x)), std::move(std::get<T>(y)));
}

using wait_step = std::function<std::optional<std::string>()>;

// The chunk's digest on both servers at once. `before_b` runs on b's thread first (a
// replica's wait for the source's position).
std::variant<std::pair<digest, digest>, std::string> digests_on_both(monitor::mariadb_client& a,
                                                                     monitor::mariadb_client& b,
                                                                     const std::string& digest_sql,
                                                                     const wait_step& before_b) {
  return both<digest>(std::async(std::launch::async, [&] { return digest_on(a, digest_sql); }),
                      std::async(std::launch::async, [&]() -> std::variant<digest, std::string> {
                        if (auto why = before_b ? before_b() : std::nullopt) return *why;
                        return digest_on(b, digest_sql);
                      }));
}

// The digests, then (when they differ) the rows, read on both servers at once.
std::variant<chunk_outcome, std::string> read_both(monitor::mariadb_client& a, monitor::mariadb_client& b,
                                                   const table_shape& t, const std::string& condition,
                                                   const std::string& where, const std::vector<std::string>& ignore,
                                                   const wait_step& before_b) {
  auto digests = digests_on_both(a, b, digest_query(t, condition, where, ignore), before_b);
  if (auto* e = std::get_if<std::string>(&digests)) return *e;
  const auto& [da, db] = std::get<0>(digests);
  chunk_outcome out;
  out.rows_a = std::stoull(da.count);
  out.rows_b = std::stoull(db.count);
  if (da == db) return out;
  const auto rows_sql = rows_query(t, condition, where);
  auto rows = both<monitor::result_table>(std::async(std::launch::async, [&] { return rows_on(a, rows_sql); }),
                                          std::async(std::launch::async, [&] { return rows_on(b, rows_sql); }));
  if (auto* e = std::get_if<std::string>(&rows)) return *e;
  auto& [ra, rb] = std::get<0>(rows);
  out.columns = ra.columns;
  out.differences = diff_rows(t, ra, rb, ignore);
  out.differs = !out.differences.empty();
  return out;
}

}  // namespace

std::size_t rows_per_chunk(monitor::mariadb_client& server, const table_shape& t, const std::string& where,
                           const std::vector<std::string>& ignore, const compare_settings& s) {
  if (t.key.empty()) return 0;  // compared whole
  const auto began = clock::now();
  const auto sample = std::min(s.min_chunk_rows, s.max_chunk_rows);
  server.query(sample_digest_query(t, where, ignore, sample));
  const double seconds = std::max(1e-4, std::chrono::duration<double>(clock::now() - began).count());
  auto rows = static_cast<std::size_t>(static_cast<double>(sample) *
                                       std::chrono::duration<double>(s.chunk_time).count() / seconds);
  const auto avg = server.scalar("SELECT AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                                 sql_value(t.database, monitor::value_kind::text) +
                                 " AND TABLE_NAME = " + sql_value(t.table, monitor::value_kind::text));
  const std::size_t row_bytes = avg && !avg->empty() ? std::max<std::size_t>(1, std::stoull(*avg)) : 1;
  rows = std::min(rows, s.max_chunk_bytes / (2 * row_bytes));
  return std::clamp(rows, sample, s.max_chunk_rows);
}

std::variant<std::optional<key_literals>, std::string> next_boundary(monitor::mariadb_client& server,
                                                                     const table_shape& t,
                                                                     const std::optional<key_literals>& lower,
                                                                     std::size_t rows) {
  if (t.key.empty() || rows == 0) return std::optional<key_literals>();
  auto next = server.query(boundary_query(t, lower, rows));
  if (!next) return server.address().to_string() + ": " + server.error();
  if (next->rows.empty()) return std::optional<key_literals>();
  key_literals bound;
  for (std::size_t i = 0; i < next->columns.size(); ++i) {
    bound.push_back(sql_value(next->rows[0][i], next->columns[i].kind));
  }
  return std::optional<key_literals>(std::move(bound));
}

std::uint64_t estimated_rows(monitor::mariadb_client& server, const table_shape& t) {
  const auto n = server.scalar("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                               sql_value(t.database, monitor::value_kind::text) +
                               " AND TABLE_NAME = " + sql_value(t.table, monitor::value_kind::text));
  return n && !n->empty() ? std::stoull(*n) : 0;
}

std::variant<chunk_outcome, std::string> compare_chunk(const compare_pair& pair, const table_shape& t,
                                                       const std::string& condition, const std::string& where,
                                                       const std::vector<std::string>& ignore,
                                                       const compare_settings& settings) {
  if (pair.source == compare_pair::source_side::none) {
    return read_both(*pair.a, *pair.b, t, condition, where, ignore, {});
  }
  // First without locks: equal digests read at about the same time mean the replica holds now
  // what the source held a moment ago, which is all COMPARE claims. Only a chunk that differs
  // (drift, or a write between the two reads) is read again at one consistent point.
  auto quick = digests_on_both(*pair.a, *pair.b, digest_query(t, condition, where, ignore), {});
  if (auto* d = std::get_if<0>(&quick); d && d->first == d->second) {
    chunk_outcome same;
    same.rows_a = same.rows_b = std::stoull(d->first.count);
    return same;
  }
  const bool a_is_source = pair.source == compare_pair::source_side::a;
  auto& source = a_is_source ? *pair.a : *pair.b;
  auto& replica = a_is_source ? *pair.b : *pair.a;
  auto locked = lock_range(source, t, condition, settings);
  if (locked.index() == 1) return std::get<1>(locked);
  const auto position = std::get<0>(locked);
  const auto wait = [&] { return wait_for(replica, position, settings); };
  // read_both runs `wait` on b's thread: name the replica b.
  auto outcome = read_both(source, replica, t, condition, where, ignore, wait);
  source.execute("COMMIT");
  if (auto* o = std::get_if<chunk_outcome>(&outcome); o && !a_is_source) {
    std::swap(o->rows_a, o->rows_b);
    for (auto& d : o->differences) {
      std::swap(d.a, d.b);
      if (d.what != row_difference::kind::changed) {
        d.what = d.what == row_difference::kind::missing ? row_difference::kind::extra : row_difference::kind::missing;
      }
    }
  }
  return outcome;
}

}  // namespace weft::ops
