// Finds where a server's response to one command ends, from the raw byte stream, without
// copying or decoding rows: it looks at frame headers and at the first bytes of each packet.
// It also reports the status flags of the final OK/EOF (in transaction, autocommit, ...).
//
// Responses it understands (caps decide EOF vs CLIENT_DEPRECATE_EOF terminators):
//   OK | ERR | result set [+ more results while SERVER_MORE_RESULTS_EXISTS] | LOCAL INFILE request
//   COM_STMT_PREPARE: prepare-OK, parameter and column definitions
//   COM_FIELD_LIST: column definitions up to EOF;  COM_STATISTICS: one text packet
#pragma once

#include <cstdint>

#include "protocol/bytes.h"
#include "protocol/constants.h"

namespace weft::protocol {

// Does the server answer this command at all? (COM_QUIT, COM_STMT_CLOSE and
// COM_STMT_SEND_LONG_DATA get no response.)
bool command_has_response(std::uint8_t cmd);

class response_tracker {
 public:
  // cursor_requested: a COM_STMT_EXECUTE whose flags ask for a cursor. Only then does
  // SERVER_STATUS_CURSOR_EXISTS after the column definitions end the response (rows follow by
  // COM_STMT_FETCH); MariaDB also sets that flag on the EOFs of result sets a stored program
  // returns after it opened a cursor of its own, and those rows do follow.
  void start(std::uint8_t cmd, std::uint64_t caps, bool cursor_requested = false);

  // Consumes bytes of the response; returns how many belong to it. Once done() (or
  // wants_local_infile()), bytes after the returned count are not part of this response.
  std::size_t feed(bytes_view data);

  bool done() const { return state_ == state::done; }
  // The server asked for a LOCAL INFILE: the client sends the file (ending with an empty packet),
  // then call resume_after_local_infile() and keep feeding the server's final OK/ERR.
  bool wants_local_infile() const { return state_ == state::local_infile; }
  void resume_after_local_infile() { state_ = state::first; }

  bool failed() const { return error_code_ != 0; }
  std::uint16_t error_code() const { return error_code_; }
  std::uint16_t status_flags() const { return status_flags_; }
  // False for responses that carry no status (a prepare-OK, COM_STATISTICS, an ERR).
  bool has_status() const { return has_status_; }
  // Of the last OK/EOF seen: warnings (SHOW WARNINGS will ask for them) and the insert id.
  std::uint16_t warnings() const { return warnings_; }
  std::uint64_t last_insert_id() const { return last_insert_id_; }
  // Some OK of this response (any of several results) reported a non-zero insert id.
  bool insert_id_reported() const { return insert_id_reported_; }
  std::uint64_t result_sets() const { return result_sets_; }
  std::uint64_t rows() const { return rows_; }

 private:
  enum class state {
    first,            // OK / ERR / column count / LOCAL INFILE request
    column_defs,      // columns_left_ definitions, then EOF (unless deprecate_eof) or rows
    columns_eof,      // the EOF after column definitions
    rows,             // rows until EOF/OK terminator or ERR
    prepare_params,   // COM_STMT_PREPARE: parameter definitions
    prepare_params_eof,
    prepare_columns,  // ... then column definitions
    prepare_columns_eof,
    field_list,       // COM_FIELD_LIST: definitions until EOF
    single_packet,    // COM_STATISTICS
    local_infile,
    done,
  };

  void on_packet(const std::uint8_t* prefix, std::size_t prefix_len, std::uint32_t length);
  void on_first(const std::uint8_t* p, std::size_t n, std::uint32_t length);
  void on_terminator(const std::uint8_t* p, std::size_t n);  // EOF or OK-with-0xFE
  void on_error(const std::uint8_t* p, std::size_t n);
  void on_prepare_ok(const std::uint8_t* p, std::size_t n);
  void after_definitions(state finished);
  void finish_result(std::uint16_t flags);
  void read_ok_fields(const std::uint8_t* p, std::size_t n);  // OK body after the header byte
  bool deprecate_eof() const { return caps_ & cap::deprecate_eof; }

  // Enough of a packet to read any header we care about (OK: 1 + 9 + 9 + 2 + 2).
  static constexpr std::size_t prefix_capacity = 32;

  state state_ = state::done;
  std::uint8_t cmd_ = 0;
  std::uint64_t caps_ = 0;
  bool cursor_requested_ = false;
  std::uint64_t columns_left_ = 0;
  std::uint64_t prepare_columns_ = 0;
  std::uint16_t status_flags_ = 0;
  std::uint16_t error_code_ = 0;
  std::uint16_t warnings_ = 0;
  bool has_status_ = false;
  std::uint64_t last_insert_id_ = 0;
  bool insert_id_reported_ = false;
  std::uint64_t result_sets_ = 0;
  std::uint64_t rows_ = 0;

  // Frame parsing across feed() calls.
  std::uint8_t header_[frame_header_size] = {};
  std::size_t header_have_ = 0;
  bool in_payload_ = false;
  std::uint32_t frame_length_ = 0;
  std::uint32_t frame_left_ = 0;
  bool continuation_ = false;  // this frame continues a logical packet (previous was full-size)
  std::uint8_t prefix_[prefix_capacity] = {};
  std::size_t prefix_have_ = 0;
};

}  // namespace weft::protocol
