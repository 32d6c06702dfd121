#include "sharding/decimal_text.h"

#include <algorithm>

namespace weft::sharding {
namespace {

// A decimal as its sign, its digits without the point, and how many of them follow the point.
struct decimal {
  bool negative = false;
  std::string digits;  // most significant first, at least one
  std::size_t scale = 0;
};

std::optional<decimal> parse(std::string_view text) {
  decimal d;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    d.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const auto point = text.find('.');
  const auto whole = text.substr(0, point);
  const auto fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  for (const char c : whole) if (c < '0' || c > '9') return std::nullopt;
  for (const char c : fraction) if (c < '0' || c > '9') return std::nullopt;
  d.digits = std::string(whole) + std::string(fraction);
  if (d.digits.empty()) d.digits = "0";
  d.scale = fraction.size();
  return d;
}

void rescale(decimal& d, std::size_t scale) {
  d.digits.append(scale - d.scale, '0');
  d.scale = scale;
}

// Leading zeros off, keeping at least `keep` digits.
void trim_leading_zeros(std::string& digits, std::size_t keep) {
  std::size_t cut = 0;
  while (cut < digits.size() && digits.size() - cut > keep && digits[cut] == '0') ++cut;
  digits.erase(0, cut);
}

// |a| <=> |b| for digit strings of one scale.
int compare_magnitude(std::string a, std::string b) {
  trim_leading_zeros(a, 1);
  trim_leading_zeros(b, 1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

std::string add_magnitudes(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int s = carry;
    if (i < a.size()) s += a[a.size() - 1 - i] - '0';
    if (i < b.size()) s += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + s % 10));
    carry = s / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// a - b for |a| >= |b|.
std::string subtract_magnitudes(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int s = (a[a.size() - 1 - i] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = s < 0;
    out.push_back(static_cast<char>('0' + (s + 10) % 10));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string format(decimal d) {
  trim_leading_zeros(d.digits, d.scale + 1);
  const bool zero = d.digits.find_first_not_of('0') == std::string::npos;
  std::string out = d.negative && !zero ? "-" : "";
  out += d.digits.substr(0, d.digits.size() - d.scale);
  if (d.scale > 0) out += "." + d.digits.substr(d.digits.size() - d.scale);
  return out;
}

}  // namespace

std::optional<std::string> decimal_add(std::string_view a_text, std::string_view b_text) {
  auto a = parse(a_text), b = parse(b_text);
  if (!a || !b) return std::nullopt;
  const auto scale = std::max(a->scale, b->scale);
  rescale(*a, scale);
  rescale(*b, scale);
  decimal sum;
  sum.scale = scale;
  if (a->negative == b->negative) {
    sum.negative = a->negative;
    sum.digits = add_magnitudes(a->digits, b->digits);
  } else {
    const bool a_larger = compare_magnitude(a->digits, b->digits) >= 0;
    const auto& big = a_larger ? *a : *b;
    const auto& small = a_larger ? *b : *a;
    sum.negative = big.negative;
    sum.digits = subtract_magnitudes(big.digits, small.digits);
  }
  return format(std::move(sum));
}

std::optional<int> decimal_compare(std::string_view a_text, std::string_view b_text) {
  auto a = parse(a_text), b = parse(b_text);
  if (!a || !b) return std::nullopt;
  const auto scale = std::max(a->scale, b->scale);
  rescale(*a, scale);
  rescale(*b, scale);
  const bool a_zero = a->digits.find_first_not_of('0') == std::string::npos;
  const bool b_zero = b->digits.find_first_not_of('0') == std::string::npos;
  const bool a_neg = a->negative && !a_zero, b_neg = b->negative && !b_zero;
  if (a_neg != b_neg) return a_neg ? -1 : 1;
  const int magnitude = compare_magnitude(a->digits, b->digits);
  return a_neg ? -magnitude : magnitude;
}

std::optional<std::string> decimal_divide(std::string_view sum_text, std::uint64_t count, unsigned scale) {
  auto sum = parse(sum_text);
  if (!sum || count == 0) return std::nullopt;
  // Digits of |sum| * 10^(scale + 1) / count, long division, then the last digit rounds.
  std::string dividend = sum->digits + std::string(scale + 1, '0');
  const std::size_t quotient_scale = sum->scale + scale + 1;
  std::string quotient;
  unsigned __int128 remainder = 0;
  for (const char c : dividend) {
    remainder = remainder * 10 + static_cast<unsigned>(c - '0');
    quotient.push_back(static_cast<char>('0' + static_cast<int>(remainder / count)));
    remainder %= count;
  }
  // quotient has quotient_scale fraction digits; keep scale + 1, then round the last away.
  quotient.erase(quotient.size() - (quotient_scale - scale - 1));
  const bool round_up = quotient.back() >= '5';
  quotient.pop_back();
  if (round_up) quotient = add_magnitudes(quotient, "1");
  return format({sum->negative, quotient, scale});
}

}  // namespace weft::sharding
