#include "routing/classifier.h"

#include <array>

#include "routing/sql_lexer.h"

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

statement_info classify(std::string_view sql, std::string* digest_text) {
  statement_info info;
  digest_writer digest(digest_text);
  sql_lexer lexer(sql);
  statement_state st;
  bool any_statement = false, all_reads = true;
  std::array<paren_frame, 16> frames;
  std::size_t depth = 0;
  bool in_values = false;             // after VALUES/VALUE: rows follow
  digest_writer::mark row_end{};      // after the first literal-only row
  bool have_row_end = false, rows_collapsed = false;
  token_type previous_type = token_type::end;
  char previous_punct = 0;
  bool set_statement = false;  // inside SET STATEMENT ..., before its FOR

  for (sql_token t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    if (t.is(';')) {
      if (lexer.at_end()) break;  // a trailing semicolon ends the only statement
      info.multi_statement = true;
      if (st.words > 0) all_reads = all_reads && st.kind == statement_kind::read;
      st = {};
      in_values = false;
      depth = 0;
      digest.append("; ");
      previous_type = token_type::end;  // no second space
      previous_punct = 0;
      continue;
    }

    // --- digest ---
    const bool spaced = previous_type != token_type::end && previous_punct != '(' && previous_punct != '.' &&
                        previous_punct != '@' && !t.is(')') && !t.is(',') && !t.is('.') && !t.is(';');
    if (t.is('(')) {
      if (depth > 0 && depth <= frames.size()) frames[depth - 1].literals_only = false;
      const bool list_opener = previous_type == token_type::word &&
                               (st.previous == keyword::in || st.previous == keyword::values || st.previous == keyword::value);
      if (list_opener || previous_punct == ',') digest.append(" ");
      if (depth < frames.size()) {
        const bool row = in_values && depth == 0 && (previous_punct == ',' || st.previous == keyword::values ||
                                       st.previous == keyword::value);
        frames[depth] = {digest.save(), true, st.previous == keyword::in && previous_type == token_type::word, row};
      }
      ++depth;
      digest.append("(");
    } else if (t.is(')') && depth > 0) {
      --depth;
      digest.append(")");
      if (depth < frames.size() && frames[depth].literals_only) {
        auto& frame = frames[depth];
        if (frame.in_list) {
          digest.restore(frame.before);
          digest.append("(...)");
        } else if (frame.values_row) {
          if (!have_row_end) {
            row_end = digest.save();
            have_row_end = true;
          } else {
            digest.restore(row_end);  // drop ", (...)" of every further row...
            if (!rows_collapsed) digest.append(", ...");
            rows_collapsed = true;
            row_end = digest.save();  // ...and remember the end once
          }
        }
      }
    } else {
      if (depth > 0 && depth <= frames.size() && !is_literal(t) && !t.is(',') && !t.is('-') && !is_constant_word(t)) {
        frames[depth - 1].literals_only = false;
      }
      if (spaced) digest.append(" ");
      digest.append(is_literal(t) ? std::string_view("?") : t.text);
    }
    previous_type = t.type;
    previous_punct = t.type == token_type::punct ? t.text[0] : 0;

    // --- classification ---
    if (t.type == token_type::punct) {
      if (t.is('=') && st.previous == keyword::other && lexer.position() >= 2 && sql[lexer.position() - 2] == ':') {
        info.side_effects = true;  // @v := expr assigns a user variable
      }
      if (!t.is('(') && !t.is(')')) st.previous = keyword::other;
      if (st.words == 0 && t.is('(')) continue;  // (SELECT ...) UNION (SELECT ...)
      continue;
    }
    if (t.type != token_type::word) {
      st.previous = keyword::other;
      continue;
    }
    const keyword k = lookup(t.text);
    if (st.words++ == 0) {
      st.leader = k;
      st.kind = kind_of_leader(k);
      any_statement = true;
      if (st.kind == statement_kind::transaction) {
        switch (k) {
          case keyword::begin: info.transaction = transaction_action::begin; break;
          case keyword::start: info.transaction = transaction_action::begin; break;
          case keyword::commit: info.transaction = transaction_action::commit; break;
          case keyword::rollback: info.transaction = transaction_action::rollback; break;
          case keyword::xa: info.transaction = transaction_action::xa; break;
          default: info.transaction = transaction_action::savepoint; break;
        }
      }
      st.previous = k;
      continue;
    }
    if (st.words == 2) {
      if (st.leader == keyword::start && !iequals_upper(t.text, "TRANSACTION")) {
        st.kind = statement_kind::write;  // START SLAVE, START REPLICA, ...
        info.transaction = transaction_action::none;
      }
      if (st.leader == keyword::show && (iequals_upper(t.text, "MASTER") || iequals_upper(t.text, "BINARY") ||
                                         iequals_upper(t.text, "BINLOG"))) {
        st.kind = statement_kind::write;  // the binlog position is the primary's
      }
      if (st.leader == keyword::set && iequals_upper(t.text, "STATEMENT")) set_statement = true;
    }
    if (set_statement && k == keyword::for_ && depth == 0) {
      // SET STATEMENT var=value[, ...] FOR <statement>: the statement decides.
      set_statement = false;
      st = {};
      continue;
    }
    switch (k) {
      case keyword::update:
        if (st.previous == keyword::for_) {
          info.locking_read = true;
        } else if (st.leader == keyword::with && depth == 0) {
          st.kind = statement_kind::write;  // WITH ... UPDATE (not inside a CTE's parentheses)
        }
        break;
      case keyword::share:
        if (st.previous == keyword::for_ || st.previous == keyword::in) info.locking_read = true;
        break;
      case keyword::insert: case keyword::del: case keyword::replace:
        if (st.leader == keyword::with && depth == 0) st.kind = statement_kind::write;  // not REPLACE() in a CTE
        break;
      case keyword::into:
        if (st.leader == keyword::select || st.leader == keyword::with || st.leader == keyword::values ||
            st.leader == keyword::table) {
          info.side_effects = true;  // SELECT ... INTO @v / OUTFILE / DUMPFILE
        }
        break;
      case keyword::side_effect:
        info.side_effects = true;
        break;
      case keyword::value:  // NEXT VALUE FOR s, PREVIOUS VALUE FOR s
        if (st.previous == keyword::next || st.previous == keyword::previous) info.side_effects = true;
        if (st.leader == keyword::insert || st.leader == keyword::replace) in_values = true;
        break;
      case keyword::values:
        in_values = true;
        break;
      case keyword::only:  // START TRANSACTION READ ONLY
        if (st.leader == keyword::start && st.previous == keyword::read) {
          info.transaction = transaction_action::begin_read_only;
        }
        break;
      case keyword::to:  // ROLLBACK [WORK] TO [SAVEPOINT] s
        if (st.leader == keyword::rollback) info.transaction = transaction_action::savepoint;
        break;
      case keyword::not_:  // BEGIN NOT ATOMIC: a compound statement, not a transaction
        if (st.leader == keyword::begin && st.words == 2) {
          st.kind = statement_kind::write;
          info.transaction = transaction_action::none;
        }
        break;
      default:
        break;
    }
    if (st.leader == keyword::explain && st.words == 2 && iequals_upper(t.text, "ANALYZE")) {
      st.kind = statement_kind::write;  // EXPLAIN ANALYZE runs the statement
    }
    st.previous = k;
  }
  if (st.words > 0) all_reads = all_reads && st.kind == statement_kind::read;
  info.kind = !info.multi_statement ? (any_statement ? st.kind : statement_kind::read)
                                    : (all_reads ? statement_kind::read : statement_kind::write);
  if (info.multi_statement) info.transaction = transaction_action::none;
  if (!lexer.hint().empty()) read_hint(lexer.hint(), info);
  info.digest = digest.hash();
  return info;
}

}  // namespace weft::routing
