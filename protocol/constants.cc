#include "protocol/constants.h"

namespace weft::protocol {

std::string_view command_name(std::uint8_t cmd) {
  switch (static_cast<command>(cmd)) {
    case command::sleep: return "COM_SLEEP";
    case command::quit: return "COM_QUIT";
    case command::init_db: return "COM_INIT_DB";
    case command::query: return "COM_QUERY";
    case command::field_list: return "COM_FIELD_LIST";
    case command::create_db: return "COM_CREATE_DB";
    case command::drop_db: return "COM_DROP_DB";
    case command::refresh: return "COM_REFRESH";
    case command::shutdown: return "COM_SHUTDOWN";
    case command::statistics: return "COM_STATISTICS";
    case command::process_info: return "COM_PROCESS_INFO";
    case command::connect: return "COM_CONNECT";
    case command::process_kill: return "COM_PROCESS_KILL";
    case command::debug: return "COM_DEBUG";
    case command::ping: return "COM_PING";
    case command::time: return "COM_TIME";
    case command::delayed_insert: return "COM_DELAYED_INSERT";
    case command::change_user: return "COM_CHANGE_USER";
    case command::binlog_dump: return "COM_BINLOG_DUMP";
    case command::table_dump: return "COM_TABLE_DUMP";
    case command::connect_out: return "COM_CONNECT_OUT";
    case command::register_slave: return "COM_REGISTER_SLAVE";
    case command::stmt_prepare: return "COM_STMT_PREPARE";
    case command::stmt_execute: return "COM_STMT_EXECUTE";
    case command::stmt_send_long_data: return "COM_STMT_SEND_LONG_DATA";
    case command::stmt_close: return "COM_STMT_CLOSE";
    case command::stmt_reset: return "COM_STMT_RESET";
    case command::set_option: return "COM_SET_OPTION";
    case command::stmt_fetch: return "COM_STMT_FETCH";
    case command::daemon: return "COM_DAEMON";
    case command::binlog_dump_gtid: return "COM_BINLOG_DUMP_GTID";
    case command::reset_connection: return "COM_RESET_CONNECTION";
    case command::mariadb_stmt_bulk_execute: return "COM_STMT_BULK_EXECUTE";
  }
  return "COM_UNKNOWN";
}

}  // namespace weft::protocol
