#include "protocol/messages.h"

#include <algorithm>

namespace weft::protocol {
namespace {

constexpr std::size_t scramble_part1_size = 8;
constexpr std::size_t scramble_part2_min = 13;  // part 2 field is at least 13 bytes incl. NUL
constexpr std::size_t response_filler = 19;     // + 4 bytes of MariaDB extended capabilities

std::error_code fail(errc e) { return make_error_code(e); }

template <class T>
result<T> done(const byte_reader& r, T&& value) {
  if (!r.ok()) return fail(errc::truncated);
  return std::move(value);
}

using attribute_list = std::vector<std::pair<std::string, std::string>>;

// Connection attributes: a length-encoded block of length-encoded key/value strings.
void encode_attributes(const attribute_list& attributes, byte_writer& w) {
  bytes block;
  byte_writer bw(block);
  for (const auto& [k, v] : attributes) {
    bw.lenenc_string(k);
    bw.lenenc_string(v);
  }
  w.lenenc_int(block.size());
  w.raw(block);
}

bool decode_attributes(byte_reader& r, attribute_list& out) {
  byte_reader block(as_bytes(r.fixed_string(r.lenenc_int())));
  while (r.ok() && block.ok() && !block.at_end()) {
    std::string key(block.lenenc_string());
    std::string value(block.lenenc_string());
    out.emplace_back(std::move(key), std::move(value));
  }
  return block.ok();
}

}  // namespace

// --- handshake v10 -------------------------------------------------------------------------

bytes encode(const handshake_v10& m) {
  bytes out;
  byte_writer w(out);
  const auto& scramble = m.auth_plugin_data;
  const auto part1 = std::min(scramble.size(), scramble_part1_size);
  w.u8(10);
  w.null_string(m.server_version);
  w.u32(m.connection_id);
  w.raw(bytes_view(scramble).first(part1));
  w.zeros(scramble_part1_size - part1);
  w.u8(0);
  w.u16(static_cast<std::uint16_t>(m.capabilities));
  w.u8(m.charset);
  w.u16(m.status_flags);
  w.u16(static_cast<std::uint16_t>(m.capabilities >> 16));
  w.u8((m.capabilities & cap::plugin_auth) ? static_cast<std::uint8_t>(scramble.size() + 1) : 0);
  w.zeros(6);
  w.u32(static_cast<std::uint32_t>(m.capabilities >> 32));
  if (m.capabilities & cap::secure_connection) {
    const auto part2 = bytes_view(scramble).subspan(part1);
    w.raw(part2);
    w.zeros(std::max<std::size_t>(scramble_part2_min, part2.size() + 1) - part2.size());
  }
  if (m.capabilities & cap::plugin_auth) w.null_string(m.auth_plugin_name);
  return out;
}

result<handshake_v10> decode_handshake_v10(bytes_view payload) {
  byte_reader r(payload);
  handshake_v10 m;
  if (r.u8() != 10) return fail(errc::unsupported_protocol);
  m.server_version = r.null_string();
  m.connection_id = r.u32();
  const auto part1 = r.fixed_bytes(scramble_part1_size);
  r.skip(1);
  std::uint64_t caps = r.u16();
  m.charset = r.u8();
  m.status_flags = r.u16();
  caps |= std::uint64_t{r.u16()} << 16;
  const std::size_t auth_len = r.u8();
  r.skip(6);
  caps |= std::uint64_t{r.u32()} << 32;  // zero filler when the server is MySQL
  m.capabilities = caps;
  m.auth_plugin_data.assign(part1.begin(), part1.end());
  if (caps & cap::secure_connection) {
    const auto part2_len = std::max(scramble_part2_min, auth_len > 8 ? auth_len - 8 : 0);
    auto part2 = r.fixed_bytes(part2_len);
    if (!part2.empty() && part2.back() == 0) part2 = part2.first(part2.size() - 1);
    m.auth_plugin_data.insert(m.auth_plugin_data.end(), part2.begin(), part2.end());
  }
  if (caps & cap::plugin_auth) {
    // Some old servers omit the terminating NUL.
    byte_reader probe = r;
    auto name = probe.null_string();
    m.auth_plugin_name = probe.ok() ? name : r.rest();
  }
  if (!(caps & cap::protocol_41)) return fail(errc::unsupported_protocol);
  return done(r, std::move(m));
}

// --- handshake response ----------------------------------------------------------------------

bytes encode(const handshake_response41& m) {
  bytes out;
  byte_writer w(out);
  const auto caps = m.capabilities;
  w.u32(static_cast<std::uint32_t>(caps));
  w.u32(m.max_packet_size);
  w.u8(m.charset);
  w.zeros(response_filler);
  w.u32(static_cast<std::uint32_t>(caps >> 32));
  w.null_string(m.username);
  const auto auth = as_chars(m.auth_response);
  if (caps & cap::plugin_auth_lenenc_data) {
    w.lenenc_string(auth);
  } else if (caps & cap::secure_connection) {
    w.u8(static_cast<std::uint8_t>(auth.size()));
    w.raw(auth);
  } else {
    w.null_string(auth);
  }
  if (caps & cap::connect_with_db) w.null_string(m.database);
  if (caps & cap::plugin_auth) w.null_string(m.auth_plugin_name);
  if (caps & cap::connect_attrs) encode_attributes(m.attributes, w);
  return out;
}

bytes encode_ssl_request(const handshake_response41& m) {
  auto full = encode(m);
  full.resize(ssl_request_size);
  return full;
}

result<handshake_response41> decode_handshake_response41(bytes_view payload) {
  byte_reader r(payload);
  handshake_response41 m;
  std::uint64_t caps = r.u32();
  if (!(caps & cap::protocol_41)) return fail(errc::unsupported_protocol);
  m.max_packet_size = r.u32();
  m.charset = r.u8();
  r.skip(response_filler);
  caps |= std::uint64_t{r.u32()} << 32;
  m.capabilities = caps;
  m.username = r.null_string();
  std::string_view auth;
  if (caps & cap::plugin_auth_lenenc_data) {
    auth = r.lenenc_string();
  } else if (caps & cap::secure_connection) {
    auth = r.fixed_string(r.u8());
  } else {
    auth = r.null_string();
  }
  m.auth_response.assign(auth.begin(), auth.end());
  if (!r.ok()) return fail(errc::truncated);
  // Trailing fields are optional in practice: servers accept a response that stops early.
  if ((caps & cap::connect_with_db) && !r.at_end()) m.database = r.null_string();
  if ((caps & cap::plugin_auth) && !r.at_end()) m.auth_plugin_name = r.null_string();
  // ...but not the attributes a client announced: MariaDB answers 1043 when the block is missing.
  if ((caps & cap::connect_attrs) && (r.at_end() || !decode_attributes(r, m.attributes))) {
    return fail(errc::malformed);
  }
  return done(r, std::move(m));
}

// --- change user ----------------------------------------------------------------------------

bytes encode_com_change_user(const handshake_response41& m, std::uint64_t caps) {
  bytes out;
  byte_writer w(out);
  w.u8(static_cast<std::uint8_t>(command::change_user));
  w.null_string(m.username);
  if (caps & cap::secure_connection) {
    w.u8(static_cast<std::uint8_t>(m.auth_response.size()));
    w.raw(m.auth_response);
  } else {
    w.null_string(as_chars(m.auth_response));
  }
  w.null_string(m.database);
  w.u16(m.charset);
  if (caps & cap::plugin_auth) w.null_string(m.auth_plugin_name);
  if (caps & cap::connect_attrs) encode_attributes(m.attributes, w);
  return out;
}

result<handshake_response41> decode_com_change_user(bytes_view payload, std::uint64_t caps) {
  byte_reader r(payload);
  if (r.u8() != static_cast<std::uint8_t>(command::change_user)) return fail(errc::unexpected_header);
  handshake_response41 m;
  m.capabilities = caps;
  m.username = r.null_string();
  const auto auth = (caps & cap::secure_connection) ? r.fixed_string(r.u8()) : r.null_string();
  m.auth_response.assign(auth.begin(), auth.end());
  m.database = r.null_string();
  if (!r.ok()) return fail(errc::truncated);
  // The rest is optional: charset, plugin name, attributes.
  if (r.remaining() >= 2) m.charset = static_cast<std::uint8_t>(r.u16());
  if ((caps & cap::plugin_auth) && !r.at_end()) m.auth_plugin_name = r.null_string();
  if ((caps & cap::connect_attrs) && !r.at_end() && !decode_attributes(r, m.attributes)) {
    return fail(errc::malformed);
  }
  return done(r, std::move(m));
}

// --- auth switch -------------------------------------------------------------------------------

bytes encode(const auth_switch_request& m) {
  bytes out;
  byte_writer w(out);
  w.u8(eof_header);
  w.null_string(m.plugin_name);
  w.raw(m.plugin_data);
  return out;
}

result<auth_switch_request> decode_auth_switch_request(bytes_view payload) {
  byte_reader r(payload);
  if (r.u8() != eof_header) return fail(errc::unexpected_header);
  auth_switch_request m;
  m.plugin_name = r.null_string();
  auto data = r.rest();
  m.plugin_data.assign(data.begin(), data.end());
  return done(r, std::move(m));
}

// --- OK / ERR / EOF ----------------------------------------------------------------------------

bytes encode(const ok_packet& m, std::uint64_t caps) {
  bytes out;
  byte_writer w(out);
  w.u8(m.header);
  w.lenenc_int(m.affected_rows);
  w.lenenc_int(m.last_insert_id);
  if (caps & cap::protocol_41) {
    w.u16(m.status_flags);
    w.u16(m.warnings);
  } else if (caps & cap::transactions) {
    w.u16(m.status_flags);
  }
  if (caps & cap::session_track) {
    const bool state_changed = m.status_flags & status::session_state_changed;
    if (!m.info.empty() || state_changed) w.lenenc_string(m.info);
    if (state_changed) w.lenenc_string(as_chars(m.session_state_info));
  } else if (!m.info.empty()) {
    // The protocol pages call this string<EOF>, but servers store it length-encoded and
    // Connector/C reads it so (a raw string is a "malformed packet" to the mariadb CLI).
    w.lenenc_string(m.info);
  }
  return out;
}

result<ok_packet> decode_ok_packet(bytes_view payload, std::uint64_t caps) {
  byte_reader r(payload);
  ok_packet m;
  m.header = r.u8();
  if (m.header != ok_header && m.header != eof_header) return fail(errc::unexpected_header);
  m.affected_rows = r.lenenc_int();
  m.last_insert_id = r.lenenc_int();
  if (caps & cap::protocol_41) {
    m.status_flags = r.u16();
    m.warnings = r.u16();
  } else if (caps & cap::transactions) {
    m.status_flags = r.u16();
  }
  if (caps & cap::session_track) {
    if (!r.at_end()) m.info = r.lenenc_string();
    if ((m.status_flags & status::session_state_changed) && !r.at_end()) {
      auto state = r.lenenc_string();
      m.session_state_info.assign(state.begin(), state.end());
    }
  } else if (!r.at_end()) {
    m.info = r.lenenc_string();
  }
  return done(r, std::move(m));
}

bytes encode(const err_packet& m, std::uint64_t caps) {
  bytes out;
  byte_writer w(out);
  w.u8(err_header);
  w.u16(m.error_code);
  if (caps & cap::protocol_41) {
    w.u8('#');
    std::string state = m.sql_state;
    state.resize(5, '0');
    w.raw(state);
  }
  w.raw(m.message);
  return out;
}

result<err_packet> decode_err_packet(bytes_view payload, std::uint64_t caps) {
  byte_reader r(payload);
  if (r.u8() != err_header) return fail(errc::unexpected_header);
  err_packet m;
  m.error_code = r.u16();
  if ((caps & cap::protocol_41) && r.peek() == '#') {
    r.skip(1);
    m.sql_state = r.fixed_string(5);
  } else {
    // No state on the wire (an ERR before the greeting, e.g. 1129/1130, or a pre-4.1 peer): what
    // clients report for it, so a forwarded copy never says "00000" (success).
    m.sql_state = "HY000";
  }
  m.message = r.rest();
  return done(r, std::move(m));
}

err_packet make_error(error_spec spec, std::string message) {
  return {spec.code, std::string(spec.sql_state), std::move(message)};
}

bytes encode(const eof_packet& m) {
  bytes out;
  byte_writer w(out);
  w.u8(eof_header);
  w.u16(m.warnings);
  w.u16(m.status_flags);
  return out;
}

result<eof_packet> decode_eof_packet(bytes_view payload) {
  byte_reader r(payload);
  if (r.u8() != eof_header || payload.size() >= 9) return fail(errc::unexpected_header);
  eof_packet m;
  m.warnings = r.u16();
  m.status_flags = r.u16();
  return done(r, std::move(m));
}

// --- simple commands ---------------------------------------------------------------------------

namespace {
bytes command_with_text(command c, std::string_view text) {
  bytes out;
  byte_writer w(out);
  w.u8(static_cast<std::uint8_t>(c));
  w.raw(text);
  return out;
}

result<std::string_view> command_text(bytes_view payload, command c) {
  byte_reader r(payload);
  if (r.u8() != static_cast<std::uint8_t>(c)) return fail(errc::unexpected_header);
  auto text = r.rest();
  if (!r.ok()) return fail(errc::truncated);
  return text;
}
}  // namespace

bytes encode(const com_query& m) { return command_with_text(command::query, m.query); }
bytes encode(const com_init_db& m) { return command_with_text(command::init_db, m.schema); }
bytes encode(const com_ping&) { return command_with_text(command::ping, {}); }
bytes encode(const com_quit&) { return command_with_text(command::quit, {}); }

result<com_query> decode_com_query(bytes_view payload) {
  auto text = command_text(payload, command::query);
  if (!text) return text.error();
  return com_query{std::string(*text)};
}
result<com_init_db> decode_com_init_db(bytes_view payload) {
  auto text = command_text(payload, command::init_db);
  if (!text) return text.error();
  return com_init_db{std::string(*text)};
}
result<com_ping> decode_com_ping(bytes_view payload) {
  auto text = command_text(payload, command::ping);
  if (!text) return text.error();
  if (!text->empty()) return fail(errc::malformed);
  return com_ping{};
}
result<com_quit> decode_com_quit(bytes_view payload) {
  auto text = command_text(payload, command::quit);
  if (!text) return text.error();
  if (!text->empty()) return fail(errc::malformed);
  return com_quit{};
}

}  // namespace weft::protocol
