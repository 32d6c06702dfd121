#include "routing/replication_sql.h"

namespace weft::routing {

server_flavor flavor_from_version(std::string_view version) {
  return version.find("MariaDB") != std::string_view::npos ? server_flavor::mariadb : server_flavor::mysql;
}

std::string_view health_variables_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "SELECT @@read_only AS ro, @@gtid_current_pos AS gtid, @@server_id AS sid"
                                          : "SELECT @@read_only AS ro, @@global.gtid_executed AS gtid, @@server_id AS sid";
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

bool gtid_wait_succeeded(std::optional<std::string_view> value) { return value && *value == "0"; }

std::string sql_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string change_source_query(server_flavor flavor, const source_settings& s) {
  if (flavor == server_flavor::mariadb) {
    return "CHANGE MASTER TO MASTER_HOST=" + sql_literal(s.host) + ", MASTER_PORT=" + std::to_string(s.port) +
           ", MASTER_USER=" + sql_literal(s.user) + ", MASTER_PASSWORD=" + sql_literal(s.password) +
           ", MASTER_USE_GTID=" + (s.from_own_binlog ? "current_pos" : "slave_pos") + ", MASTER_CONNECT_RETRY=1";
  }
  return "CHANGE REPLICATION SOURCE TO SOURCE_HOST=" + sql_literal(s.host) + ", SOURCE_PORT=" + std::to_string(s.port) +
         ", SOURCE_USER=" + sql_literal(s.user) + ", SOURCE_PASSWORD=" + sql_literal(s.password) +
         ", SOURCE_AUTO_POSITION=1, SOURCE_CONNECT_RETRY=1, GET_SOURCE_PUBLIC_KEY=1";
}

std::string_view start_replica_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "START SLAVE" : "START REPLICA";
}

std::string_view stop_replica_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "STOP SLAVE" : "STOP REPLICA";
}

std::string_view reset_replica_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "RESET SLAVE ALL" : "RESET REPLICA ALL";
}

std::string set_read_only_query(bool on) { return std::string("SET GLOBAL read_only = ") + (on ? "ON" : "OFF"); }

std::string create_replication_user_query(server_flavor flavor, std::string_view user, std::string_view password) {
  // MySQL 8's default plugin needs TLS or the source's public key; mysql_native_password keeps
  // the replica's login simple on both flavors.
  return "CREATE USER IF NOT EXISTS " + sql_literal(user) + "@'%' IDENTIFIED " +
         (flavor == server_flavor::mysql ? "WITH mysql_native_password " : "") + "BY " + sql_literal(password);
}

std::string grant_replication_query(std::string_view user) {
  return "GRANT REPLICATION SLAVE ON *.* TO " + sql_literal(user) + "@'%'";
}

std::string_view binlog_position_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "SELECT @@gtid_binlog_pos AS gtid" : "SELECT @@global.gtid_executed AS gtid";
}

std::string start_from_position_query(server_flavor flavor, std::string_view position) {
  return flavor == server_flavor::mariadb ? "SET GLOBAL gtid_slave_pos = " + sql_literal(position)
                                          : "SET GLOBAL gtid_purged = " + sql_literal(position);
}

std::string_view server_identity_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb
             ? "SELECT @@server_id AS sid, @@log_bin AS log_bin, @@gtid_current_pos AS gtid, @@gtid_slave_pos AS "
               "slave_pos, 'ON' AS gtid_mode, @@default_storage_engine AS engine, @@innodb_page_size AS page_size, "
               "@@version AS version"
             : "SELECT @@server_id AS sid, @@log_bin AS log_bin, @@global.gtid_executed AS gtid, "
               "@@global.gtid_executed AS slave_pos, @@gtid_mode AS gtid_mode, @@default_storage_engine AS engine, "
               "@@innodb_page_size AS page_size, @@version AS version";
}

std::string_view received_gtid_column(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "Gtid_IO_Pos" : "Retrieved_Gtid_Set";
}
std::string_view source_host_column(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "Master_Host" : "Source_Host";
}
std::string_view source_port_column(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "Master_Port" : "Source_Port";
}
std::string_view io_running_column(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "Slave_IO_Running" : "Replica_IO_Running";
}
std::string_view sql_running_column(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "Slave_SQL_Running" : "Replica_SQL_Running";
}
std::string_view stop_io_thread_query(server_flavor flavor) {
  return flavor == server_flavor::mariadb ? "STOP SLAVE IO_THREAD" : "STOP REPLICA IO_THREAD";
}
std::string_view running_statements_query() {
  return "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE command = 'Query' AND id <> "
         "CONNECTION_ID() AND user <> 'system user'";
}

}  // namespace weft::routing
