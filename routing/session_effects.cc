#include "routing/session_effects.h"

#include <array>
#include <cctype>
#include <string>

namespace weft::routing {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// Walks SQL text token by token, skipping comments and the inside of quotes.
class scanner {
 public:
  explicit scanner(std::string_view sql) : s_(sql) {}

  // Next token: a word, or a single punctuation character; empty at the end.
  std::string_view next() {
    skip_space_and_comments();
    if (pos_ >= s_.size()) return {};
    const std::size_t start = pos_;
    const char c = s_[pos_];
    if (c == '\'' || c == '"' || c == '`') {
      skip_quoted(c);
      return s_.substr(start, 1);  // a quote stands for the whole literal
    }
    if (word_char(c)) {
      while (pos_ < s_.size() && word_char(s_[pos_])) ++pos_;
      return s_.substr(start, pos_ - start);
    }
    ++pos_;
    return s_.substr(start, 1);
  }
  bool executable_comment() const { return executable_comment_; }
  bool at_end() {
    skip_space_and_comments();
    return pos_ >= s_.size();
  }
  char peek_raw() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

 private:
  void skip_space_and_comments() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '#' || (c == '-' && starts("-- ")) || (c == '-' && starts("--\n"))) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '/' && starts("/*")) {
        // /*! ... */ and /*M! ... */ are executed by the server: their content is code.
        if (starts("/*!") || starts("/*M!")) executable_comment_ = true;
        const auto end = s_.find("*/", pos_ + 2);
        pos_ = end == std::string_view::npos ? s_.size() : end + 2;
      } else {
        break;
      }
    }
  }
  void skip_quoted(char quote) {
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '\\' && quote != '`') {
        ++pos_;
      } else if (c == quote) {
        if (pos_ < s_.size() && s_[pos_] == quote) {
          ++pos_;  // doubled quote inside the literal
        } else {
          return;
        }
      }
    }
  }
  bool starts(std::string_view prefix) const { return s_.substr(pos_, prefix.size()) == prefix; }

  std::string_view s_;
  std::size_t pos_ = 0;
  bool executable_comment_ = false;
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
constexpr std::array<risky_word, 13> risky_words{{
    {"TEMPORARY", "temporary table"},
    {"GET_LOCK", "named lock"},
    {"RELEASE_LOCK", "named lock"},
    {"RELEASE_ALL_LOCKS", "named lock"},
    {"IS_USED_LOCK", "named lock"},
    {"IS_FREE_LOCK", "named lock"},
    {"LAST_INSERT_ID", "LAST_INSERT_ID()"},
    {"FOUND_ROWS", "FOUND_ROWS()"},
    {"SQL_CALC_FOUND_ROWS", "SQL_CALC_FOUND_ROWS"},
    {"ROW_COUNT", "ROW_COUNT()"},
    {"LASTVAL", "sequence LASTVAL()"},
    {"PREVIOUS", "sequence PREVIOUS VALUE"},
    {"CONNECTION_ID", "CONNECTION_ID()"},
}};

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
    if (iequals(name, v)) return true;
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
      if (iequals(name, "SESSION") || iequals(name, "LOCAL")) {
        if (scan.next() != ".") return pin;
        name = scan.next();
      } else if (iequals(name, "GLOBAL")) {
        return pin;
      }
    } else if (iequals(name, "SESSION") || iequals(name, "LOCAL")) {
      name = scan.next();
    }
    if (name.empty() || !word_char(name.front())) return pin;
    if (iequals(name, "NAMES") || iequals(name, "CHARSET")) {
      saw_other = true;
    } else if (iequals(name, "CHARACTER")) {
      if (!iequals(scan.next(), "SET")) return pin;
      saw_other = true;
    } else {
      if (iequals(name, "AUTOCOMMIT")) {
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
    if (iequals(word, leader)) return true;
  }
  return false;
}

}  // namespace

statement_effect multiplexing_effect(std::string_view sql) {
  scanner scan(sql);
  const auto first = scan.next();
  if (scan.executable_comment()) return {true, "executable comment"};
  if (first.empty()) return {false, {}};
  if (iequals(first, "SET")) return classify_set(scan);
  if (!is_stateless_leader(first)) return {true, first};
  std::string_view previous;
  for (auto token = scan.next(); !token.empty(); token = scan.next()) {
    if (scan.executable_comment()) return {true, "executable comment", false, false};
    if (token == "@" && previous != "@" && scan.peek_raw() != '@') return {true, "user variable"};
    if (token == ";" && !scan.at_end()) return {true, "multi-statement"};
    if (word_char(token.front())) {
      for (const auto& risky : risky_words) {
        if (iequals(token, risky.word)) return {true, risky.reason};
      }
    }
    previous = token;
  }
  return {false, {}};
}

}  // namespace weft::routing
