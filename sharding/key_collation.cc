#include "sharding/key_collation.h"

#include <array>
#include <charconv>

#include "routing/sql_lexer.h"
#include "routing/statement_tokens.h"
#include "sharding/result_view.h"
#include "sharding/sql_names.h"

namespace weft::sharding {
namespace {

namespace p = protocol;
using routing::token_type;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_word(const routing::sql_token& t, std::string_view word) {
  return t.type == token_type::word && routing::iequals_upper(t.text, word);
}

// Names go into SQL text only when they are what a collation or character set name is.
bool plain_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool is_utf8(std::string_view charset) { return charset == "utf8mb3" || charset == "utf8mb4"; }

// Strings a collation with contractions or context weighs otherwise than their characters.
constexpr std::array<std::u32string_view, 16> all_samples{
    U"ch", U"CH", U"aa", U"ll", U"dz", U"lj", U"nj", U"cs", U"ny", U"rr", U"ae", U"\u00e5\u00df\u00e6\u00fc",
    U"\u0438\u0306",  // и + combining breve (й decomposed)
    U"e\u0301",       // e + combining acute
    U"\u0e40\u0e01",  // Thai: a vowel written before its consonant
    U"Ab  "};

// A code sequence as bytes of the character set; nullopt when latin1 has no byte for one.
std::optional<std::string> encoded(std::u32string_view codes, std::string_view charset) {
  std::string out;
  for (const char32_t c : codes) {
    if (!is_utf8(charset)) {
      if (c > 0xFF) return std::nullopt;
      out += static_cast<char>(c);
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char b : bytes) out += digits[b >> 4], out += digits[b & 0xF];
  return out;
}

}  // namespace

std::vector<std::u32string_view> weight_samples(std::string_view charset) {
  std::vector<std::u32string_view> out;
  for (const auto sample : all_samples) {
    if (encoded(sample, charset)) out.push_back(sample);
  }
  return out;
}

std::string_view charset_of_collation_id(std::uint8_t id) {
  if (id == 5 || id == 8 || id == 15 || id == 31 || id == 47 || id == 48 || id == 49 || id == 94) return "latin1";
  if (id == 33 || id == 83 || (id >= 192 && id <= 215) || id == 223) return "utf8mb3";
  if (id == 45 || id == 46 || (id >= 224 && id <= 247)) return "utf8mb4";
  return "";
}

std::optional<std::string> charset_after_set(std::string_view sql) {
  routing::sql_lexer lexer(sql);
  std::vector<routing::sql_token> tokens;
  bool touches = false;
  for (auto t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    for (const auto word : {"NAMES", "CHARSET", "CHARACTER", "CHARACTER_SET_CLIENT", "CHARACTER_SET_CONNECTION",
                            "COLLATION_CONNECTION"}) {
      touches = touches || is_word(t, word);
    }
    tokens.push_back(t);
  }
  if (!touches) return std::nullopt;
  // SET NAMES x [COLLATE y] [;]: the one form whose character set weft follows.
  const auto named = [&](std::size_t i) {
    return i < tokens.size() && (tokens[i].type == token_type::word || tokens[i].type == token_type::string);
  };
  if (tokens.size() < 3 || !is_word(tokens[0], "SET") || !is_word(tokens[1], "NAMES") || !named(2)) return "";
  std::size_t end = 3;
  if (end < tokens.size() && is_word(tokens[end], "COLLATE") && named(end + 1)) end += 2;
  if (end < tokens.size() && tokens[end].is(';')) ++end;
  if (end != tokens.size()) return "";
  auto name = lower(tokens[2].text);
  if (tokens[2].type == token_type::string && name.size() >= 2) name = name.substr(1, name.size() - 2);
  if (name == "utf8") return "utf8mb3";  // MariaDB's utf8 (old_mode UTF8_IS_UTF8MB3, the default)
  if (name == "default") return "";
  return name;
}

bool folds_per_character(std::string_view collation) {
  const auto name = lower(collation);
  if (starts_with(name, "latin1_")) return true;  // one byte, one weight (german2: two, still per byte)
  if (!starts_with(name, "utf8mb3_") && !starts_with(name, "utf8mb4_")) return false;
  const auto rest = std::string_view(name).substr(8);
  for (const auto root : {"general_ci", "general_nopad_ci", "general_mysql500_ci", "bin", "nopad_bin", "unicode_ci",
                          "unicode_nopad_ci", "unicode_520_ci", "unicode_520_nopad_ci"}) {
    if (rest == root) return true;
  }
  return false;
}

std::string key_column_sql(const sharded_table& table) {
  return "SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
         quoted_string(table.schema) + " AND TABLE_NAME = " + quoted_string(table.table) +
         " AND COLUMN_NAME = " + quoted_string(table.column);
}

key_column read_key_column(p::bytes_view response, bool extended_type_info) {
  key_column out;
  const auto r = read_result(response, extended_type_info);
  if (r.what == result_view::kind::rows && r.rows.empty()) {
    out.problem = "the shards have no such column yet";
    return out;
  }
  const auto row = single_row(r, 2, out.problem);
  if (!row) return out;
  out.collation = std::string((*row)[0].value_or(""));
  out.charset = std::string((*row)[1].value_or(""));
  return out;
}

std::string weights_sql(std::string_view collation, std::string_view charset) {
  if (!plain_name(collation) || !plain_name(charset)) return "SELECT 'not a collation' FROM DUAL WHERE FALSE";
  const std::string c(collation), cs(charset);
  if (!is_utf8(charset)) {
    return "WITH RECURSIVE b(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM b WHERE n < 255) "
           "SELECT n, WEIGHT_STRING(CHAR(n USING " + cs + ") COLLATE " + c + ") FROM b";
  }
  return "WITH RECURSIVE b(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM b WHERE n < 255) "
         "SELECT hi.n * 256 + lo.n, WEIGHT_STRING(CONVERT(CHAR(hi.n * 256 + lo.n USING utf32) USING " + cs +
         ") COLLATE " + c + ") FROM b hi JOIN b lo";
}

std::string weights_check_sql(std::string_view collation, std::string_view charset) {
  if (!plain_name(collation) || !plain_name(charset)) return "SELECT 'not a collation' FROM DUAL WHERE FALSE";
  std::string sql = "SELECT ";
  for (const auto sample : weight_samples(charset)) {
    if (sql.size() > 7) sql += ", ";
    sql += "WEIGHT_STRING(_" + std::string(charset) + " X'" + hex(*encoded(sample, charset)) + "' COLLATE " +
           std::string(collation) + ")";
  }
  return sql;
}

const key_collations::column_folding* key_collations::of(const std::string& table) const {
  const auto found = tables_.find(table);
  return found == tables_.end() ? nullptr : &found->second;
}

void key_collations::learn(const std::string& table, column_folding folding) { tables_[table] = std::move(folding); }

std::shared_ptr<const collation_weights> key_collations::weights_of(const std::string& collation) const {
  const auto found = weights_.find(collation);
  return found == weights_.end() ? nullptr : found->second;
}

void key_collations::keep_weights(const std::string& collation, std::shared_ptr<const collation_weights> weights) {
  weights_[collation] = std::move(weights);
}

std::optional<std::string> folded_key(std::string_view bytes, bool connection_charset, const sharded_table& table,
                                      key_folding* folding) {
  if (!folding || !folding->collations) return std::nullopt;
  if (!connection_charset) {
    folding->why_not = "a key beyond ASCII written with a character set introducer, N'', X'' or 0x is not placed";
    return std::nullopt;
  }
  const auto* known = folding->collations->of(table.schema + "." + table.table);
  if (!known) {
    if (folding->may_ask) {
      folding->wanted = &table;
    } else {
      folding->why_not = "the collation of `" + table.column + "` could not be learned from the shards";
    }
    return std::nullopt;
  }
  if (!known->weights) {
    folding->why_not = known->why_not;
    return std::nullopt;
  }
  if (folding->charset != known->weights->charset()) {
    folding->why_not = "the connection's character set (" +
                       (folding->charset.empty() ? std::string("unknown") : std::string(folding->charset)) +
                       ") is not the column's (" + known->weights->charset() + ")";
    return std::nullopt;
  }
  auto key = known->weights->fold(bytes);
  if (!key) folding->why_not = "the key is not " + known->weights->charset() + " text, or has characters beyond U+FFFF";
  return key;
}

}  // namespace weft::sharding
