// The running weft: the proxy, the live stores, the monitor, the admin and HTTP ports and the
// persisted state, wired together; configuration changes (admin SQL, SIGHUP) go through here.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admin/admin_server.h"
#include "admin/http_server.h"
#include "config/config_loader.h"
#include "config/state_store.h"
#include "monitor/account_loader.h"
#include "monitor/monitor.h"
#include "ops/ha_manager.h"
#include "ops/job_registry.h"
#include "proxy/proxy_server.h"

namespace weft::app {

class application {
 public:
  application(config::bootstrap_config config, std::string config_path);
  ~application();

  // Loads the state (or bootstraps it from the file), starts everything; throws on failure.
  void start();
  // SIGHUP: reads the configuration file again; applies and persists it when valid.
  void reload();
  // SIGTERM: drains client sessions, then stops everything.
  void stop();
  void join();
  unsigned worker_count() const { return proxy_ ? proxy_->worker_count() : 0; }

 private:
  void apply(const config::table_config& config);  // publishes new snapshots, tells the monitor
  // An HA operation changed servers (roles, status): persisted, then applied.
  void commit_topology(const std::function<void(routing::topology&)>& change);
  config::table_config effective_config();
  void start_account_loader(const proxy::runtime_snapshot& runtime);
  void connect_admin_sources();
  std::vector<std::pair<std::string, std::string>> settings_in_force() const;
  void connect_admin_commands();
  void start_ha();
  void start_fronts();
  void set_failure_holds(routing::topology& t) const;
  config::table_config file_view() const;
  std::vector<config::config_difference> config_diff();

  config::bootstrap_config config_;
  std::string config_path_;
  std::string state_path_;
  std::unique_ptr<config::state_store> state_;
  std::unique_ptr<proxy::topology_store> topology_;
  std::unique_ptr<proxy::config_store> runtime_;
  std::unique_ptr<proxy::account_store> accounts_;  // (before the proxy and the loader: they read it)
  std::unique_ptr<monitor::account_loader> account_loader_;
  std::unique_ptr<proxy::proxy_server> proxy_;
  std::unique_ptr<monitor::health_monitor> monitor_;
  std::unique_ptr<ops::ha_manager> ha_;
  config::table_config current_;  // the configuration applied last (kept for commits without a state file)
  admin::live_sources sources_;
  admin::command_context commands_;
  std::mutex apply_mutex_;
  std::unique_ptr<ops::job_registry> jobs_;  // (before admin_: a waiting statement ends first)
  std::unique_ptr<admin::admin_server> admin_;
  std::unique_ptr<admin::http_server> http_;
};

}  // namespace weft::app
