// More of the session machine's paths, each one a short script of actions and events: the ones
// only the shell tests reached before session/ existed (read-your-writes, cursors, bulk, XA,
// reset, lost connections, pinned state that dies with its connection).
#include "tests/unit/session_harness.h"

namespace weft::session::testing {
namespace {

using routing::target_role;

// Read-your-writes: after a write the session reads its GTID there; its next replica read waits
// for that GTID on the replica, and goes to the primary when the wait times out.
TEST(SessionPaths, ReadYourWritesWaitsThenFallsBack) {
  fake_world setup;  // (the policy is read when the session starts)
  setup.map.groups[0].read_your_writes = true;
  session_under_test fresh(setup);
  fresh.statement("INSERT INTO t VALUES (1)", ok_response(p::status::autocommit, 1));
  ASSERT_EQ(fresh.next().kind, action_kind::run_internal);
  EXPECT_EQ(fresh.next().text, "SELECT @@last_gtid");
  fresh.give({.value = "0-1-77"});
  fresh.bookkeeping();
  fresh.query("SELECT a FROM t");
  fresh.read_client();
  fresh.acquire(target_role::replica);
  ASSERT_EQ(fresh.next().kind, action_kind::run_internal);
  EXPECT_EQ(fresh.next().text, "SELECT MASTER_GTID_WAIT('0-1-77', 1.000)");
  fresh.give({.value = "-1"});  // timed out
  ASSERT_EQ(fresh.next().kind, action_kind::release);
  fresh.give();
  EXPECT_EQ(fresh.acquire(target_role::primary).role, target_role::primary);
  // A replica that already applied it is used without waiting.
  fresh.expect_send_command();
  fresh.relay(one_value_response("1"));
  fresh.bookkeeping();
  fresh.world.map.servers[1].health.gtid_current_pos = "0-1-77";
  fresh.query("SELECT a FROM t");
  fresh.read_client();
  fresh.acquire(target_role::replica);
  EXPECT_EQ(fresh.next().kind, action_kind::send_command);
}

// A cursor opens on the primary and keeps the session there once the server says it exists.
TEST(SessionPaths, CursorPinsWhenTheServerOpensOne) {
  session_under_test s;
  s.prepare("SELECT a FROM t", 0);
  s.command({static_cast<std::uint8_t>(p::command::stmt_execute), 1, 0, 0, 0, p::cursor_read_only, 1, 0, 0, 0});
  s.read_client();
  EXPECT_EQ(s.acquire().role, target_role::primary);
  s.read_client();
  s.expect_send_command();
  ASSERT_EQ(s.next().kind, action_kind::read_backend);
  auto response = ok_response(p::status::autocommit | p::status::cursor_exists);
  s.give({.backend = std::span<std::uint8_t>(response)});
  EXPECT_FALSE(s.m.pinned());
  s.relay(response);
  s.bookkeeping();
  EXPECT_TRUE(s.m.pinned());
}

TEST(SessionPaths, BulkNeedsABackendThatHasIt) {
  session_under_test s;
  s.prepare("INSERT INTO t VALUES (?)", 1);
  s.command({static_cast<std::uint8_t>(p::command::mariadb_stmt_bulk_execute), 1, 0, 0, 0, 0x80, 0, 3, 0, 0, 0, 0, 0});
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::acquire);
  s.give({.connection = {"10.0.0.1:3306", target_role::primary, &s.world.map.servers[0],
                         caps & ~p::cap::mariadb_stmt_bulk_operations, 9, &s.on_connection}});
  s.skip();
  ASSERT_EQ(s.next().kind, action_kind::reply);
  EXPECT_EQ(s.replied_error().error_code, 1235);
}

TEST(SessionPaths, ClosedStatementIsForgottenWithoutAnswer) {
  session_under_test s;
  s.prepare("SELECT 1", 0);
  s.command({static_cast<std::uint8_t>(p::command::stmt_close), 1, 0, 0, 0});
  s.read_client();
  s.skip();  // no answer, as from the server
  EXPECT_EQ(s.next().kind, action_kind::read_command);
  s.command({static_cast<std::uint8_t>(p::command::stmt_reset), 1, 0, 0, 0});
  s.read_client();
  s.skip();
  EXPECT_EQ(s.replied_error().message,
            "Unknown prepared statement handler (1) given to mysqld_stmt_reset");
}

// Statement id 0xFFFFFFFF names the session's last prepared statement.
TEST(SessionPaths, MinusOneIsTheLastPrepared) {
  session_under_test s;
  s.prepare("SELECT 1", 0);
  s.command({static_cast<std::uint8_t>(p::command::stmt_execute), 0xff, 0xff, 0xff, 0xff, 0, 1, 0, 0, 0});
  s.read_client();
  s.acquire(target_role::replica);
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::send_command);
  // The connection's last prepared is the same statement: it goes on as -1 too.
  EXPECT_EQ(p::statement_id_of(p::bytes_view(s.client).subspan(p::frame_header_size, 5)), 0xFFFFFFFFu);
}

TEST(SessionPaths, LongDataPins) {
  session_under_test s;
  s.prepare("INSERT INTO t VALUES (?)", 1);
  s.command({static_cast<std::uint8_t>(p::command::stmt_send_long_data), 1, 0, 0, 0, 0, 0, 'a', 'b'});
  s.read_client();
  s.acquire();
  s.read_client();
  s.expect_send_command();
  EXPECT_TRUE(s.m.pinned());
  EXPECT_EQ(s.next().kind, action_kind::read_command);  // no response to relay
}

TEST(SessionPaths, XaClosesTheConnectionAtTheEnd) {
  session_under_test s;
  s.query("XA START 'x'");
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::close_at_end);
  s.give();
  EXPECT_EQ(s.acquire().role, target_role::primary);
}

TEST(SessionPaths, InitDbChangesTheSchema) {
  session_under_test s;
  s.command({static_cast<std::uint8_t>(p::command::init_db), 'c', 'r', 'm'});
  s.read_client();
  s.acquire();
  s.expect_send_command();
  s.relay(ok_response());
  ASSERT_EQ(s.next().kind, action_kind::schema_changed);
  EXPECT_EQ(s.next().text, "crm");
}

TEST(SessionPaths, ResetConnectionForgetsEverything) {
  session_under_test s;
  s.prepare("SELECT 1", 0);
  s.statement("SET @a = 1", ok_response());
  s.bookkeeping();
  ASSERT_TRUE(s.m.pinned());
  s.command({static_cast<std::uint8_t>(p::command::reset_connection)});
  s.read_client();
  s.expect_send_command();  // (held: pinned)
  s.relay(ok_response());
  EXPECT_EQ(s.bookkeeping(), (std::vector<action_kind>{action_kind::state_reset, action_kind::release}));
  EXPECT_FALSE(s.m.pinned());
  EXPECT_TRUE(s.on_connection.by_text.empty());
  s.command({static_cast<std::uint8_t>(p::command::stmt_execute), 1, 0, 0, 0, 0, 1, 0, 0, 0});
  s.read_client();
  s.skip();
  ASSERT_EQ(s.next().kind, action_kind::reply);
  EXPECT_EQ(s.replied_error().error_code, 1243);
}

TEST(SessionPaths, UninspectableCommandsPin) {
  session_under_test s;
  s.command({static_cast<std::uint8_t>(p::command::process_kill), 5, 0, 0, 0});
  s.read_client();
  s.acquire();
  EXPECT_TRUE(s.m.pinned());
}

// Once part of a response reached the client, a broken connection ends the session.
TEST(SessionPaths, BrokenMidResponseEndsTheSession) {
  session_under_test s;
  s.query("SELECT a FROM big");
  s.read_client();
  s.acquire(target_role::replica);
  s.expect_send_command();
  s.give({.result = outcome::backend_failed, .response_started = true, .failure = "reset"});
  ASSERT_EQ(s.next().kind, action_kind::drop);
  s.give();
  EXPECT_EQ(s.next().kind, action_kind::done);
}

TEST(SessionPaths, ClientGoneOrExtraBytesDropTheConnection) {
  for (auto why : {outcome::client_gone, outcome::extra_bytes}) {
    session_under_test s;
    s.query("SELECT 1");
    s.read_client();
    s.acquire(target_role::replica);
    s.expect_send_command();
    s.give({.result = why});
    ASSERT_EQ(s.next().kind, action_kind::drop);
    s.give();
    EXPECT_EQ(s.next().kind, action_kind::done);
  }
}

// The watchdog's reason names what happened: 9013, and nothing is sent again.
TEST(SessionPaths, AbortedWaitIsReportedNotRetried) {
  session_under_test s;
  s.query("SELECT SLEEP(100)");
  s.read_client();
  s.acquire(target_role::replica);
  s.expect_send_command();
  s.give({.result = outcome::backend_failed, .failure = "closed", .abort_reason = "sent nothing for 5 s"});
  s.give();  // drop
  const auto err = s.replied_error();
  EXPECT_EQ(err.error_code, 9013);
  EXPECT_EQ(err.message, "weft: backend 10.0.0.1:3307 sent nothing for 5 s; the statement may or may not have run there");
}

TEST(SessionPaths, UnreachableReplicaFallsBackToThePrimary) {
  session_under_test s;
  s.query("SELECT 1");
  s.read_client();
  ASSERT_EQ(s.next().kind, action_kind::acquire);
  const auto down = p::make_error(p::er::backend_unreachable, "down");
  s.give({.result = outcome::refused, .error = &down});
  EXPECT_EQ(s.acquire().role, target_role::primary);
}

// A server that closes the connection after its error (KILL) ends a session whose transaction
// lived there, as a direct connection would end.
TEST(SessionPaths, KilledTransactionEndsTheSession) {
  session_under_test s;
  s.statement("BEGIN", ok_response(p::status::autocommit | p::status::in_trans));
  s.bookkeeping();
  s.query("UPDATE t SET a = 1");
  s.read_client();
  s.expect_send_command();  // the transaction's connection
  s.relay(err_response({1927, "70100"}, "Connection was killed"));
  EXPECT_EQ(s.bookkeeping(), (std::vector<action_kind>{action_kind::record_statement, action_kind::drop}));
  EXPECT_EQ(s.next().kind, action_kind::done);
}

// Outside a transaction the session goes on elsewhere.
TEST(SessionPaths, KilledAutocommitStatementGoesOn) {
  session_under_test s;
  s.statement("UPDATE t SET a = 1", err_response({1927, "70100"}, "Connection was killed"));
  EXPECT_EQ(s.bookkeeping(), (std::vector<action_kind>{action_kind::record_statement, action_kind::drop}));
  EXPECT_EQ(s.next().kind, action_kind::read_command);
}

TEST(SessionPaths, InsertIdHoldEndsWithoutReadBackOnTheSameServer) {
  session_under_test s;
  s.statement("INSERT INTO t (a) VALUES (1)", ok_response(p::status::autocommit, 1, 41));
  s.bookkeeping();  // held
  s.world.held_route = true;
  s.query("INSERT INTO t (a) VALUES (2)");
  s.read_client();
  EXPECT_EQ(s.next().kind, action_kind::send_command);  // on the held connection, nothing read back
}

TEST(SessionPaths, RefusedChangeUserKeepsTheSession) {
  session_under_test s;
  s.command({static_cast<std::uint8_t>(p::command::change_user)});
  s.read_client();
  s.acquire();
  ASSERT_EQ(s.next().kind, action_kind::change_user);
  s.give({});  // refused: the ERR went to the client, the session goes on as before
  ASSERT_EQ(s.next().kind, action_kind::release);
  EXPECT_TRUE(s.next().soft_owned);
  s.give();
  EXPECT_EQ(s.m.who().user, "app");
}

}  // namespace
}  // namespace weft::session::testing
