#include "ops/job_store.h"

#include <charconv>

#include "config/config_tables.h"
#include "config/sqlite_statement.h"
#include "protocol/errors.h"

namespace weft::ops {
namespace {

using config::bind_text;
using config::prepare;
using config::step_done;
using config::text_at;

void create_tables(sqlite3* db) {
  config::exec_sql(db,
                   "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, command TEXT NOT NULL, "
                   "state TEXT NOT NULL, phase TEXT NOT NULL, rows_done INTEGER NOT NULL, rows_total INTEGER NOT NULL, "
                   "chunks_done INTEGER NOT NULL, chunks_total INTEGER NOT NULL, started_at_ms INTEGER NOT NULL, "
                   "finished_at_ms INTEGER NOT NULL, error TEXT NOT NULL, output BLOB); "
                   "CREATE TABLE IF NOT EXISTS job_checkpoints (job INTEGER NOT NULL, key TEXT NOT NULL, "
                   "payload BLOB NOT NULL, PRIMARY KEY (job, key))");
}

constexpr const char* state_names[] = {"queued", "running", "done", "failed", "killed", "interrupted"};

void bind_blob(sqlite3_stmt* s, int i, const std::string& bytes) {
  sqlite3_bind_blob(s, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}

std::string blob_at(sqlite3_stmt* s, int i) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

}  // namespace

std::string_view to_string(job_state s) { return state_names[static_cast<int>(s)]; }

std::optional<job_state> parse_job_state(std::string_view text) {
  for (int i = 0; i < 6; ++i) {
    if (text == state_names[i]) return static_cast<job_state>(i);
  }
  return std::nullopt;
}

std::string pack(const std::vector<std::optional<std::string>>& fields) {
  std::string out;
  for (const auto& f : fields) out += f ? std::to_string(f->size()) + ":" + *f : std::string("-");
  return out;
}

std::optional<std::vector<std::optional<std::string>>> unpack(std::string_view packed) {
  std::vector<std::optional<std::string>> out;
  while (!packed.empty()) {
    if (packed[0] == '-') {
      out.emplace_back(std::nullopt);
      packed.remove_prefix(1);
      continue;
    }
    std::size_t length = 0;
    const auto [end, ec] = std::from_chars(packed.data(), packed.data() + packed.size(), length);
    const std::size_t digits = static_cast<std::size_t>(end - packed.data());
    if (ec != std::errc() || digits >= packed.size() || packed[digits] != ':' || packed.size() - digits - 1 < length) {
      return std::nullopt;
    }
    out.emplace_back(std::string(packed.substr(digits + 1, length)));
    packed.remove_prefix(digits + 1 + length);
  }
  return out;
}

job_store::job_store(const std::string& state_path) : db_(config::open_state(state_path)) { create_tables(db_.get()); }

std::uint64_t job_store::next_id() {
  std::lock_guard lock(mutex_);
  auto s = prepare(db_.get(), "SELECT COALESCE(MAX(id), 0) + 1 FROM jobs");
  sqlite3_step(s.get());
  return static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
}

void job_store::save(const job_record& j) {
  std::lock_guard lock(mutex_);
  auto s = prepare(db_.get(),
                   "INSERT INTO jobs (id, command, state, phase, rows_done, rows_total, chunks_done, chunks_total, "
                   "started_at_ms, finished_at_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO "
                   "UPDATE SET state = excluded.state, phase = excluded.phase, rows_done = excluded.rows_done, "
                   "rows_total = excluded.rows_total, chunks_done = excluded.chunks_done, chunks_total = "
                   "excluded.chunks_total, started_at_ms = excluded.started_at_ms, finished_at_ms = "
                   "excluded.finished_at_ms, error = excluded.error");
  sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(j.id));
  bind_text(s.get(), 2, j.command);
  bind_text(s.get(), 3, std::string(to_string(j.state)));
  bind_text(s.get(), 4, j.progress.phase);
  sqlite3_bind_int64(s.get(), 5, static_cast<sqlite3_int64>(j.progress.rows_done));
  sqlite3_bind_int64(s.get(), 6, static_cast<sqlite3_int64>(j.progress.rows_total));
  sqlite3_bind_int64(s.get(), 7, static_cast<sqlite3_int64>(j.progress.chunks_done));
  sqlite3_bind_int64(s.get(), 8, static_cast<sqlite3_int64>(j.progress.chunks_total));
  sqlite3_bind_int64(s.get(), 9, j.started_at_ms);
  sqlite3_bind_int64(s.get(), 10, j.finished_at_ms);
  bind_text(s.get(), 11, j.error);
  step_done(db_.get(), s.get());
}

// The output as packed rows: the column names first, then each row.
void job_store::save_output(std::uint64_t id, const admin_result& output) {
  std::vector<std::optional<std::string>> names;
  for (const auto& c : output.columns) names.emplace_back(c.name);
  std::vector<std::optional<std::string>> lines{pack(names)};
  for (const auto& row : output.rows) lines.emplace_back(pack(row));
  std::lock_guard lock(mutex_);
  auto s = prepare(db_.get(), "UPDATE jobs SET output = ? WHERE id = ?");
  bind_blob(s.get(), 1, pack(lines));
  sqlite3_bind_int64(s.get(), 2, static_cast<sqlite3_int64>(id));
  step_done(db_.get(), s.get());
}

std::optional<admin_result> job_store::output(std::uint64_t id) {
  std::string packed;
  {
    std::lock_guard lock(mutex_);
    auto s = prepare(db_.get(), "SELECT output FROM jobs WHERE id = ? AND output IS NOT NULL");
    sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(id));
    if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
    packed = blob_at(s.get(), 0);
  }
  const auto lines = unpack(packed);
  if (!lines || lines->empty() || !(*lines)[0]) return std::nullopt;
  admin_result out;
  const auto names = unpack(*(*lines)[0]);
  if (!names) return std::nullopt;
  for (const auto& n : *names) out.columns.push_back(protocol::text_column(n.value_or("")));
  for (std::size_t i = 1; i < lines->size(); ++i) {
    auto row = unpack((*lines)[i].value_or(""));
    if (!row || row->size() != out.columns.size()) return std::nullopt;
    out.rows.push_back(std::move(*row));
  }
  return out;
}

std::vector<job_record> job_store::all() {
  std::lock_guard lock(mutex_);
  auto s = prepare(db_.get(), "SELECT id, command, state, phase, rows_done, rows_total, chunks_done, chunks_total, "
                              "started_at_ms, finished_at_ms, error FROM jobs ORDER BY id");
  std::vector<job_record> out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    job_record j;
    j.id = static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
    j.command = text_at(s.get(), 1);
    j.state = parse_job_state(text_at(s.get(), 2)).value_or(job_state::failed);
    j.progress = {text_at(s.get(), 3),
                  static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 4)),
                  static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 5)),
                  static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 6)),
                  static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 7))};
    j.started_at_ms = sqlite3_column_int64(s.get(), 8);
    j.finished_at_ms = sqlite3_column_int64(s.get(), 9);
    j.error = text_at(s.get(), 10);
    out.push_back(std::move(j));
  }
  return out;
}

void job_store::save_checkpoint(std::uint64_t id, const std::string& key, const std::string& payload) {
  std::lock_guard lock(mutex_);
  auto s = prepare(db_.get(), "INSERT OR REPLACE INTO job_checkpoints VALUES (?, ?, ?)");
  sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(id));
  bind_text(s.get(), 2, key);
  bind_blob(s.get(), 3, payload);
  step_done(db_.get(), s.get());
}

std::map<std::string, std::string> job_store::checkpoints(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto s = prepare(db_.get(), "SELECT key, payload FROM job_checkpoints WHERE job = ?");
  sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(id));
  std::map<std::string, std::string> out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) out[text_at(s.get(), 0)] = blob_at(s.get(), 1);
  return out;
}

void job_store::forget_checkpoints(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto s = prepare(db_.get(), "DELETE FROM job_checkpoints WHERE job = ?");
  sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(id));
  step_done(db_.get(), s.get());
}

}  // namespace weft::ops
