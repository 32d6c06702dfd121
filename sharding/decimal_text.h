// Exact arithmetic on numbers as the server prints them ("-12.50", "7"): what merging SUM, COUNT
// and AVG across shards needs, with DECIMAL's 65 digits (past any machine integer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft::sharding {

// a + b, at the larger of their scales; nullopt when either is not a plain decimal number.
std::optional<std::string> decimal_add(std::string_view a, std::string_view b);

// a <=> b as numbers (-1, 0, 1); nullopt when either is not a plain decimal number.
std::optional<int> decimal_compare(std::string_view a, std::string_view b);

// sum / count with `scale` digits after the point, rounded half away from zero (as the server
// rounds DECIMAL division); nullopt for count 0 or a sum that is no decimal.
std::optional<std::string> decimal_divide(std::string_view sum, std::uint64_t count, unsigned scale);

}  // namespace weft::sharding
