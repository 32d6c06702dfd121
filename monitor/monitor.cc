#include "monitor/monitor.h"

#include "monitor/mariadb_client.h"

#include <mysql.h>
#include <mysqld_error.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

namespace weft::monitor {
namespace {

std::optional<std::string> column(const sql_row& row, const char* mariadb_name, const char* mysql_name) {
  auto it = row.find(mariadb_name);
  if (it == row.end()) it = row.find(mysql_name);
  return it == row.end() ? std::nullopt : it->second;
}

// One check on an open connection; false when it failed (the connection is then closed).
bool check(mariadb_client& m, routing::server_health& h) {
  if (!m.ping()) return false;
  h.flavor = routing::flavor_from_version(m.server_version());
  auto vars = m.rows(std::string(routing::health_variables_query(h.flavor)));
  if (!vars || vars->empty()) return false;
  h.read_only = column(vars->front(), "ro", "ro").value_or("0") != "0";
  h.gtid_current_pos = column(vars->front(), "gtid", "gtid").value_or("");
  h.server_id = static_cast<std::uint32_t>(std::strtoul(column(vars->front(), "sid", "sid").value_or("0").c_str(), nullptr, 10));
  auto status = m.rows(std::string(routing::replica_status_query(h.flavor)));
  if (!status) return false;
  h.replicating = !status->empty();
  if (h.replicating) {
    const auto& s = status->front();
    h.io_running = column(s, "Slave_IO_Running", "Replica_IO_Running").value_or("") == "Yes";
    h.sql_running = column(s, "Slave_SQL_Running", "Replica_SQL_Running").value_or("") == "Yes";
    if (auto lag = column(s, "Seconds_Behind_Master", "Seconds_Behind_Source")) {
      h.lag_seconds = static_cast<std::uint32_t>(std::strtoul(lag->c_str(), nullptr, 10));
    }
    h.gtid_slave_pos = column(s, "Gtid_Slave_Pos", "Executed_Gtid_Set").value_or("");
    const auto io_error = column(s, "Last_IO_Error", "Last_IO_Error").value_or("");
    const auto sql_error = column(s, "Last_SQL_Error", "Last_SQL_Error").value_or("");
    h.last_error = !sql_error.empty() ? sql_error : io_error;
  }
  return true;
}

}  // namespace

health_monitor::health_monitor(config::monitor_settings settings, proxy::topology_store& store)
    : settings_(std::move(settings)), store_(store) {}

health_monitor::~health_monitor() { stop(); }

void health_monitor::spawn(const routing::endpoint& address) {
  threads_[address.to_string()] = std::thread([this, address] {
    mysql_thread_init();
    run_server(address);
    mysql_thread_end();
  });
}

void health_monitor::start() {
  mysql_library_init(0, nullptr, nullptr);
  std::lock_guard lock(mutex_);
  for (const auto& s : store_.load()->servers) spawn(s.address);
  spdlog::info("event=monitor_started servers={} interval_ms={} user={}", threads_.size(), settings_.interval.count(),
               settings_.user);
}

void health_monitor::stop() {
  std::map<std::string, std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& [name, t] : threads) {
    if (t.joinable()) t.join();
  }
}

void health_monitor::sync() {
  std::vector<std::thread> leaving;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    const auto topology = store_.load();
    for (const auto& s : topology->servers) {
      if (!threads_.count(s.name)) spawn(s.address);
    }
    for (auto it = threads_.begin(); it != threads_.end();) {
      if (topology->find(*routing::parse_endpoint(it->first))) {
        ++it;
        continue;
      }
      retired_.insert(it->first);
      leaving.push_back(std::move(it->second));
      it = threads_.erase(it);
    }
  }
  wake_.notify_all();
  for (auto& t : leaving) t.join();
  std::lock_guard lock(mutex_);
  retired_.clear();
}

std::vector<check_record> health_monitor::history() const {
  std::lock_guard lock(mutex_);
  return {history_.begin(), history_.end()};
}

void health_monitor::run_server(routing::endpoint address) {
  std::unique_ptr<mariadb_client> conn;
  bool access_denied_logged = false;
  const unsigned timeout = static_cast<unsigned>((settings_.timeout.count() + 999) / 1000);
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    check_record rec;
    rec.at = std::chrono::system_clock::now();
    rec.server = address;
    std::string error;
    if (!conn || !conn->ok()) conn = std::make_unique<mariadb_client>(address, settings_.user, settings_.password, timeout);
    if (conn->ok()) rec.ok = check(*conn, rec.health);
    if (!rec.ok) error = conn->error();
    rec.health.checked = true;
    rec.health.checked_at = std::chrono::steady_clock::now();
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
    const auto name = address.to_string();
    if (wake_.wait_until(lock, started + settings_.interval, [&] { return stopping_ || retired_.count(name); })) return;
  }
}

void health_monitor::record(const check_record& rec, bool counts) {
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
    // A failed check knows nothing new: the last positions seen stay (failover compares them).
    const auto last = s->health;
    s->health = rec.health;
    if (!rec.ok) {
      s->health.flavor = last.flavor;
      s->health.server_id = last.server_id;
      s->health.gtid_current_pos = last.gtid_current_pos;
      s->health.gtid_slave_pos = last.gtid_slave_pos;
    }
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

}  // namespace weft::monitor
