// Query rules (routing/query_rules.h) built from fuzz-chosen regexes, users, schemas and client
// conditions, applied to a fuzz-chosen statement; and client address matching on its own.
//
// Input: [flags: 4][rule count][4 address bytes][4 address bytes][CIDR bits] then NUL-separated
// fields: per rule match_pattern, replace, match_digest, client; then user, schema, client
// address, statement.
// Checks: candidate masks name existing rules only; apply_rules() reports the first matching
// rule's id, a blocking rule from the list, a rewrite only from a rule with a replacement,
// hits counted once per matching rule; pattern_of() gives back the compiled text; rule_cache
// keeps what it stores under a deterministic key; client_matches() on dotted quads agrees with
// the mask arithmetic of the CIDR it is given.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "routing/classifier.h"
#include "routing/query_rules.h"

namespace {
using namespace weft;
using namespace weft::routing;

std::string field(fuzz::fuzz_input& in) {
  std::string out;
  while (!in.empty()) {
    const auto c = in.u8();
    if (c == 0) break;
    out += static_cast<char>(c);
  }
  return out;
}

std::shared_ptr<const re2::RE2> regex_from(fuzz::fuzz_input& in) {
  const auto text = field(in);
  if (text.empty()) return nullptr;
  std::string error;
  auto re = compile_rule_regex(text, error);
  FUZZ_EXPECT(re ? error.empty() && pattern_of(re) == text : !error.empty());
  return re;
}

// Six flag bits per rule: block, route, continue, timeout, user condition, schema condition.
query_rule rule_from(fuzz::fuzz_input& in, std::uint32_t flags, std::uint32_t id) {
  query_rule r;
  r.id = id;
  r.match_pattern = regex_from(in);
  if (auto replace = field(in); !replace.empty()) r.replace = replace;
  r.match_digest = regex_from(in);
  r.client = field(in);
  if (flags & 1) r.block_message = "blocked";
  if (flags & 2) r.route_group = "g" + std::to_string(id);
  if (flags & 4) r.continue_after = true;
  if (flags & 8) r.timeout_ms = id * 100;
  if (flags & 16) r.user = "app";
  if (flags & 32) r.schema = "db";
  return r;
}

std::string dotted(std::uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." + std::to_string((ip >> 8) & 255) +
         "." + std::to_string(ip & 255);
}

void check_cidr(std::uint32_t network, std::uint32_t address, unsigned bits) {
  const std::uint32_t mask = bits == 0 || bits > 32 ? 0 : ~std::uint32_t{0} << (32 - bits);
  const bool expected = bits <= 32 && (network & mask) == (address & mask);  // a /33 is no CIDR
  const auto client = dotted(network) + "/" + std::to_string(bits);
  FUZZ_EXPECT(client_matches(client, dotted(address)) == expected);
  FUZZ_EXPECT(client_matches(client, "::ffff:" + dotted(address)) == expected);
  FUZZ_EXPECT(client_matches(dotted(network), dotted(address)) == (network == address));
}

void check_outcome(const std::vector<query_rule>& rules, std::uint64_t candidates, const rule_outcome& out) {
  bool any_match = false;
  rule_hits counted;
  counted.count(rules, out.matched);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto hits = counted.of(rules[i]);
    FUZZ_EXPECT(hits <= 1);
    if (hits == 1) FUZZ_EXPECT((candidates >> i) & 1);
    if (hits == 1 && !any_match) FUZZ_EXPECT(out.first_rule_id == rules[i].id);
    any_match = any_match || hits == 1;
    if (out.blocked_by == &rules[i]) FUZZ_EXPECT(hits == 1 && rules[i].block_message);
  }
  if (!any_match) FUZZ_EXPECT(out.first_rule_id == 0 && !out.rewritten && !out.blocked_by);
  if (out.blocked_by) FUZZ_EXPECT(out.blocked_by >= rules.data() && out.blocked_by < rules.data() + rules.size());
  if (out.rewritten) {
    bool rewriter_hit = false;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      rewriter_hit = rewriter_hit || (counted.of(rules[i]) == 1 && rules[i].replace && rules[i].match_pattern);
    }
    FUZZ_EXPECT(rewriter_hit);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_input in(data, size);
  const auto flags = in.u32();
  const std::size_t count = 1 + in.u8() % 3;
  const auto network = in.u32(), address = in.u32();
  check_cidr(network, address, in.u8() % 40);
  std::vector<query_rule> rules;
  for (std::size_t i = 0; i < count; ++i) rules.push_back(rule_from(in, flags >> (i * 6), static_cast<std::uint32_t>(i + 1)));
  const auto user = field(in), schema = field(in), client = field(in);
  const auto sql = in.rest_text();
  const rule_context ctx{user, schema, client};
  std::string digest_text;
  const auto info = classify(sql, &digest_text);
  const auto candidates = rule_candidates(rules, ctx, digest_text);
  FUZZ_EXPECT((candidates >> rules.size()) == 0);
  rule_cache cache;
  const auto key = rule_cache::key_of(info.digest, ctx);
  FUZZ_EXPECT(key == rule_cache::key_of(info.digest, ctx));
  cache.store(key, candidates);
  FUZZ_EXPECT(cache.find(key) == candidates);
  const auto out = apply_rules(rules, candidates, sql);
  check_outcome(rules, candidates, out);
  return 0;
}
