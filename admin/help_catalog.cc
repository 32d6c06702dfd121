#include "admin/help_catalog.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "admin/help_topics.h"

namespace weft::admin {
namespace {

constexpr std::string_view categories[] = {
    "Configuration SQL", "Monitoring", "Connections", "High availability", "Replication", "Data comparison",
    "Backup and copy", "Sharding", "Job control",
};

// Upper case, one space between words, none around '.' or before '(' ("call group . add" is
// "CALL GROUP.ADD"), no surrounding quotes.
std::string normalized(std::string_view word) {
  std::string out;
  bool space = false;
  for (const char raw : word) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space && c != '.' && c != '(' && out.back() != '.') out += ' ';
    space = false;
    out += c;
  }
  if (out.size() >= 2 && (out.front() == '\'' || out.front() == '"') && out.back() == out.front()) {
    return normalized(std::string_view(out).substr(1, out.size() - 2));
  }
  return out;
}

// Whether `word` starts one of the words of `text` ("JOBS" in "SHOW JOBS", "SHOW GR" in
// "SHOW GROUPS"); both normalized.
bool starts_a_word(std::string_view text, std::string_view word) {
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    if (at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]))) return true;
  }
  return false;
}

bool is_alias_of(const help_topic& t, std::string_view word) {
  return std::any_of(t.aliases.begin(), t.aliases.end(),
                     [&](std::string_view a) { return !a.empty() && normalized(a) == word; });
}

bool an_alias_starts(const help_topic& t, std::string_view word) {
  return std::any_of(t.aliases.begin(), t.aliases.end(),
                     [&](std::string_view a) { return !a.empty() && starts_a_word(normalized(a), word); });
}

help_match one_topic(const help_topic& t) { return {help_match::kind::topic, {&t}, {}}; }

help_match one_category(std::string_view category) {
  help_match m{help_match::kind::category, {}, {category}};
  for (const auto& t : help_topics()) {
    if (t.category == category) m.topics.push_back(&t);
  }
  return m;
}

std::optional<help_match> exact_match(std::string_view word) {
  for (const auto& t : help_topics()) {
    if (normalized(t.name) == word || is_alias_of(t, word)) return one_topic(t);
  }
  for (const auto c : categories) {
    if (normalized(c) == word) return one_category(c);
  }
  return std::nullopt;
}

// Names where the word starts a word; only when no name has it, the other spellings (so "call"
// finds CALL GROUP, not every command that has a CALL group.x spelling).
std::vector<const help_topic*> topics_starting(std::string_view word) {
  std::vector<const help_topic*> found;
  for (const auto& t : help_topics()) {
    if (starts_a_word(normalized(t.name), word)) found.push_back(&t);
  }
  if (!found.empty()) return found;
  for (const auto& t : help_topics()) {
    if (an_alias_starts(t, word)) found.push_back(&t);
  }
  return found;
}

help_match partial_match(std::string_view word) {
  help_match m;
  m.topics = topics_starting(word);
  for (const auto c : categories) {
    if (normalized(c).starts_with(word)) m.categories.push_back(c);
  }
  if (m.topics.size() == 1 && m.categories.empty()) return one_topic(*m.topics.front());
  if (m.topics.empty() && m.categories.size() == 1) return one_category(m.categories.front());
  if (!m.topics.empty() || !m.categories.empty()) m.found = help_match::kind::several;
  return m;
}

}  // namespace

std::span<const help_topic> help_topics() { return all_help_topics(); }

std::span<const std::string_view> help_categories() { return categories; }

help_match find_help(std::string_view word) {
  const auto w = normalized(word);
  if (w.empty() || w == "CONTENTS") {
    help_match m{help_match::kind::contents, {}, {std::begin(categories), std::end(categories)}};
    for (const auto& t : help_topics()) m.topics.push_back(&t);
    return m;
  }
  if (auto exact = exact_match(w)) return std::move(*exact);
  return partial_match(w);
}

}  // namespace weft::admin
