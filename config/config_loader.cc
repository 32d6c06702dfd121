#include "config/config_loader.h"

#include "config/config_schema.h"
#include "config/config_validation.h"

#include "protocol/caching_sha2.h"
#include "protocol/constants.h"
#include "routing/query_rules.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace weft::config {
namespace {

class config_reader {
 public:
  config_reader(std::string_view source, config_load_result& out) : source_(source), out_(out) {}

  void read(const toml::table& root) {
    check_keys(root, {"proxy", "backend", "log", "monitor", "auth", "admin", "jobs", "provision", "http", "ha", "users", "servers", "groups", "rules"});
    if (auto* t = table_at(root, "proxy")) read_proxy(*t);
    if (auto* t = table_at(root, "backend")) read_backend(*t);
    if (auto* t = table_at(root, "log")) read_log(*t);
    read_array_of_tables(root, "users", [&](const toml::table& t) { read_user(t); });
    read_array_of_tables(root, "servers", [&](const toml::table& t) { read_server(t); });
    if (auto* t = table_at(root, "monitor")) read_monitor(*t);
    if (auto* t = table_at(root, "auth")) read_auth(*t);
    if (auto* t = table_at(root, "admin")) read_admin(*t);
    if (auto* t = table_at(root, "jobs")) read_jobs(*t);
    if (auto* t = table_at(root, "provision")) read_provision(*t);
    if (auto* t = table_at(root, "http")) read_http(*t);
    if (auto* t = table_at(root, "ha")) read_ha(*t);
    read_array_of_tables(root, "groups", [&](const toml::table& t) { read_group(t); });
    read_array_of_tables(root, "rules", [&](const toml::table& t) { read_rule(t); });
    validate_whole_config(root);
    validate_tls(root);
    // One handshake timeout and one failed-login rule for every port.
    config.admin.handshake_timeout = config.proxy.handshake_timeout;
    config.admin.login_throttle = config.proxy.login_throttle;
    config.http.request_timeout = config.proxy.handshake_timeout;
    if (config.auth.user.empty()) {  // the monitor's account reads the accounts too
      config.auth.user = config.monitor.user;
      config.auth.password = config.monitor.password;
    }
  }

  bootstrap_config config;

 private:
  void error(const toml::source_region& where, const std::string& message) {
    std::ostringstream s;
    s << source_ << ':' << where.begin.line << ':' << where.begin.column << ": " << message;
    out_.errors.push_back(s.str());
  }

  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed) {
    check_keys(t, std::vector<std::string_view>(allowed));
  }

  void check_keys(const toml::table& t, const std::vector<std::string_view>& allowed) {
    for (const auto& [key, node] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        error(key.source(), "unknown key '" + std::string(key.str()) + "'");
      }
    }
  }

  const toml::table* table_at(const toml::table& t, std::string_view key) {
    const auto* node = t.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) {
      error(node->source(), "'" + std::string(key) + "' must be a table ([" + std::string(key) + "])");
      return nullptr;
    }
    return node->as_table();
  }

  template <class F>
  void read_array_of_tables(const toml::table& t, std::string_view key, F&& each) {
    const auto* node = t.get(key);
    if (!node) return;
    const auto* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables()) {
      error(node->source(), "'" + std::string(key) + "' must be an array of tables ([[" + std::string(key) + "]])");
      return;
    }
    for (const auto& item : *arr) each(*item.as_table());
  }

  std::optional<std::string> string_at(const toml::table& t, std::string_view key, bool required) {
    const auto* node = t.get(key);
    if (!node) {
      if (required) error(t.source(), "missing required key '" + std::string(key) + "'");
      return std::nullopt;
    }
    if (!node->is_string()) {
      error(node->source(), "'" + std::string(key) + "' must be a string");
      return std::nullopt;
    }
    return node->as_string()->get();
  }

  std::optional<std::int64_t> int_at(const toml::table& t, std::string_view key, std::int64_t min,
                                     std::int64_t max) {
    const auto* node = t.get(key);
    if (!node) return std::nullopt;
    if (!node->is_integer()) {
      error(node->source(), "'" + std::string(key) + "' must be an integer");
      return std::nullopt;
    }
    const auto v = node->as_integer()->get();
    if (v < min || v > max) {
      error(node->source(), "'" + std::string(key) + "' must be between " + std::to_string(min) +
                                " and " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> bool_at(const toml::table& t, std::string_view key) {
    const auto* node = t.get(key);
    if (!node) return std::nullopt;
    if (!node->is_boolean()) {
      error(node->source(), "'" + std::string(key) + "' must be true or false");
      return std::nullopt;
    }
    return node->as_boolean()->get();
  }

  // One of the allowed words; the position of the word in `allowed`.
  std::optional<std::size_t> choice_at(const toml::table& t, std::string_view key,
                                       const std::vector<std::string>& allowed) {
    auto v = string_at(t, key, false);
    if (!v) return std::nullopt;
    std::size_t i = 0;
    std::string names;
    for (const auto& a : allowed) {
      if (*v == a) return i;
      names += (i++ ? ", \"" : "\"") + a + "\"";
    }
    error(t.get(key)->source(), "'" + std::string(key) + "' must be one of " + names);
    return std::nullopt;
  }

  // A column's value as the file gives it, under the column's key, within its range or words.
  std::optional<std::string> string_of(const toml::table& t, const column_spec& c) {
    return string_at(t, c.file_key, c.required);
  }
  std::optional<std::int64_t> int_of(const toml::table& t, const column_spec& c) {
    return int_at(t, c.file_key, c.min, c.max);
  }
  std::optional<bool> bool_of(const toml::table& t, const column_spec& c) { return bool_at(t, c.file_key); }
  // One of the column's words (the file spells them in lower case), returned as SQL stores it.
  std::optional<std::string_view> word_of(const toml::table& t, const column_spec& c) {
    std::vector<std::string> spelled;
    for (auto w : c.words) spelled.push_back(file_word(w));
    const auto i = choice_at(t, c.file_key, spelled);
    return i ? std::optional(c.words[*i]) : std::nullopt;
  }

  void read_proxy(const toml::table& t) {
    check_keys(t, {"listen", "workers", "max_allowed_packet", "connect_timeout_ms",
                   "handshake_timeout_ms", "server_version", "tls_cert", "tls_key", "local_infile",
                   "auth_plugin", "drain_timeout_ms", "max_client_connections", "max_login_failures",
                   "login_failure_window_ms", "host_block_ms", "result_cache_mb"});
    auto& p = config.proxy;
    if (auto listen = string_at(t, "listen", false)) {
      if (auto ep = routing::parse_endpoint(*listen)) {
        p.listen = *ep;
      } else {
        error(t.get("listen")->source(),
              "'listen' must be \"host:port\" or \"unix:/absolute/path\", got \"" + *listen + "\"");
      }
    }
    if (auto v = int_at(t, "workers", 0, 256)) p.workers = static_cast<unsigned>(*v);
    if (auto v = int_at(t, "max_allowed_packet", 1024, std::int64_t{1} << 30)) {
      p.max_allowed_packet = static_cast<std::size_t>(*v);
    }
    if (auto v = int_at(t, "connect_timeout_ms", 1, 600000)) p.connect_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "handshake_timeout_ms", 1, 600000)) {
      p.handshake_timeout = std::chrono::milliseconds(*v);
    }
    if (auto v = int_at(t, "max_client_connections", 1, 1000000)) {
      p.max_client_connections = static_cast<std::size_t>(*v);
    }
    read_login_throttle(t, p.login_throttle);
    if (auto v = int_at(t, "result_cache_mb", 0, 1 << 20)) p.result_cache_bytes = static_cast<std::size_t>(*v) << 20;
    if (auto v = string_at(t, "server_version", false)) p.server_version = *v;
    if (auto v = int_at(t, "drain_timeout_ms", 0, 3600000)) p.drain_timeout = std::chrono::milliseconds(*v);
    if (auto v = string_at(t, "auth_plugin", false)) {
      if (*v != protocol::native_password_plugin && *v != protocol::caching_sha2_plugin) {
        error(t.get("auth_plugin")->source(), "'auth_plugin' must be \"mysql_native_password\" or \"caching_sha2_password\"");
      } else {
        p.auth_plugin = *v;
      }
    }
    if (auto v = bool_at(t, "local_infile")) p.local_infile = *v;
    if (auto v = string_at(t, "tls_cert", false)) p.client_tls.cert_file = readable_file(t, "tls_cert", *v);
    if (auto v = string_at(t, "tls_key", false)) p.client_tls.key_file = readable_file(t, "tls_key", *v);
    if (p.client_tls.cert_file.empty() != p.client_tls.key_file.empty()) {
      error(t.source(), "TLS to clients needs both tls_cert and tls_key");
    }
  }

  void read_login_throttle(const toml::table& t, proxy::login_throttle_settings& out) {
    if (auto v = int_at(t, "max_login_failures", 0, 1000000)) out.max_failures = static_cast<unsigned>(*v);
    if (auto v = int_at(t, "login_failure_window_ms", 1, 86400000)) out.window = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "host_block_ms", 1, 86400000)) out.block_for = std::chrono::milliseconds(*v);
  }

  void read_backend(const toml::table& t) {
    check_keys(t, {"tls", "tls_ca", "tls_verify", "max_connections", "pool_wait_timeout_ms",
                   "idle_timeout_ms", "min_idle_connections", "multiplexing", "read_timeout_ms",
                   "tcp_user_timeout_ms", "proxy_protocol"});
    auto& p = config.proxy;
    if (auto v = bool_at(t, "proxy_protocol")) p.backend_proxy_protocol = *v;
    if (auto v = int_at(t, "max_connections", 1, 100000)) p.max_backend_connections = static_cast<std::size_t>(*v);
    if (auto v = int_at(t, "pool_wait_timeout_ms", 0, 600000)) p.pool_wait_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "read_timeout_ms", 0, 86400000)) p.backend_read_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "tcp_user_timeout_ms", 0, 3600000)) p.backend_tcp_user_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "idle_timeout_ms", 100, 86400000)) p.idle_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "min_idle_connections", 0, 100000)) p.min_idle_backend_connections = static_cast<std::size_t>(*v);
    if (auto v = bool_at(t, "multiplexing")) p.multiplexing = *v;
    auto& b = config.proxy.backend_tls;
    if (auto v = bool_at(t, "tls")) b.enabled = *v;
    if (auto v = bool_at(t, "tls_verify")) b.verify = *v;
    if (auto v = string_at(t, "tls_ca", false)) b.ca_file = readable_file(t, "tls_ca", *v);
    if (b.enabled && b.verify && b.ca_file.empty()) {
      error(t.source(), "backend TLS with tls_verify = true needs tls_ca (or set tls_verify = false)");
    }
  }

  // Paths are relative to the configuration file's folder.
  std::string readable_file(const toml::table& t, std::string_view key, const std::string& path) {
    std::filesystem::path p(path);
    if (p.is_relative()) p = std::filesystem::path(std::string(source_)).parent_path() / p;
    std::ifstream probe(p);
    if (!probe) error(t.get(key)->source(), "cannot read " + std::string(key) + " file '" + p.string() + "'");
    return p.string();
  }

  // A directory path (relative: to the config file); made when first used if missing.
  std::string directory_path(const toml::table& t, std::string_view key, const std::string& path) {
    std::filesystem::path p(path);
    if (p.is_relative()) p = std::filesystem::path(std::string(source_)).parent_path() / p;
    std::error_code failed;
    if (std::filesystem::exists(p, failed) && !std::filesystem::is_directory(p, failed)) {
      error(t.get(key)->source(), std::string(key) + " '" + p.string() + "' is not a directory");
    }
    return p.string();
  }

  void read_log(const toml::table& t) {
    check_keys(t, {"level"});
    if (auto level = string_at(t, "level", false)) {
      static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "off"};
      if (levels.count(*level)) {
        config.log_level = *level;
      } else {
        error(t.get("level")->source(), "log level must be one of trace, debug, info, warn, error, off");
      }
    }
  }

  void read_user(const toml::table& t) {
    const auto& table = users_table();
    check_keys(t, file_keys(table));
    auto name = string_of(t, table.column("name"));
    auto plain = string_at(t, "password", false);
    auto hashed = string_at(t, table.column("password_hash").file_key, false);  // or password
    if (!name) return;
    if (name->empty()) return error(t.source(), "user name must not be empty");
    if (plain && hashed) return error(t.source(), "user '" + *name + "': give password or password_hash, not both");
    if (!plain && !hashed) {
      return error(t.source(), "user '" + *name + "': missing password (password = \"\" for none)");
    }
    proxy::user_account account{*name, {}, false, std::nullopt};
    if (auto v = bool_of(t, table.column("require_tls"))) account.require_tls = *v;
    account.read_your_writes = bool_of(t, table.column("read_your_writes"));
    if (plain) {
      account.password = protocol::native_password_hash::from_password(*plain);
    } else if (auto h = protocol::native_password_hash::from_hex(*hashed)) {
      account.password = *h;
    } else {
      return error(t.get("password_hash")->source(),
                   "user '" + *name + "': password_hash must be '*' and 40 hex digits");
    }
    if (!config.runtime.users.emplace(*name, std::move(account)).second) {
      error(t.source(), "duplicate user '" + *name + "'");
    }
  }

  void read_server(const toml::table& t) {
    const auto& table = servers_table();
    check_keys(t, file_keys(table));
    auto address = string_of(t, table.column("address"));
    auto group = string_of(t, table.column("group_name"));
    auto role = string_of(t, table.column("role"));
    if (!address || !group || !role) return;
    routing::server s;
    if (auto ep = routing::parse_endpoint(*address)) {
      s.address = *ep;
      s.name = ep->to_string();
    } else {
      return error(t.get("address")->source(),
                   "'address' must be \"host:port\" or \"unix:/absolute/path\", got \"" + *address + "\"");
    }
    if (auto r = routing::parse_server_role(*role)) {
      s.role = *r;
    } else {
      return error(t.get("role")->source(), "'role' must be \"primary\" or \"replica\"");
    }
    if (group->empty()) return error(t.get("group")->source(), "'group' must not be empty");
    s.group = *group;
    if (auto v = int_of(t, table.column("weight"))) s.weight = static_cast<std::uint32_t>(*v);
    if (auto v = int_of(t, table.column("max_connections"))) s.max_connections = static_cast<std::uint32_t>(*v);
    if (auto w = word_of(t, table.column("status"))) s.status = *routing::parse_server_status(*w);
    for (const auto& other : config.topology.servers) {
      if (other.address == s.address) {
        return error(t.source(), "duplicate server " + s.address.to_string());
      }
    }
    server_lines_.push_back(t.source());
    config.topology.servers.push_back(std::move(s));
  }

  void read_monitor(const toml::table& t) {
    check_keys(t, {"user", "password", "interval_ms", "timeout_ms", "failures_to_shun", "history"});
    auto& m = config.monitor;
    if (auto v = string_at(t, "user", true)) m.user = *v;
    if (auto v = string_at(t, "password", false)) m.password = *v;
    if (auto v = int_at(t, "interval_ms", 50, 3600000)) m.interval = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "timeout_ms", 10, 600000)) m.timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "failures_to_shun", 1, 1000)) m.failures_to_shun = static_cast<unsigned>(*v);
    if (auto v = int_at(t, "history", 1, 100000)) m.history = static_cast<std::size_t>(*v);
  }

  void read_auth(const toml::table& t) {
    check_keys(t, {"from_backends", "user", "password", "refresh_ms", "login_wait_ms"});
    auto& a = config.auth;
    if (auto v = bool_at(t, "from_backends")) a.from_backends = *v;
    if (auto v = string_at(t, "user", false)) a.user = *v;
    if (auto v = string_at(t, "password", false)) a.password = *v;
    if (auto v = int_at(t, "refresh_ms", 1000, 86400000)) a.refresh = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "login_wait_ms", 0, 60000)) config.proxy.login_account_wait = std::chrono::milliseconds(*v);
  }

  std::optional<routing::endpoint> endpoint_at(const toml::table& t, std::string_view key) {
    auto text = string_at(t, key, false);
    if (!text) return std::nullopt;
    auto ep = routing::parse_endpoint(*text);
    if (ep && ep->is_unix()) ep.reset();  // the admin and HTTP ports listen on TCP only
    if (!ep) error(t.get(key)->source(), "'" + std::string(key) + "' must be \"host:port\", got \"" + *text + "\"");
    return ep;
  }

  void read_admin(const toml::table& t) {
    check_keys(t, {"listen", "user", "password", "password_hash", "state_file", "backend_user", "backend_password",
                   "tls_cert", "tls_key", "require_tls", "max_connections", "export_dir"});
    auto& a = config.admin;
    if (auto ep = endpoint_at(t, "listen")) a.listen = *ep;
    if (auto v = string_at(t, "user", false)) a.user = *v;
    if (auto v = int_at(t, "max_connections", 1, 100000)) a.max_connections = static_cast<std::size_t>(*v);
    auto plain = string_at(t, "password", false);
    auto hashed = string_at(t, "password_hash", false);
    if (plain && hashed) error(t.source(), "[admin]: give password or password_hash, not both");
    if (!plain && !hashed) error(t.source(), "[admin]: missing password (or password_hash)");
    if (plain) a.password = protocol::native_password_hash::from_password(*plain);
    if (hashed) {
      if (auto h = protocol::native_password_hash::from_hex(*hashed)) {
        a.password = *h;
      } else {
        error(t.get("password_hash")->source(), "[admin]: password_hash must be '*' and 40 hex digits");
      }
    }
    if (auto v = string_at(t, "state_file", false)) {
      std::filesystem::path p(*v);
      if (p.is_relative()) p = std::filesystem::path(std::string(source_)).parent_path() / p;
      a.state_file = p.string();
    }
    if (auto v = string_at(t, "tls_cert", false)) a.tls_cert = readable_file(t, "tls_cert", *v);
    if (auto v = string_at(t, "tls_key", false)) a.tls_key = readable_file(t, "tls_key", *v);
    if (a.tls_cert.empty() != a.tls_key.empty()) error(t.source(), "[admin]: TLS needs both tls_cert and tls_key");
    a.require_tls = bool_at(t, "require_tls").value_or(false);
    if (a.require_tls && a.tls_cert.empty()) error(t.source(), "[admin]: require_tls needs tls_cert and tls_key");
    if (auto v = string_at(t, "export_dir", false)) a.export_dir = directory_path(t, "export_dir", *v);
    if (auto v = string_at(t, "backend_user", false)) a.backend_user = *v;
    if (auto v = string_at(t, "backend_password", false)) a.backend_password = *v;
  }

  void read_jobs(const toml::table& t) {
    check_keys(t, {"threads", "chunk_time_ms", "max_chunk_rows", "max_replica_lag_s", "gtid_wait_ms", "parallel",
                   "export_chunk_kb"});
    auto& j = config.jobs;
    if (auto v = int_at(t, "threads", 1, 64)) j.threads = static_cast<unsigned>(*v);
    if (auto v = int_at(t, "chunk_time_ms", 10, 60000)) j.chunk_time = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "max_chunk_rows", 10, 10000000)) j.max_chunk_rows = static_cast<std::size_t>(*v);
    if (auto v = int_at(t, "max_replica_lag_s", 0, 86400)) j.max_replica_lag_seconds = static_cast<std::uint32_t>(*v);
    if (auto v = int_at(t, "gtid_wait_ms", 1000, 3600000)) j.gtid_wait = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "parallel", 1, 64)) j.parallel = static_cast<unsigned>(*v);
    if (auto v = int_at(t, "export_chunk_kb", 64, 1048576)) j.export_chunk_bytes = static_cast<std::size_t>(*v) * 1024;
  }

  void read_provision(const toml::table& t) {
    check_keys(t, {"create_command", "timeout_ms"});
    auto& p = config.provision;
    if (auto v = string_at(t, "create_command", false)) p.create_command = *v;
    if (auto v = int_at(t, "timeout_ms", 1000, 86400000)) p.timeout = std::chrono::milliseconds(*v);
  }

  void read_http(const toml::table& t) {
    check_keys(t, {"listen"});
    config.http.enabled = true;
    if (auto ep = endpoint_at(t, "listen")) config.http.listen = *ep;
  }

  void read_ha(const toml::table& t) {
    check_keys(t, {"replication_user", "replication_password", "hold_timeout_ms", "catch_up_timeout_ms",
                   "hook_timeout_ms"});
    auto& h = config.ha;
    if (auto v = string_at(t, "replication_user", false)) h.replication_user = *v;
    if (auto v = string_at(t, "replication_password", false)) h.replication_password = *v;
    if (auto v = int_at(t, "hold_timeout_ms", 0, 600000)) h.hold_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "catch_up_timeout_ms", 100, 3600000)) h.catch_up_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "hook_timeout_ms", 100, 3600000)) h.hook_timeout = std::chrono::milliseconds(*v);
  }

  void read_group(const toml::table& t) {
    const auto& table = groups_table();
    check_keys(t, file_keys(table));
    auto name = string_of(t, table.column("name"));
    if (!name) return;
    routing::group_policy g;
    g.name = *name;
    if (auto v = int_of(t, table.column("max_replication_lag"))) g.max_replication_lag = static_cast<std::uint32_t>(*v);
    if (auto w = word_of(t, table.column("reads_without_replica"))) g.reads_fall_back_to_primary = *w == "primary";
    if (auto w = word_of(t, table.column("read_only_transactions"))) {
      g.read_only_transactions_on_replica = *w == "replica";
    }
    if (auto v = bool_of(t, table.column("read_your_writes"))) g.read_your_writes = *v;
    if (auto v = int_of(t, table.column("read_your_writes_timeout_ms"))) {
      g.read_your_writes_timeout = std::chrono::milliseconds(*v);
    }
    if (auto w = word_of(t, table.column("failover"))) g.failover = *routing::parse_failover_mode(*w);
    read_candidates(t, g);
    g.pedantic = bool_of(t, table.column("pedantic")).value_or(false);
    g.exec_before = string_of(t, table.column("exec_before")).value_or("");
    g.exec_after = string_of(t, table.column("exec_after")).value_or("");
    auto& groups = config.topology.groups;
    for (const auto& other : groups) {
      if (other.name == g.name) return error(t.source(), "duplicate group '" + g.name + "'");
    }
    group_lines_.push_back(t.source());
    groups.push_back(std::move(g));
  }

  // The file lists candidates as an array of "host:port" strings.
  void read_candidates(const toml::table& t, routing::group_policy& g) {
    const auto* node = t.get("candidates");
    if (!node) return;
    const auto* arr = node->as_array();
    if (!arr) return error(node->source(), "'candidates' must be an array of \"host:port\" strings");
    for (const auto& item : *arr) {
      const auto* text = item.as_string();
      const auto ep = text ? routing::parse_endpoint(text->get()) : std::nullopt;
      if (!ep) {
        error(item.source(), "'candidates' must hold \"host:port\" strings");
        continue;
      }
      g.candidates.push_back(ep->to_string());
    }
  }

  void read_rule(const toml::table& t) {
    const auto& table = rules_table();
    check_keys(t, file_keys(table));
    auto& rules = config.runtime.rules;
    routing::query_rule r;
    const auto id = int_of(t, table.column("id"));  // none: the rule's place
    r.id = static_cast<std::uint32_t>(id.value_or(static_cast<std::int64_t>(rules.size() + 1)));
    for (const auto& other : rules) {
      if (other.id == r.id) return error(t.source(), "duplicate rule id " + std::to_string(r.id));
    }
    r.user = string_of(t, table.column("user")).value_or("");
    r.schema = string_of(t, table.column("schema")).value_or("");
    r.client = string_of(t, table.column("client")).value_or("");
    // A valid CIDR contains its own network address.
    if (const auto slash = r.client.find('/');
        slash != std::string::npos && !routing::client_matches(r.client, r.client.substr(0, slash))) {
      error(t.get("client")->source(), "'client' must be an address or an IPv4 CIDR like \"10.0.0.0/8\"");
    }
    r.match_digest = regex_of(t, table.column("match_digest"));
    r.match_pattern = regex_of(t, table.column("match_pattern"));
    r.route_group = string_of(t, table.column("group_name")).value_or("");
    if (auto w = word_of(t, table.column("route"))) {
      r.route_role = *w == "primary" ? routing::target_role::primary : routing::target_role::replica;
    }
    r.replace = string_of(t, table.column("replace_with"));
    if (r.replace && !t.get("match_pattern")) error(t.get("replace")->source(), "'replace' needs 'match_pattern'");
    r.block_message = string_of(t, table.column("error"));
    if (auto v = int_of(t, table.column("error_code"))) r.block_code = static_cast<std::uint16_t>(*v);
    if (auto v = int_of(t, table.column("timeout_ms"))) r.timeout_ms = static_cast<std::uint32_t>(*v);
    if (auto v = int_of(t, table.column("cache_ttl_ms"))) r.cache_ttl_ms = static_cast<std::uint32_t>(*v);
    r.log = bool_of(t, table.column("log")).value_or(false);
    r.continue_after = bool_of(t, table.column("continue")).value_or(false);
    rule_lines_.push_back(t.source());
    rules.push_back(std::move(r));
  }

  std::shared_ptr<const re2::RE2> regex_of(const toml::table& t, const column_spec& c) {
    auto text = string_of(t, c);
    if (!text) return nullptr;
    std::string problem;
    auto re = routing::compile_rule_regex(*text, problem);
    if (!re) {
      error(t.get(c.file_key)->source(),
            "'" + std::string(c.file_key) + "' is not a valid regular expression: " + problem);
    }
    return re;
  }

  void validate_tls(const toml::table& root) {
    if (config.proxy.client_tls.enabled()) return;
    for (const auto& [name, user] : config.runtime.users) {
      if (user.require_tls) {
        error(root.source(), "user '" + name + "' has require_tls = true but [proxy] has no tls_cert/tls_key");
      }
    }
  }

  void validate_whole_config(const toml::table& root) {
    if (config.topology.servers.empty() && !out_.errors.empty()) return;  // the servers' own errors say enough
    for (const auto& p : validate_whole(config.topology, config.runtime, {.groups_need_servers = true})) {
      error(where(p, root), p.message);
    }
    add_default_policies(config.topology);
  }

  // The line of the row a problem names; the file's start for a problem of the whole.
  const toml::source_region& where(const config_problem& p, const toml::table& root) const {
    if (!p.row) return root.source();
    using place = config_problem::place;
    const auto& lines = p.in == place::servers ? server_lines_ : p.in == place::groups ? group_lines_ : rule_lines_;
    return *p.row < lines.size() ? lines[*p.row] : root.source();
  }

  std::string_view source_;
  config_load_result& out_;
  std::vector<toml::source_region> server_lines_;
  std::vector<toml::source_region> group_lines_;
  std::vector<toml::source_region> rule_lines_;
};

}  // namespace

config_load_result load_config_text(std::string_view toml_text, std::string_view source_name) {
  config_load_result result;
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream s;
    s << source_name << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
      << e.description();
    result.errors.push_back(s.str());
    return result;
  }
  config_reader reader(source_name, result);
  reader.read(root);
  if (result.errors.empty()) result.config = std::move(reader.config);
  return result;
}

config_load_result load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, {path + ": cannot open file"}};
  std::ostringstream text;
  text << in.rdbuf();
  return load_config_text(text.str(), path);
}

}  // namespace weft::config
