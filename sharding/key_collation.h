// String shard keys beyond printable ASCII, placed as the key column's collation compares them.
// shard_key.h folds ASCII keys without knowing the collation (upper case, no trailing spaces).
// Other keys depend on it: 'É' equals 'e' under utf8mb4_unicode_ci and not under _bin, and
// latin1_swedish_ci finds 'Ü' equal to 'Y'. So weft learns the column's collation and each
// character's weight in it from the server (WEIGHT_STRING, what the server itself compares).
//
// A key is folded to its weights, and each weight back to the ASCII character that has it, if
// one does. So two keys the server finds equal fold alike, and an ASCII key folds to what
// shard_key.h made of it: the placement of ASCII keys does not change.
// - Weights of other characters stay as bytes, after a 0xFF byte.
// - Trailing space weights go (PAD SPACE).
//
// This holds only where a string's weights are its characters' weights one after another, with
// no contractions. It is so in the collations folds_per_character() names, and checked on
// sample strings when the weights are loaded. A key weft cannot fold in the column's collation
// places nothing: reads go to every shard, writes are refused with the reason.
//
// The pure parts are here; the session machine asks the server (session/machine_collations.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/bytes.h"
#include "sharding/shard_catalog.h"

namespace weft::sharding {

// The character set of a collation id from a client's handshake, when weft reads keys in it
// (latin1, utf8mb3, utf8mb4); "" for any other.
std::string_view charset_of_collation_id(std::uint8_t id);

// What a SET statement that ran does to the connection's character set: nullopt, nothing; "",
// a change weft does not follow (keys beyond ASCII then place nothing); else the character set
// of SET NAMES x [COLLATE y] (the client's and the connection's).
std::optional<std::string> charset_after_set(std::string_view sql);

// Collations whose weight of a string is its characters' weights in order: general, bin,
// unicode and unicode_520 of utf8mb3 and utf8mb4, with or without NO PAD, and latin1's.
bool folds_per_character(std::string_view collation);

// The key column's collation and character set, from information_schema (one row; none when the
// table or column does not exist).
std::string key_column_sql(const sharded_table& table);

struct key_column {
  std::string collation, charset;  // empty: not a string column
  std::string problem;             // no such column, or an unreadable answer
};
key_column read_key_column(protocol::bytes_view response, bool extended_type_info);

// Every character's weight in the collation: rows of (code, weight), the code a byte of latin1
// or a code point up to U+FFFF of utf8mb3/utf8mb4.
std::string weights_sql(std::string_view collation, std::string_view charset);
// The weights of sample strings where a collation with contractions differs from its
// characters' weights ('ch', 'aa', 'll', ...): one row, a value per sample.
std::string weights_check_sql(std::string_view collation, std::string_view charset);

// The sample strings weights_check_sql asks about in this character set, in order.
std::vector<std::u32string_view> weight_samples(std::string_view charset);

class collation_weights {
 public:
  // From weights_sql's and weights_check_sql's answers; nullopt with `problem` when they are
  // not what folding needs (an ASCII character of several weights, two ASCII characters of one
  // weight but different letters, a sample whose weight is not its characters').
  static std::shared_ptr<const collation_weights> load(std::string charset, protocol::bytes_view weights,
                                                       protocol::bytes_view check, bool extended_type_info,
                                                       std::string& problem);
  // A key's bytes in this character set, folded; nullopt for bytes that are no character of it
  // or characters beyond U+FFFF.
  std::optional<std::string> fold(std::string_view bytes) const;
  const std::string& charset() const { return charset_; }

 private:
  bool map_ascii(std::string& problem);
  bool check_samples(protocol::bytes_view check, bool extended_type_info, std::string& problem) const;
  std::vector<std::string> sample_weights() const;
  std::optional<std::u32string> codes_of(std::string_view bytes) const;
  std::string_view weight_of(char32_t code) const;

  std::string charset_;
  std::size_t unit_ = 0;                    // bytes of one weight
  std::string weights_;                     // every code's weight, one after another
  std::vector<std::uint32_t> starts_;       // code -> its weight's start in weights_ (one more at the end)
  std::unordered_map<std::uint32_t, char> ascii_;  // a weight (as a number) -> the ASCII character it is
};

// A worker's knowledge of its sharded tables' key collations (in session::planner_cache).
class key_collations {
 public:
  struct column_folding {
    std::shared_ptr<const collation_weights> weights;  // null: keys beyond ASCII are not folded
    std::string why_not;                               // then: why
  };
  // nullptr: not learned yet.
  const column_folding* of(const std::string& table) const;
  void learn(const std::string& table, column_folding folding);
  std::shared_ptr<const collation_weights> weights_of(const std::string& collation) const;
  void keep_weights(const std::string& collation, std::shared_ptr<const collation_weights> weights);
  // DDL through weft may have changed a key column: learn them again.
  void forget_tables() { tables_.clear(); }

 private:
  std::unordered_map<std::string, column_folding> tables_;
  std::unordered_map<std::string, std::shared_ptr<const collation_weights>> weights_;
};

// What a statement's routing may use to fold keys (statement_route.h's route_input).
struct key_folding {
  key_folding(const key_collations* known, std::string_view connection_charset, bool ask = true)
      : collations(known), charset(connection_charset), may_ask(ask) {}

  const key_collations* collations = nullptr;
  std::string_view charset;  // the connection's ("": unknown)
  bool may_ask = true;       // an unlearned table's collation is wanted (else: keys stay unplaced)
  // Written by routing:
  const sharded_table* wanted = nullptr;  // a key needed this table's collation, not learned yet
  std::string why_not;                    // a key beyond ASCII that was not folded: why
};

// A string key's form in `folding` (nullopt: not placed, with folding.why_not or .wanted set).
// `connection_charset`: the bytes are in the connection's character set (no introducer, N'',
// X'', 0x).
std::optional<std::string> folded_key(std::string_view bytes, bool connection_charset, const sharded_table& table,
                                      key_folding* folding);

}  // namespace weft::sharding
