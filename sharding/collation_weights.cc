// collation_weights and folding keys with them (key_collation.h).
#include <charconv>

#include "sharding/key_collation.h"
#include "sharding/result_view.h"

namespace weft::sharding {
namespace {

namespace p = protocol;

constexpr char32_t last_code_utf8 = 0xFFFF;  // weights are loaded for the Basic Multilingual Plane
constexpr char32_t last_code_latin1 = 0xFF;

std::uint32_t unit_value(std::string_view unit) {
  std::uint32_t v = 0;
  for (const unsigned char b : unit) v = (v << 8) | b;
  return v;
}

// weights_sql's rows: the weight of each code (missing codes weigh nothing).
std::optional<std::vector<std::string>> weights_by_code(const result_view& r, char32_t last, std::string& problem) {
  if (r.what != result_view::kind::rows || r.columns.size() != 2) {
    single_row(r, 2, problem);  // the server's error, or what the answer was
    if (problem.empty()) problem = "the weights' answer was not two columns";
    return std::nullopt;
  }
  std::vector<std::string> out(last + 1);
  for (const auto& row : r.rows) {
    if (!row.values[0]) continue;
    const auto text = *row.values[0];
    std::uint32_t code = 0;
    const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), code);
    if (failed != std::errc{} || code > last) {
      problem = "a weight's code is not a character of the table";
      return std::nullopt;
    }
    out[code] = std::string(row.values[1].value_or(""));
  }
  return out;
}

}  // namespace

std::shared_ptr<const collation_weights> collation_weights::load(std::string charset, p::bytes_view weights,
                                                                 p::bytes_view check, bool extended_type_info,
                                                                 std::string& problem) {
  auto out = std::make_shared<collation_weights>();
  out->charset_ = std::move(charset);
  const bool utf8 = out->charset_ == "utf8mb3" || out->charset_ == "utf8mb4";
  const auto by_code = weights_by_code(read_result(weights, extended_type_info),
                                       utf8 ? last_code_utf8 : last_code_latin1, problem);
  if (!by_code) return nullptr;
  out->unit_ = (*by_code)['A'].size();
  if (out->unit_ == 0 || out->unit_ > 4) {
    problem = "its weight of 'A' is " + std::to_string(out->unit_) + " bytes";
    return nullptr;
  }
  out->starts_.reserve(by_code->size() + 1);
  for (const auto& w : *by_code) {
    if (w.size() % out->unit_ != 0) {
      problem = "its weights are not whole units of " + std::to_string(out->unit_) + " bytes";
      return nullptr;
    }
    out->starts_.push_back(static_cast<std::uint32_t>(out->weights_.size()));
    out->weights_ += w;
  }
  out->starts_.push_back(static_cast<std::uint32_t>(out->weights_.size()));
  if (!out->map_ascii(problem) || !out->check_samples(check, extended_type_info, problem)) return nullptr;
  return out;
}

// Each printable ASCII character is one weight, and one weight is one letter (either case): so
// folding an ASCII key gives what shard_key.h made of it.
bool collation_weights::map_ascii(std::string& problem) {
  for (char c = 0x20; c <= 0x7E; ++c) {
    const auto w = weight_of(static_cast<unsigned char>(c));
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (w.size() != unit_) {
      problem = std::string("the ASCII character '") + c + "' is not one weight";
      return false;
    }
    const auto [at, added] = ascii_.emplace(unit_value(w), upper);
    if (!added && at->second != upper) {
      problem = std::string("the ASCII characters '") + at->second + "' and '" + upper + "' weigh the same";
      return false;
    }
  }
  return true;
}

// weights_check_sql's samples weigh what their characters weigh, one after another (no
// contractions, no reordering).
bool collation_weights::check_samples(p::bytes_view check, bool extended_type_info, std::string& problem) const {
  const auto r = read_result(check, extended_type_info);
  if (r.what != result_view::kind::rows || r.rows.size() != 1) {
    single_row(r, r.columns.size(), problem);
    if (problem.empty()) problem = "the samples' answer was not one row";
    return false;
  }
  const auto& served = r.rows[0].values;
  const auto mine = sample_weights();
  if (mine.size() != served.size()) {
    problem = "the samples' answer has " + std::to_string(served.size()) + " values";
    return false;
  }
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (!served[i] || *served[i] != mine[i]) {
      problem = "sample " + std::to_string(i + 1) + " weighs otherwise than its characters (a contraction)";
      return false;
    }
  }
  return true;
}

std::vector<std::string> collation_weights::sample_weights() const {
  std::vector<std::string> out;
  for (const auto codes : weight_samples(charset_)) {
    std::string w;
    for (const char32_t c : codes) w += weight_of(c);
    out.push_back(std::move(w));
  }
  return out;
}

std::string_view collation_weights::weight_of(char32_t code) const {
  if (code + 1 >= starts_.size()) return {};
  return std::string_view(weights_).substr(starts_[code], starts_[code + 1] - starts_[code]);
}

// The key's characters: latin1 bytes as they are; UTF-8 decoded strictly (no overlong forms, no
// surrogates), characters beyond U+FFFF refused (no weights loaded for them).
std::optional<std::u32string> collation_weights::codes_of(std::string_view bytes) const {
  std::u32string out;
  if (charset_ != "utf8mb3" && charset_ != "utf8mb4") {
    for (const unsigned char b : bytes) out += static_cast<char32_t>(b);
    return out;
  }
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const std::size_t n = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : 0;
    if (n == 0 || i + n > bytes.size()) return std::nullopt;
    char32_t c = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : (b0 & 0x0F);
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(bytes[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (b & 0x3F);
    }
    const bool overlong = (n == 2 && c < 0x80) || (n == 3 && c < 0x800);
    if (overlong || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
    out += c;
    i += n;
  }
  return out;
}

std::optional<std::string> collation_weights::fold(std::string_view bytes) const {
  const auto codes = codes_of(bytes);
  if (!codes) return std::nullopt;
  std::string out;
  std::size_t before_spaces = 0;  // PAD SPACE: trailing spaces go (coarser than NO PAD, so safe)
  for (const char32_t c : *codes) {
    const auto w = weight_of(c);
    for (std::size_t at = 0; at < w.size(); at += unit_) {
      const auto unit = w.substr(at, unit_);
      if (const auto ascii = ascii_.find(unit_value(unit)); ascii != ascii_.end()) {
        out += ascii->second;
        if (ascii->second == ' ') continue;
      } else {
        out += '\xFF';  // never an ASCII byte: a weight no ASCII character has
        out += unit;
      }
      before_spaces = out.size();
    }
  }
  out.resize(before_spaces);
  return out;
}

}  // namespace weft::sharding
