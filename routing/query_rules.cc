#include "routing/query_rules.h"

#include "routing/ipv4.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>

namespace weft::routing {
namespace {

std::uint64_t mix(std::uint64_t h, std::string_view text) {
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return (h ^ 0xFF) * 1099511628211ull;
}

}  // namespace

std::shared_ptr<const re2::RE2> compile_rule_regex(const std::string& pattern, std::string& error) {
  re2::RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  if (!re->ok()) {
    error = re->error();
    return nullptr;
  }
  return re;
}

std::string pattern_of(const std::shared_ptr<const re2::RE2>& re) { return re ? re->pattern() : std::string(); }

bool client_matches(std::string_view client, std::string_view address) {
  // A dual-stack listener shows IPv4 clients as ::ffff:a.b.c.d.
  if (address.size() > 7 && address.substr(0, 7) == "::ffff:" && address.find('.') != std::string_view::npos) {
    address.remove_prefix(7);
  }
  const auto slash = client.find('/');
  if (slash == std::string_view::npos) return client == address;
  const auto network = parse_ipv4(client.substr(0, slash));
  const auto ip = parse_ipv4(address);
  unsigned bits = 0;
  const auto bits_text = client.substr(slash + 1);
  const auto [end, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
  if (!network || !ip || ec != std::errc{} || end != bits_text.data() + bits_text.size() || bits > 32) return false;
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (*network & mask) == (*ip & mask);
}

std::uint64_t rule_candidates(const std::vector<query_rule>& rules, const rule_context& ctx,
                              std::string_view digest_text) {
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < rules.size() && i < 64; ++i) {
    const auto& r = rules[i];
    if (!r.user.empty() && r.user != ctx.user) continue;
    if (!r.schema.empty() && r.schema != ctx.schema) continue;
    if (!r.client.empty() && !client_matches(r.client, ctx.client_address)) continue;
    if (r.match_digest && !re2::RE2::PartialMatch(digest_text, *r.match_digest)) continue;
    mask |= std::uint64_t{1} << i;
  }
  return mask;
}

rule_outcome apply_rules(const std::vector<query_rule>& rules, std::uint64_t candidates, std::string_view sql) {
  rule_outcome out;
  for (std::size_t i = 0; candidates != 0 && i < rules.size(); ++i, candidates >>= 1) {
    if (!(candidates & 1)) continue;
    const auto& r = rules[i];
    if (r.match_pattern && !re2::RE2::PartialMatch(out.rewritten ? std::string_view(*out.rewritten) : sql,
                                                   *r.match_pattern)) {
      continue;
    }
    out.matched |= std::uint64_t{1} << i;
    if (out.first_rule_id == 0) out.first_rule_id = r.id;
    if (r.block_message && !out.blocked_by) out.blocked_by = &r;
    if (!r.route_group.empty() && out.route_group.empty()) out.route_group = r.route_group;
    if (r.route_role && !out.route_role) out.route_role = r.route_role;
    if (r.replace && r.match_pattern) {
      std::string text(out.rewritten ? *out.rewritten : std::string(sql));
      re2::RE2::GlobalReplace(&text, *r.match_pattern, *r.replace);
      out.rewritten = std::move(text);
    }
    if (r.timeout_ms && !out.timeout_ms) out.timeout_ms = r.timeout_ms;
    if (r.cache_ttl_ms && !out.cache_ttl_ms) out.cache_ttl_ms = r.cache_ttl_ms;
    out.log = out.log || r.log;
    if (!r.continue_after) break;
  }
  return out;
}

void rule_hits::count(const std::vector<query_rule>& rules, std::uint64_t matched) {
  for (std::size_t i = 0; matched != 0 && i < rules.size(); ++i, matched >>= 1) {
    if (!(matched & 1)) continue;
    if (entries_.size() <= i) entries_.resize(max_query_rules);
    auto& e = entries_[i];
    if (e.rule != rules[i].identity) e = {rules[i].identity, 0};  // a new rule list: its rules start at 0
    ++e.hits;
  }
}

std::uint64_t rule_hits::of(const query_rule& rule) const {
  for (const auto& e : entries_) {
    if (e.rule == rule.identity) return e.hits;
  }
  return 0;
}

void rule_hits::add(const rule_hits& other) {
  for (const auto& theirs : other.entries_) {
    if (!theirs.rule) continue;
    const auto mine = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.rule == theirs.rule; });
    if (mine != entries_.end()) {
      mine->hits += theirs.hits;
    } else {
      entries_.push_back(theirs);
    }
  }
}

std::optional<std::uint64_t> rule_cache::find(std::uint64_t key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void rule_cache::store(std::uint64_t key, std::uint64_t candidates) {
  if (entries_.size() >= max_entries) entries_.clear();  // simple bound; refills from hot digests
  entries_.emplace(key, candidates);
}

// The key is a hash, not the full tuple: two tuples sharing one 64-bit hash would share their
// candidates (odds about 1 in 10^19 per pair), accepted to keep the lookup allocation-free.
std::uint64_t rule_cache::key_of(std::uint64_t digest, const rule_context& ctx) {
  std::uint64_t h = digest;
  h = mix(h, ctx.user);
  h = mix(h, ctx.schema);
  return mix(h, ctx.client_address);
}

}  // namespace weft::routing
