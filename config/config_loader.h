// Loads and validates weft.toml, the bootstrap configuration. Every problem is reported with
// the file, line and column it comes from, all at once, so a DBA fixes the file in one pass.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/admin_settings.h"
#include "config/ha_settings.h"
#include "config/auth_settings.h"
#include "config/monitor_settings.h"
#include "proxy/settings.h"

namespace weft::config {

struct bootstrap_config {
  proxy::proxy_settings proxy;
  std::string log_level = "info";
  monitor_settings monitor;
  auth_settings auth;
  admin_settings admin;
  jobs_settings jobs;
  provision_settings provision;
  http_settings http;
  ha_settings ha;
  proxy::runtime_snapshot runtime;  // users and rules
  routing::topology topology;
};

struct config_load_result {
  std::optional<bootstrap_config> config;  // set when errors is empty
  std::vector<std::string> errors;         // "file:line:column: message"
};

config_load_result load_config_file(const std::string& path);
config_load_result load_config_text(std::string_view toml_text, std::string_view source_name);

}  // namespace weft::config
