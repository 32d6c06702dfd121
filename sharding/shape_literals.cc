// Literals as the server reads them (default sql_mode): strings, numbers, hex and bit values.
#include "sharding/shape_tokens.h"

namespace weft::sharding::shape_detail {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hex digits as bytes. X'..' needs whole bytes; 0x.. pads an odd count on the left (0xABC = 0x0ABC).
std::optional<std::string> hex_bytes(std::string_view digits, bool pad_odd) {
  if (digits.size() % 2 != 0 && !pad_odd) return std::nullopt;
  std::string out;
  std::size_t i = 0;
  int byte = 0;
  for (bool high = digits.size() % 2 == 0; i < digits.size(); ++i, high = !high) {
    const int d = hex_digit(digits[i]);
    if (d < 0) return std::nullopt;
    byte = high ? d << 4 : byte | d;
    if (!high) out += static_cast<char>(byte);
  }
  return out;
}

// Bits as bytes, padded on the left to whole bytes (b'1' is 0x01).
std::optional<std::string> bit_bytes(std::string_view bits) {
  std::string out((bits.size() + 7) / 8, '\0');
  for (std::size_t i = 0; i < bits.size(); ++i) {
    const char c = bits[bits.size() - 1 - i];
    if (c != '0' && c != '1') return std::nullopt;
    if (c == '1') out[out.size() - 1 - i / 8] = static_cast<char>(out[out.size() - 1 - i / 8] | (1 << (i % 8)));
  }
  return out;
}

// A backslash escape as the server reads it; \% and \_ keep their backslash (they stay LIKE escapes).
void append_escape(char e, std::string& out) {
  switch (e) {
    case '0':
      out += '\0';
      break;
    case 'b':
      out += '\b';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'Z':
      out += '\x1a';
      break;
    case '%':
    case '_':
      out += '\\';
      out += e;
      break;
    default:
      out += e;  // \' \" \\ and any other character stand for themselves
  }
}

// The bytes of '...' or "..." (with its quotes); nullopt when it is not closed.
std::optional<std::string> unescaped(std::string_view quoted) {
  const char quote = quoted.front();
  std::string out;
  for (std::size_t i = 1; i < quoted.size(); ++i) {
    const char c = quoted[i];
    if (c == '\\') {
      if (++i == quoted.size()) return std::nullopt;
      append_escape(quoted[i], out);
    } else if (c != quote) {
      out += c;
    } else if (i + 1 < quoted.size() && quoted[i + 1] == quote) {
      out += quote;  // a doubled quote stands for one
      ++i;
    } else {
      return i + 1 == quoted.size() ? std::optional(std::move(out)) : std::nullopt;
    }
  }
  return std::nullopt;
}

bool plain_quoted(std::string_view text) { return text.front() == '\'' || text.front() == '"'; }
bool national(std::string_view text) { return text.front() == 'n' || text.front() == 'N'; }

// A string token's bytes: '...', "...", N'...', X'hex', B'bits'.
std::optional<std::string> string_token_value(std::string_view text) {
  if (plain_quoted(text)) return unescaped(text);
  const auto body = text.substr(1);  // the quoted part after the prefix letter
  if (body.size() < 2 || body.back() != '\'') return std::nullopt;
  if (national(text)) return unescaped(body);
  const auto inner = body.substr(1, body.size() - 2);
  return text.front() == 'x' || text.front() == 'X' ? hex_bytes(inner, false) : bit_bytes(inner);
}

// A number token with its sign ('\0' when none): decimal text as written, or 0x.. / 0b.. as
// bytes (a string: the server compares them with strings as bytes). A signed 0x.. is arithmetic.
std::optional<literal> number_literal(std::string_view text, char sign) {
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'b')) {
    if (sign != '\0' || text.size() == 2) return std::nullopt;
    auto bytes = text[1] == 'x' ? hex_bytes(text.substr(2), true) : bit_bytes(text.substr(2));
    if (!bytes) return std::nullopt;
    return literal{literal::kind::string, std::move(*bytes), 0, false};
  }
  return literal{literal::kind::number, (sign == '-' ? "-" : "") + std::string(text)};
}

// A charset introducer such as _utf8mb4 or _binary.
bool is_introducer(const sql_token& t) {
  return t.type == token_type::word && t.text.size() > 1 && t.text.front() == '_';
}

// 'a' 'b' ..., N'a', _charset'a', X'..', B'..', _charset 0x..: one string constant in [b, e).
std::optional<literal> string_literal(const token_view& v, std::size_t b, std::size_t e) {
  const bool introducer = is_introducer(v.at(b));
  std::size_t i = introducer ? b + 1 : b;
  if (i >= e) return std::nullopt;
  const auto& first = v.at(i);
  if (first.type == token_type::number && introducer && i + 1 == e) {
    auto bytes = number_literal(first.text, '\0');
    return bytes && bytes->type == literal::kind::string ? bytes : std::nullopt;
  }
  if (first.type != token_type::string || (introducer && national(first.text))) return std::nullopt;
  auto value = string_token_value(first.text);
  // Only quoted text continues with adjacent quoted text ('a' 'b'); X'..' and B'..' stand alone.
  const bool joinable = plain_quoted(first.text) || national(first.text);
  for (++i; value && i < e; ++i) {
    const auto& next = v.at(i);
    if (!joinable || next.type != token_type::string || !plain_quoted(next.text)) return std::nullopt;
    const auto more = unescaped(next.text);
    if (!more) return std::nullopt;
    *value += *more;
  }
  if (!value) return std::nullopt;
  return literal{literal::kind::string, std::move(*value), 0, !introducer && plain_quoted(first.text)};
}

std::optional<literal> word_literal(std::string_view word) {
  if (iequals_upper(word, "NULL")) return literal{literal::kind::null, {}};
  if (iequals_upper(word, "TRUE")) return literal{literal::kind::number, "1"};
  if (iequals_upper(word, "FALSE")) return literal{literal::kind::number, "0"};
  return std::nullopt;
}

}  // namespace

// The constant the tokens [b, e) spell, if they spell exactly one.
std::optional<literal> literal_in(const token_view& v, std::size_t b, std::size_t e) {
  if (b >= e) return std::nullopt;
  const auto& t = v.at(b);
  if (e - b == 1) {
    if (t.type == token_type::param) return literal{literal::kind::param, {}, v.param_index(b)};
    if (t.type == token_type::word) return word_literal(t.text);
    if (t.type == token_type::number) return number_literal(t.text, '\0');
  }
  if ((t.is('-') || t.is('+')) && e - b == 2 && v.at(b + 1).type == token_type::number) {
    return number_literal(v.at(b + 1).text, t.text[0]);
  }
  return string_literal(v, b, e);
}

}  // namespace weft::sharding::shape_detail
