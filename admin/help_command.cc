#include "admin/help_command.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "admin/admin_words.h"
#include "routing/sql_lexer.h"

namespace weft::admin {
namespace {

using routing::token_type;

constexpr std::uint16_t syntax_error = 1064;

// The word after HELP: a quoted string's text (as the CLI sends it: HELP 'word'), or the rest
// of the statement as typed. nullopt when the statement is not HELP.
std::optional<std::string> help_word(std::string_view sql) {
  routing::sql_lexer lexer(sql);
  const auto first = lexer.next();
  if (first.type != token_type::word || !routing::iequals_upper(first.text, "HELP")) return std::nullopt;
  std::string_view rest = sql.substr(static_cast<std::size_t>(first.text.data() - sql.data()) + first.text.size());
  while (!rest.empty() && (std::isspace(static_cast<unsigned char>(rest.back())) || rest.back() == ';')) {
    rest.remove_suffix(1);
  }
  const auto w = words_of(rest);
  const bool one_quoted = w.size() == 1 && rest.find_first_of("'\"") != std::string_view::npos;
  return one_quoted ? w.text.front() : std::string(rest);
}

std::string description_of(const help_topic& t) {
  std::string d = "Syntax:\n";
  d.append(t.syntax).append("\n\n").append(t.description).append("\n\nNeeds:\n").append(t.needs).append("\n");
  return d;
}

admin_result one_topic(const help_topic& t) {
  auto r = admin_result::table({"name", "description", "example"});
  r.rows.push_back({std::string(t.name), description_of(t), std::string(t.example) + "\n"});
  return r;
}

std::vector<const help_topic*> by_name(std::vector<const help_topic*> topics) {
  std::sort(topics.begin(), topics.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  return topics;
}

// Rows of (name, is_it_category), after `prefix` columns (the category's name): categories
// first, then the commands by name; the CLI prints a heading where the kind changes.
void add_items(admin_result& r, const help_match& m, const std::vector<std::string>& prefix) {
  const auto row = [&](std::string_view name, const char* is_category) {
    protocol::text_row out(prefix.begin(), prefix.end());
    out.push_back(std::string(name));
    out.push_back(std::string(is_category));
    r.rows.push_back(std::move(out));
  };
  for (const auto c : m.categories) row(c, "Y");
  for (const auto* t : by_name(m.topics)) row(t->name, "N");
}

admin_result list_of(const help_match& m) {
  auto r = admin_result::table({"name", "is_it_category"});
  add_items(r, m, {});
  return r;
}

// A category's commands (the categories are left out: the heading names the category).
admin_result category_listing(std::string_view category, help_match m) {
  if (m.topics.size() == 1) return one_topic(*m.topics.front());  // 3x1 would read as a command
  auto r = admin_result::table({"source_category_name", "name", "is_it_category"});
  if (category != "Contents") m.categories.clear();
  add_items(r, m, {std::string(category)});
  return r;
}

std::string hint_for(std::string_view sql) {
  const auto w = words_of(sql);
  if (!w.empty()) {
    const auto m = find_help(w.text.front());
    if (m.found == help_match::kind::topic) return "; see HELP '" + std::string(m.topics.front()->name) + "'";
  }
  return "; HELP lists the admin commands";
}

}  // namespace

admin_result help_result(const help_match& m) {
  switch (m.found) {
    case help_match::kind::topic:
      return one_topic(*m.topics.front());
    case help_match::kind::category:
      return category_listing(m.categories.front(), m);
    case help_match::kind::contents:
      return category_listing("Contents", m);
    case help_match::kind::several:
      return list_of(m);
    case help_match::kind::nothing:
      break;
  }
  return admin_result::table({"name", "is_it_category"});
}

std::optional<admin_result> answer_help(std::string_view sql) {
  const auto word = help_word(sql);
  if (!word) return std::nullopt;
  return help_result(find_help(*word));
}

admin_result point_to_help(admin_result result, std::string_view sql) {
  if (!result.error || result.error->error_code != syntax_error) return result;
  if (result.error->message.find("HELP") != std::string::npos) return result;
  result.error->message += hint_for(sql);
  return result;
}

}  // namespace weft::admin
