// Error codes: how a decode fails (weft::protocol::errc, an error_code category), and the
// MySQL/weft error numbers with SQLSTATE that clients receive in ERR packets.
#pragma once

#include <cstdint>
#include <string_view>
#include <system_error>

namespace weft::protocol {

enum class errc {
  truncated = 1,        // fewer bytes than the message needs
  malformed,            // bytes that cannot be this message
  unexpected_header,    // e.g. an OK expected, something else arrived
  packet_too_large,     // over the configured max_allowed_packet
  bad_sequence,         // sequence id out of order
  unsupported_protocol, // not protocol 10 / no CLIENT_PROTOCOL_41
  unsupported_auth,     // an auth plugin weft cannot speak
};

const std::error_category& protocol_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), protocol_category()}; }

// An error a client receives: MySQL/MariaDB number, SQLSTATE, and the printf-free message text.
struct error_spec {
  std::uint16_t code;
  std::string_view sql_state;
};

namespace er {
// Codes and states as the server uses them, so drivers react the same way.
inline constexpr error_spec access_denied{1045, "28000"};
inline constexpr error_spec handshake_error{1043, "08S01"};
inline constexpr error_spec unknown_com{1047, "08S01"};
inline constexpr error_spec net_packet_too_large{1153, "08S01"};
inline constexpr error_spec net_packets_out_of_order{1156, "08S01"};
inline constexpr error_spec not_supported_yet{1235, "42000"};
inline constexpr error_spec server_shutdown{1053, "08S01"};
inline constexpr error_spec unknown_stmt_handler{1243, "HY000"};
inline constexpr error_spec stmt_has_no_open_cursor{1421, "HY000"};
inline constexpr error_spec malformed_packet{1835, "HY000"};
inline constexpr error_spec too_many_connections{1040, "08004"};
inline constexpr error_spec host_blocked{1129, "HY000"};
inline constexpr error_spec wrong_value_for_var{1231, "42000"};
inline constexpr error_spec account_locked{4151, "HY000"};
inline constexpr error_spec must_change_password_login{1862, "HY000"};
// weft's own range, 9000+: problems between weft and its backends.
inline constexpr error_spec backend_unreachable{9001, "HY000"};
inline constexpr error_spec backend_auth_unsupported{9002, "HY000"};
inline constexpr error_spec no_primary{9003, "HY000"};
inline constexpr error_spec backend_protocol{9004, "HY000"};
inline constexpr error_spec backend_lost{9005, "08S01"};
inline constexpr error_spec pool_exhausted{9006, "HY000"};
inline constexpr error_spec no_replica{9007, "HY000"};
inline constexpr error_spec config_rejected{9010, "HY000"};
inline constexpr error_spec unknown_server{9011, "HY000"};
// An HA command that cannot run as asked (unknown group, no candidate, missing account).
inline constexpr error_spec ha_refused{9012, "HY000"};
// A statement in flight on a backend that stopped answering (read deadline, or shunned).
inline constexpr error_spec backend_timeout{9013, "08S01"};
// A job (COMPARE...) that stopped: a server lost or refusing mid-way (RESUME JOB continues it).
inline constexpr error_spec job_failed{9014, "HY000"};
// A job command that cannot run as asked (no such job, a WHERE too long, a path outside
// export_dir, a non-empty target table).
inline constexpr error_spec job_refused{9015, "HY000"};
// A sharding command that cannot run as asked (no such map, a table mapped already).
inline constexpr error_spec shard_refused{9016, "HY000"};
// A statement weft cannot route to the right shards or merge correctly: refused, never a
// guess (the message says why).
inline constexpr error_spec shard_unroutable{9017, "HY000"};
// A transaction that would need a second shard (weft does not run two-phase commits).
inline constexpr error_spec shard_transaction{9018, "HY000"};
inline constexpr error_spec unknown_database{1049, "42000"};
inline constexpr error_spec unknown_table{1146, "42S02"};
}  // namespace er

// Errors after which the server closes the connection (network-level failures, a killed
// connection, shutdown): a connection that answered one is never used again.
constexpr bool server_closes_after(std::uint16_t code) {
  switch (code) {
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1152:  // ER_ABORTING_CONNECTION
    case 1153:  // ER_NET_PACKET_TOO_LARGE
    case 1154: case 1155:  // ER_NET_READ_ERROR_FROM_PIPE, ER_NET_FCNTL_ERROR
    case 1156: case 1157: case 1158: case 1159: case 1160: case 1161:  // ER_NET_*
    case 1184:  // ER_NEW_ABORTING_CONNECTION
    case 1927:  // ER_CONNECTION_KILLED
      return true;
    default:
      return false;
  }
}

}  // namespace weft::protocol

template <>
struct std::is_error_code_enum<weft::protocol::errc> : std::true_type {};
