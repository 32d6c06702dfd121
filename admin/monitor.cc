#include "admin/monitor.h"

#include <mysql.h>
#include <mysqld_error.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

namespace weft::admin {
namespace {

struct mysql_closer {
  void operator()(MYSQL* m) const { mysql_close(m); }
};
using connection = std::unique_ptr<MYSQL, mysql_closer>;

struct result_closer {
  void operator()(MYSQL_RES* r) const { mysql_free_result(r); }
};
using result = std::unique_ptr<MYSQL_RES, result_closer>;

std::string last_error(MYSQL* m) { return std::to_string(mysql_errno(m)) + " " + mysql_error(m); }

connection open(const routing::endpoint& address, const monitor_settings& settings, std::string& error) {
  connection m(mysql_init(nullptr));
  // Timeouts are whole seconds in Connector/C; a refused port on loopback fails at once anyway.
  const unsigned seconds = static_cast<unsigned>(std::max<std::int64_t>(1, (settings.timeout.count() + 999) / 1000));
  mysql_optionsv(m.get(), MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  mysql_optionsv(m.get(), MYSQL_OPT_READ_TIMEOUT, &seconds);
  mysql_optionsv(m.get(), MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  const my_bool no = 0;
  mysql_optionsv(m.get(), MYSQL_OPT_RECONNECT, &no);
  if (!mysql_real_connect(m.get(), address.host.c_str(), settings.user.c_str(), settings.password.c_str(), nullptr,
                          address.port, nullptr, 0)) {
    error = last_error(m.get());
    return nullptr;
  }
  return m;
}

// Runs a statement; the first row's columns by name (empty map when there is no row).
std::optional<std::map<std::string, std::optional<std::string>>> first_row(MYSQL* m, const char* sql,
                                                                          std::string& error) {
  if (mysql_query(m, sql) != 0) {
    error = last_error(m);
    return std::nullopt;
  }
  result res(mysql_store_result(m));
  if (!res) {
    error = last_error(m);
    return std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> row_by_name;
  MYSQL_ROW row = mysql_fetch_row(res.get());
  if (!row) return row_by_name;
  const auto* lengths = mysql_fetch_lengths(res.get());
  const auto* fields = mysql_fetch_fields(res.get());
  for (unsigned i = 0; i < mysql_num_fields(res.get()); ++i) {
    row_by_name[fields[i].name] =
        row[i] ? std::optional<std::string>(std::string(row[i], lengths[i])) : std::nullopt;
  }
  return row_by_name;
}

// One check on an open connection; false when the connection failed.
bool check(MYSQL* m, routing::server_health& h, std::string& error) {
  if (mysql_ping(m) != 0) {
    error = last_error(m);
    return false;
  }
  h.flavor = routing::flavor_from_version(mysql_get_server_info(m));
  const std::string vars_sql(routing::health_variables_query(h.flavor));
  auto vars = first_row(m, vars_sql.c_str(), error);
  if (!vars || vars->empty()) return false;
  h.read_only = (*vars)["ro"].value_or("0") != "0";
  h.gtid_current_pos = (*vars)["gtid"].value_or("");
  const std::string status_sql(routing::replica_status_query(h.flavor));
  auto status = first_row(m, status_sql.c_str(), error);
  if (!status) return false;
  h.replicating = !status->empty();
  if (h.replicating) {
    auto& s = *status;
    const auto column = [&](const char* mariadb_name, const char* mysql_name) {
      auto it = s.find(mariadb_name);
      if (it == s.end()) it = s.find(mysql_name);
      return it == s.end() ? std::optional<std::string>() : it->second;
    };
    h.io_running = column("Slave_IO_Running", "Replica_IO_Running").value_or("") == "Yes";
    h.sql_running = column("Slave_SQL_Running", "Replica_SQL_Running").value_or("") == "Yes";
    if (auto lag = column("Seconds_Behind_Master", "Seconds_Behind_Source")) {
      h.lag_seconds = static_cast<std::uint32_t>(std::strtoul(lag->c_str(), nullptr, 10));
    }
    h.gtid_slave_pos = column("Gtid_Slave_Pos", "Executed_Gtid_Set").value_or("");
    auto io_error = column("Last_IO_Error", "Last_IO_Error").value_or("");
    auto sql_error = column("Last_SQL_Error", "Last_SQL_Error").value_or("");
    h.last_error = !sql_error.empty() ? sql_error : io_error;
  }
  return true;
}

}  // namespace

monitor::monitor(monitor_settings settings, proxy::topology_store& store)
    : settings_(std::move(settings)), store_(store) {}

monitor::~monitor() { stop(); }

void monitor::start() {
  mysql_library_init(0, nullptr, nullptr);
  for (const auto& s : store_.load()->servers) {
    threads_.emplace_back([this, address = s.address] {
      mysql_thread_init();
      run_server(address);
      mysql_thread_end();
    });
  }
  spdlog::info("event=monitor_started servers={} interval_ms={} user={}", threads_.size(), settings_.interval.count(),
               settings_.user);
}

void monitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

std::vector<check_record> monitor::history() const {
  std::lock_guard lock(mutex_);
  return {history_.begin(), history_.end()};
}

void monitor::run_server(routing::endpoint address) {
  connection conn;
  bool access_denied_logged = false;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    check_record rec;
    rec.at = std::chrono::system_clock::now();
    rec.server = address;
    std::string error;
    if (!conn) conn = open(address, settings_, error);
    if (conn) {
      rec.ok = check(conn.get(), rec.health, error);
      if (!rec.ok) conn.reset();  // a fresh connection next time
    }
    rec.health.checked = true;
    rec.health.reachable = rec.ok;
    if (!rec.ok) rec.health.last_error = error;
    rec.took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    // Wrong monitor credentials say nothing about the server's health: never shun for them.
    const bool denied = error.rfind(std::to_string(ER_ACCESS_DENIED_ERROR), 0) == 0 ||
                        error.rfind(std::to_string(ER_DBACCESS_DENIED_ERROR), 0) == 0 ||
                        error.rfind(std::to_string(ER_SPECIFIC_ACCESS_DENIED_ERROR), 0) == 0;
    if (denied) {
      if (!access_denied_logged) {
        spdlog::error("event=monitor_access_denied server={} user={} error=\"{}\"", address.to_string(),
                      settings_.user, error);
      }
      access_denied_logged = true;
    }
    record(rec, !denied);
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, started + settings_.interval, [this] { return stopping_; })) return;
  }
}

void monitor::record(const check_record& rec, bool counts) {
  unsigned failures = 0;
  {
    std::lock_guard lock(mutex_);
    history_.push_back(rec);
    const auto servers = store_.load()->servers.size();
    while (history_.size() > settings_.history * std::max<std::size_t>(1, servers)) history_.pop_front();
    if (!counts) return;  // kept for the DBA to see, but it says nothing about the server
    auto& count = failures_[rec.server.to_string()];
    count = rec.ok ? 0 : count + 1;
    failures = count;
  }
  const unsigned threshold = settings_.failures_to_shun;
  store_.update([&](routing::topology& t) {
    auto* s = t.find(rec.server);
    if (!s) return;
    s->health = rec.health;
    if (!rec.ok && failures >= threshold && s->status == routing::server_status::online) {
      s->status = routing::server_status::shunned;
      spdlog::warn("event=server_shunned server={} failures={} error=\"{}\"", rec.server.to_string(), failures,
                   rec.health.last_error);
    } else if (rec.ok && s->status == routing::server_status::shunned) {
      s->status = routing::server_status::online;
      spdlog::info("event=server_online server={} after=shunned", rec.server.to_string());
    }
  });
}

}  // namespace weft::admin
