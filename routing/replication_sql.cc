#include "routing/replication_sql.h"

namespace weft::routing {

server_flavor flavor_from_version(std::string_view version) {
  return version.find("MariaDB") != std::string_view::npos ? server_flavor::mariadb : server_flavor::mysql;
}

std::string_view health_variables_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "SELECT @@read_only AS ro, @@gtid_current_pos AS gtid"
                                          : "SELECT @@read_only AS ro, @@global.gtid_executed AS gtid";
}

std::string_view replica_status_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS";
}

std::string_view written_gtid_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "SELECT @@last_gtid" : "SELECT @@global.gtid_executed";
}

bool valid_gtid_text(server_flavor flavor, std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool digit = c >= '0' && c <= '9';
    const bool ok = flavor == server_flavor::mariadb
                        ? digit || c == '-' || c == ','
                        : digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-' || c == ':' ||
                              c == ',' || c == '\n' || c == ' ';
    if (!ok) return false;
  }
  return true;
}

std::string gtid_wait_query(server_flavor flavor, std::string_view gtid, std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  const std::string seconds = std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1);
  const std::string function = flavor == server_flavor::mariadb ? "MASTER_GTID_WAIT" : "WAIT_FOR_EXECUTED_GTID_SET";
  return "SELECT " + function + "('" + std::string(gtid) + "', " + seconds + ")";
}

bool gtid_wait_succeeded(const std::optional<std::string>& value) { return value && *value == "0"; }

}  // namespace weft::routing
