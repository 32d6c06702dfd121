// The decoders of protocol/statement_messages.h: COM_STMT_PREPARE_OK, COM_STMT_EXECUTE (and its
// head), COM_STMT_BULK_EXECUTE, COM_STMT_SEND_LONG_DATA, COM_STMT_FETCH, COM_STMT_RESET and
// COM_STMT_CLOSE.
//
// Input: [parameter count: 1 byte][payload]. Every decoder reads the payload (ASan: never past
// its end). Checks: whatever decodes re-encodes to exactly the payload, with size() agreeing;
// no strict prefix decodes to the same message; an execute or bulk that binds no types, given
// types, encodes to a payload that decodes to the same message with those types.
#include <functional>

#include "fuzz_input.h"
#include "protocol/statement_messages.h"

namespace {
using namespace weft;
using protocol::bytes;
using protocol::bytes_view;
using protocol::result;

template <class M>
void check(bytes_view payload, const std::function<result<M>(bytes_view)>& decode) {
  const auto m = decode(payload);
  if (!m) return;
  FUZZ_EXPECT(protocol::encode(*m) == bytes(payload.begin(), payload.end()));
  FUZZ_EXPECT(protocol::size(*m) == payload.size());
  for (std::size_t n = 0; n < payload.size(); ++n) {
    const auto prefix = decode(payload.first(n));
    FUZZ_EXPECT(!prefix || !(*prefix == *m));
  }
}

// Types for `params` parameters, made from the payload's own bytes (any bytes are types).
bytes some_types(bytes_view payload, std::uint16_t params) {
  bytes types(2u * params);
  for (std::size_t i = 0; i < types.size(); ++i) types[i] = payload.empty() ? 0 : payload[i % payload.size()];
  return types;
}

template <class M>
void check_types_added(const result<M>& m, bool bound, std::uint16_t params,
                       const std::function<result<M>(bytes_view)>& decode, bytes_view payload) {
  if (!m || bound || params == 0) return;
  const auto types = some_types(payload, params);
  const auto with = protocol::with_param_types(*m, types);
  const auto wire = protocol::encode(with);
  FUZZ_EXPECT(wire.size() == payload.size() + types.size());
  const auto again = decode(wire);
  FUZZ_EXPECT(again.has_value());
  FUZZ_EXPECT(*again == with);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_input in(data, size);
  const std::uint16_t params = in.u8();
  const auto payload = in.rest();
  if (payload.size() > 512) return 0;  // the prefix checks are quadratic
  const std::function<result<protocol::stmt_execute>(bytes_view)> execute = [&](bytes_view p) {
    return protocol::decode_stmt_execute(p, params);
  };
  const std::function<result<protocol::stmt_bulk_execute>(bytes_view)> bulk = [&](bytes_view p) {
    return protocol::decode_stmt_bulk_execute(p, params);
  };
  check<protocol::stmt_prepare_ok>(payload, protocol::decode_stmt_prepare_ok);
  check(payload, execute);
  check(payload, bulk);
  check<protocol::stmt_send_long_data>(payload, protocol::decode_stmt_send_long_data);
  check<protocol::stmt_fetch>(payload, protocol::decode_stmt_fetch);
  check<protocol::stmt_reset>(payload, protocol::decode_stmt_reset);
  check<protocol::stmt_close>(payload, protocol::decode_stmt_close);
  const auto e = execute(payload);
  check_types_added(e, e && e->types_bound(), params, execute, payload);
  const auto b = bulk(payload);
  check_types_added(b, b && b->types_sent(), params, bulk, payload);
  if (const auto head = protocol::decode_stmt_execute_head(payload); head && e) {
    FUZZ_EXPECT(head->statement_id == e->statement_id && head->flags == e->flags);
  }
  if (payload.size() >= protocol::statement_command_head_size) {
    bytes copy(payload.begin(), payload.end());
    protocol::set_statement_id(copy, protocol::statement_id_of(payload) ^ 0xA5A5A5A5u);
    FUZZ_EXPECT(protocol::statement_id_of(copy) == (protocol::statement_id_of(payload) ^ 0xA5A5A5A5u));
  }
  return 0;
}
