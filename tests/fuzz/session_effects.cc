// Multiplexing effects (routing/session_effects.h): whether a statement pins the session to its
// backend connection, and the schema of a plain USE, fed any text.
//
// Input: the statement text.
// Checks: the answer is consistent (a pin always has a reason and is neither a replayable SET
// nor an autocommit-only SET; those two exclude each other); a USE that schema_of_use() accepts
// is one the classifier also calls USE, with a non-empty schema; the answer is deterministic.
#include "fuzz_input.h"
#include "routing/classifier.h"
#include "routing/session_effects.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace weft::routing;
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  const auto effect = multiplexing_effect(sql);
  FUZZ_EXPECT(effect.pins == !effect.reason.empty());
  if (effect.pins) FUZZ_EXPECT(!effect.replayable_set && !effect.autocommit_only);
  FUZZ_EXPECT(!(effect.replayable_set && effect.autocommit_only));
  const auto again = multiplexing_effect(sql);
  FUZZ_EXPECT(again.pins == effect.pins && again.reason == effect.reason &&
              again.replayable_set == effect.replayable_set && again.autocommit_only == effect.autocommit_only);
  if (const auto schema = schema_of_use(sql)) {
    FUZZ_EXPECT(!schema->empty());
    FUZZ_EXPECT(classify(sql).kind == statement_kind::use);
  }
  return 0;
}
