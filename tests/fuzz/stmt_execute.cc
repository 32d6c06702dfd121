// What the proxy reads and rewrites of a COM_STMT_EXECUTE, through protocol/statement_messages.h:
// the flags and new-params-bound fields, and with_param_types(), which inserts the parameter
// types a backend has not seen yet into a client's execute that binds none.
//
// Input: [parameter count][4-byte id][earlier types: 2 per parameter][execute payload].
// Checks, against a reference reader written from the protocol (execute_reader.h): the offsets
// are where the protocol puts those fields; the rewrite is the payload with the flag set to 1
// and the types inserted after it, nothing else moved; a well-formed execute that relied on
// earlier types reads, once rewritten, as the same statement, flags, iteration count, null
// bitmap and values, now with its types bound. Also: COM_STMT_CLOSE's exact bytes.
#include <algorithm>

#include "execute_reader.h"
#include "fuzz_input.h"
#include "protocol/statement_messages.h"

namespace {
using namespace weft;
using protocol::bytes_view;

bool same_bytes(bytes_view a, bytes_view b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

void check_same_execute(const fuzz::execute_view& before, const fuzz::execute_view& after) {
  FUZZ_EXPECT(after.statement_id == before.statement_id);
  FUZZ_EXPECT(after.flags == before.flags);
  FUZZ_EXPECT(after.iterations == before.iterations);
  FUZZ_EXPECT(same_bytes(after.null_bitmap, before.null_bitmap));
  FUZZ_EXPECT(after.types_bound);
  FUZZ_EXPECT(same_bytes(after.types, before.types));
  FUZZ_EXPECT(after.values.size() == before.values.size());
  for (std::size_t i = 0; i < after.values.size(); ++i) {
    FUZZ_EXPECT(after.values[i].has_value() == before.values[i].has_value());
    if (after.values[i]) FUZZ_EXPECT(same_bytes(*after.values[i], *before.values[i]));
  }
}

// Where the protocol puts the new-params-bound flag: after the command byte, the 4-byte id, the
// flags, the 4-byte iteration count and the null bitmap.
std::size_t bound_flag_offset(std::uint16_t params) { return 10 + (params + 7u) / 8u; }

void check_rewrite(bytes_view payload, std::uint16_t params, bytes_view types) {
  const auto flag_at = bound_flag_offset(params);
  const auto execute = protocol::decode_stmt_execute(payload, params);
  FUZZ_EXPECT(execute.has_value());  // the guard below saw the whole head, bitmap and flag 0
  FUZZ_EXPECT(protocol::encode(*execute) == protocol::bytes(payload.begin(), payload.end()));
  const auto rewritten = protocol::encode(protocol::with_param_types(*execute, types));
  FUZZ_EXPECT(rewritten.size() == payload.size() + types.size());
  FUZZ_EXPECT(same_bytes(bytes_view(rewritten).first(flag_at), payload.first(flag_at)));
  FUZZ_EXPECT(rewritten[flag_at] == 1);
  FUZZ_EXPECT(same_bytes(bytes_view(rewritten).subspan(flag_at + 1, types.size()), types));
  FUZZ_EXPECT(same_bytes(bytes_view(rewritten).subspan(flag_at + 1 + types.size()), payload.subspan(flag_at + 1)));
  const auto before = fuzz::read_execute(payload, params, types);
  if (!before) return;
  const auto after = fuzz::read_execute(rewritten, params, {});
  FUZZ_EXPECT(after.has_value());
  check_same_execute(*before, *after);
}

void check_close(std::uint32_t id) {
  const auto close = protocol::encode(protocol::stmt_close{id});
  const protocol::bytes expected{0x19, static_cast<std::uint8_t>(id), static_cast<std::uint8_t>(id >> 8),
                                 static_cast<std::uint8_t>(id >> 16), static_cast<std::uint8_t>(id >> 24)};
  FUZZ_EXPECT(close == expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_input in(data, size);
  const std::uint16_t params = in.u8();
  check_close(in.u32());
  const auto types = in.take(2u * params);
  const auto payload = in.rest();
  // The flags byte sits after the command byte and the 4-byte statement id.
  const auto head = protocol::decode_stmt_execute_head(payload);
  FUZZ_EXPECT(head.has_value() == (payload.size() >= 10 && payload[0] == 0x17));
  if (head) FUZZ_EXPECT(head->flags == payload[5]);
  // The forwarder's guard: it rewrites an execute of a statement with parameters, read whole,
  // long enough to hold the flag, when it binds no types and the backend lacks them.
  const auto flag_at = bound_flag_offset(params);
  if (params == 0 || payload.size() <= flag_at || payload[0] != 0x17 || payload[flag_at] != 0 || types.empty()) return 0;
  check_rewrite(payload, params, types);
  return 0;
}
