// What a server sends outside result rows — greeting, OK, ERR, EOF, AuthSwitchRequest —
// decoded from any payload under any capabilities. weft reads these from backends (its client
// handshake, the response tracker's neighbours) and writes them to clients.
//
// Input: [capabilities choice][payload].
// Checks: every message that decodes encodes back to bytes that decode to the same value, with
// two exceptions the protocol itself makes (see greeting_round_trips and err_round_trips).
#include "fuzz_input.h"
#include "protocol/messages.h"

namespace {
using namespace weft::protocol;

// The bits that change a layout, chosen by the input.
std::uint64_t caps_from(std::uint8_t choice) {
  std::uint64_t caps = 0;
  if (choice & 1) caps |= cap::protocol_41;
  if (choice & 2) caps |= cap::transactions;
  if (choice & 4) caps |= cap::session_track;
  if (choice & 8) caps |= cap::deprecate_eof;
  return caps;
}

template <class T, class Decode, class Encode>
void check_round_trip(const T& value, Decode decode, Encode encode_value) {
  const auto bytes = encode_value(value);
  auto again = decode(bytes_view(bytes));
  FUZZ_EXPECT(again.has_value());
  FUZZ_EXPECT(*again == value);
}

// The scramble length byte is written only with CLIENT_PLUGIN_AUTH (the protocol says 0
// otherwise) and holds at most 255: longer or unannounced scrambles cannot survive a re-encode.
// weft encodes 20-byte scrambles with plugin auth.
bool greeting_round_trips(const handshake_v10& m) {
  return (m.capabilities & cap::plugin_auth) && m.auth_plugin_data.size() < 255;
}

void check_greeting(bytes_view payload) {
  auto m = decode_handshake_v10(payload);
  if (!m || !greeting_round_trips(*m)) return;
  check_round_trip(*m, [](bytes_view b) { return decode_handshake_v10(b); },
                   [](const handshake_v10& v) { return encode(v); });
}

// An ERR without "#SQLSTATE" decodes with HY000, as clients report it (findings/README.md,
// err-without-sqlstate: fixed; it used to decode empty and re-encode as "00000").
bool err_round_trips(const err_packet& m, std::uint64_t caps) {
  return !(caps & cap::protocol_41) || m.sql_state.size() == 5;
}

void check_err(bytes_view payload, std::uint64_t caps) {
  auto m = decode_err_packet(payload, caps);
  if (!m) return;
  FUZZ_EXPECT(m->sql_state.size() == 5);
  if (!err_round_trips(*m, caps)) return;
  check_round_trip(*m, [caps](bytes_view b) { return decode_err_packet(b, caps); },
                   [caps](const err_packet& v) { return encode(v, caps); });
}

void check_ok_eof_switch(bytes_view payload, std::uint64_t caps) {
  if (auto m = decode_ok_packet(payload, caps)) {
    check_round_trip(*m, [caps](bytes_view b) { return decode_ok_packet(b, caps); },
                     [caps](const ok_packet& v) { return encode(v, caps); });
  }
  if (auto m = decode_eof_packet(payload)) {
    FUZZ_EXPECT(payload.size() < 9);
    check_round_trip(*m, [](bytes_view b) { return decode_eof_packet(b); },
                     [](const eof_packet& v) { return encode(v); });
  }
  if (auto m = decode_auth_switch_request(payload)) {
    check_round_trip(*m, [](bytes_view b) { return decode_auth_switch_request(b); },
                     [](const auth_switch_request& v) { return encode(v); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  weft::fuzz::fuzz_input in(data, size);
  const auto caps = caps_from(in.u8());
  const auto payload = in.rest();
  check_greeting(payload);
  check_err(payload, caps);
  check_ok_eof_switch(payload, caps);
  return 0;
}
