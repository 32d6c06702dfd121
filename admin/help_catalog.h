// What HELP on the admin port knows: every admin command with its syntax, what it does, what it
// needs on the servers, and an example; and how a word the DBA typed finds them (pure data and
// lookup, no I/O; help_command.h turns a match into the result sets the mariadb CLI renders).
#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

namespace weft::admin {

struct help_topic {
  std::string_view name;      // what HELP lists and matches first: "COMPARE DATABASE"
  std::string_view category;  // one of help_categories()
  std::string_view syntax;
  std::string_view description;
  std::string_view needs;  // grants of weft's backend account on the servers, or "nothing"
  std::string_view example;
  std::array<std::string_view, 3> aliases{};  // other spellings that find it: "CALL group.promote"
};

std::span<const help_topic> help_topics();
std::span<const std::string_view> help_categories();

// What a word finds. `contents` is the empty word or CONTENTS (every category and command).
struct help_match {
  enum class kind { nothing, topic, category, several, contents };
  kind found = kind::nothing;
  std::vector<const help_topic*> topics;       // topic: one; category: its topics; several: those found
  std::vector<std::string_view> categories;    // category: one; several: those found
};

// Case-insensitive: an exact name or alias finds that command, an exact category name that
// category; otherwise the names where the word starts a word ("jobs", "compare", "show gr") and
// the categories it begins. Several matches come back as `several`, none as `nothing`.
help_match find_help(std::string_view word);

}  // namespace weft::admin
