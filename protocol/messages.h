// Typed protocol messages with symmetric encode/decode. encode() returns the payload (no frame
// header); decode() takes a payload. Capabilities that change a layout are passed explicitly.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/system/result.hpp>

#include "protocol/bytes.h"
#include "protocol/constants.h"
#include "protocol/errors.h"

namespace weft::protocol {

template <class T>
using result = boost::system::result<T, std::error_code>;

// Initial Handshake Packet, protocol version 10 (server -> client).
struct handshake_v10 {
  std::string server_version;
  std::uint32_t connection_id = 0;
  bytes auth_plugin_data;  // the scramble, usually 20 bytes
  std::uint64_t capabilities = 0;  // upper 32 bits: MariaDB extended capabilities
  std::uint8_t charset = 0;
  std::uint16_t status_flags = 0;
  std::string auth_plugin_name;
  bool operator==(const handshake_v10&) const = default;
};
bytes encode(const handshake_v10& m);
result<handshake_v10> decode_handshake_v10(bytes_view payload);

// HandshakeResponse41 (client -> server); an SSLRequest is its first 32 bytes alone.
struct handshake_response41 {
  std::uint64_t capabilities = 0;
  std::uint32_t max_packet_size = 0;
  std::uint8_t charset = 0;
  std::string username;
  bytes auth_response;
  std::string database;          // only with cap::connect_with_db
  std::string auth_plugin_name;  // only with cap::plugin_auth
  std::vector<std::pair<std::string, std::string>> attributes;  // only with cap::connect_attrs
  bool operator==(const handshake_response41&) const = default;
};
bytes encode(const handshake_response41& m);
result<handshake_response41> decode_handshake_response41(bytes_view payload);
inline constexpr std::size_t ssl_request_size = 32;
// SSLRequest: the fixed head of a HandshakeResponse41, sent before the TLS handshake.
bytes encode_ssl_request(const handshake_response41& m);
inline bool is_ssl_request(bytes_view payload) { return payload.size() == ssl_request_size; }

// AuthSwitchRequest (server -> client, header 0xFE during authentication).
struct auth_switch_request {
  std::string plugin_name;
  bytes plugin_data;  // as sent, including MariaDB's trailing NUL after the scramble
  bool operator==(const auth_switch_request&) const = default;
};
bytes encode(const auth_switch_request& m);
result<auth_switch_request> decode_auth_switch_request(bytes_view payload);
// AuthSwitchResponse is the raw plugin answer: its payload is the bytes themselves.

// OK packet; header 0x00, or 0xFE when it ends a result set under CLIENT_DEPRECATE_EOF.
struct ok_packet {
  std::uint8_t header = ok_header;
  std::uint64_t affected_rows = 0;
  std::uint64_t last_insert_id = 0;
  std::uint16_t status_flags = 0;
  std::uint16_t warnings = 0;
  std::string info;
  bytes session_state_info;  // raw session-track data, when SERVER_SESSION_STATE_CHANGED
  bool operator==(const ok_packet&) const = default;
};
bytes encode(const ok_packet& m, std::uint64_t caps);
result<ok_packet> decode_ok_packet(bytes_view payload, std::uint64_t caps);

struct err_packet {
  std::uint16_t error_code = 0;
  std::string sql_state = "HY000";
  std::string message;
  bool operator==(const err_packet&) const = default;
};
bytes encode(const err_packet& m, std::uint64_t caps = cap::protocol_41);
result<err_packet> decode_err_packet(bytes_view payload, std::uint64_t caps = cap::protocol_41);
err_packet make_error(error_spec spec, std::string message);

// EOF packet (header 0xFE, short) of the protocol before CLIENT_DEPRECATE_EOF.
struct eof_packet {
  std::uint16_t warnings = 0;
  std::uint16_t status_flags = 0;
  bool operator==(const eof_packet&) const = default;
};
bytes encode(const eof_packet& m);
result<eof_packet> decode_eof_packet(bytes_view payload);

// Is this payload an EOF/OK terminator (0xFE and shorter than a full frame), not a row?
inline bool is_eof_or_ok_terminator(std::uint8_t first, std::uint32_t frame_length) {
  return first == eof_header && frame_length < max_frame_payload;
}

// COM_CHANGE_USER: the fields of a HandshakeResponse41 in another layout. Capabilities are the
// session's; the result reuses handshake_response41 so both logins share one verification path.
bytes encode_com_change_user(const handshake_response41& m, std::uint64_t caps);
result<handshake_response41> decode_com_change_user(bytes_view payload, std::uint64_t caps);

// Simple commands: the command byte then its argument.
struct com_query { std::string query; bool operator==(const com_query&) const = default; };
struct com_init_db { std::string schema; bool operator==(const com_init_db&) const = default; };
struct com_ping { bool operator==(const com_ping&) const = default; };
struct com_quit { bool operator==(const com_quit&) const = default; };
bytes encode(const com_query& m);
bytes encode(const com_init_db& m);
bytes encode(const com_ping& m);
bytes encode(const com_quit& m);
result<com_query> decode_com_query(bytes_view payload);
result<com_init_db> decode_com_init_db(bytes_view payload);
result<com_ping> decode_com_ping(bytes_view payload);
result<com_quit> decode_com_quit(bytes_view payload);

}  // namespace weft::protocol
