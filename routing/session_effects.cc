#include "routing/session_effects.h"

#include <algorithm>
#include <array>
#include <string>

#include "routing/sql_lexer.h"
#include "routing/statement_tokens.h"

namespace weft::routing {
namespace {

// ASCII letters and digits (what isalnum() says in the C locale, without its call).
constexpr bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

// A statement's tokens (from `first` on), seen as plain token texts: a literal stands as its
// quote character. Executable comments count from `first` on, as if the text began there.
class scanner {
 public:
  scanner(const statement_tokens& tokens, std::size_t first)
      : tokens_(tokens), all_(tokens.tokens()), next_(first),
        executable_before_(first > 0 && all_[first - 1].after_executable_comment) {}

  // Next token: a word, or a single punctuation character; empty at the end.
  std::string_view next() {
    if (next_ >= all_.size()) {
      executable_ = tokens_.executable_comment() && !executable_before_;
      return {};
    }
    const auto& lexed = all_[next_++];
    executable_ = lexed.after_executable_comment && !executable_before_;
    switch (lexed.token.type) {
      case token_type::string: return lexed.token.text.front() == '"' ? "\"" : "'";
      case token_type::quoted_name: return "`";
      default: return lexed.token.text;
    }
  }
  bool executable_comment() const { return executable_; }
  bool at_end() const { return next_ >= all_.size(); }
  // Where the next token is: a scanner started there sees the rest of the statement.
  std::size_t position() const { return next_; }
  // The character right after the last token (no skipping): tells `@@x` from `@ @x`.
  char peek_raw() const { return next_ > 0 && next_ <= all_.size() ? tokens_.char_after(all_[next_ - 1].token) : '\0'; }

 private:
  const statement_tokens& tokens_;
  std::span<const lexed_token> all_;
  std::size_t next_;
  bool executable_before_;
  bool executable_ = false;
};

// Leading keywords whose statements leave no session state behind (on their own).
constexpr std::array<std::string_view, 26> stateless_leaders{
    "SELECT", "INSERT", "UPDATE",   "DELETE",  "REPLACE", "SHOW",     "DESCRIBE", "DESC",    "EXPLAIN",
    "BEGIN",  "START",  "COMMIT",   "ROLLBACK", "WITH",   "VALUES",   "TABLE",    "DO",      "CREATE",
    "ALTER",  "DROP",   "TRUNCATE", "RENAME",  "ANALYZE", "OPTIMIZE", "CHECKSUM", "CHECK"};

// Words that make any statement depend on, or leave, per-connection state.
struct risky_word {
  std::string_view word;
  std::string_view reason;
};
constexpr std::array<risky_word, 14> risky_words{{
    {"TEMPORARY", "temporary table"},
    {"GET_LOCK", "named lock"},
    {"RELEASE_LOCK", "named lock"},
    {"RELEASE_ALL_LOCKS", "named lock"},
    {"IS_USED_LOCK", "named lock"},
    {"IS_FREE_LOCK", "named lock"},
    {"LAST_INSERT_ID", last_insert_id_reason},
    {"IDENTITY", last_insert_id_reason},  // @@IDENTITY
    {"FOUND_ROWS", "FOUND_ROWS()"},
    {"SQL_CALC_FOUND_ROWS", "SQL_CALC_FOUND_ROWS"},
    {"ROW_COUNT", "ROW_COUNT()"},
    {"LASTVAL", "sequence LASTVAL()"},
    {"PREVIOUS", "sequence PREVIOUS VALUE"},
    {"CONNECTION_ID", "CONNECTION_ID()"},
}};

// Most words are shorter than every risky word: one comparison passes them over.
constexpr std::size_t shortest_risky_word = [] {
  std::size_t shortest = risky_words[0].word.size();
  for (const auto& risky : risky_words) shortest = std::min(shortest, risky.word.size());
  return shortest;
}();

// Session variables whose value a plain SET can give another connection.
constexpr std::array<std::string_view, 38> replayable_variables{
    "SQL_MODE", "TIME_ZONE", "CHARACTER_SET_CLIENT", "CHARACTER_SET_CONNECTION", "CHARACTER_SET_RESULTS",
    "COLLATION_CONNECTION", "TRANSACTION_ISOLATION", "TX_ISOLATION", "TRANSACTION_READ_ONLY", "TX_READ_ONLY",
    "SQL_SELECT_LIMIT", "MAX_STATEMENT_TIME", "MAX_EXECUTION_TIME", "GROUP_CONCAT_MAX_LEN", "SQL_SAFE_UPDATES",
    "FOREIGN_KEY_CHECKS", "UNIQUE_CHECKS", "DIV_PRECISION_INCREMENT", "LC_TIME_NAMES", "SQL_AUTO_IS_NULL",
    "WAIT_TIMEOUT", "INTERACTIVE_TIMEOUT", "NET_READ_TIMEOUT", "NET_WRITE_TIMEOUT", "LONG_QUERY_TIME",
    "SQL_BIG_SELECTS", "OPTIMIZER_SWITCH", "JOIN_BUFFER_SIZE", "SORT_BUFFER_SIZE", "TMP_TABLE_SIZE",
    "MAX_HEAP_TABLE_SIZE", "SQL_NOTES", "SQL_WARNINGS", "DEFAULT_STORAGE_ENGINE", "INNODB_LOCK_WAIT_TIMEOUT",
    "LOCK_WAIT_TIMEOUT", "SQL_QUOTE_SHOW_CREATE", "COMPLETION_TYPE"};

bool is_replayable_variable(std::string_view name) {
  for (auto v : replayable_variables) {
    if (iequals_upper(name, v)) return true;
  }
  return false;
}

// SET [SESSION|LOCAL|@@[SESSION.|LOCAL.]]var = literal, ... | SET NAMES x [COLLATE y] |
// SET CHARACTER SET x. Values must be literals or words (no functions, variables, subqueries).
statement_effect classify_set(scanner& scan) {
  const statement_effect pin{true, "SET", false, false};
  bool saw_autocommit = false, saw_other = false;
  for (;;) {
    auto name = scan.next();
    if (name == "@") {  // @@var, @@session.var
      if (scan.next() != "@") return pin;
      name = scan.next();
      if (iequals_upper(name, "SESSION") || iequals_upper(name, "LOCAL")) {
        if (scan.next() != ".") return pin;
        name = scan.next();
      } else if (iequals_upper(name, "GLOBAL")) {
        return pin;
      }
    } else if (iequals_upper(name, "SESSION") || iequals_upper(name, "LOCAL")) {
      name = scan.next();
    }
    if (name.empty() || !word_char(name.front())) return pin;
    if (iequals_upper(name, "NAMES") || iequals_upper(name, "CHARSET")) {
      saw_other = true;
    } else if (iequals_upper(name, "CHARACTER")) {
      if (!iequals_upper(scan.next(), "SET")) return pin;
      saw_other = true;
    } else {
      if (iequals_upper(name, "AUTOCOMMIT")) {
        saw_autocommit = true;
      } else if (is_replayable_variable(name)) {
        saw_other = true;
      } else {
        return pin;
      }
      const auto op = scan.next();
      if (op == ":") {
        if (scan.next() != "=") return pin;
      } else if (op != "=") {
        return pin;
      }
    }
    // The value: literals and words up to the next comma or the end.
    bool any = false;
    for (auto token = scan.next();; token = scan.next()) {
      if (token.empty() || token == ";") {
        if (!any || (token == ";" && !scan.at_end())) return pin;
        if (saw_autocommit && saw_other) return pin;  // mixed: keep it simple
        return {false, {}, saw_other, saw_autocommit && !saw_other};
      }
      if (token == ",") break;
      const bool literal = word_char(token.front()) || token == "'" || token == "\"" || token == "-" ||
                           token == "." || token == "+";
      if (!literal) return pin;
      any = true;
    }
    if (!any) return pin;
  }
}

bool is_stateless_leader(std::string_view word) {
  for (auto leader : stateless_leaders) {
    if (iequals_upper(word, leader)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> schema_of_use(std::string_view sql) {
  sql_lexer lexer(sql);
  const auto use = lexer.next();
  if (use.type != token_type::word || !iequals_upper(use.text, "USE") || lexer.executable_comment()) return std::nullopt;
  const auto name = lexer.next();
  std::string schema;
  if (name.type == token_type::word) {
    schema = name.text;
  } else if (name.type == token_type::quoted_name && name.text.size() >= 2 && name.text.back() == '`') {
    for (std::size_t i = 1; i + 1 < name.text.size(); ++i) {
      schema += name.text[i];
      if (name.text[i] == '`') ++i;  // `` inside stands for one backquote
    }
  } else {
    return std::nullopt;
  }
  auto rest = lexer.next();
  if (rest.is(';')) rest = lexer.next();
  if (rest.type != token_type::end || schema.empty()) return std::nullopt;
  return schema;
}

namespace {

// SET STATEMENT var = value, ... FOR <statement>: the settings last one statement; what that
// statement does decides.
statement_effect effect_of_set_statement(const statement_tokens& tokens, std::size_t first);
statement_effect effect_from(const statement_tokens& tokens, std::size_t first);

// The rest of a statement whose leader leaves no state: the whole statement is scanned, since
// one that pins for another reason may still read LAST_INSERT_ID(), which must then be restored
// on the connection it pins.
statement_effect effect_of_stateless(scanner& scan) {
  std::string_view previous;
  std::string_view pin_reason;
  bool reads_insert_id = false;
  for (auto token = scan.next(); !token.empty(); token = scan.next()) {
    if (scan.executable_comment()) return {true, "executable comment", false, false, true};
    if (pin_reason.empty() && token == "@" && previous != "@" && scan.peek_raw() != '@') pin_reason = "user variable";
    if (pin_reason.empty() && token == ";" && !scan.at_end()) pin_reason = "multi-statement";
    if (token.size() >= shortest_risky_word && word_char(token.front())) {
      for (const auto& risky : risky_words) {
        if (!iequals_upper(token, risky.word)) continue;
        // Restorable on any connection; anything else in the statement still pins.
        if (risky.reason == last_insert_id_reason) {
          reads_insert_id = true;
        } else if (pin_reason.empty()) {
          pin_reason = risky.reason;
        }
        break;
      }
    }
    previous = token;
  }
  if (!pin_reason.empty()) return {true, pin_reason, false, false, reads_insert_id};
  if (reads_insert_id) return {true, last_insert_id_reason, false, false, true};
  return {false, {}};
}

statement_effect effect_of_set_statement(const statement_tokens& tokens, std::size_t first) {
  scanner ahead(tokens, first);
  ahead.next();  // SET
  ahead.next();  // STATEMENT
  int depth = 0;
  std::string_view before;
  for (auto token = ahead.next(); !token.empty(); before = token, token = ahead.next()) {
    if (token == "(") ++depth;
    if (token == ")") --depth;
    if (token == "@" && before != "@" && ahead.peek_raw() != '@') return {true, "user variable"};
    if (depth == 0 && iequals_upper(token, "FOR")) return effect_from(tokens, ahead.position());
  }
  return {true, "SET"};
}

statement_effect effect_from(const statement_tokens& tokens, std::size_t first) {
  scanner scan(tokens, first);
  const auto leader = scan.next();
  if (scan.executable_comment()) return {true, "executable comment"};
  if (leader.empty()) return {false, {}};
  if (iequals_upper(leader, "SET")) {
    scanner ahead(tokens, first);
    ahead.next();
    if (!iequals_upper(ahead.next(), "STATEMENT")) return classify_set(scan);
    return effect_of_set_statement(tokens, first);
  }
  if (!is_stateless_leader(leader)) return {true, leader};
  return effect_of_stateless(scan);
}

// LAST_INSERT_ID(expr) anywhere in the statement (or an executable comment: cannot tell).
bool calls_set_insert_id(const statement_tokens& tokens) {
  scanner scan(tokens, 0);
  std::string_view before_previous, previous;
  for (auto token = scan.next(); !token.empty(); token = scan.next()) {
    if (previous == "(" && token != ")" && iequals_upper(before_previous, "LAST_INSERT_ID")) return true;
    if (scan.executable_comment()) return true;  // cannot tell: assume it may
    before_previous = previous;
    previous = token;
  }
  return false;
}

}  // namespace

statement_effect multiplexing_effect(const statement_tokens& tokens) {
  auto effect = effect_from(tokens, 0);
  effect.sets_insert_id = effect.reads_insert_id && calls_set_insert_id(tokens);
  return effect;
}

statement_effect multiplexing_effect(std::string_view sql) {
  statement_tokens tokens;
  tokens.lex(sql);
  return multiplexing_effect(tokens);
}

bool sets_insert_id(std::string_view sql) {
  statement_tokens tokens;
  tokens.lex(sql);
  return calls_set_insert_id(tokens);
}

}  // namespace weft::routing
