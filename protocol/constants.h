// Capability flags, server status flags and command bytes of the client/server protocol
// (MySQL 4.1+ and MariaDB's extended capabilities in the upper 32 bits).
#pragma once

#include <cstdint>
#include <string_view>

namespace weft::protocol {

namespace cap {
inline constexpr std::uint64_t long_password = 1;  // MariaDB: "CLIENT_MYSQL"; unset = extended caps
inline constexpr std::uint64_t found_rows = 1 << 1;
inline constexpr std::uint64_t long_flag = 1 << 2;
inline constexpr std::uint64_t connect_with_db = 1 << 3;
inline constexpr std::uint64_t no_schema = 1 << 4;
inline constexpr std::uint64_t compress = 1 << 5;
inline constexpr std::uint64_t odbc = 1 << 6;
inline constexpr std::uint64_t local_files = 1 << 7;
inline constexpr std::uint64_t ignore_space = 1 << 8;
inline constexpr std::uint64_t protocol_41 = 1 << 9;
inline constexpr std::uint64_t interactive = 1 << 10;
inline constexpr std::uint64_t ssl = 1 << 11;
inline constexpr std::uint64_t ignore_sigpipe = 1 << 12;
inline constexpr std::uint64_t transactions = 1 << 13;
inline constexpr std::uint64_t reserved = 1 << 14;
inline constexpr std::uint64_t secure_connection = 1 << 15;
inline constexpr std::uint64_t multi_statements = 1 << 16;
inline constexpr std::uint64_t multi_results = 1 << 17;
inline constexpr std::uint64_t ps_multi_results = 1 << 18;
inline constexpr std::uint64_t plugin_auth = 1 << 19;
inline constexpr std::uint64_t connect_attrs = 1 << 20;
inline constexpr std::uint64_t plugin_auth_lenenc_data = 1 << 21;
inline constexpr std::uint64_t can_handle_expired_passwords = 1 << 22;
inline constexpr std::uint64_t session_track = 1 << 23;
inline constexpr std::uint64_t deprecate_eof = 1 << 24;
// MariaDB's first progress-report flag: Connector/C (the mariadb CLI) still asks for progress
// reports with it; MySQL gives the bit no meaning for a client.
inline constexpr std::uint64_t progress_obsolete = 1ull << 29;
inline constexpr std::uint64_t ssl_verify_server_cert = 1ull << 30;
inline constexpr std::uint64_t remember_options = 1ull << 31;
// MariaDB extended capabilities (sent in the 4 filler bytes when long_password is unset).
inline constexpr std::uint64_t mariadb_progress = 1ull << 32;
inline constexpr std::uint64_t mariadb_com_multi = 1ull << 33;
inline constexpr std::uint64_t mariadb_stmt_bulk_operations = 1ull << 34;
inline constexpr std::uint64_t mariadb_extended_type_info = 1ull << 35;
inline constexpr std::uint64_t mariadb_cache_metadata = 1ull << 36;
}  // namespace cap

namespace status {
inline constexpr std::uint16_t in_trans = 1;
inline constexpr std::uint16_t autocommit = 2;
inline constexpr std::uint16_t more_results_exists = 8;
inline constexpr std::uint16_t no_good_index_used = 16;
inline constexpr std::uint16_t no_index_used = 32;
inline constexpr std::uint16_t cursor_exists = 64;
inline constexpr std::uint16_t last_row_sent = 128;
inline constexpr std::uint16_t db_dropped = 256;
inline constexpr std::uint16_t no_backslash_escapes = 512;
inline constexpr std::uint16_t metadata_changed = 1024;
inline constexpr std::uint16_t query_was_slow = 2048;
inline constexpr std::uint16_t ps_out_params = 4096;
inline constexpr std::uint16_t in_trans_readonly = 8192;
inline constexpr std::uint16_t session_state_changed = 16384;
}  // namespace status

enum class command : std::uint8_t {
  sleep = 0x00,
  quit = 0x01,
  init_db = 0x02,
  query = 0x03,
  field_list = 0x04,
  create_db = 0x05,
  drop_db = 0x06,
  refresh = 0x07,
  shutdown = 0x08,
  statistics = 0x09,
  process_info = 0x0A,
  connect = 0x0B,
  process_kill = 0x0C,
  debug = 0x0D,
  ping = 0x0E,
  time = 0x0F,
  delayed_insert = 0x10,
  change_user = 0x11,
  binlog_dump = 0x12,
  table_dump = 0x13,
  connect_out = 0x14,
  register_slave = 0x15,
  stmt_prepare = 0x16,
  stmt_execute = 0x17,
  stmt_send_long_data = 0x18,
  stmt_close = 0x19,
  stmt_reset = 0x1A,
  set_option = 0x1B,
  stmt_fetch = 0x1C,
  daemon = 0x1D,
  binlog_dump_gtid = 0x1E,
  reset_connection = 0x1F,
  mariadb_stmt_bulk_execute = 0xFA,
};

// "COM_QUERY" etc., for logs and error messages.
std::string_view command_name(std::uint8_t cmd);

// Largest payload of one frame; a payload this long continues in the next frame.
inline constexpr std::uint32_t max_frame_payload = 0xFFFFFF;
inline constexpr std::size_t frame_header_size = 4;

inline constexpr std::uint8_t ok_header = 0x00;
inline constexpr std::uint8_t eof_header = 0xFE;
inline constexpr std::uint8_t err_header = 0xFF;
inline constexpr std::uint8_t local_infile_header = 0xFB;

inline constexpr std::uint8_t charset_utf8mb4_general_ci = 45;
inline constexpr std::string_view native_password_plugin = "mysql_native_password";

}  // namespace weft::protocol
