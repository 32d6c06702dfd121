// A shard key's value in the form a map compares it: what the server would treat as equal
// must be equal here, or a row could be written to one shard and looked for on another.
// Integers as their canonical decimal text, datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff', strings
// of printable ASCII with letters in upper case and no trailing spaces (what every usual
// collation finds equal is equal here: `_ci` case folding, PAD SPACE). A value that cannot be
// brought to that form (a string with other bytes, whose equality depends on the collation) is
// refused (nullopt), never guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft::sharding {

enum class key_kind { integer, datetime, string };

// `text` is the literal's value as written (unquoted, unescaped).
std::optional<std::string> normalized_key(key_kind kind, std::string_view text);

// An integer key's value (RANGE compares numbers, not text).
std::optional<std::int64_t> integer_key(std::string_view text);

// The stable hash of a normalized key: the first 8 bytes of its MD5, big-endian.
std::uint64_t key_hash(std::string_view normalized);

// Lamping and Veach's jump consistent hash: a bucket in [0, buckets) for a well-mixed 64-bit
// value; growing the count by one moves only the keys that land in the new bucket.
std::size_t jump_bucket(std::uint64_t hash, std::size_t buckets);

}  // namespace weft::sharding
