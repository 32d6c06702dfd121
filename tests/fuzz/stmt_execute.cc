// What the proxy reads and rewrites of a COM_STMT_EXECUTE (session/prepared_statements.h): the
// flags and new-params-bound offsets, and execute_with_types(), which inserts the parameter
// types a backend has not seen yet into a client's execute that binds none.
//
// Input: [parameter count][4-byte id][earlier types: 2 per parameter][execute payload].
// Checks, against a reference reader written from the protocol (execute_reader.h): the offsets
// are where the protocol puts those fields; the rewrite is the payload with the flag set to 1
// and the types inserted after it, nothing else moved; a well-formed execute that relied on
// earlier types reads, once rewritten, as the same statement, flags, iteration count, null
// bitmap and values, now with its types bound. Also: stmt_close_command's exact bytes.
#include <algorithm>

#include "execute_reader.h"
#include "fuzz_input.h"
#include "session/prepared_statements.h"

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

void check_rewrite(bytes_view payload, std::uint16_t params, bytes_view types) {
  const auto flag_at = session::execute_bound_flag_offset(params);
  const auto rewritten = session::execute_with_types(payload, params, types);
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
  const auto close = session::stmt_close_command(id);
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
  FUZZ_EXPECT(session::execute_flags_offset == 5);  // command byte, 4-byte statement id
  // Then the 4-byte iteration count and the null bitmap; the flag follows.
  FUZZ_EXPECT(session::execute_bound_flag_offset(params) == 10 + (params + 7u) / 8u);
  // The forwarder's guard: it rewrites an execute of a statement with parameters, read whole,
  // long enough to hold the flag, when the flag is not 1 and the backend lacks the types.
  const auto flag_at = session::execute_bound_flag_offset(params);
  if (params == 0 || payload.size() <= flag_at || payload[flag_at] == 1 || types.empty()) return 0;
  check_rewrite(payload, params, types);
  return 0;
}
