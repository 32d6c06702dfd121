#include "ops/schema_text.h"

#include <algorithm>
#include <cctype>

#include "ops/sql_values.h"

namespace weft::ops {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// The end of the quoted text starting at `at` (a quote character): one past its closing
// quote, a doubled quote or a backslash-escaped one (in '' and "") staying inside.
std::size_t quoted_end(std::string_view text, std::size_t at) {
  const char quote = text[at];
  std::size_t i = at + 1;
  while (i < text.size()) {
    if (text[i] == '\\' && quote != '`') {
      i += 2;
    } else if (text[i] == quote) {
      if (i + 1 < text.size() && text[i + 1] == quote) {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  return text.size();
}

// The end of a user or host of DEFINER=...: quoted, or a bare word.
std::size_t account_part_end(std::string_view text, std::size_t at) {
  if (at < text.size() && (text[at] == '`' || text[at] == '\'' || text[at] == '"')) return quoted_end(text, at);
  while (at < text.size() && !is_space(text[at]) && text[at] != '@') ++at;
  return at;
}

}  // namespace

std::string sql_string(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string without_definer(std::string_view create) {
  const auto at = create.find("DEFINER=");
  // Only in the head the server writes: nothing quoted comes before it.
  if (at == std::string_view::npos || create.substr(0, at).find_first_of("`'\"(") != std::string_view::npos) {
    return std::string(create);
  }
  auto end = account_part_end(create, at + 8);
  if (end < create.size() && create[end] == '@') end = account_part_end(create, end + 1);
  while (end < create.size() && is_space(create[end])) ++end;
  return std::string(create.substr(0, at)) + std::string(create.substr(end));
}

std::string without_auto_increment(std::string_view create_table) {
  std::string out(create_table);
  const auto options = out.rfind("\n)");
  const auto at = out.find(" AUTO_INCREMENT=", options == std::string::npos ? 0 : options);
  if (at == std::string::npos) return out;
  auto end = at + 16;
  while (end < out.size() && std::isdigit(static_cast<unsigned char>(out[end]))) ++end;
  return out.erase(at, end - at);
}

std::string partitioning_of(std::string_view create_table) {
  const auto options = create_table.rfind("\n)");
  const auto at = create_table.find("\n PARTITION BY ", options == std::string_view::npos ? 0 : options);
  return at == std::string_view::npos ? std::string() : std::string(create_table.substr(at + 2));
}

std::string with_database(std::string_view create, std::string_view keyword, std::string_view database,
                          std::string_view name) {
  const std::string plain = std::string(keyword) + " " + quote_name(name);
  std::string out(create);
  const auto at = out.find(plain);
  if (at == std::string::npos) return out;
  return out.replace(at, plain.size(), std::string(keyword) + " " + qualified_name(database, name));
}

std::string without_foreign_keys(std::string_view create_table, const std::vector<std::string>& names) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= create_table.size()) {
    const auto end = std::min(create_table.find('\n', start), create_table.size());
    const std::string line(create_table.substr(start, end - start));
    const bool dropped = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      return line.starts_with("  CONSTRAINT " + quote_name(n) + " FOREIGN KEY");
    });
    if (!dropped) lines.push_back(line);
    start = end + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    // The last element before ")" loses its comma.
    if (i + 1 < lines.size() && lines[i + 1].starts_with(")") && line.ends_with(",")) line.pop_back();
    out += line;
    if (i + 1 < lines.size()) out += '\n';
  }
  return out;
}

std::string with_database_in_calls(std::string_view create_view, std::string_view database,
                                   const std::vector<std::string>& functions) {
  std::string out;
  std::size_t i = 0;
  while (i < create_view.size()) {
    const char c = create_view[i];
    if (c != '\'' && c != '"' && c != '`') {
      out += c;
      ++i;
      continue;
    }
    const auto end = quoted_end(create_view, i);
    const auto quoted = create_view.substr(i, end - i);
    const bool call =
        c == '`' && end < create_view.size() && create_view[end] == '(' && (i == 0 || create_view[i - 1] != '.');
    const bool ours = call && std::any_of(functions.begin(), functions.end(),
                                          [&](const std::string& f) { return quote_name(f) == quoted; });
    if (ours) out += quote_name(database) + ".";
    out.append(quoted);
    i = end;
  }
  return out;
}

std::string enabled_as_on_primary(std::string_view create_event) {
  std::string out(create_event);
  const std::string replica_form = " DISABLE ON SLAVE ";
  const auto at = out.find(replica_form);
  if (at != std::string::npos) out.replace(at, replica_form.size(), " ENABLE ");
  return out;
}

std::string compact_sql(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\'' || c == '"' || c == '`') {
      const auto end = quoted_end(text, i);
      out.append(text.substr(i, end - i));
      i = end;
    } else if (is_space(c)) {
      while (i < text.size() && is_space(text[i])) ++i;
      if (!out.empty() && i < text.size()) out += ' ';
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

bool mentions_name(std::string_view text, std::string_view name) {
  return text.find(quote_name(name)) != std::string_view::npos;
}

}  // namespace weft::ops
