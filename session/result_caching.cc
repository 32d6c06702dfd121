#include "session/result_caching.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "sharding/statement_shape.h"

namespace weft::session {
namespace {

using routing::iequals_upper;
using routing::token_type;

// Functions whose value differs between two calls of the same statement (with '(').
constexpr std::array changing_functions{
    "NOW",        "SYSDATE",     "CURDATE",      "CURTIME",      "UNIX_TIMESTAMP", "RAND",
    "RANDOM_BYTES", "UUID",      "UUID_SHORT",   "SYS_GUID",     "CONNECTION_ID",  "USER",
    "SESSION_USER", "SYSTEM_USER", "DATABASE",   "SCHEMA",       "SLEEP",          "BENCHMARK",
    "ROW_COUNT",  "FOUND_ROWS",  "LAST_INSERT_ID", "NEXTVAL",    "LASTVAL",        "SETVAL",
    "GET_LOCK",   "RELEASE_LOCK", "IS_FREE_LOCK", "IS_USED_LOCK", "MASTER_POS_WAIT", "MASTER_GTID_WAIT",
    "LOAD_FILE"};
// The same, also written without '('; and the hint that asks for no caching.
constexpr std::array changing_words{"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME",
                                    "LOCALTIMESTAMP", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP",
                                    "CURRENT_USER", "CURRENT_ROLE", "SQL_NO_CACHE"};
constexpr std::array system_schemas{"information_schema", "performance_schema", "mysql", "sys"};

template <std::size_t N>
bool one_of(std::string_view word, const std::array<const char*, N>& upper) {
  return std::any_of(upper.begin(), upper.end(), [&](const char* u) { return iequals_upper(word, u); });
}

// Why the tokens make the answer change between calls ("": they do not).
std::string_view changing_token(const routing::statement_tokens& tokens) {
  const auto all = tokens.tokens();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& t = all[i].token;
    if (t.is('@')) return "it reads a variable";
    if (t.type != token_type::word) continue;
    if (one_of(t.text, changing_words)) return "its value changes between calls (a clock, the user, SQL_NO_CACHE)";
    const bool call = i + 1 < all.size() && all[i + 1].token.is('(');
    if (call && one_of(t.text, changing_functions)) return "it calls a function whose value changes between calls";
  }
  return {};
}

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "schema.table" for each table (false: one has no schema to be in).
bool qualified_tables(const sharding::statement_shape& shape, std::string_view schema, std::vector<std::string>& out) {
  for (const auto& t : shape.tables) {
    const std::string_view in = t.schema.empty() ? schema : std::string_view(t.schema);
    if (in.empty()) return false;
    auto name = lowered(in) + "." + lowered(t.name);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return true;
}

bool in_system_schema(const std::vector<std::string>& tables) {
  return std::any_of(tables.begin(), tables.end(), [](const std::string& t) {
    const auto schema = std::string_view(t).substr(0, t.find('.'));
    return std::find(system_schemas.begin(), system_schemas.end(), schema) != system_schemas.end();
  });
}

}  // namespace

cacheable_read check_cacheable_read(const routing::statement_info& info, const routing::statement_tokens& tokens,
                                    std::string_view schema) {
  cacheable_read out;
  if (info.kind != routing::statement_kind::read || info.transaction != routing::transaction_action::none) {
    out.refusal = "it is not a read";
  } else if (info.locking_read || info.side_effects || info.multi_statement) {
    out.refusal = "it locks rows, has side effects or holds several statements";
  } else {
    out.refusal = changing_token(tokens);
  }
  if (!out.refusal.empty()) return out;
  const auto shape = sharding::shape_of(tokens);
  if (shape.verb != sharding::statement_verb::select || shape.into || shape.locking || shape.multiple_statements) {
    out.refusal = "it is not a plain SELECT";
  } else if (!qualified_tables(shape, schema, out.tables)) {
    out.refusal = "no schema is selected";
  } else if (in_system_schema(out.tables)) {
    out.refusal = "it reads a system schema";
  }
  if (!out.refusal.empty()) out.tables.clear();
  return out;
}

std::optional<written_tables> tables_written(const routing::statement_info& info,
                                             const routing::statement_tokens& tokens, std::string_view schema) {
  if (info.multi_statement) return written_tables{{}, true};
  if (info.kind != routing::statement_kind::write) return std::nullopt;
  const auto shape = sharding::shape_of(tokens);
  written_tables out;
  const bool named = shape.verb != sharding::statement_verb::other && shape.verb != sharding::statement_verb::select &&
                     !shape.multiple_statements && !shape.tables.empty();
  out.every = !named || !qualified_tables(shape, schema, out.tables);
  if (out.every) out.tables.clear();
  return out;
}

std::string cache_key(const cache_key_parts& parts) {
  std::string key;
  key.reserve(parts.user.size() + parts.schema.size() + parts.group.size() + parts.statement.size() +
              parts.parameters.size() + parts.parameter_types.size() + 64);
  for (const auto text : {parts.user, parts.schema, parts.group}) {
    key += text;
    key += '\0';
  }
  // Each variable-length part after the first three is preceded by its size: no two different
  // sets of parts make the same key, whatever bytes they hold.
  for (const auto number : {parts.settings, std::uint64_t{parts.charset}, parts.capabilities,
                            std::uint64_t{parts.binary}, std::uint64_t{parts.statement.size()},
                            std::uint64_t{parts.parameter_types.size()}}) {
    key.append(reinterpret_cast<const char*>(&number), sizeof number);
  }
  key += parts.statement;
  key += parts.parameter_types;
  key += parts.parameters;
  return key;
}

}  // namespace weft::session
