#include "protocol/response_tracker.h"

#include <algorithm>

#include "protocol/frame.h"
#include "protocol/messages.h"

namespace weft::protocol {

bool command_has_response(std::uint8_t cmd) {
  switch (static_cast<command>(cmd)) {
    case command::quit:
    case command::stmt_close:
    case command::stmt_send_long_data:
      return false;
    default:
      return true;
  }
}

void response_tracker::start(std::uint8_t cmd, std::uint64_t caps, bool cursor_requested) {
  const auto keep_caps = caps;
  *this = response_tracker{};
  cmd_ = cmd;
  caps_ = keep_caps;
  cursor_requested_ = cursor_requested && cmd == static_cast<std::uint8_t>(command::stmt_execute);
  if (!command_has_response(cmd)) {
    state_ = state::done;  // nothing will come: the connection is already between commands
    return;
  }
  switch (static_cast<command>(cmd)) {
    case command::statistics: state_ = state::single_packet; break;
    case command::field_list: state_ = state::field_list; break;
    case command::stmt_fetch: state_ = state::rows; break;
    default: state_ = state::first; break;
  }
}

std::size_t response_tracker::feed(bytes_view data) {
  std::size_t used = 0;
  while (used < data.size() && state_ != state::done && state_ != state::local_infile) {
    if (!in_payload_) {
      const auto take = std::min(frame_header_size - header_have_, data.size() - used);
      std::copy_n(data.data() + used, take, header_ + header_have_);
      header_have_ += take;
      used += take;
      if (header_have_ < frame_header_size) break;
      header_have_ = 0;
      frame_length_ = decode_frame_header(header_).payload_length;
      frame_left_ = frame_length_;
      prefix_have_ = 0;
      in_payload_ = true;
    }
    const auto take = std::min<std::size_t>(frame_left_, data.size() - used);
    const auto keep = std::min(take, prefix_capacity - prefix_have_);
    std::copy_n(data.data() + used, keep, prefix_ + prefix_have_);
    prefix_have_ += keep;
    frame_left_ -= static_cast<std::uint32_t>(take);
    used += take;
    if (frame_left_ > 0) break;
    in_payload_ = false;
    const bool was_continuation = continuation_;
    continuation_ = frame_length_ == max_frame_payload;
    // Only the first frame of a logical packet carries its type byte.
    if (!was_continuation) on_packet(prefix_, prefix_have_, frame_length_);
  }
  return used;
}

void response_tracker::on_packet(const std::uint8_t* p, std::size_t n, std::uint32_t length) {
  const std::uint8_t first = n ? p[0] : 0;
  switch (state_) {
    case state::first:
      on_first(p, n, length);
      break;
    case state::column_defs:
      if (--columns_left_ == 0) {
        state_ = deprecate_eof() ? state::rows : state::columns_eof;
      }
      break;
    case state::columns_eof:
      if (first == err_header) return on_error(p, n);
      if (n >= 5) {
        status_flags_ = static_cast<std::uint16_t>(p[3] | (p[4] << 8));
        has_status_ = true;
      }
      // A cursor was opened (COM_STMT_EXECUTE with a cursor flag): rows come via COM_STMT_FETCH.
      // The flag alone proves nothing: after a stored program opened a cursor of its own,
      // MariaDB 10.11 sets it on the EOFs of every result set the program returns (even after
      // CLOSE), and their rows follow here.
      state_ = cursor_requested_ && (status_flags_ & status::cursor_exists) ? state::done : state::rows;
      break;
    case state::rows:
      if (first == err_header) return on_error(p, n);
      if (is_eof_or_ok_terminator(first, length)) return on_terminator(p, n);
      ++rows_;
      break;
    case state::prepare_params:
    case state::prepare_columns:
      if (--columns_left_ == 0) {
        if (!deprecate_eof()) {
          state_ = state_ == state::prepare_params ? state::prepare_params_eof : state::prepare_columns_eof;
        } else {
          after_definitions(state_);
        }
      }
      break;
    case state::prepare_params_eof:
    case state::prepare_columns_eof:
      after_definitions(state_);
      break;
    case state::field_list:
      if (first == err_header) return on_error(p, n);
      if (is_eof_or_ok_terminator(first, length)) return on_terminator(p, n);
      break;
    case state::single_packet:
      state_ = state::done;
      break;
    case state::local_infile:
    case state::done:
      break;
  }
}

void response_tracker::on_first(const std::uint8_t* p, std::size_t n, std::uint32_t length) {
  const std::uint8_t first = n ? p[0] : 0;
  if (first == err_header) return on_error(p, n);
  if (first == local_infile_header) {
    state_ = state::local_infile;
    return;
  }
  if (first == ok_header) {
    if (cmd_ == static_cast<std::uint8_t>(command::stmt_prepare)) return on_prepare_ok(p, n);
    read_ok_fields(p, n);
    return finish_result(status_flags_);
  }
  if (is_eof_or_ok_terminator(first, length)) return on_terminator(p, n);
  byte_reader r({p, n});
  columns_left_ = r.lenenc_int();
  if (!r.ok() || columns_left_ == 0) {
    state_ = state::done;  // not a response we understand; end it here rather than hang
    error_code_ = 0xFFFF;
    return;
  }
  ++result_sets_;
  state_ = state::column_defs;
}

void response_tracker::on_terminator(const std::uint8_t* p, std::size_t n) {
  if (deprecate_eof() && n > 5) {
    read_ok_fields(p, n);  // an OK packet with a 0xFE header
  } else if (n >= 5) {
    warnings_ = static_cast<std::uint16_t>(p[1] | (p[2] << 8));
    status_flags_ = static_cast<std::uint16_t>(p[3] | (p[4] << 8));
  }
  finish_result(status_flags_);
}

void response_tracker::read_ok_fields(const std::uint8_t* p, std::size_t n) {
  byte_reader r({p, n});
  r.skip(1);
  r.lenenc_int();
  const auto insert_id = r.lenenc_int();
  const auto flags = r.u16();
  const auto warnings = r.u16();
  if (!r.ok()) return;
  last_insert_id_ = insert_id;
  insert_id_reported_ = insert_id_reported_ || insert_id != 0;
  status_flags_ = flags;
  warnings_ = warnings;
}

void response_tracker::after_definitions(state finished) {
  const bool params_done = finished == state::prepare_params || finished == state::prepare_params_eof;
  if (params_done && prepare_columns_ > 0) {
    columns_left_ = prepare_columns_;
    state_ = state::prepare_columns;
  } else {
    state_ = state::done;
  }
}

void response_tracker::finish_result(std::uint16_t flags) {
  status_flags_ = flags;
  has_status_ = true;
  const bool more = (flags & status::more_results_exists) &&
                    cmd_ != static_cast<std::uint8_t>(command::field_list);
  state_ = more ? state::first : state::done;
}

void response_tracker::on_error(const std::uint8_t* p, std::size_t n) {
  error_code_ = n >= 3 ? static_cast<std::uint16_t>(p[1] | (p[2] << 8)) : 0xFFFF;
  state_ = state::done;
}

void response_tracker::on_prepare_ok(const std::uint8_t* p, std::size_t n) {
  // 0x00, statement id (4), columns (2), params (2), filler (1), warnings (2)
  if (n < 9) {
    error_code_ = 0xFFFF;
    state_ = state::done;
    return;
  }
  prepare_columns_ = static_cast<std::uint16_t>(p[5] | (p[6] << 8));
  const std::uint16_t params = static_cast<std::uint16_t>(p[7] | (p[8] << 8));
  if (params > 0) {
    columns_left_ = params;
    state_ = state::prepare_params;
  } else if (prepare_columns_ > 0) {
    columns_left_ = prepare_columns_;
    state_ = state::prepare_columns;
  } else {
    state_ = state::done;
  }
}

}  // namespace weft::protocol
