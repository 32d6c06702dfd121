// How the server orders and equates the values of one result column, from its definition: as
// numbers (exactly, for integers and DECIMAL) or as times. Strings are not compared here (their
// definition tells the connection's collation, not the column's): a merge that needs them is
// refused rather than ordered by a guess.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sharding/result_view.h"

namespace weft::sharding {

enum class value_kind : std::uint8_t { exact_number, floating, temporal, time, unordered };

value_kind kind_of(const column_info& column);

// a <=> b with NULL first (as ORDER BY ... ASC puts it); nullopt when the kind is unordered or
// a value cannot be read as its kind.
std::optional<int> compare_values(value_kind kind, std::optional<std::string_view> a, std::optional<std::string_view> b);

// A key equal for values the server finds equal (GROUP BY, DISTINCT); nullopt when unordered.
std::optional<std::string> equality_key(value_kind kind, std::optional<std::string_view> value);

}  // namespace weft::sharding
