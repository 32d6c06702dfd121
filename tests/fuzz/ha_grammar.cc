// The admin port's HA commands (admin/ha_grammar.h, over admin/admin_words.h): both spellings,
// weft's (PROMOTE GROUP g TO 'h:p', REPLICATE ...) and Fabric's (CALL group.promote('g')), fed
// any statement a DBA could type.
//
// Input: the statement text.
// Checks: the words are as many upper-cased as written; an answer is a command or an error,
// never both nor an empty error; a command carries what its verb needs — a non-empty group for
// the group verbs (weft's form), "host:port" text that parses for every server and REPLICATE's
// source.
#include "admin/admin_words.h"
#include "admin/ha_grammar.h"
#include "fuzz_input.h"
#include "routing/topology.h"

namespace {
using namespace weft::admin;

bool needs_group(ha_verb verb) {
  switch (verb) {
    case ha_verb::create_group: case ha_verb::add_server: case ha_verb::promote: case ha_verb::demote:
    case ha_verb::activate: case ha_verb::deactivate: case ha_verb::group_health: case ha_verb::group_servers:
      return true;
    default:
      return false;
  }
}

bool needs_server(ha_verb verb) {
  return verb == ha_verb::add_server || verb == ha_verb::remove_server || verb == ha_verb::replicate ||
         verb == ha_verb::rejoin;
}

void check_words(std::string_view sql) {
  const auto w = words_of(sql);
  FUZZ_EXPECT(w.upper.size() == w.text.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    FUZZ_EXPECT(w.upper[i].size() == w.text[i].size());
    FUZZ_EXPECT(has_word(w, w.upper[i].c_str()) || w.upper[i].find('\0') != std::string::npos);
  }
}

void check_command(const ha_command& c) {
  // Both forms refuse an empty group name (findings/README.md, fabric-empty-group: fixed).
  if (needs_group(c.verb)) FUZZ_EXPECT(!c.group.empty());
  if (needs_server(c.verb)) FUZZ_EXPECT(weft::routing::parse_endpoint(c.server).has_value());
  if (c.verb == ha_verb::promote && !c.server.empty()) FUZZ_EXPECT(weft::routing::parse_endpoint(c.server).has_value());
  if (c.verb == ha_verb::replicate) FUZZ_EXPECT(weft::routing::parse_endpoint(c.source).has_value());
  changes_configuration_only(c.verb);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  check_words(sql);
  const auto parsed = parse_ha_command(sql);
  if (!parsed) return 0;
  FUZZ_EXPECT(parsed->command.has_value() != !parsed->error.empty());
  if (parsed->command) check_command(*parsed->command);
  return 0;
}
