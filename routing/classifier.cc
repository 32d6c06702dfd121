#include "routing/classifier.h"

#include <array>

#include "routing/sql_lexer.h"
#include "routing/statement_tokens.h"

namespace weft::routing {
namespace {

constexpr std::uint64_t fnv_offset = 14695981039346656037ull;
constexpr std::uint64_t fnv_prime = 1099511628211ull;

constexpr char fold(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Writes the digest: its hash always, its text when asked. State can be saved and rolled back
// (to collapse a literal list once its closing parenthesis shows it was one).
class digest_writer {
 public:
  explicit digest_writer(std::string* text) : text_(text) {
    if (text_) text_->clear();
  }
  struct mark {
    std::uint64_t hash;
    std::size_t length;
  };
  void append(std::string_view piece) {
    for (char c : piece) hash_ = (hash_ ^ static_cast<unsigned char>(fold(c))) * fnv_prime;
    if (text_) text_->append(piece);
  }
  mark save() const { return {hash_, text_ ? text_->size() : 0}; }
  void restore(mark m) {
    hash_ = m.hash;
    if (text_) text_->resize(m.length);
  }
  std::uint64_t hash() const { return hash_; }

 private:
  std::uint64_t hash_ = fnv_offset;
  std::string* text_;
};

bool is_literal(const sql_token& t) {
  return t.type == token_type::number || t.type == token_type::string || t.type == token_type::param;
}

// Words that stand for a constant: a list of them and of literals still collapses.
bool is_constant_word(const sql_token& t) {
  return t.type == token_type::word && (iequals_upper(t.text, "NULL") || iequals_upper(t.text, "DEFAULT") ||
                                        iequals_upper(t.text, "TRUE") || iequals_upper(t.text, "FALSE"));
}

// Words the classifier reacts to, found by one lookup per word token.
enum class keyword : std::uint8_t {
  other, select, show, describe, explain, help, values, table, with, insert, update, del, replace,
  begin, start, commit, rollback, savepoint, release, xa, set, use, for_, share, lock, in, into,
  side_effect, next, previous, value, read, only, to, not_,
};

struct keyword_entry {
  std::string_view word;
  keyword value;
};

constexpr keyword_entry keywords[] = {
    {"SELECT", keyword::select},   {"SHOW", keyword::show},         {"DESCRIBE", keyword::describe},
    {"DESC", keyword::describe},   {"EXPLAIN", keyword::explain},   {"HELP", keyword::help},
    {"VALUES", keyword::values},   {"VALUE", keyword::value},       {"TABLE", keyword::table},
    {"WITH", keyword::with},       {"INSERT", keyword::insert},     {"UPDATE", keyword::update},
    {"DELETE", keyword::del},      {"REPLACE", keyword::replace},   {"BEGIN", keyword::begin},
    {"START", keyword::start},     {"COMMIT", keyword::commit},     {"ROLLBACK", keyword::rollback},
    {"SAVEPOINT", keyword::savepoint}, {"RELEASE", keyword::release}, {"XA", keyword::xa},
    {"SET", keyword::set},         {"USE", keyword::use},           {"FOR", keyword::for_},
    {"SHARE", keyword::share},     {"LOCK", keyword::lock},         {"IN", keyword::in},
    {"INTO", keyword::into},       {"NEXT", keyword::next},         {"PREVIOUS", keyword::previous},
    {"READ", keyword::read},       {"ONLY", keyword::only},         {"TO", keyword::to},
    {"NOT", keyword::not_},
    // Functions that bind a statement to the connection or the primary.
    {"GET_LOCK", keyword::side_effect},      {"RELEASE_LOCK", keyword::side_effect},
    {"RELEASE_ALL_LOCKS", keyword::side_effect}, {"LAST_INSERT_ID", keyword::side_effect},
    {"NEXTVAL", keyword::side_effect},       {"SETVAL", keyword::side_effect},
    {"LASTVAL", keyword::side_effect},       {"FOUND_ROWS", keyword::side_effect},
    {"IS_USED_LOCK", keyword::side_effect},  {"IS_FREE_LOCK", keyword::side_effect},
    {"IDENTITY", keyword::side_effect},  // @@IDENTITY is LAST_INSERT_ID()
};

// Keywords bucketed by first letter, so a word is compared with a handful of candidates.
struct keyword_index {
  std::array<std::array<std::uint8_t, 8>, 26> bucket{};
  std::array<std::uint8_t, 26> count{};
};

constexpr keyword_index make_index() {
  keyword_index index;
  for (std::size_t i = 0; i < std::size(keywords); ++i) {
    const auto letter = static_cast<std::size_t>(keywords[i].word[0] - 'A');
    index.bucket[letter][index.count[letter]++] = static_cast<std::uint8_t>(i);
  }
  return index;
}
constexpr keyword_index index_by_letter = make_index();

keyword lookup(std::string_view word) {
  if (word.size() < 2 || word.size() > 17) return keyword::other;
  const char first = fold(word[0]);
  if (first < 'A' || first > 'Z') return keyword::other;
  const auto letter = static_cast<std::size_t>(first - 'A');
  for (std::size_t i = 0; i < index_by_letter.count[letter]; ++i) {
    const auto& entry = keywords[index_by_letter.bucket[letter][i]];
    if (entry.word.size() == word.size() && iequals_upper(word, entry.word)) return entry.value;
  }
  return keyword::other;
}

statement_kind kind_of_leader(keyword k) {
  switch (k) {
    case keyword::select: case keyword::show: case keyword::describe: case keyword::explain:
    case keyword::help: case keyword::values: case keyword::table: case keyword::with:
      return statement_kind::read;
    case keyword::begin: case keyword::start: case keyword::commit: case keyword::rollback:
    case keyword::savepoint: case keyword::release: case keyword::xa:
      return statement_kind::transaction;
    case keyword::set:
      return statement_kind::set;
    case keyword::use:
      return statement_kind::use;
    default:
      return statement_kind::write;  // DML, DDL, CALL, DO, GRANT, and anything unknown
  }
}

// `route=primary|replica`, `group=NAME`, separated by spaces or commas.
void read_hint(std::string_view hint, statement_info& info) {
  while (!hint.empty()) {
    const auto stop = hint.find_first_of(" ,\t");
    const auto item = hint.substr(0, stop);
    hint = stop == std::string_view::npos ? std::string_view{} : hint.substr(stop + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = item.substr(0, eq), value = item.substr(eq + 1);
    if (iequals_upper(name, "ROUTE")) {
      if (iequals_upper(value, "PRIMARY")) info.hint = route_hint::primary;
      if (iequals_upper(value, "REPLICA")) info.hint = route_hint::replica;
    } else if (iequals_upper(name, "GROUP") && !value.empty()) {
      info.hint_group = value;
    }
  }
}

// Statement-level state while walking the tokens of one statement.
struct statement_state {
  keyword leader = keyword::other;
  statement_kind kind = statement_kind::write;
  std::size_t words = 0;  // word tokens seen in this statement
  keyword previous = keyword::other;
};

struct paren_frame {
  digest_writer::mark before;
  bool literals_only = true;
  bool in_list = false;     // opened right after IN
  bool values_row = false;  // a row of VALUES (...), (...)
};

}  // namespace

std::string_view to_string(statement_kind kind) {
  switch (kind) {
    case statement_kind::read: return "read";
    case statement_kind::write: return "write";
    case statement_kind::transaction: return "transaction";
    case statement_kind::set: return "set";
    case statement_kind::use: return "use";
  }
  return "write";
}

std::uint64_t digest_of(std::string_view digest_text) {
  digest_writer writer(nullptr);
  writer.append(digest_text);
  return writer.hash();
}

namespace {

// One walk over a statement's tokens: the digest (hash, text when asked) and the classification.
class classifier_pass {
 public:
  classifier_pass(const statement_tokens& tokens, std::string* digest_text)
      : tokens_(tokens), digest_(digest_text) {}

  statement_info run() {
    const auto all = tokens_.tokens();
    for (std::size_t i = 0; i < all.size(); ++i) {
      const sql_token& t = all[i].token;
      if (t.is(';')) {
        if (i + 1 == all.size()) break;  // a trailing semicolon ends the only statement
        next_statement();
        continue;
      }
      write_digest(t);
      previous_type_ = t.type;
      previous_punct_ = t.type == token_type::punct ? t.text[0] : 0;
      classify_token(t);
    }
    return finish();
  }

 private:
  void next_statement() {
    info_.multi_statement = true;
    if (st_.words > 0) all_reads_ = all_reads_ && st_.kind == statement_kind::read;
    st_ = {};
    in_values_ = false;
    depth_ = 0;
    digest_.append("; ");
    previous_type_ = token_type::end;  // no second space
    previous_punct_ = 0;
  }

  void write_digest(const sql_token& t) {
    if (t.is('(')) return open_paren();
    if (t.is(')') && depth_ > 0) return close_paren();
    const bool spaced = previous_type_ != token_type::end && previous_punct_ != '(' && previous_punct_ != '.' &&
                        previous_punct_ != '@' && !t.is(')') && !t.is(',') && !t.is('.') && !t.is(';');
    if (depth_ > 0 && depth_ <= frames_.size() && !is_literal(t) && !t.is(',') && !t.is('-') && !is_constant_word(t)) {
      frames_[depth_ - 1].literals_only = false;
    }
    if (spaced) digest_.append(" ");
    digest_.append(is_literal(t) ? std::string_view("?") : t.text);
  }

  void open_paren() {
    if (depth_ > 0 && depth_ <= frames_.size()) frames_[depth_ - 1].literals_only = false;
    const bool after_word = previous_type_ == token_type::word;
    const bool list_opener = after_word && (st_.previous == keyword::in || st_.previous == keyword::values ||
                                            st_.previous == keyword::value);
    if (list_opener || previous_punct_ == ',') digest_.append(" ");
    if (depth_ < frames_.size()) {
      const bool row = in_values_ && depth_ == 0 &&
                       (previous_punct_ == ',' || st_.previous == keyword::values || st_.previous == keyword::value);
      frames_[depth_] = {digest_.save(), true, st_.previous == keyword::in && after_word, row};
    }
    ++depth_;
    digest_.append("(");
  }

  void close_paren() {
    --depth_;
    digest_.append(")");
    if (depth_ >= frames_.size() || !frames_[depth_].literals_only) return;
    auto& frame = frames_[depth_];
    if (frame.in_list) {
      digest_.restore(frame.before);
      digest_.append("(...)");
    } else if (frame.values_row) {
      if (!have_row_end_) {
        row_end_ = digest_.save();
        have_row_end_ = true;
      } else {
        digest_.restore(row_end_);  // drop ", (...)" of every further row...
        if (!rows_collapsed_) digest_.append(", ...");
        rows_collapsed_ = true;
        row_end_ = digest_.save();  // ...and remember the end once
      }
    }
  }

  void classify_token(const sql_token& t) {
    if (t.type == token_type::punct) {
      if (t.is('=') && st_.previous == keyword::other && tokens_.char_before(t) == ':') {
        info_.side_effects = true;  // @v := expr assigns a user variable
      }
      if (!t.is('(') && !t.is(')')) st_.previous = keyword::other;
      return;
    }
    if (t.type != token_type::word) {
      st_.previous = keyword::other;
      return;
    }
    const keyword k = lookup(t.text);
    if (st_.words++ == 0) return first_word(k);
    if (st_.words == 2) second_word(t.text);
    if (set_statement_ && k == keyword::for_ && depth_ == 0) {
      // SET STATEMENT var=value[, ...] FOR <statement>: the statement decides.
      set_statement_ = false;
      st_ = {};
      return;
    }
    later_word(k);
    if (st_.leader == keyword::explain && st_.words == 2 && iequals_upper(t.text, "ANALYZE")) {
      st_.kind = statement_kind::write;  // EXPLAIN ANALYZE runs the statement
    }
    st_.previous = k;
  }

  void first_word(keyword k) {
    st_.leader = k;
    st_.kind = kind_of_leader(k);
    any_statement_ = true;
    if (st_.kind == statement_kind::transaction) {
      switch (k) {
        case keyword::begin: info_.transaction = transaction_action::begin; break;
        case keyword::start: info_.transaction = transaction_action::begin; break;
        case keyword::commit: info_.transaction = transaction_action::commit; break;
        case keyword::rollback: info_.transaction = transaction_action::rollback; break;
        case keyword::xa: info_.transaction = transaction_action::xa; break;
        default: info_.transaction = transaction_action::savepoint; break;
      }
    }
    st_.previous = k;
  }

  void second_word(std::string_view word) {
    if (st_.leader == keyword::start && !iequals_upper(word, "TRANSACTION")) {
      st_.kind = statement_kind::write;  // START SLAVE, START REPLICA, ...
      info_.transaction = transaction_action::none;
    }
    if (st_.leader == keyword::show &&
        (iequals_upper(word, "MASTER") || iequals_upper(word, "BINARY") || iequals_upper(word, "BINLOG"))) {
      st_.kind = statement_kind::write;  // the binlog position is the primary's
    }
    if (st_.leader == keyword::set && iequals_upper(word, "STATEMENT")) set_statement_ = true;
  }

  void later_word(keyword k) {
    switch (k) {
      case keyword::update:
        if (st_.previous == keyword::for_) {
          info_.locking_read = true;
        } else if (st_.leader == keyword::with && depth_ == 0) {
          st_.kind = statement_kind::write;  // WITH ... UPDATE (not inside a CTE's parentheses)
        }
        break;
      case keyword::share:
        if (st_.previous == keyword::for_ || st_.previous == keyword::in) info_.locking_read = true;
        break;
      case keyword::insert: case keyword::del: case keyword::replace:
        if (st_.leader == keyword::with && depth_ == 0) st_.kind = statement_kind::write;  // not REPLACE() in a CTE
        break;
      case keyword::into:
        if (st_.leader == keyword::select || st_.leader == keyword::with || st_.leader == keyword::values ||
            st_.leader == keyword::table) {
          info_.side_effects = true;  // SELECT ... INTO @v / OUTFILE / DUMPFILE
        }
        break;
      default:
        later_word_transaction_or_sequence(k);
        break;
    }
  }

  void later_word_transaction_or_sequence(keyword k) {
    switch (k) {
      case keyword::side_effect:
        info_.side_effects = true;
        break;
      case keyword::value:  // NEXT VALUE FOR s, PREVIOUS VALUE FOR s
        if (st_.previous == keyword::next || st_.previous == keyword::previous) info_.side_effects = true;
        if (st_.leader == keyword::insert || st_.leader == keyword::replace) in_values_ = true;
        break;
      case keyword::values:
        in_values_ = true;
        break;
      case keyword::only:  // START TRANSACTION READ ONLY
        if (st_.leader == keyword::start && st_.previous == keyword::read) {
          info_.transaction = transaction_action::begin_read_only;
        }
        break;
      case keyword::to:  // ROLLBACK [WORK] TO [SAVEPOINT] s
        if (st_.leader == keyword::rollback) info_.transaction = transaction_action::savepoint;
        break;
      case keyword::not_:  // BEGIN NOT ATOMIC: a compound statement, not a transaction
        if (st_.leader == keyword::begin && st_.words == 2) {
          st_.kind = statement_kind::write;
          info_.transaction = transaction_action::none;
        }
        break;
      default:
        break;
    }
  }

  statement_info finish() {
    if (st_.words > 0) all_reads_ = all_reads_ && st_.kind == statement_kind::read;
    info_.kind = !info_.multi_statement ? (any_statement_ ? st_.kind : statement_kind::read)
                                        : (all_reads_ ? statement_kind::read : statement_kind::write);
    if (info_.multi_statement) info_.transaction = transaction_action::none;
    if (!tokens_.hint().empty()) read_hint(tokens_.hint(), info_);
    info_.digest = digest_.hash();
    return info_;
  }

  const statement_tokens& tokens_;
  statement_info info_;
  digest_writer digest_;
  statement_state st_;
  bool any_statement_ = false, all_reads_ = true;
  std::array<paren_frame, 16> frames_;
  std::size_t depth_ = 0;
  bool in_values_ = false;          // after VALUES/VALUE: rows follow
  digest_writer::mark row_end_{};   // after the first literal-only row
  bool have_row_end_ = false, rows_collapsed_ = false;
  token_type previous_type_ = token_type::end;
  char previous_punct_ = 0;
  bool set_statement_ = false;  // inside SET STATEMENT ..., before its FOR
};

}  // namespace

statement_info classify(const statement_tokens& tokens, std::string* digest_text) {
  return classifier_pass(tokens, digest_text).run();
}

statement_info classify(std::string_view sql, std::string* digest_text) {
  statement_tokens tokens;
  tokens.lex(sql);
  return classify(tokens, digest_text);
}

}  // namespace weft::routing
