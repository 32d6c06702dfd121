// A prepared statement written out with one execute's values: what weft runs as a text
// statement when an execute needs several shards (a read merged across them, an INSERT split
// over them, keys from a global sequence, a hinted write on each), which the text protocol's
// machinery does. The values come as literals (protocol::parameter_literals).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace weft::sharding {

// `sql` with its i-th `?` placeholder (as routing's lexer finds them: not in strings, names or
// comments) replaced by literals[i]; nullopt when the counts differ.
std::optional<std::string> with_parameters(std::string_view sql, std::span<const std::string> literals);

}  // namespace weft::sharding
