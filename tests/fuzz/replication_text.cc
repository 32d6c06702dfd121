// Text weft reads from servers and DBAs for replication and routing: GTIDs and GTID positions
// (read-your-writes, failover elections), "host:port" endpoints, and the SQL literals weft
// builds from such text for the statements it sends.
//
// Input: [first text] NUL [second text].
// Checks: a parsed GTID printed back parses to itself; an endpoint printed back parses to itself;
// on well-formed positions (every item a GTID, one per domain) the two readers agree —
// position_covers(a, b) exactly when compare_positions(a, b) is not "behind" — and compare is
// antisymmetric and reflexive; sql_literal() and a MASTER_GTID_WAIT of valid GTID text lex as a
// single string token spanning exactly the literal (no text escapes its quotes).
#include <map>
#include <string>

#include "fuzz_input.h"
#include "routing/election.h"
#include "routing/gtid.h"
#include "routing/replication_sql.h"
#include "routing/sql_lexer.h"
#include "routing/topology.h"

namespace {
using namespace weft::routing;

std::string split_first(std::string_view& text) {
  const auto nul = text.find('\0');
  std::string first(text.substr(0, nul));
  text = nul == std::string_view::npos ? std::string_view{} : text.substr(nul + 1);
  return first;
}

// Items separated by commas, each a GTID, one per domain, nothing else (not even spaces).
bool well_formed_position(std::string_view text) {
  std::map<std::uint32_t, int> domains;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto g = parse_gtid(text.substr(0, comma));
    if (!g || domains[g->domain]++) return false;
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return true;
}

void check_gtids(const std::string& a, const std::string& b) {
  if (const auto g = parse_gtid(a)) {
    const auto printed = std::to_string(g->domain) + "-" + std::to_string(g->server_id) + "-" + std::to_string(g->sequence);
    FUZZ_EXPECT(parse_gtid(printed) == g);
  }
  FUZZ_EXPECT(compare_positions(a, a) == 0);
  const auto ab = compare_positions(a, b), ba = compare_positions(b, a);
  FUZZ_EXPECT(ab.has_value() == ba.has_value());
  if (ab) FUZZ_EXPECT(*ab == -*ba);
  if (!well_formed_position(a) || !well_formed_position(b)) return;
  FUZZ_EXPECT(position_covers(a, a));
  FUZZ_EXPECT(position_covers(a, b) == (ab && *ab >= 0));
}

void check_endpoint(const std::string& text) {
  const auto ep = parse_endpoint(text);
  if (!ep) return;
  // to_string() never brackets a host, so one that starts with '[' reads back differently
  // (findings/README.md, endpoint-brackets).
  if (!ep->host.empty() && ep->host.front() == '[') return;
  FUZZ_EXPECT(parse_endpoint(ep->to_string()) == ep);
}

// The query lexes as one string token equal to `literal`, whatever else surrounds it.
void check_single_literal(std::string_view query, std::string_view literal) {
  sql_lexer lexer(query);
  int strings = 0;
  for (auto t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    if (t.type != token_type::string) continue;
    ++strings;
    FUZZ_EXPECT(t.text == literal);
  }
  FUZZ_EXPECT(strings == 1);
}

void check_literals(const std::string& text) {
  const auto literal = sql_literal(text);
  check_single_literal("SET GLOBAL gtid_slave_pos = " + literal, literal);
  for (auto flavor : {server_flavor::mariadb, server_flavor::mysql}) {
    if (!valid_gtid_text(flavor, text)) continue;
    check_single_literal(gtid_wait_query(flavor, text, std::chrono::milliseconds(1500)), "'" + text + "'");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = std::string_view(reinterpret_cast<const char*>(data), size);
  const auto a = split_first(text);
  const std::string b(text);
  check_gtids(a, b);
  check_endpoint(a);
  check_literals(a);
  flavor_from_version(a);
  return 0;
}
