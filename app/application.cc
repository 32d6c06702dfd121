#include "app/application.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "admin/admin_engine.h"
#include "admin/compare_commands.h"
#include "ops/ha_global_stream.h"
#include "weft/version.h"

namespace weft::app {

namespace {

void log_differences(const std::vector<config::config_difference>& diff) {
  for (const auto& d : diff) {
    spdlog::warn("event=config_difference table={} key=\"{}\" file=\"{}\" state=\"{}\"", d.table, d.key,
                 d.in_file.empty() ? "(absent)" : d.in_file, d.in_state.empty() ? "(absent)" : d.in_state);
  }
}

}  // namespace

// Statements that find the primary down wait for a new one only where weft will promote one:
// failover auto or elect, and a monitor to notice the failure.
void application::set_failure_holds(routing::topology& t) const {
  for (auto& g : t.groups) {
    const bool promotes = g.failover == routing::failover_mode::automatic || g.failover == routing::failover_mode::elect;
    g.hold_on_failure = promotes && config_.monitor.enabled() ? config_.ha.hold_timeout : std::chrono::milliseconds(0);
  }
}

application::application(config::bootstrap_config config, std::string config_path)
    : config_(std::move(config)), config_path_(std::move(config_path)) {}

application::~application() {
  if (http_) http_->stop();
  if (admin_) admin_->stop();
  if (ha_) ha_->stop();
  if (monitor_) monitor_->stop();
  if (account_loader_) account_loader_->stop();
}

config::table_config application::file_view() const { return {config_.runtime, config_.topology}; }

std::vector<config::config_difference> application::config_diff() {
  if (!state_) return {};
  std::lock_guard lock(apply_mutex_);  // state_'s connection serves one thread at a time
  return state_->diff(file_view());
}

void application::start() {
  auto effective = effective_config();
  current_ = effective;
  set_failure_holds(effective.topology);
  topology_ = std::make_unique<proxy::topology_store>(effective.topology);
  runtime_ = std::make_unique<proxy::config_store>(effective.runtime);
  start_account_loader(effective.runtime);
  // Empty without a loader: a refused login then has no fresher list to wait for.
  std::function<void()> accounts_stale;
  if (account_loader_) accounts_stale = [loader = account_loader_.get()] { loader->stale(); };
  proxy::live_state state{*runtime_, *topology_, *accounts_, std::move(accounts_stale)};
  proxy_ = std::make_unique<proxy::proxy_server>(config_.proxy, std::move(state));
  proxy_->start();
  if (config_.monitor.enabled()) {
    monitor_ = std::make_unique<monitor::health_monitor>(config_.monitor, *topology_);
    monitor_->start();
  } else {
    spdlog::warn("event=monitor_off reason=\"no [monitor] user\" effect=\"replicas take no reads\"");
  }
  connect_admin_sources();
  connect_admin_commands();
  start_ha();
  start_fronts();
}

// The accounts of the default group's primary, read as [auth] user (the monitor's by default): a
// login that no [[users]] entry names is checked against them. Without them and without
// [[users]], no client could log in: weft does not start.
void application::start_account_loader(const proxy::runtime_snapshot& runtime) {
  accounts_ = std::make_unique<proxy::account_store>(routing::account_table({}));
  const auto& auth = config_.auth;
  if (!auth.from_backends) return;
  if (auth.user.empty()) {
    if (!runtime.users.empty()) return;
    throw std::runtime_error("no account can read the backends' accounts ([auth] user or [monitor] user) and the "
                             "configuration has no [[users]]: no client could log in");
  }
  monitor::account_loader_settings s{auth.user, auth.password, auth.refresh, std::chrono::milliseconds(1000),
                                     config_.monitor.timeout, state_path_};
  account_loader_ = std::make_unique<monitor::account_loader>(std::move(s), *topology_, *accounts_);
  if (!account_loader_->load_now()) {
    const auto st = account_loader_->status();
    if (runtime.users.empty() && !st.from_cache) {
      throw std::runtime_error("cannot read the accounts on " + (st.source.empty() ? std::string("the primary") : st.source) +
                               " (" + st.last_error + ") and the configuration has no [[users]]: no client could log in "
                               "(the [auth] user, by default the [monitor] user, needs SELECT on mysql.global_priv)");
    }
  }
  account_loader_->start();
}

// With [admin], the state file holds the configuration (the file's on a first start); without
// it, the file alone.
config::table_config application::effective_config() {
  config::table_config effective = file_view();
  if (!config_.admin.enabled()) {
    spdlog::info("event=config_loaded source=file file={} (no [admin]: nothing is persisted)", config_path_);
    return effective;
  }
  state_path_ = config_.admin.state_file.empty() ? config_path_ + ".state" : config_.admin.state_file;
  state_ = std::make_unique<config::state_store>(state_path_);
  if (state_->empty()) {
    state_->save(effective);
    spdlog::info("event=config_loaded source=file file={} state={} (first start: the state now holds the file's "
                 "configuration)", config_path_, state_path_);
    return effective;
  }
  auto loaded = state_->load();
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) spdlog::error("event=state_invalid error=\"{}\"", e);
    throw std::runtime_error("the state file " + state_path_ + " holds an invalid configuration");
  }
  effective = std::move(loaded.config);
  const auto diff = config_diff();
  spdlog::info("event=config_loaded source=state state={} file={} differences={}{}", state_path_, config_path_,
               diff.size(), diff.empty() ? "" : " (the state wins; SHOW CONFIG DIFF on the admin port lists them)");
  log_differences(diff);
  return effective;
}

// What the admin's tables read: live statistics, sessions, pools, the settings in force.
void application::connect_admin_sources() {
  sources_.stats = [this] { return proxy_->collect_stats(); };
  sources_.sessions = [this] { return proxy_->collect_sessions(); };
  sources_.pools = [this] { return proxy_->collect_pools(); };
  sources_.backends = [this] { return proxy_->collect_backend_connections(); };
  sources_.cache = [this] { return proxy_->cache().stats(); };
  if (monitor_) sources_.monitor_log = [this] { return monitor_->history(); };
  sources_.topology = topology_.get();
  sources_.config = runtime_.get();
  if (account_loader_) {
    sources_.accounts = accounts_.get();
    sources_.account_status = [this] { return account_loader_->status(); };
  }
  sources_.variables = [this] { return settings_in_force(); };
}

std::vector<std::pair<std::string, std::string>> application::settings_in_force() const {
  const auto& p = config_.proxy;
  return {
      {"proxy.listen", p.listen.to_string()},
      {"proxy.workers", std::to_string(p.workers)},
      {"proxy.max_allowed_packet", std::to_string(p.max_allowed_packet)},
      {"proxy.connect_timeout_ms", std::to_string(p.connect_timeout.count())},
      {"proxy.handshake_timeout_ms", std::to_string(p.handshake_timeout.count())},
      {"proxy.max_client_connections", std::to_string(p.max_client_connections)},
      {"proxy.result_cache_mb", std::to_string(p.result_cache_bytes >> 20)},
      {"proxy.max_login_failures", std::to_string(p.login_throttle.max_failures)},
      {"proxy.login_failure_window_ms", std::to_string(p.login_throttle.window.count())},
      {"proxy.host_block_ms", std::to_string(p.login_throttle.block_for.count())},
      {"proxy.drain_timeout_ms", std::to_string(p.drain_timeout.count())},
      {"proxy.server_version", p.server_version},
      {"proxy.auth_plugin", p.auth_plugin},
      {"proxy.local_infile", p.local_infile ? "true" : "false"},
      {"backend.max_connections", std::to_string(p.max_backend_connections)},
      {"backend.pool_wait_timeout_ms", std::to_string(p.pool_wait_timeout.count())},
      {"backend.idle_timeout_ms", std::to_string(p.idle_timeout.count())},
      {"backend.min_idle_connections", std::to_string(p.min_idle_backend_connections)},
      {"backend.multiplexing", p.multiplexing ? "true" : "false"},
      {"backend.tls", p.backend_tls.enabled ? "true" : "false"},
      {"monitor.user", config_.monitor.user},
      {"monitor.interval_ms", std::to_string(config_.monitor.interval.count())},
      {"monitor.timeout_ms", std::to_string(config_.monitor.timeout.count())},
      {"monitor.failures_to_shun", std::to_string(config_.monitor.failures_to_shun)},
      {"auth.from_backends", config_.auth.from_backends ? "true" : "false"},
      {"auth.user", config_.auth.user},
      {"auth.refresh_ms", std::to_string(config_.auth.refresh.count())},
      {"auth.login_wait_ms", std::to_string(p.login_account_wait.count())},
      {"admin.listen", config_.admin.listen.to_string()},
      {"admin.max_connections", std::to_string(config_.admin.max_connections)},
      {"admin.state_file", state_path_},
      {"http.listen", config_.http.enabled ? config_.http.listen.to_string() : ""},
      {"log.level", config_.log_level},
      {"version", kVersion},
  };
}

// What the admin's commands act on: the backends (as the admin's backend user), the proxy.
void application::connect_admin_commands() {
  commands_.topology = topology_.get();
  commands_.backend.user = config_.admin.backend_user.empty() ? config_.monitor.user : config_.admin.backend_user;
  commands_.backend.password =
      config_.admin.backend_user.empty() ? config_.monitor.password : config_.admin.backend_password;
  commands_.backend.timeout_seconds = 2;
  const auto& jobs = config_.jobs;
  commands_.compare.chunk_time = jobs.chunk_time;
  commands_.compare.max_chunk_rows = jobs.max_chunk_rows;
  commands_.compare.max_replica_lag_seconds = jobs.max_replica_lag_seconds;
  commands_.compare.gtid_wait = std::chrono::duration_cast<std::chrono::seconds>(jobs.gtid_wait);
  commands_.export_dir = config_.admin.export_dir;
  commands_.transfer_parallel = jobs.parallel;
  commands_.export_chunk_bytes = jobs.export_chunk_bytes;
  commands_.create_command = config_.provision.create_command;
  commands_.create_timeout = config_.provision.timeout;
  commands_.server_version = config_.proxy.server_version;
  commands_.config_diff = [this] { return config_diff(); };
  commands_.close_idle_backends = [this] { return proxy_->close_idle_backends(); };
  commands_.flush_query_cache = [this] { return proxy_->cache().clear(); };
  commands_.flush_hosts = [this] {  // FLUSH HOSTS: both ports' blocked hosts
    return proxy_->admission().logins.flush() + (admin_ ? admin_->admission().logins.flush() : 0);
  };
}

void application::start_ha() {
  ops::ha_context ha;
  ha.settings = config_.ha;
  ha.backend = commands_.backend;
  ha.interval = config_.monitor.interval;
  ha.topology = topology_.get();
  ha.commit = [this](const std::function<void(routing::topology&)>& change) { commit_topology(change); };
  ha.global_groups_of = [this](const std::string& group) {
    return ops::global_groups_of(runtime_->load()->shards, group);  // sharding: where a shard's primary replicates from
  };
  ha.shard_groups_of = [this](const std::string& group) {
    return ops::shard_groups_of(runtime_->load()->shards, group);  // sharding: whose primaries follow the global one
  };
  if (state_) {
    ha.history = state_->recent_events(1000);
    ha.persist = [this](const config::failover_event& e) {
      std::lock_guard lock(apply_mutex_);  // state_'s connection serves one thread at a time
      try {
        state_->record_event(e);
      } catch (const std::exception& x) {
        spdlog::error("event=failover_history_not_saved error=\"{}\"", x.what());
      }
    };
  }
  ha_ = std::make_unique<ops::ha_manager>(std::move(ha));
  commands_.ha = ha_.get();
  sources_.failover_log = [this] { return ha_->events(); };
  if (monitor_) ha_->start();  // the failure detector works from the monitor's findings
}

// The admin SQL port and the HTTP port, when configured.
void application::start_fronts() {
  if (config_.admin.enabled()) {
    // Jobs run on their own two threads; a job a previous run left running continues.
    jobs_ = std::make_unique<ops::job_registry>(
        state_path_, [this](const std::string& command) { return admin::job_for(command, commands_); },
        config_.jobs.threads);
    commands_.jobs = jobs_.get();
    const admin::admin_hooks hooks{[this](const config::table_config& c) { apply(c); }, &apply_mutex_};
    // A job's own admin statement (CLONE's ADD SERVER) runs on an engine of its own, as a session's would.
    commands_.admin_statement = [this, hooks](const std::string& sql) {
      admin::admin_engine engine(state_path_, sources_, commands_, hooks);
      return engine.execute(sql);
    };
    jobs_->resume_interrupted();
    admin_ = std::make_unique<admin::admin_server>(config_.admin, state_path_, sources_, commands_, hooks);
    admin_->start();
    spdlog::info("event=admin_listening address={} user={}", config_.admin.listen.to_string(), config_.admin.user);
  }
  if (config_.http.enabled) {
    admin::http_sources metrics;
    metrics.topology = topology_.get();
    metrics.stats = sources_.stats;
    metrics.pools = sources_.pools;
    metrics.cache = sources_.cache;
    metrics.client_sessions = [this] { return proxy_->session_count(); };
    metrics.parked_sessions = [this] { return proxy_->parked_session_count(); };
    metrics.ha_counts = [this] { return std::pair{ha_->failovers(), ha_->switchovers()}; };
    metrics.proxy_admission = &proxy_->admission();
    if (account_loader_) metrics.accounts = [this] { return account_loader_->status(); };
    if (admin_) metrics.admin_admission = &admin_->admission();
    if (jobs_) metrics.jobs = [this] { return jobs_->list(); };
    http_ = std::make_unique<admin::http_server>(config_.http, std::move(metrics));
    http_->start();
    spdlog::info("event=http_listening address={}", config_.http.listen.to_string());
  }
}

void application::commit_topology(const std::function<void(routing::topology&)>& change) {
  std::lock_guard lock(apply_mutex_);
  config::table_config next = current_;
  if (state_) {
    auto loaded = state_->load();
    if (loaded.errors.empty()) next = std::move(loaded.config);
  }
  change(next.topology);
  try {
    if (state_) state_->save(next);  // persisted before it takes effect
  } catch (const std::exception& e) {
    // The backends already changed: routing must follow them even if the file could not.
    spdlog::error("event=state_save_failed error=\"{}\" effect=\"the new primary is applied but not persisted\"",
                  e.what());
  }
  apply(next);
  // A new primary may lack writes the old one had: answers read there are not kept (any HA
  // change empties the cache; losing hits is the only cost).
  if (proxy_) spdlog::info("event=query_cache_flushed reason=topology_changed dropped={}", proxy_->cache().clear());
}

void application::apply(const config::table_config& c) {
  current_ = c;
  runtime_->update([&](proxy::runtime_snapshot& r) { r = c.runtime; });
  topology_->update([&](routing::topology& t) {
    // What the monitor knows about a server that stays is kept (health, SHUNNED).
    auto servers = c.topology.servers;
    for (auto& s : servers) {
      if (const auto* old = t.find(s.address)) {
        s.health = old->health;
        if (old->status == routing::server_status::shunned && s.status == routing::server_status::online) {
          s.status = routing::server_status::shunned;
        }
      }
    }
    t.servers = std::move(servers);
    auto groups = c.topology.groups;
    for (auto& g : groups) g.paused_until = t.policy_of(g.name).paused_until;  // a switch in progress stays held
    t.groups = std::move(groups);
    set_failure_holds(t);
  });
  if (monitor_) monitor_->sync();
}

void application::reload() {
  auto loaded = config::load_config_file(config_path_);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) spdlog::error("event=reload_rejected error=\"{}\"", e);
    spdlog::error("event=reload_rejected file={} errors={} (the running configuration is unchanged)", config_path_,
                  loaded.errors.size());
    return;
  }
  config_.runtime = loaded.config->runtime;
  config_.topology = loaded.config->topology;
  config::table_config next = file_view();
  std::lock_guard lock(apply_mutex_);
  // The file has no shard maps (they are made on the admin port): a reload keeps them.
  next.runtime.shards = current_.runtime.shards;
  if (state_) {
    log_differences(state_->diff(next));
    state_->save(next);  // persisted before it takes effect
  }
  apply(next);
  spdlog::info("event=reloaded file={} servers={} users={} rules={} (sections other than users, servers, groups and "
               "rules take effect at the next start)", config_path_, next.topology.servers.size(),
               next.runtime.users.size(), next.runtime.rules.size());
}

void application::stop() {
  if (http_) http_->stop();
  if (admin_) admin_->stop();
  if (ha_) ha_->stop();
  if (proxy_) {
    spdlog::info("event=draining sessions={} timeout_ms={}", proxy_->session_count(), config_.proxy.drain_timeout.count());
    proxy_->drain(config_.proxy.drain_timeout);
    proxy_->stop();
  }
}

void application::join() {
  if (proxy_) proxy_->join();
  if (monitor_) monitor_->stop();
  if (account_loader_) account_loader_->stop();
}

}  // namespace weft::app
