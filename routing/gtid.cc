#include "routing/gtid.h"

#include <charconv>

namespace weft::routing {
namespace {

template <class T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Calls each(text of one GTID) for a comma-separated list; stops when each returns false.
template <class F>
bool for_each_item(std::string_view list, F&& each) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (item.empty()) continue;
    if (!each(item)) return false;
  }
  return true;
}

}  // namespace

std::optional<gtid> parse_gtid(std::string_view text) {
  const auto first = text.find('-');
  const auto second = first == std::string_view::npos ? first : text.find('-', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  gtid g;
  if (!parse_number(text.substr(0, first), g.domain) ||
      !parse_number(text.substr(first + 1, second - first - 1), g.server_id) ||
      !parse_number(text.substr(second + 1), g.sequence)) {
    return std::nullopt;
  }
  return g;
}

bool position_covers(std::string_view position, std::string_view wanted) {
  return for_each_item(wanted, [&](std::string_view item) {
    const auto want = parse_gtid(item);
    if (!want) return false;
    bool covered = false;
    for_each_item(position, [&](std::string_view have_text) {
      const auto have = parse_gtid(have_text);
      if (have && have->domain == want->domain) {
        covered = have->sequence >= want->sequence;
        return false;
      }
      return true;
    });
    return covered;
  });
}

}  // namespace weft::routing
