#include "sharding/statement_scan.h"

#include "routing/sql_lexer.h"
#include "sharding/sql_names.h"

namespace weft::sharding {
namespace {

using routing::iequals_upper;
using routing::token_type;


// The list after `from` (SET, or ON DUPLICATE KEY UPDATE): `[t.]c = ...` items at depth 0.
void read_assignments(std::span<const routing::lexed_token> tokens, std::size_t from, std::vector<std::string>& out) {
  int depth = 0;
  bool item_start = true;
  for (std::size_t i = from; i < tokens.size(); ++i) {
    const auto& t = tokens[i].token;
    if (t.is('(')) ++depth;
    if (t.is(')')) --depth;
    if (depth < 0 || t.is(';')) return;
    if (depth == 0 && t.type == token_type::word &&
        (iequals_upper(t.text, "WHERE") || iequals_upper(t.text, "ORDER") || iequals_upper(t.text, "LIMIT"))) {
      return;
    }
    if (depth == 0 && t.is(',')) {
      item_start = true;
      continue;
    }
    if (item_start && is_name_token(t)) {
      std::size_t last = i;
      while (last + 2 < tokens.size() && tokens[last + 1].token.is('.') && is_name_token(tokens[last + 2].token)) last += 2;
      if (last + 1 < tokens.size() && tokens[last + 1].token.is('=')) out.push_back(name_text(tokens[last].token));
    }
    item_start = false;
  }
}

}  // namespace

const sharded_table* sharded_table_named(const routing::statement_tokens& tokens, std::string_view schema,
                                         const catalog& shards) {
  const auto all = tokens.tokens();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& t = all[i].token;
    for (const auto& table : shards.tables) {
      if (t.type == token_type::string && t.text.find(table.table) != std::string_view::npos) return &table;
      if (!is_name_token(t) || name_text(t) != table.table) continue;
      const bool qualified = i >= 2 && all[i - 1].token.is('.') && is_name_token(all[i - 2].token);
      const auto in = qualified ? name_text(all[i - 2].token) : std::string(schema);
      if (in == table.schema || !qualified) return &table;  // unqualified: maybe a column, maybe the table
    }
  }
  return nullptr;
}

std::vector<std::string> assigned_columns(const routing::statement_tokens& tokens) {
  std::vector<std::string> out;
  const auto all = tokens.tokens();
  const auto word = [&](std::size_t i, std::string_view upper) {
    return i < all.size() && all[i].token.type == token_type::word && iequals_upper(all[i].token.text, upper);
  };
  int depth = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].token.is('(')) ++depth;
    if (all[i].token.is(')')) --depth;
    if (depth != 0) continue;
    if (word(i, "SET") && word(0, "UPDATE")) read_assignments(all, i + 1, out);
    if (word(i, "DUPLICATE") && word(i + 1, "KEY") && word(i + 2, "UPDATE")) read_assignments(all, i + 3, out);
  }
  return out;
}

}  // namespace weft::sharding
