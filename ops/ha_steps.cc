#include "ops/ha_steps.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <variant>

#include "protocol/errors.h"
#include "protocol/result_set.h"
#include "routing/election.h"

extern char** environ;

namespace weft::ops {

namespace {
std::int64_t ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}
}  // namespace

admin_result ha_refused(const std::string& message) {
  return admin_result::failure(protocol::make_error(protocol::er::ha_refused, message));
}

// --- step_log ---------------------------------------------------------------------------------

void step_log::add(std::string step, std::string server, std::string outcome, std::string detail) {
  const auto now = std::chrono::steady_clock::now();
  rows_.push_back({std::move(step), std::move(server), std::move(outcome), std::move(detail), ms_between(last_, now)});
  last_ = now;
  if (!operation_.empty()) {
    const auto& r = rows_.back();
    spdlog::info("event=ha_step operation={} step=\"{}\" server={} outcome={} ms={} detail=\"{}\"", operation_, r.step,
                 r.server.empty() ? "-" : r.server, r.outcome, r.ms, r.detail);
  }
}

void step_log::ok(std::string step, std::string server, std::string detail) {
  add(std::move(step), std::move(server), "ok", std::move(detail));
}

void step_log::warn(std::string step, std::string server, std::string detail) {
  add(std::move(step), std::move(server), "warning", std::move(detail));
}

bool step_log::failed(std::string step, std::string server, std::string detail) {
  failed_ = true;
  failures_ += (failures_.empty() ? "" : "; ") + step + (server.empty() ? "" : " on " + server) + ": " + detail;
  add(std::move(step), std::move(server), "failed", std::move(detail));
  return false;
}

admin_result step_log::table() const {
  auto r = admin_result::table({"step", "server", "outcome", "detail", "ms"});
  for (const auto& s : rows_) {
    r.rows.push_back({s.step, s.server.empty() ? std::nullopt : std::optional(s.server), s.outcome,
                      s.detail.empty() ? std::nullopt : std::optional(s.detail), std::to_string(s.ms)});
  }
  return r;
}

// --- backend_node -----------------------------------------------------------------------------

backend_node::backend_node(const routing::endpoint& address, const backend_credentials& creds, unsigned wait_seconds)
    : address_(address), client_(address, creds.user, creds.password, creds.timeout_seconds, wait_seconds) {
  if (client_.ok()) flavor_ = routing::flavor_from_version(client_.server_version());
}

bool backend_node::exec(const std::string& sql, step_log& log, const std::string& step) {
  if (client_.rows(sql)) return true;
  return log.failed(step, name(), client_.error());
}

std::optional<sql_row> backend_node::first_row(const std::string& sql) {
  auto rows = client_.rows(sql);
  if (!rows || rows->empty()) return std::nullopt;
  return std::move(rows->front());
}

std::optional<replica_state> backend_node::replication() {
  auto rows = client_.rows(std::string(routing::replica_status_query(flavor_)));
  if (!rows) return std::nullopt;
  replica_state state;
  if (rows->empty()) return state;
  const auto& s = rows->front();
  state.configured = true;
  const auto host = column_text(s, routing::source_host_column(flavor_));
  const auto port = column_text(s, routing::source_port_column(flavor_));
  if (!host.empty() && !port.empty()) {
    state.source = routing::endpoint{host, static_cast<std::uint16_t>(std::strtoul(port.c_str(), nullptr, 10))};
  }
  state.io_running = column_text(s, routing::io_running_column(flavor_)) == "Yes";
  state.sql_running = column_text(s, routing::sql_running_column(flavor_)) == "Yes";
  state.received = column_text(s, routing::received_gtid_column(flavor_));
  const auto sql_error = column_text(s, "Last_SQL_Error");
  state.last_error = sql_error.empty() ? column_text(s, "Last_IO_Error") : sql_error;
  return state;
}

std::optional<std::pair<std::string, std::uint32_t>> backend_node::position() {
  auto row = first_row(std::string(routing::health_variables_query(flavor_)));
  if (!row) return std::nullopt;
  const auto server_id = std::strtoul(column_text(*row, "sid").c_str(), nullptr, 10);
  return std::pair{column_text(*row, "gtid"), static_cast<std::uint32_t>(server_id)};
}

bool backend_node::wait_for(const std::string& gtid, std::chrono::milliseconds timeout) {
  if (gtid.empty()) return true;
  if (!routing::valid_gtid_text(flavor_, gtid)) return false;
  // MariaDB's MASTER_GTID_WAIT looks at gtid_slave_pos only; a server that wrote those
  // transactions itself (an old primary) holds them in gtid_current_pos.
  if (flavor_ == routing::server_flavor::mariadb) {
    if (auto own = position()) {
      const auto cmp = routing::compare_positions(own->first, gtid);
      if (cmp && *cmp >= 0) return true;
    }
  }
  auto row = first_row(routing::gtid_wait_query(flavor_, gtid, timeout));
  return row && !row->empty() && routing::gtid_wait_succeeded(row->begin()->second);
}

const char* const unix_source_refusal =
    "a server weft reaches by its socket path cannot be a replication source: replicas connect over TCP "
    "(give the server a host:port address)";

bool backend_node::replicate_from(const routing::endpoint& source, const std::string& user, const std::string& password,
                                  bool from_own_binlog, step_log& log) {
  routing::source_settings s{source.host, source.port, user, password, from_own_binlog};
  const std::string step = "replicate from " + source.to_string();
  if (source.is_unix()) return log.failed(step, source.to_string(), unix_source_refusal);
  return exec(std::string(routing::stop_replica_query(flavor_)), log, step) &&
         exec(routing::change_source_query(flavor_, s), log, step) &&
         exec(std::string(routing::start_replica_query(flavor_)), log, step);
}

std::optional<std::string> backend_node::wait_replicating(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "replication state unknown";
  for (;;) {
    auto state = replication();
    if (!state) return client_.error();
    if (state->io_running && state->sql_running) return std::nullopt;
    last = state->last_error.empty() ? "IO " + std::string(state->io_running ? "running" : "not running") + ", SQL " +
                                           (state->sql_running ? "running" : "not running")
                                     : state->last_error;
    if (std::chrono::steady_clock::now() >= deadline) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// --- hooks ------------------------------------------------------------------------------------

namespace {

// The environment a hook runs with: weft's own, with `env`'s entries set.
std::vector<std::string> hook_environment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> entries;
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    if (!env.count(name)) entries.push_back(entry);
  }
  for (const auto& [k, v] : env) entries.push_back(k + "=" + v);
  return entries;
}

// Starts /bin/sh -c `command` in its own process group (a timeout kills it all), its standard
// output on `stdout_fd` when that is not -1; the pid, or the reason it could not start.
std::variant<pid_t, std::string> spawn_shell(const std::string& command, std::vector<std::string> entries, int stdout_fd) {
  std::vector<char*> envp;
  for (auto& e : entries) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string shell = "/bin/sh", dash_c = "-c", text = command;
  char* argv[] = {shell.data(), dash_c.data(), text.data(), nullptr};
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&files, stdout_fd, STDOUT_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &files, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return std::string("cannot start: ") + std::strerror(rc);
  return pid;
}

hook_result wait_for_hook(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0) return {false, std::string("waitpid: ") + std::strerror(errno)};
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return {false, "killed after " + std::to_string(timeout.count()) + " ms"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, "exit 0"};
  if (WIFEXITED(status)) return {false, "exit " + std::to_string(WEXITSTATUS(status))};
  return {false, "killed by signal " + std::to_string(WTERMSIG(status))};
}

// The last 64 KiB of what a finished command wrote into `file` (its standard output).
std::string tail_of(std::FILE* file) {
  constexpr long keep = 64 * 1024;
  std::fseek(file, 0, SEEK_END);
  const long size = std::ftell(file);
  std::fseek(file, std::max(0L, size - keep), SEEK_SET);
  std::string out(static_cast<std::size_t>(std::min(size, keep)), '\0');
  out.resize(std::fread(out.data(), 1, out.size(), file));
  return out;
}

}  // namespace

hook_result run_hook(const std::string& command, const std::map<std::string, std::string>& env,
                     std::chrono::milliseconds timeout, std::string* output) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> captured(output ? std::tmpfile() : nullptr, std::fclose);
  if (output && !captured) return {false, std::string("cannot capture its output: ") + std::strerror(errno)};
  auto started = spawn_shell(command, hook_environment(env), captured ? fileno(captured.get()) : -1);
  if (auto* why = std::get_if<std::string>(&started)) return {false, *why};
  auto result = wait_for_hook(std::get<pid_t>(started), timeout);
  if (captured) *output = tail_of(captured.get());
  return result;
}

}  // namespace weft::ops
