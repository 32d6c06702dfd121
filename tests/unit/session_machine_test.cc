// The session machine (session/machine.h) driven with no socket: each test plays the driver,
// answering every action the machine hands out with an event, and checks the actions one by one —
// the decision table of a statement's fate (where it runs, what is kept, what is read back).
#include "tests/unit/session_harness.h"

namespace weft::session::testing {
namespace {

TEST(SessionMachine, FirstActionWaitsForACommand) {
  session_under_test s;
  EXPECT_EQ(s.next().kind, action_kind::read_command);
}

// Where statements run: reads to a replica, writes and locking reads to the primary.
TEST(SessionMachine, ReadsGoToReplicasWritesToThePrimary) {
  struct row {
    std::string_view sql;
    routing::target_role role;
  };
  for (const auto& [sql, role] : {row{"SELECT 1", routing::target_role::replica},
                                  row{"SELECT * FROM t FOR UPDATE", routing::target_role::primary},
                                  row{"INSERT INTO t VALUES (1)", routing::target_role::primary},
                                  row{"/* weft: route=primary */ SELECT 1", routing::target_role::primary}}) {
    session_under_test s;
    s.query(sql);
    s.read_client();
    ASSERT_EQ(s.next().kind, action_kind::acquire) << sql;
    EXPECT_EQ(s.next().target.role, role) << sql;
  }
}

// After each response the connection goes back to the pool unless the session's state lives
// there; soft-owned when SHOW WARNINGS or ROW_COUNT() could still ask about it.
TEST(SessionMachine, ReleaseFollowsTheResponse) {
  struct row {
    std::string_view name;
    p::bytes response;
    std::vector<action_kind> expected;
    bool soft = false;
  };
  const std::vector<row> table = {
      {"result set", one_value_response("1"), {action_kind::record_statement, action_kind::release}, false},
      {"OK with affected rows", ok_response(p::status::autocommit, 3), {action_kind::record_statement, action_kind::release}, true},
      {"transaction open", ok_response(p::status::autocommit | p::status::in_trans), {action_kind::record_statement}, false},
      {"autocommit off", ok_response(0), {action_kind::record_statement}, false},
      {"error", err_response({1064, "42000"}, "syntax"), {action_kind::record_statement, action_kind::release}, true},
      {"warnings", one_value_response("1") , {action_kind::record_statement, action_kind::release}, false},
  };
  for (const auto& r : table) {
    session_under_test s;
    s.statement("SELECT 1 FROM t", r.response, routing::target_role::replica);
    std::vector<action_kind> kinds;
    bool soft = false;
    while (s.next().kind >= action_kind::release && s.next().kind != action_kind::done) {
      kinds.push_back(s.next().kind);
      if (s.next().kind == action_kind::release) soft = s.next().soft_owned;
      s.give();
    }
    EXPECT_EQ(kinds, r.expected) << r.name;
    EXPECT_EQ(soft, r.soft) << r.name;
    EXPECT_EQ(s.next().kind, action_kind::read_command) << r.name;
  }
}

// A parked session frees the program's frames only where it can start again: waiting for the
// next command. The restarted program goes on with the session's state (here, its schema).
TEST(SessionMachine, RestsOnlyBetweenCommands) {
  session_under_test s;
  s.query("SELECT 1");
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::acquire);
  EXPECT_FALSE(s.m.rest()) << "waiting for a connection: the program cannot be restarted there";
  s.acquire(routing::target_role::replica);
  s.expect_send_command();
  s.relay(one_value_response("1"));
  s.bookkeeping();
  s.statement("USE crm", ok_response());
  s.bookkeeping();
  ASSERT_EQ(s.next().kind, action_kind::read_command);
  EXPECT_TRUE(s.m.rest());
  EXPECT_FALSE(s.m.rest()) << "nothing left to free";
  s.m.start();
  ASSERT_EQ(s.next().kind, action_kind::read_command);
  s.statement("INSERT INTO t VALUES (1)", ok_response(), routing::target_role::primary);
  EXPECT_EQ(s.m.who().schema, "crm");
  EXPECT_EQ(s.m.commands(), 3u);
}

TEST(SessionMachine, MultiplexingOffKeepsTheConnection) {
  session_under_test s(false);
  s.statement("SELECT 1", one_value_response("1"));
  EXPECT_EQ(s.bookkeeping(), std::vector<action_kind>{action_kind::record_statement});
  EXPECT_TRUE(s.m.pinned());
}

TEST(SessionMachine, SessionStatePinsTheConnection) {
  for (std::string_view sql : {"SET @x = 1", "CREATE TEMPORARY TABLE t (a INT)", "SELECT GET_LOCK('a', 1)",
                               "PREPARE s FROM 'SELECT 1'"}) {
    session_under_test s;
    s.statement(sql, ok_response());
    EXPECT_EQ(s.bookkeeping(), std::vector<action_kind>{action_kind::record_statement}) << sql;
    EXPECT_TRUE(s.m.pinned()) << sql;
  }
}

TEST(SessionMachine, UseAndSetAreRememberedNotPinned) {
  session_under_test s;
  s.statement("USE crm", ok_response());
  ASSERT_EQ(s.next().kind, action_kind::record_statement);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::schema_changed);
  EXPECT_EQ(s.next().text, "crm");
  s.give();
  EXPECT_EQ(s.bookkeeping(), std::vector<action_kind>{action_kind::release});
  EXPECT_EQ(s.m.who().schema, "crm");
  s.statement("SET NAMES utf8mb4", ok_response());
  ASSERT_EQ(s.next().kind, action_kind::record_statement);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::set_remembered);
  EXPECT_EQ(s.next().text, "SET NAMES utf8mb4");
  s.give();
  EXPECT_FALSE(s.m.pinned());
}

// A failed USE changes nothing.
TEST(SessionMachine, FailedUseKeepsTheSchema) {
  session_under_test s;
  s.statement("USE nowhere", err_response({1049, "42000"}, "Unknown database 'nowhere'"));
  EXPECT_EQ(s.bookkeeping(), (std::vector<action_kind>{action_kind::record_statement, action_kind::release}));
  EXPECT_EQ(s.m.who().schema, "shop");
}

TEST(SessionMachine, CommandsAProxyCannotPassAreRefused) {
  session_under_test s;
  s.command({static_cast<std::uint8_t>(p::command::binlog_dump), 0, 0, 0, 0});
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::skip_command);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::reply);
  const auto err = s.replied_error();
  EXPECT_EQ(err.error_code, 1235);
  EXPECT_EQ(s.next().sequence_id, 1);
  s.give();
  EXPECT_EQ(s.next().kind, action_kind::read_command);
}

TEST(SessionMachine, PingWithNoConnectionIsAnsweredLocally) {
  session_under_test s;
  s.command({static_cast<std::uint8_t>(p::command::ping)});
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::skip_command);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::reply);
  EXPECT_EQ(s.next().payload[0], p::ok_header);
}

TEST(SessionMachine, FramingErrorsEndTheSession) {
  struct row {
    std::string_view name;
    p::bytes bytes;
    std::uint16_t code;
  };
  for (const auto& r : {row{"out of order", {1, 0, 0, 5, 3}, 1156}, row{"empty", {0, 0, 0, 0}, 1047},
                        row{"empty and out of order: the order is checked first", {0, 0, 0, 2}, 1156},
                        row{"too large", {0xff, 0xff, 0x7f, 0, 3}, 1153}}) {
    session_under_test s;
    s.client = r.bytes;
    s.read_client();
    ASSERT_EQ(s.next().kind, action_kind::reply) << r.name;
    EXPECT_EQ(s.replied_error().error_code, r.code) << r.name;
    s.give();
    EXPECT_EQ(s.next().kind, action_kind::done) << r.name;
  }
}

// A replica read whose connection breaks before any answer runs once more elsewhere, with the
// same text; the client never sees the failure.
TEST(SessionMachine, ReplicaReadIsRetriedOnce) {
  session_under_test s;
  s.query("SELECT 42");
  s.read_client();
  s.acquire(routing::target_role::replica);
  s.expect_send_command();
  ASSERT_EQ(s.next().kind, action_kind::relay);
  s.give({.result = outcome::backend_failed, .failure = "reset"});
  ASSERT_EQ(s.next().kind, action_kind::drop);
  s.give();
  s.acquire(routing::target_role::replica);
  ASSERT_EQ(s.next().kind, action_kind::send_packet);
  const auto resent = p::as_chars(s.next().payload.subspan(1));
  EXPECT_EQ(resent, "SELECT 42");
  s.give();
  s.relay(one_value_response("42"));
  EXPECT_EQ(s.bookkeeping(), (std::vector<action_kind>{action_kind::record_statement, action_kind::release}));
}

// A write whose connection breaks is not sent again: the client gets 9005.
TEST(SessionMachine, BrokenWriteIsReportedNotRetried) {
  session_under_test s;
  s.query("INSERT INTO t VALUES (1)");
  s.read_client();
  s.acquire();
  s.expect_send_command();
  s.give({.result = outcome::backend_failed, .failure = "reset"});
  ASSERT_EQ(s.next().kind, action_kind::drop);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::reply);
  EXPECT_EQ(s.replied_error().error_code, 9005);
}

// A rule that blocks answers with its own error and sends nothing.
TEST(SessionMachine, BlockedByARule) {
  session_under_test s;
  routing::query_rule rule;
  rule.id = 7;
  std::string error;
  rule.match_digest = routing::compile_rule_regex("^DELETE", error);
  ASSERT_TRUE(error.empty()) << error;
  rule.block_code = 1142;
  rule.block_message = "no deletes here";
  s.world.rule_list.push_back(std::move(rule));
  s.query("DELETE FROM t");
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::record_statement);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::skip_command);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::reply);
  const auto err = s.replied_error();
  EXPECT_EQ(err.error_code, 1142);
  EXPECT_EQ(err.message, "no deletes here");
}

// LAST_INSERT_ID(): a connection on which an insert reported an id stays with the session while
// the pool can spare it; a statement elsewhere first reads the value back there.
TEST(SessionMachine, InsertIdHoldsThenSettles) {
  session_under_test s;
  s.statement("INSERT INTO t (a) VALUES (1)", ok_response(p::status::autocommit, 1, 41));
  EXPECT_EQ(s.bookkeeping(), std::vector<action_kind>{action_kind::record_statement});  // held
  s.world.held_route = false;  // the next read runs on a replica
  s.query("SELECT a FROM t");
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::run_internal);
  EXPECT_EQ(s.next().text, "SELECT LAST_INSERT_ID(), LAST_INSERT_ID(0)");
  s.give({.value = "41"});
  EXPECT_EQ(s.bookkeeping(), std::vector<action_kind>{action_kind::release});
  EXPECT_EQ(s.acquire(routing::target_role::replica).role, routing::target_role::replica);
}

// With no room to spare, the value is read back at once.
TEST(SessionMachine, InsertIdSettlesAtOnceWithoutSpareRoom) {
  session_under_test s;
  s.world.spare_room = false;
  s.statement("INSERT INTO t (a) VALUES (1)", ok_response(p::status::autocommit, 1, 41));
  ASSERT_EQ(s.next().kind, action_kind::record_statement);
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::run_internal);
  s.give({.value = "41"});
  EXPECT_EQ(s.bookkeeping(), std::vector<action_kind>{action_kind::release});
  // A statement reading it on another connection gets it set there first.
  s.query("SELECT LAST_INSERT_ID()");
  s.read_client();
  s.acquire();
  ASSERT_EQ(s.next().kind, action_kind::run_internal);
  EXPECT_EQ(s.next().text, "SELECT LAST_INSERT_ID(IF(LAST_INSERT_ID() = 0, 41, LAST_INSERT_ID()))");
}

// Prepared statements: the client sees weft's id, the server's is swapped in on execute.
TEST(SessionMachine, PrepareAndExecuteSwapStatementIds) {
  session_under_test s;
  p::bytes prepare{static_cast<std::uint8_t>(p::command::stmt_prepare)};
  for (char c : std::string_view("SELECT ?")) prepare.push_back(static_cast<std::uint8_t>(c));
  s.command(prepare);
  s.read_client();
  s.acquire();
  s.expect_send_command();
  // The server's prepare-OK names its statement 77; one parameter, no columns.
  p::bytes ok = framed(p::bytes{0, 77, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, 1);
  ASSERT_EQ(s.next().kind, action_kind::read_backend);
  s.give({.backend = std::span<std::uint8_t>(ok)});
  ASSERT_EQ(s.next().kind, action_kind::read_backend);
  s.give({.backend = std::span<std::uint8_t>(ok)});
  EXPECT_EQ(ok[5], 1);  // weft's first id, written over the server's
  EXPECT_EQ(s.on_connection.by_text.at("SELECT ?").id, 77u);
  // The rest of the response: the parameter's definition (no EOF with DEPRECATE_EOF).
  p::bytes rest = ok;
  const p::bytes parameter = {3, 'd', 'e', 'f', 0, 0, 0, 1, '?', 0, 0x0c, 0x3f, 0, 0, 0, 0, 0, 0xfd, 0x80, 0, 0, 0, 0};
  const auto definition = framed(parameter, 2);
  rest.insert(rest.end(), definition.begin(), definition.end());
  s.relay(rest);
  EXPECT_EQ(s.bookkeeping(), std::vector<action_kind>{action_kind::release});
  // COM_STMT_EXECUTE of statement 1, no cursor, one parameter sent with its type.
  s.command({static_cast<std::uint8_t>(p::command::stmt_execute), 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 8, 0, 5, 0, 0, 0, 0, 0, 0, 0});
  s.read_client();
  s.acquire(routing::target_role::replica);
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::send_command);
  EXPECT_EQ(s.client[5], 77);  // the server's id goes to the server
  s.drop_command();
  s.give();
  ASSERT_EQ(s.next().kind, action_kind::read_backend);
}

TEST(SessionMachine, UnknownStatementIdIsRefusedLikeTheServer) {
  session_under_test s;
  s.command({static_cast<std::uint8_t>(p::command::stmt_execute), 9, 0, 0, 0, 0, 1, 0, 0, 0});
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::skip_command);
  s.give();
  const auto err = s.replied_error();
  EXPECT_EQ(err.error_code, 1243);
  EXPECT_EQ(err.message, "Unknown prepared statement handler (9) given to mysqld_stmt_execute");
}

TEST(SessionMachine, ChangeUserStartsAFreshSession) {
  session_under_test s;
  s.statement("SET @x = 1", ok_response());  // pinned
  s.bookkeeping();
  s.command({static_cast<std::uint8_t>(p::command::change_user)});
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::change_user);
  s.give({.user_changed = true, .new_user = "bob", .new_schema = "crm"});
  EXPECT_EQ(s.bookkeeping(), (std::vector<action_kind>{action_kind::state_reset, action_kind::release}));
  EXPECT_EQ(s.m.who().user, "bob");
  EXPECT_EQ(s.m.who().schema, "crm");
  EXPECT_FALSE(s.m.pinned());
}

}  // namespace
}  // namespace weft::session::testing
