// The HA commands in weft's form and in MySQL Fabric's CALL form parse to the same command.
#include <gtest/gtest.h>

#include "admin/ha_grammar.h"

namespace weft::admin {
namespace {

}  // namespace

void PrintTo(const ha_command& c, std::ostream* os) {
  *os << "{verb " << static_cast<int>(c.verb) << ", group '" << c.group << "', server '" << c.server << "', source '"
      << c.source << "', fabric " << c.fabric_form << "}";
}

namespace {

ha_command parsed(std::string_view sql) {
  auto p = parse_ha_command(sql);
  EXPECT_TRUE(p.has_value()) << sql;
  if (!p) return {};
  EXPECT_TRUE(p->command.has_value()) << sql << ": " << p->error;
  return p->command.value_or(ha_command{});
}

std::string error_of(std::string_view sql) {
  auto p = parse_ha_command(sql);
  if (!p) return "(not an HA command)";
  EXPECT_FALSE(p->command.has_value()) << sql;
  return p->error;
}

ha_command make(ha_verb verb, std::string group = {}, std::string server = {}, bool fabric = false) {
  ha_command c;
  c.verb = verb;
  c.group = std::move(group);
  c.server = std::move(server);
  c.fabric_form = fabric;
  return c;
}

TEST(HaGrammar, WeftForms) {
  EXPECT_EQ(parsed("CREATE GROUP g1"), make(ha_verb::create_group, "g1"));
  EXPECT_EQ(parsed("create group `Shard-A`;"), make(ha_verb::create_group, "Shard-A"));
  EXPECT_EQ(parsed("ADD SERVER '127.0.0.1:23307' TO GROUP g1"), make(ha_verb::add_server, "g1", "127.0.0.1:23307"));
  EXPECT_EQ(parsed("REMOVE SERVER '127.0.0.1:23307'"), make(ha_verb::remove_server, "", "127.0.0.1:23307"));
  EXPECT_EQ(parsed("REMOVE SERVER '127.0.0.1:23307' FROM GROUP g1"),
            make(ha_verb::remove_server, "g1", "127.0.0.1:23307"));
  EXPECT_EQ(parsed("PROMOTE GROUP main"), make(ha_verb::promote, "main"));
  EXPECT_EQ(parsed("promote group main to '10.0.0.7:3306'"), make(ha_verb::promote, "main", "10.0.0.7:3306"));
  EXPECT_EQ(parsed("DEMOTE GROUP main"), make(ha_verb::demote, "main"));
  EXPECT_EQ(parsed("ACTIVATE GROUP main"), make(ha_verb::activate, "main"));
  EXPECT_EQ(parsed("DEACTIVATE GROUP main"), make(ha_verb::deactivate, "main"));
  EXPECT_EQ(parsed("SHOW GROUPS"), make(ha_verb::show_groups));
  EXPECT_EQ(parsed("SHOW GROUP main HEALTH"), make(ha_verb::group_health, "main"));
  EXPECT_EQ(parsed("show group main servers"), make(ha_verb::group_servers, "main"));
  EXPECT_EQ(parsed("REJOIN SERVER '127.0.0.1:23306'"), make(ha_verb::rejoin, "", "127.0.0.1:23306"));
}

TEST(HaGrammar, Replicate) {
  auto c = parsed("REPLICATE '127.0.0.1:23308' FROM '127.0.0.1:23306'");
  EXPECT_EQ(c.verb, ha_verb::replicate);
  EXPECT_EQ(c.server, "127.0.0.1:23308");
  EXPECT_EQ(c.source, "127.0.0.1:23306");
  EXPECT_EQ(c.user, "");
  EXPECT_EQ(c.start, replicate_start::replica_position);
  c = parsed("replicate 'db2:3306' from 'db1:3306' user 'rpl' password 'it''s' start from beginning");
  EXPECT_EQ(c.server, "db2:3306");
  EXPECT_EQ(c.user, "rpl");
  EXPECT_EQ(c.password, "it's");  // the server's reading of the literal: a doubled quote is one quote
  EXPECT_EQ(c.start, replicate_start::beginning);
  EXPECT_EQ(parsed("REPLICATE 'a:1' FROM 'b:2' START FROM CURRENT").start, replicate_start::current);
}

TEST(HaGrammar, FabricForms) {
  EXPECT_EQ(parsed("CALL group.create('g1')"), make(ha_verb::create_group, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.create('g1', 'a description')"), make(ha_verb::create_group, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.add('g1', '127.0.0.1:23307')"), make(ha_verb::add_server, "g1", "127.0.0.1:23307", true));
  EXPECT_EQ(parsed("call group.remove('g1','127.0.0.1:23307')"),
            make(ha_verb::remove_server, "g1", "127.0.0.1:23307", true));
  EXPECT_EQ(parsed("CALL group.promote('g1')"), make(ha_verb::promote, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.promote('g1', '127.0.0.1:23308')"), make(ha_verb::promote, "g1", "127.0.0.1:23308", true));
  EXPECT_EQ(parsed("CALL group.demote('g1')"), make(ha_verb::demote, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.activate('g1')"), make(ha_verb::activate, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.deactivate('g1')"), make(ha_verb::deactivate, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.health('g1')"), make(ha_verb::group_health, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.lookup_servers('g1')"), make(ha_verb::group_servers, "g1", "", true));
  EXPECT_EQ(parsed("CALL group.lookup_groups()"), make(ha_verb::show_groups, "", "", true));
}

TEST(HaGrammar, MistakesAreExplained) {
  EXPECT_NE(error_of("PROMOTE main").find("usage: PROMOTE GROUP name [TO 'host:port']"), std::string::npos);
  EXPECT_NE(error_of("PROMOTE GROUP main TO nowhere").find("usage"), std::string::npos);
  EXPECT_NE(error_of("ADD SERVER 'not-an-address' TO GROUP g").find("usage: ADD SERVER"), std::string::npos);
  EXPECT_NE(error_of("REPLICATE 'a:1'").find("usage: REPLICATE"), std::string::npos);
  EXPECT_NE(error_of("REPLICATE 'a:1' FROM 'b:2' START FROM SCRATCH").find("usage"), std::string::npos);
  EXPECT_NE(error_of("DEMOTE GROUP main now").find("unexpected words"), std::string::npos);
  EXPECT_NE(error_of("CALL group.explode('g')").find("unknown Fabric command group.explode"), std::string::npos);
  EXPECT_NE(error_of("CALL group.add('g')").find("takes 2 argument(s)"), std::string::npos);
  EXPECT_NE(error_of("CALL group.add('g', 'x')").find("'x' is not host:port"), std::string::npos);
  EXPECT_NE(error_of("CALL group.create('g'").find("unbalanced"), std::string::npos);
  // A fuzz finding: an empty group name, which weft's own form never accepted.
  EXPECT_NE(error_of("CALL group.add('', '127.0.0.1:23307')").find("needs a group name"), std::string::npos);
  EXPECT_NE(error_of("CALL group.promote('')").find("needs a group name"), std::string::npos);
  EXPECT_NE(error_of("SHOW GROUP main").find("usage: SHOW GROUP name HEALTH | SERVERS"), std::string::npos);
}

TEST(HaGrammar, OtherStatementsAreNotHaCommands) {
  for (const char* sql : {"SELECT * FROM servers", "SHOW HEALTH", "SHOW TABLES", "CREATE TABLE t (a int)",
                          "CALL some_procedure()", "UPDATE groups SET failover = 'auto'", ""}) {
    EXPECT_FALSE(parse_ha_command(sql).has_value()) << sql;
  }
}

TEST(HaGrammar, WhichCommandsOnlyChangeConfiguration) {
  EXPECT_TRUE(changes_configuration_only(ha_verb::create_group));
  EXPECT_TRUE(changes_configuration_only(ha_verb::add_server));
  EXPECT_TRUE(changes_configuration_only(ha_verb::activate));
  EXPECT_FALSE(changes_configuration_only(ha_verb::promote));
  EXPECT_FALSE(changes_configuration_only(ha_verb::replicate));
  EXPECT_FALSE(changes_configuration_only(ha_verb::show_groups));
}

}  // namespace
}  // namespace weft::admin
