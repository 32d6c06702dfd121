#include "ops/export_table.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "ops/compare_table.h"
#include "ops/delimited_text.h"
#include "ops/row_writer.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

namespace fs = std::filesystem;

std::string safe_part(const std::string& name) {
  std::string out;
  for (const unsigned char c : name) {
    if (std::isalnum(c) || c == '_' || c == '-') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "_%02x", c);
      out += hex;
    }
  }
  return out;
}

std::string chunk_file_name(const std::string& stem, std::size_t index, export_format format) {
  char number[16];
  std::snprintf(number, sizeof number, "%05zu", index + 1);
  return stem + "." + number + "." + std::string(format_name(format)) + ".zst";
}

// The statement prefix every INSERT of the table shares, and the columns it selects.
struct insert_shape {
  std::string prefix;
  std::string select_list;
  std::vector<std::string> columns;
  std::vector<bool> text;  // per selected column: a string in a character set (read as raw bytes)
};

insert_shape shape_of_inserts(const table_shape& t) {
  insert_shape s;
  for (const auto& c : t.columns) {
    if (c.generated) continue;  // the server computes them
    s.columns.push_back(c.name);
    s.text.push_back(c.is_string);
    s.select_list += (s.select_list.empty() ? "" : ", ") + quote_name(c.name);
  }
  s.prefix = "INSERT INTO " + quote_name(t.table) + " (" + s.select_list + ") VALUES ";
  return s;
}

// Rows as INSERTs of about statement_bytes each (a row more at most), one statement per line
// (a literal never holds a raw newline: strings are escaped), formatted straight from the
// streamed row into the chunk's text.
class insert_writer : public row_writer {
 public:
  // `buffer`: an earlier chunk's text, whose memory this one reuses.
  insert_writer(const insert_shape& shape, std::size_t statement_bytes, std::string buffer)
      : shape_(shape), limit_(statement_bytes), out_(std::move(buffer)) {
    out_.clear();
  }
  void columns(const std::vector<monitor::result_column>& c) override { columns_ = c; }
  void row(const std::vector<monitor::value_view>& values) override {
    if (open_) {
      out_ += ',';
    } else {
      out_ += shape_.prefix;
      start_ = out_.size();
      open_ = true;
    }
    out_ += '(';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      if (shape_.text[i] && values[i]) {
        append_escaped_bytes(out_, *values[i]);
      } else {
        append_sql_value(out_, values[i], columns_[i].kind);
      }
    }
    out_ += ')';
    ++rows_;
    if (out_.size() - start_ >= limit_) close();
  }
  std::string finish() override {
    close();
    return std::move(out_);
  }
  std::uint64_t rows() const override { return rows_; }

 private:
  void close() {
    if (open_) out_ += ";\n";
    open_ = false;
  }
  const insert_shape& shape_;
  std::size_t limit_;
  std::vector<monitor::result_column> columns_;
  std::string out_;
  std::size_t start_ = 0;
  bool open_ = false;
  std::uint64_t rows_ = 0;
};

// A chunk's text is tens of MiB: each chunk writes into the memory of the one before, so it is
// not allocated and faulted in again (measured: a quarter of EXPORT's CPU went to page faults).
std::unique_ptr<row_writer> writer_for(const insert_shape& shape, const export_settings& s, std::string buffer) {
  if (s.format == export_format::sql) return std::make_unique<insert_writer>(shape, s.statement_bytes, std::move(buffer));
  return std::make_unique<delimited_writer>(s.format, std::move(buffer));
}

std::size_t rows_per_file(monitor::mariadb_client& worker, const table_shape& t, const export_settings& s) {
  const auto avg = worker.scalar("SELECT AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                                 sql_value(t.database, monitor::value_kind::text) +
                                 " AND TABLE_NAME = " + sql_value(t.table, monitor::value_kind::text));
  // As SQL a row takes about twice its stored size (quotes, hex, separators).
  const std::size_t row_bytes = avg && !avg->empty() ? std::max<std::size_t>(16, 2 * std::stoull(*avg)) : 256;
  return std::clamp<std::size_t>(s.chunk_bytes / row_bytes, 1000, s.max_chunk_rows);
}

// Where the key's columns are in a selected row when the table is read by walking its key
// (ORDER BY key LIMIT n, the next chunk after the last row's key: each row read once); empty
// when each chunk's end is found by a boundary query first (string keys: the rows come as raw
// bytes, and a literal of them would need the column's character set).
std::vector<std::size_t> walked_key(const table_shape& t) {
  std::vector<std::size_t> at;
  for (const auto k : t.key) {
    if (t.columns[k].generated || t.columns[k].is_string) return {};
    std::size_t selected = 0;
    for (std::size_t i = 0; i < k; ++i) selected += t.columns[i].generated ? 0 : 1;
    at.push_back(selected);
  }
  return at;
}

// The next chunk: its text (INSERTs or delimited rows) and rows, along the key after `lower`,
// or (a keyless table) by position.
struct chunk_read {
  std::string statements;
  std::uint64_t rows = 0;
  std::optional<key_literals> upper;
  bool last = false;
  std::string error;
};

// How one chunk is read: its SELECT and, when walking the key, where its last row's key goes.
struct chunk_plan {
  std::string sql;
  std::vector<std::size_t> walked;  // key positions in the row (walking), else empty
  std::vector<monitor::value> last_key;
  std::vector<monitor::value_kind> key_kinds;
};

std::optional<std::string> plan_chunk(monitor::mariadb_client& worker, const table_shape& t, const insert_shape& shape,
                                      const std::optional<key_literals>& lower, std::size_t rows,
                                      std::uint64_t offset, chunk_plan& plan, chunk_read& r) {
  plan.sql = "SELECT " + shape.select_list + " FROM " + qualified_name(t.database, t.table);
  if (t.key.empty()) {
    // Inside one snapshot a keyless table reads in the same order every time.
    plan.sql += " LIMIT " + std::to_string(rows) + " OFFSET " + std::to_string(offset);
    return std::nullopt;
  }
  plan.sql += " FORCE INDEX (" + quote_name(t.key_index) + ") WHERE ";
  plan.walked = walked_key(t);
  if (!plan.walked.empty()) {
    std::string order;
    for (const auto k : t.key) order += (order.empty() ? "" : ", ") + quote_name(t.columns[k].name);
    plan.sql += chunk_condition(t, lower, std::nullopt) + " ORDER BY " + order + " LIMIT " + std::to_string(rows);
    plan.last_key.resize(plan.walked.size());
    return std::nullopt;
  }
  auto upper = next_boundary(worker, t, lower, rows);
  if (auto* why = std::get_if<std::string>(&upper)) return *why;
  r.upper = std::get<0>(std::move(upper));
  r.last = !r.upper;
  plan.sql += chunk_condition(t, lower, r.upper);
  return std::nullopt;
}

chunk_read read_chunk_rows(monitor::mariadb_client& worker, const table_shape& t, const insert_shape& shape,
                           const std::optional<key_literals>& lower, std::size_t rows, std::uint64_t offset,
                           const export_settings& s, std::string& buffer) {
  chunk_read r;
  chunk_plan plan;
  if (auto failed = plan_chunk(worker, t, shape, lower, rows, offset, plan, r)) return r.error = *failed, r;
  // Rows come as their columns' own bytes, unconverted (the loads use SET NAMES binary); the
  // boundary queries need utf8mb4 results, since their literals go back into WHERE.
  const auto out = writer_for(shape, s, std::move(buffer));
  const auto on_columns = [&](const std::vector<monitor::result_column>& c) {
    out->columns(c);
    for (const auto at : plan.walked) plan.key_kinds.push_back(c[at].kind);
  };
  const auto on_row = [&](const std::vector<monitor::value_view>& v) {
    out->row(v);
    for (std::size_t i = 0; i < plan.walked.size(); ++i) {
      const auto& value = v[plan.walked[i]];
      plan.last_key[i] = value ? monitor::value(std::string(*value)) : std::nullopt;
    }
  };
  const bool read = worker.execute("SET character_set_results = binary") && worker.stream(plan.sql, on_columns, on_row) &&
                    worker.execute("SET character_set_results = utf8mb4");
  if (!read) return r.error = worker.address().to_string() + ": " + worker.error(), r;
  r.rows = out->rows();
  r.statements = out->finish();
  if (t.key.empty() || !plan.walked.empty()) r.last = r.rows < rows;
  if (!plan.walked.empty() && !r.last) {
    r.upper = key_literals{};
    for (std::size_t i = 0; i < plan.walked.size(); ++i) r.upper->push_back(sql_value(plan.last_key[i], plan.key_kinds[i]));
  }
  return r;
}

}  // namespace

std::optional<std::string> file_sink::put(std::size_t index, const std::string& statements, manifest_chunk& chunk) {
  chunk.file = chunk_file_name(stem_, index, format_);
  std::error_code failed;
  fs::create_directories((root_ / chunk.file).parent_path(), failed);
  if (failed) return "cannot create " + (root_ / chunk.file).parent_path().string() + ": " + failed.message();
  chunk_writer file(root_ / chunk.file, level_);
  if (!file.write(statements)) return file.error();
  const auto digest = file.finish();
  if (!digest) return file.error();
  chunk.digest = *digest;
  return std::nullopt;
}

std::string table_file_stem(std::size_t database_index, const std::string& database, std::size_t table_index,
                            const std::string& table) {
  return std::to_string(database_index + 1) + "-" + safe_part(database) + "/" + std::to_string(table_index + 1) + "-" +
         safe_part(table);
}

std::variant<manifest_table, std::string> export_table(monitor::mariadb_client& worker, const std::string& database,
                                                       const std::string& table, chunk_sink& sink,
                                                       const export_settings& s,
                                                       const std::function<bool(std::uint64_t)>& chunk_done) {
  auto read = read_table_shape(worker, database, table);
  if (auto* why = std::get_if<std::string>(&read)) return *why;
  const auto& t = std::get<table_shape>(read);
  const auto shape = shape_of_inserts(t);
  const auto rows = rows_per_file(worker, t, s);
  manifest_table out{table, normalized_definition(worker, database, table).value_or(""), shape.columns, 0, {}};
  std::optional<key_literals> lower;
  std::string buffer;
  for (bool last = false; !last;) {
    auto chunk = read_chunk_rows(worker, t, shape, lower, rows, out.rows, s, buffer);
    const auto where = "chunk " + std::to_string(out.chunks.size() + 1) + ": ";
    if (!chunk.error.empty()) return where + chunk.error;
    last = chunk.last;
    // Walking a key whose rows divide into whole chunks ends with an empty read: no file for it.
    if (chunk.rows == 0 && !out.chunks.empty()) break;
    manifest_chunk entry;
    entry.rows = chunk.rows;
    if (auto failed = sink.put(out.chunks.size(), chunk.statements, entry)) {
      return where + *failed;
    }
    out.chunks.push_back(entry);
    out.rows += entry.rows;
    if (!chunk_done(entry.rows)) return std::string("the job was stopped");
    lower = std::move(chunk.upper);
    buffer = std::move(chunk.statements);
  }
  return out;
}

}  // namespace weft::ops
