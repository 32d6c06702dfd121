// The SQL weft runs for replication matters, per server flavor, in one place: MariaDB (GTIDs
// "domain-server-seq", SHOW SLAVE STATUS, MASTER_GTID_WAIT) and MySQL 8 (UUID:seq GTID sets,
// SHOW REPLICA STATUS, WAIT_FOR_EXECUTED_GTID_SET). Pure text; unit-tested.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft::routing {

enum class server_flavor : std::uint8_t { mariadb, mysql };

// From the server's version string (the greeting or SELECT VERSION()).
server_flavor flavor_from_version(std::string_view version);

// read_only and the server's executed GTIDs, as columns "ro" and "gtid".
std::string_view health_variables_query(server_flavor flavor);
std::string_view replica_status_query(server_flavor flavor);

// After a write on the primary: what a replica must have applied for the session to read it.
// MariaDB gives the session's own last GTID; MySQL has no such variable without session
// tracking, so the primary's whole executed set (a superset: never too little) is used.
std::string_view written_gtid_query(server_flavor flavor);

// Whether text is a GTID (set) of this flavor, safe to put in a quoted SQL literal.
bool valid_gtid_text(server_flavor flavor, std::string_view text);

// Waits on a replica until it has applied `gtid`, at most `timeout`; one column.
std::string gtid_wait_query(server_flavor flavor, std::string_view gtid, std::chrono::milliseconds timeout);
// Whether that column says the replica caught up (MariaDB: 0, -1 on timeout; MySQL: 0, 1).
bool gtid_wait_succeeded(std::optional<std::string_view> value);

// A quoted SQL string literal ('...' with quotes and backslashes escaped).
std::string sql_literal(std::string_view text);

struct source_settings {
  std::string host;
  std::uint16_t port = 0;
  std::string user;
  std::string password;
  // MariaDB: start from the replica's own executed GTIDs (gtid_current_pos) rather than from
  // what it last applied as a replica (gtid_slave_pos): the form for an old primary that rejoins.
  // MySQL's auto-positioning always uses the executed set.
  bool from_own_binlog = false;
};

// A server's identity and replication settings, as columns sid (server_id), log_bin, gtid
// (executed GTIDs), slave_pos (applied as a replica), gtid_mode, engine, page_size, version.
std::string_view server_identity_query(server_flavor flavor);
// The SHOW SLAVE/REPLICA STATUS column with the GTIDs the IO thread has received (applied or
// not): what a replica will hold once its relay log is applied.
std::string_view received_gtid_column(server_flavor flavor);
// The SHOW SLAVE/REPLICA STATUS columns naming the source.
std::string_view source_host_column(server_flavor flavor);
std::string_view source_port_column(server_flavor flavor);
std::string_view io_running_column(server_flavor flavor);
std::string_view sql_running_column(server_flavor flavor);
std::string_view stop_io_thread_query(server_flavor flavor);
// Statements of other sessions still running (to let them finish before a switchover).
std::string_view running_statements_query();

// Points a replica at a source with GTID auto-positioning (the replica must be stopped).
std::string change_source_query(server_flavor flavor, const source_settings& source);
std::string_view start_replica_query(server_flavor flavor);
std::string_view stop_replica_query(server_flavor flavor);
// Forgets the replica's source entirely (a promoted replica).
std::string_view reset_replica_query(server_flavor flavor);
std::string set_read_only_query(bool on);
// The replication account on a source: created if missing, granted what a replica needs.
std::string create_replication_user_query(server_flavor flavor, std::string_view user, std::string_view password);
std::string grant_replication_query(std::string_view user);
// The executed GTIDs of a primary after it stopped taking writes: what replicas must reach.
std::string_view binlog_position_query(server_flavor flavor);
// Starts the replica from the source's current position instead of from its first binlog
// (MariaDB sets gtid_slave_pos; MySQL would need gtid_purged on an empty server).
std::string start_from_position_query(server_flavor flavor, std::string_view position);

}  // namespace weft::routing
