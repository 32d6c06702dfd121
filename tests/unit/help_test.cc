// HELP on the admin port: every command in the catalogue is found by its name, a word finds what
// a DBA means, and the answers have the shapes the mariadb CLI renders.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "admin/help_catalog.h"
#include "admin/help_command.h"
#include "protocol/errors.h"

namespace weft::admin {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> column_names(const admin_result& r) {
  std::vector<std::string> out;
  for (const auto& c : r.columns) out.push_back(c.name);
  return out;
}

std::string cell(const admin_result& r, std::size_t row, std::size_t column) {
  return r.rows.at(row).at(column).value_or("NULL");
}

admin_result help(std::string_view sql) {
  auto r = answer_help(sql);
  EXPECT_TRUE(r.has_value()) << sql;
  return r.value_or(admin_result{});
}

const std::vector<std::string> topic_columns{"name", "description", "example"};
const std::vector<std::string> list_columns{"name", "is_it_category"};
const std::vector<std::string> category_columns{"source_category_name", "name", "is_it_category"};

TEST(HelpCatalog, EveryCommandIsFoundByItsName) {
  for (const auto& t : help_topics()) {
    for (const auto& word : {std::string(t.name), upper(t.name), [&] {
                               std::string lower(t.name);
                               for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                               return lower;
                             }()}) {
      const auto m = find_help(word);
      ASSERT_EQ(m.found, help_match::kind::topic) << word;
      EXPECT_EQ(m.topics.front(), &t) << word;
    }
  }
}

TEST(HelpCatalog, EveryOtherSpellingFindsItsCommand) {
  for (const auto& t : help_topics()) {
    for (const auto alias : t.aliases) {
      if (alias.empty()) continue;
      const auto m = find_help(alias);
      ASSERT_EQ(m.found, help_match::kind::topic) << alias;
      EXPECT_EQ(m.topics.front()->name, t.name) << alias;
    }
  }
}

TEST(HelpCatalog, NamesAreUniqueAndCategoriesKnownAndNeverNearlyEmpty) {
  std::set<std::string> names;
  const auto categories = help_categories();
  for (const auto& t : help_topics()) {
    EXPECT_TRUE(names.insert(upper(t.name)).second) << t.name;
    EXPECT_NE(std::find(categories.begin(), categories.end(), t.category), categories.end()) << t.name;
    EXPECT_FALSE(t.syntax.empty() || t.description.empty() || t.needs.empty() || t.example.empty()) << t.name;
  }
  for (const auto c : categories) {
    EXPECT_FALSE(names.count(upper(c))) << c << " is also a command";
    EXPECT_GE(find_help(c).topics.size(), 2u) << c;  // one row of 3 columns would read as a command
  }
}

TEST(HelpCatalog, DocumentsTheAdminCommands) {
  for (const char* name : {"SELECT", "INSERT", "UPDATE", "DELETE", "BEGIN", "SHOW HEALTH", "SHOW TOPOLOGY",
                           "SHOW DISK USAGE", "SHOW CONFIG DIFF", "SHOW TABLES", "SHOW DATABASES", "SHOW PROCESSLIST",
                           "SHOW VARIABLES", "FLUSH HOSTS", "FLUSH BACKEND CONNECTIONS", "FLUSH QUERY CACHE",
                           "CREATE GROUP", "ADD SERVER",
                           "REMOVE SERVER", "PROMOTE GROUP", "DEMOTE GROUP", "ACTIVATE GROUP", "DEACTIVATE GROUP",
                           "SHOW GROUP HEALTH", "SHOW GROUP SERVERS", "SHOW GROUPS", "REPLICATE", "REJOIN SERVER",
                           "CALL GROUP", "COMPARE DATABASE", "DIFF SCHEMA", "SHOW JOBS", "SHOW JOB", "KILL JOB",
                           "RESUME JOB", "EXPORT DATABASE", "IMPORT", "CLONE SERVER"}) {
    EXPECT_EQ(find_help(name).found, help_match::kind::topic) << name;
  }
  for (const char* fabric : {"call group.create", "CALL group.add", "call group.remove", "call group.promote",
                             "call group.demote", "call group.activate", "call group.deactivate", "call group.health",
                             "call group.lookup_servers", "call group.lookup_groups", "CALL group . promote"}) {
    EXPECT_EQ(find_help(fabric).found, help_match::kind::topic) << fabric;
  }
}

TEST(HelpCatalog, AWordOrAPrefixFindsTheCommand) {
  const std::pair<const char*, const char*> cases[] = {
      {"compare", "COMPARE DATABASE"}, {"jobs", "SHOW JOBS"},    {"comp", "COMPARE DATABASE"},
      {"'compare'", "COMPARE DATABASE"}, {"  Show   Topo ", "SHOW TOPOLOGY"}, {"call", "CALL GROUP"},
      {"commit", "BEGIN"},             {"promote", "PROMOTE GROUP"}, {"rejoin", "REJOIN SERVER"},
      {"disk", "SHOW DISK USAGE"},     {"mysqldbcompare", "COMPARE DATABASE"},
  };
  for (const auto& [word, name] : cases) {
    const auto m = find_help(word);
    ASSERT_EQ(m.found, help_match::kind::topic) << word;
    EXPECT_EQ(m.topics.front()->name, name) << word;
  }
}

TEST(HelpCatalog, SeveralMatchesAndNone) {
  for (const char* word : {"show", "job", "health", "diff", "flush", "group"}) {
    EXPECT_EQ(find_help(word).found, help_match::kind::several) << word;
  }
  for (const char* word : {"nosuchthing", "xyzzy", "sel ect"}) {
    EXPECT_EQ(find_help(word).found, help_match::kind::nothing) << word;
  }
  EXPECT_EQ(find_help("high availability").found, help_match::kind::category);
  EXPECT_EQ(find_help("").found, help_match::kind::contents);
  EXPECT_EQ(find_help("Contents").found, help_match::kind::contents);
}

TEST(HelpResult, OneCommandIsThreeColumnsAndOneRow) {
  const auto r = help("help 'compare'");
  ASSERT_EQ(column_names(r), topic_columns);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(cell(r, 0, 0), "COMPARE DATABASE");
  const auto description = cell(r, 0, 1);
  EXPECT_EQ(description.rfind("Syntax:\nCOMPARE DATABASE db [TABLE t [, t ...]] ON server WITH server", 0), 0u);
  EXPECT_NE(description.find("PRIMARY OF GROUP g"), std::string::npos);
  EXPECT_NE(description.find("Needs:\non both servers, SELECT"), std::string::npos);
  EXPECT_EQ(description.back(), '\n');  // the CLI prints "Examples:" right after it
  EXPECT_EQ(cell(r, 0, 2).rfind("COMPARE DATABASE shop", 0), 0u);
}

TEST(HelpResult, SeveralMatchesAreTwoColumnsOfNamesAndKinds) {
  const auto r = help("help 'show'");
  ASSERT_EQ(column_names(r), list_columns);
  std::set<std::string> names;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    names.insert(cell(r, i, 0));
    EXPECT_EQ(cell(r, i, 1), "N");
  }
  for (const char* n : {"SHOW HEALTH", "SHOW TOPOLOGY", "SHOW JOBS", "SHOW JOB", "SHOW GROUP SERVERS", "SHOW TABLES"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  const auto job = help("help 'job'");  // commands and the category "Job control"
  ASSERT_EQ(column_names(job), list_columns);
  EXPECT_EQ(cell(job, 0, 0), "Job control");
  EXPECT_EQ(cell(job, 0, 1), "Y");
}

TEST(HelpResult, ACategoryListsItsCommands) {
  const auto r = help("HELP 'High Availability'");
  ASSERT_EQ(column_names(r), category_columns);
  ASSERT_GE(r.rows.size(), 2u);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    EXPECT_EQ(cell(r, i, 0), "High availability");
    EXPECT_EQ(cell(r, i, 2), "N");
  }
}

TEST(HelpResult, ContentsListsCategoriesThenEveryCommand) {
  for (const char* sql : {"HELP", "help;", "help 'contents'", "HELP contents"}) {
    const auto r = help(sql);
    ASSERT_EQ(column_names(r), category_columns) << sql;
    ASSERT_EQ(r.rows.size(), help_categories().size() + help_topics().size()) << sql;
    EXPECT_EQ(cell(r, 0, 0), "Contents");
    EXPECT_EQ(cell(r, 0, 2), "Y");
    EXPECT_EQ(cell(r, r.rows.size() - 1, 2), "N");
  }
}

TEST(HelpResult, AnUnknownWordIsNoRow) {
  const auto r = help("help 'nosuchthing'");
  EXPECT_EQ(column_names(r), list_columns);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_FALSE(r.error);
}

TEST(HelpResult, TheWordAsClientsSendIt) {
  EXPECT_EQ(cell(help("help 'compare'"), 0, 0), "COMPARE DATABASE");
  EXPECT_EQ(cell(help("HELP compare;"), 0, 0), "COMPARE DATABASE");
  EXPECT_EQ(cell(help("help \"jobs\"  ;"), 0, 0), "SHOW JOBS");
  EXPECT_EQ(cell(help("/* note */ help 'show disk'"), 0, 0), "SHOW DISK USAGE");
  EXPECT_EQ(cell(help("help call group.promote"), 0, 0), "PROMOTE GROUP");
  EXPECT_FALSE(answer_help("SELECT 1"));
  EXPECT_FALSE(answer_help("helpful"));
  EXPECT_FALSE(answer_help("SHOW HELP"));
}

TEST(HelpResult, LinesFitATerminal) {
  for (const auto& t : help_topics()) {
    const auto r = help(std::string("help '") + std::string(t.name) + "'");
    for (std::size_t c = 1; c <= 2; ++c) {
      std::istringstream lines(cell(r, 0, c));
      for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 78u) << t.name << ": " << line;
    }
  }
}

TEST(HelpHint, ASyntaxErrorPointsToHelp) {
  namespace p = protocol;
  const auto error = [](std::uint16_t code, std::string message) {
    return admin_result::failure(p::make_error({code, "42000"}, std::move(message)));
  };
  auto unknown = point_to_help(error(1064, "You have an error in your SQL syntax: near \"FROB\""), "FROB x");
  EXPECT_EQ(unknown.error->message, "You have an error in your SQL syntax: near \"FROB\"; HELP lists the admin commands");
  auto usage = point_to_help(error(1064, "weft admin: usage: PROMOTE GROUP name [TO 'host:port']"), "promote grp");
  EXPECT_EQ(usage.error->message, "weft admin: usage: PROMOTE GROUP name [TO 'host:port']; see HELP 'PROMOTE GROUP'");
  auto misspelled = point_to_help(error(1064, "near \"COMPAR\": syntax error"), "COMPAR DATABASE shop");
  EXPECT_NE(misspelled.error->message.find("see HELP 'COMPARE DATABASE'"), std::string::npos);
  auto other = point_to_help(error(1146, "no such table: x"), "SELECT * FROM x");
  EXPECT_EQ(other.error->message, "no such table: x");
  auto ok = point_to_help(admin_result{}, "SELECT 1");
  EXPECT_FALSE(ok.error);
}

}  // namespace
}  // namespace weft::admin
