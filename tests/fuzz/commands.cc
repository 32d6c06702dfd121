// The client commands weft decodes as messages (COM_QUERY, COM_INIT_DB, COM_PING, COM_QUIT,
// COM_CHANGE_USER), from any payload under any session capabilities. The COM_STMT_* commands
// have no decoder in protocol/ (weft forwards their bytes): stmt_execute.cc covers what the
// proxy reads of them.
//
// Input: [capabilities choice][payload].
// Checks: a decoded command encodes back to bytes that decode to the same value; a decoder
// never accepts a payload whose first byte is another command; every command byte has a name.
#include "fuzz_input.h"
#include "protocol/messages.h"

namespace {
using namespace weft::protocol;

std::uint64_t change_user_caps(std::uint8_t choice) {
  std::uint64_t caps = cap::protocol_41;
  if (choice & 1) caps |= cap::secure_connection;
  if (choice & 2) caps |= cap::plugin_auth;
  if (choice & 4) caps |= cap::connect_attrs;
  return caps;
}

template <class Decode, class Encode>
void check_command(bytes_view payload, command expected, Decode decode, Encode encode_value) {
  auto m = decode(payload);
  if (!m) return;
  FUZZ_EXPECT(!payload.empty() && payload[0] == static_cast<std::uint8_t>(expected));
  auto again = decode(bytes_view(encode_value(*m)));
  FUZZ_EXPECT(again.has_value());
  FUZZ_EXPECT(*again == *m);
}

void check_change_user(bytes_view payload, std::uint64_t caps) {
  auto m = decode_com_change_user(payload, caps);
  if (!m) return;
  FUZZ_EXPECT(payload[0] == static_cast<std::uint8_t>(command::change_user));
  FUZZ_EXPECT(m->capabilities == caps);
  auto again = decode_com_change_user(encode_com_change_user(*m, caps), caps);
  FUZZ_EXPECT(again.has_value());
  FUZZ_EXPECT(*again == *m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  weft::fuzz::fuzz_input in(data, size);
  const auto caps = change_user_caps(in.u8());
  const auto payload = in.rest();
  if (!payload.empty()) FUZZ_EXPECT(!command_name(payload[0]).empty());
  auto encode_any = [](const auto& m) { return encode(m); };
  check_command(payload, command::query, [](bytes_view b) { return decode_com_query(b); }, encode_any);
  check_command(payload, command::init_db, [](bytes_view b) { return decode_com_init_db(b); }, encode_any);
  check_command(payload, command::ping, [](bytes_view b) { return decode_com_ping(b); }, encode_any);
  check_command(payload, command::quit, [](bytes_view b) { return decode_com_quit(b); }, encode_any);
  check_change_user(payload, caps);
  return 0;
}
