// Query rules: ordered, DBA-defined, matched on user, schema, client address, digest text or raw
// text (re2), with actions: route to a group and/or role, rewrite, block with an error, a
// statement timeout, log. The first matching rule decides, unless it says `continue`, in which
// case its actions apply and later rules may add theirs (a later rule never undoes an earlier
// one's action). Matching on everything but the raw text is cached per digest by the caller
// (rule_cache), so re2 runs on the hot path only for rules that look at the raw text. Hits are
// counted by the caller (rule_hits, per worker), never in the shared rules.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "routing/rw_split.h"

namespace re2 {
class RE2;
}

namespace weft::routing {

// Which rule a query_rule is, across copies of the rule list (see rule_hits).
struct rule_identity {};

struct query_rule {
  std::uint32_t id = 0;  // shown in logs and stats; the order is the position in the list
  // Conditions (empty: any).
  std::string user;
  std::string schema;
  std::string client;  // an address, or IPv4 CIDR "10.0.0.0/8"
  std::shared_ptr<const re2::RE2> match_digest;   // on the digest text
  std::shared_ptr<const re2::RE2> match_pattern;  // on the statement's raw text
  // Actions.
  std::string route_group;
  std::optional<target_role> route_role;
  std::optional<std::string> replace;  // re2 rewrite of match_pattern's matches (\1 for groups)
  std::optional<std::string> block_message;
  std::uint16_t block_code = 1148;  // ER_NOT_ALLOWED_COMMAND
  std::uint32_t timeout_ms = 0;     // 0: none
  // Answers of matching reads are kept this long and served from memory (0: not cached); the
  // session machine decides which reads may be (session/result_caching.h).
  std::uint32_t cache_ttl_ms = 0;
  bool log = false;
  bool continue_after = false;
  std::shared_ptr<const rule_identity> identity = std::make_shared<const rule_identity>();
};

inline constexpr std::size_t max_query_rules = 64;  // candidates are a 64-bit mask

// How often rules matched. One per worker (in its statistics, written only on its thread); the
// admin adds the workers' counts up. A rule is known by its identity, which copies of the rule
// list share: a new snapshot of the same rules keeps counting, a newly loaded list starts at 0.
class rule_hits {
 public:
  // One hit for every rule in `matched` (a bit per position in `rules`, as rule_outcome says).
  void count(const std::vector<query_rule>& rules, std::uint64_t matched);
  std::uint64_t of(const query_rule& rule) const;
  // Adds another worker's counts (for the admin's totals).
  void add(const rule_hits& other);

 private:
  struct entry {
    std::shared_ptr<const rule_identity> rule;
    std::uint64_t hits = 0;
  };
  // While counting: by position in the current rule list. After add(): any order.
  std::vector<entry> entries_;
};

// Compiles a regular expression for a rule; the error text when it does not compile.
std::shared_ptr<const re2::RE2> compile_rule_regex(const std::string& pattern, std::string& error);

// The text a rule regex was compiled from ("" for none).
std::string pattern_of(const std::shared_ptr<const re2::RE2>& re);

// Whether an IPv4/IPv6 address text matches `client` (exact, or IPv4 CIDR).
bool client_matches(std::string_view client, std::string_view address);

struct rule_context {
  std::string_view user;
  std::string_view schema;
  std::string_view client_address;
};

// The rules (up to 64) whose conditions other than the raw text match, as a bit mask by
// position: what a cache keeps per (digest, user, schema, client).
std::uint64_t rule_candidates(const std::vector<query_rule>& rules, const rule_context& ctx,
                              std::string_view digest_text);

// What the matching rules decided for one statement.
struct rule_outcome {
  const query_rule* blocked_by = nullptr;  // block_message / block_code
  std::string_view route_group;
  std::optional<target_role> route_role;
  std::optional<std::string> rewritten;  // the new statement text
  std::uint32_t timeout_ms = 0;
  std::uint32_t cache_ttl_ms = 0;
  bool log = false;
  std::uint32_t first_rule_id = 0;  // of the first rule that matched (0: none)
  std::uint64_t matched = 0;        // every rule that matched, a bit per position: their hits
};

// Walks the candidates in order on the statement's raw text; reports the hits in `matched`.
rule_outcome apply_rules(const std::vector<query_rule>& rules, std::uint64_t candidates, std::string_view sql);

// Per worker: candidates by (digest, user, schema, client). Bounded; cleared when the rules change.
class rule_cache {
 public:
  // nullopt on a miss.
  std::optional<std::uint64_t> find(std::uint64_t key) const;
  void store(std::uint64_t key, std::uint64_t candidates);
  void clear() { entries_.clear(); }
  static std::uint64_t key_of(std::uint64_t digest, const rule_context& ctx);

 private:
  static constexpr std::size_t max_entries = 20000;
  std::unordered_map<std::uint64_t, std::uint64_t> entries_;
};

}  // namespace weft::routing
