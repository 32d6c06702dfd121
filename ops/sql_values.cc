#include "ops/sql_values.h"

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace weft::ops {
namespace {

std::string hex(std::string_view bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Digits, sign, point and exponent only: what the server prints for numbers. Anything else
// (never expected) is written as a string, which the server converts back.
bool plain_number(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) return false;
  }
  return true;
}

// A string a quote-doubling literal carries exactly in every sql_mode: no backslash (an escape
// character unless NO_BACKSLASH_ESCAPES) and no control character (which editors and
// terminals mangle).
bool safe_in_quotes(std::string_view text) {
  for (const unsigned char c : text) {
    if (c == '\\' || c < 0x20 || c == 0x7F) return false;
  }
  return true;
}

std::string quoted_text(std::string_view text) {
  if (!safe_in_quotes(text)) return "_utf8mb4 X'" + hex(text) + "'";
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace

std::string quote_name(std::string_view name) {
  std::string out = "`";
  for (const char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

std::string qualified_name(std::string_view database, std::string_view table) {
  return quote_name(database) + "." + quote_name(table);
}

std::string sql_value(const monitor::value& v, monitor::value_kind kind) {
  if (!v) return "NULL";
  switch (kind) {
    case monitor::value_kind::integer:
    case monitor::value_kind::decimal:
    case monitor::value_kind::floating:
      return plain_number(*v) ? *v : quoted_text(*v);
    case monitor::value_kind::bit:
    case monitor::value_kind::binary:
      return v->empty() ? std::string("X''") : "0x" + hex(*v);
    case monitor::value_kind::text:
      return quoted_text(*v);
  }
  return quoted_text(*v);
}

namespace {

// Whether none of the 16 bytes at `p` can be one to escape (a control byte, ' " or \\): most
// of an export's bytes are skipped 16 at a time.
bool plain_block(const char* p) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
  const __m128i quotes = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quotes, backslash))) == 0;
#else
  (void)p;
  return false;
#endif
}

// The first byte at or after `i` that `escapes` names, or bytes.size().
std::size_t next_escape(std::string_view bytes, std::size_t i, const escape_table& escapes) {
  while (i < bytes.size()) {
    if (i + 16 <= bytes.size() && plain_block(bytes.data() + i)) {
      i += 16;
      continue;
    }
    for (const auto end = std::min(bytes.size(), i + 16); i < end; ++i) {
      if (escapes[static_cast<unsigned char>(bytes[i])]) return i;
    }
  }
  return bytes.size();
}

}  // namespace

void append_escaped(std::string& out, std::string_view bytes, const escape_table& escapes) {
  std::size_t run = 0;
  for (auto i = next_escape(bytes, 0, escapes); i < bytes.size(); i = next_escape(bytes, i + 1, escapes)) {
    out.append(bytes.data() + run, i - run);
    out += '\\';
    out += escapes[static_cast<unsigned char>(bytes[i])];
    run = i + 1;
  }
  out.append(bytes.data() + run, bytes.size() - run);
}

void append_escaped_bytes(std::string& out, std::string_view bytes) {
  static constexpr escape_table sql_escapes = [] {
    escape_table t{};
    t['\0'] = '0', t['\''] = '\'', t['\\'] = '\\', t['\n'] = 'n', t['\r'] = 'r', t['\x1a'] = 'Z';
    return t;
  }();
  out += '\'';
  append_escaped(out, bytes, sql_escapes);
  out += '\'';
}

std::string escaped_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 2);
  append_escaped_bytes(out, bytes);
  return out;
}

void append_sql_value(std::string& out, const monitor::value_view& v, monitor::value_kind kind) {
  const bool number = kind == monitor::value_kind::integer || kind == monitor::value_kind::decimal ||
                      kind == monitor::value_kind::floating;
  if (v && number && plain_number(*v)) {
    out += *v;
  } else if (v && (kind == monitor::value_kind::bit || kind == monitor::value_kind::binary) && !v->empty()) {
    static const char digits[] = "0123456789ABCDEF";
    out += "0x";
    for (const unsigned char c : *v) {
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  } else if (v && kind == monitor::value_kind::text && safe_in_quotes(*v)) {
    out += '\'';  // dates and times
    out += *v;
    out += '\'';
  } else {
    out += sql_value(v ? monitor::value(std::string(*v)) : std::nullopt, kind);  // NULL, X'', the rest
  }
}

}  // namespace weft::ops
