#include "sharding/shard_key.h"

#define OPENSSL_SUPPRESS_DEPRECATED  // MD5(): see key_hash
#include <openssl/md5.h>

#include <charconv>
#include <cstdio>

namespace weft::sharding {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// 'YYYY-MM-DD', optionally ' HH:MM:SS' and '.f' to '.ffffff': the form the server accepts in
// a DATETIME comparison without guessing; anything else is refused.
std::optional<std::string> normalized_datetime(std::string_view t) {
  const auto field = [&](std::size_t at, std::size_t n, char after) {
    return t.size() >= at + n && all_digits(t.substr(at, n)) && (after == 0 || (t.size() > at + n && t[at + n] == after));
  };
  if (!field(0, 4, '-') || !field(5, 2, '-') || !field(8, 2, 0)) return std::nullopt;
  std::string out(t.substr(0, 10));
  std::string_view rest = t.substr(10);
  if (rest.empty()) return out + " 00:00:00.000000";
  if (rest.size() < 9 || rest[0] != ' ') return std::nullopt;
  const auto time = rest.substr(1, 8);
  if (!all_digits(time.substr(0, 2)) || time[2] != ':' || !all_digits(time.substr(3, 2)) || time[5] != ':' ||
      !all_digits(time.substr(6, 2))) {
    return std::nullopt;
  }
  out += ' ';
  out += time;
  rest = rest.substr(9);
  std::string fraction;
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() > 7 || !all_digits(rest.substr(1))) return std::nullopt;
    fraction = std::string(rest.substr(1));
  }
  fraction.resize(6, '0');
  return out + "." + fraction;
}

// A string key in a form equal for every pair of strings any usual collation finds equal: the
// server may compare the column under a `_ci` collation ('Abc' = 'abc'), under PAD SPACE ('a' =
// 'a '), or in another character set than the client's bytes. So ASCII letters fold to upper
// case and trailing spaces go (coarser than any of them, so equal keys share a shard), and a key
// with bytes beyond printable ASCII, whose equality depends on the collation and the
// connection's character set, is not placed at all (reads go to every shard, writes are refused).
std::optional<std::string> normalized_string(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::string out(text);
  for (auto& c : out) {
    if (c < 0x20 || c > 0x7E) return std::nullopt;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> integer_key(std::string_view text) {
  std::int64_t n = 0;
  const auto* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
  const auto [end, failed] = std::from_chars(begin, text.data() + text.size(), n);
  if (failed != std::errc() || end != text.data() + text.size() || begin == end) return std::nullopt;
  return n;
}

std::optional<std::string> normalized_key(key_kind kind, std::string_view text) {
  switch (kind) {
    case key_kind::integer: {
      const auto n = integer_key(text);
      if (!n) return std::nullopt;
      return std::to_string(*n);
    }
    case key_kind::datetime: return normalized_datetime(text);
    case key_kind::string: break;
  }
  return normalized_string(text);
}

std::uint64_t key_hash(std::string_view normalized) {
  // OpenSSL's one-shot MD5 (kept in 3.x, deprecated): EVP_Digest creates a context and asks the
  // provider for the algorithm on every call, which the profile of a key-routed point select
  // showed as most of weft's sharding cost (173 ns a key against 104, bench/micro).
  unsigned char digest[MD5_DIGEST_LENGTH];
  MD5(reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size(), digest);
  std::uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | digest[i];
  return h;
}

std::size_t jump_bucket(std::uint64_t hash, std::size_t buckets) {
  std::int64_t b = -1, j = 0;
  while (j < static_cast<std::int64_t>(buckets)) {
    b = j;
    hash = hash * 2862933555777941757ULL + 1;
    j = static_cast<std::int64_t>(static_cast<double>(b + 1) *
                                  (static_cast<double>(1LL << 31) / static_cast<double>((hash >> 33) + 1)));
  }
  return static_cast<std::size_t>(b);
}

}  // namespace weft::sharding
