#include "admin/config_loader.h"

#include "protocol/caching_sha2.h"
#include "protocol/constants.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace weft::admin {
namespace {

class config_reader {
 public:
  config_reader(std::string_view source, config_load_result& out) : source_(source), out_(out) {}

  void read(const toml::table& root) {
    check_keys(root, {"proxy", "backend", "log", "users", "servers"});
    if (auto* t = table_at(root, "proxy")) read_proxy(*t);
    if (auto* t = table_at(root, "backend")) read_backend(*t);
    if (auto* t = table_at(root, "log")) read_log(*t);
    read_array_of_tables(root, "users", [&](const toml::table& t) { read_user(t); });
    read_array_of_tables(root, "servers", [&](const toml::table& t) { read_server(t); });
    validate_topology(root);
    validate_tls(root);
  }

  bootstrap_config config;

 private:
  void error(const toml::source_region& where, const std::string& message) {
    std::ostringstream s;
    s << source_ << ':' << where.begin.line << ':' << where.begin.column << ": " << message;
    out_.errors.push_back(s.str());
  }

  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed) {
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

  void read_proxy(const toml::table& t) {
    check_keys(t, {"listen", "workers", "max_allowed_packet", "connect_timeout_ms",
                   "handshake_timeout_ms", "server_version", "tls_cert", "tls_key", "local_infile",
                   "auth_plugin"});
    auto& p = config.proxy;
    if (auto listen = string_at(t, "listen", false)) {
      if (auto ep = routing::parse_endpoint(*listen)) {
        p.listen = *ep;
      } else {
        error(t.get("listen")->source(), "'listen' must be \"host:port\", got \"" + *listen + "\"");
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
    if (auto v = string_at(t, "server_version", false)) p.server_version = *v;
    if (auto v = string_at(t, "auth_plugin", false)) {
      if (*v != protocol::native_password_plugin && *v != protocol::caching_sha2_plugin) {
        error(t.get("auth_plugin")->source(), "'auth_plugin' must be \"mysql_native_password\" or \"caching_sha2_password\"");
      } else {
        p.auth_plugin = *v;
      }
    }
    if (const auto* node = t.get("local_infile")) {
      if (!node->is_boolean()) return error(node->source(), "'local_infile' must be true or false");
      p.local_infile = node->as_boolean()->get();
    }
    if (auto v = string_at(t, "tls_cert", false)) p.client_tls.cert_file = readable_file(t, "tls_cert", *v);
    if (auto v = string_at(t, "tls_key", false)) p.client_tls.key_file = readable_file(t, "tls_key", *v);
    if (p.client_tls.cert_file.empty() != p.client_tls.key_file.empty()) {
      error(t.source(), "TLS to clients needs both tls_cert and tls_key");
    }
  }

  void read_backend(const toml::table& t) {
    check_keys(t, {"tls", "tls_ca", "tls_verify", "max_connections", "pool_wait_timeout_ms",
                   "idle_timeout_ms", "multiplexing"});
    auto& p = config.proxy;
    if (auto v = int_at(t, "max_connections", 1, 100000)) p.max_backend_connections = static_cast<std::size_t>(*v);
    if (auto v = int_at(t, "pool_wait_timeout_ms", 0, 600000)) p.pool_wait_timeout = std::chrono::milliseconds(*v);
    if (auto v = int_at(t, "idle_timeout_ms", 100, 86400000)) p.idle_timeout = std::chrono::milliseconds(*v);
    if (const auto* node = t.get("multiplexing")) {
      if (!node->is_boolean()) return error(node->source(), "'multiplexing' must be true or false");
      p.multiplexing = node->as_boolean()->get();
    }
    auto& b = config.proxy.backend_tls;
    if (const auto* node = t.get("tls")) {
      if (!node->is_boolean()) return error(node->source(), "'tls' must be true or false");
      b.enabled = node->as_boolean()->get();
    }
    if (const auto* node = t.get("tls_verify")) {
      if (!node->is_boolean()) return error(node->source(), "'tls_verify' must be true or false");
      b.verify = node->as_boolean()->get();
    }
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
    check_keys(t, {"name", "password", "password_hash", "require_tls"});
    auto name = string_at(t, "name", true);
    auto plain = string_at(t, "password", false);
    auto hashed = string_at(t, "password_hash", false);
    if (!name) return;
    if (name->empty()) return error(t.source(), "user name must not be empty");
    if (plain && hashed) return error(t.source(), "user '" + *name + "': give password or password_hash, not both");
    if (!plain && !hashed) {
      return error(t.source(), "user '" + *name + "': missing password (password = \"\" for none)");
    }
    proxy::user_account account{*name, {}, false};
    if (const auto* node = t.get("require_tls")) {
      if (!node->is_boolean()) return error(node->source(), "'require_tls' must be true or false");
      account.require_tls = node->as_boolean()->get();
    }
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
    check_keys(t, {"address", "group", "role"});
    auto address = string_at(t, "address", true);
    auto group = string_at(t, "group", true);
    auto role = string_at(t, "role", true);
    if (!address || !group || !role) return;
    routing::server s;
    if (auto ep = routing::parse_endpoint(*address)) {
      s.address = *ep;
    } else {
      return error(t.get("address")->source(), "'address' must be \"host:port\", got \"" + *address + "\"");
    }
    if (auto r = routing::parse_server_role(*role)) {
      s.role = *r;
    } else {
      return error(t.get("role")->source(), "'role' must be \"primary\" or \"replica\"");
    }
    if (group->empty()) return error(t.get("group")->source(), "'group' must not be empty");
    s.group = *group;
    for (const auto& other : config.runtime.topology.servers) {
      if (other.address == s.address) {
        return error(t.source(), "duplicate server " + s.address.to_string());
      }
    }
    server_lines_.push_back(t.source());
    config.runtime.topology.servers.push_back(std::move(s));
  }

  void validate_tls(const toml::table& root) {
    if (config.proxy.client_tls.enabled()) return;
    for (const auto& [name, user] : config.runtime.users) {
      if (user.require_tls) {
        error(root.source(), "user '" + name + "' has require_tls = true but [proxy] has no tls_cert/tls_key");
      }
    }
  }

  void validate_topology(const toml::table& root) {
    const auto& servers = config.runtime.topology.servers;
    if (servers.empty()) {
      if (out_.errors.empty()) error(root.source(), "no [[servers]] configured");
      return;
    }
    std::set<std::string> groups;
    for (const auto& s : servers) groups.insert(s.group);
    for (const auto& g : groups) {
      int primaries = 0;
      for (std::size_t i = 0; i < servers.size(); ++i) {
        if (servers[i].group != g || servers[i].role != routing::server_role::primary) continue;
        if (++primaries > 1) error(server_lines_[i], "group '" + g + "' has more than one primary");
      }
      if (primaries == 0) error(root.source(), "group '" + g + "' has no primary");
    }
  }

  std::string_view source_;
  config_load_result& out_;
  std::vector<toml::source_region> server_lines_;
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

}  // namespace weft::admin
