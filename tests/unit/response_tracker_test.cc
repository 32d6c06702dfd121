// The tracker must find the exact end of every captured response, whatever way the bytes are
// chunked, and read the final status flags.
#include <gtest/gtest.h>

#include "fixture.h"
#include "protocol/frame.h"
#include "protocol/response_tracker.h"

namespace weft::protocol {
namespace {

constexpr std::uint64_t caps_deof = 0x01bfa20d;
constexpr std::uint64_t caps_eof = caps_deof & ~cap::deprecate_eof;

struct tracker_case {
  std::string fixture;
  command cmd;
  std::uint64_t caps;
  std::uint16_t error_code;  // 0 = success
  std::uint64_t result_sets;
  std::uint64_t rows;
  std::uint16_t status_must_have;
  std::uint16_t status_must_not_have;
};

const std::vector<tracker_case>& cases() {
  using enum command;
  static const std::vector<tracker_case> all{
      {"query_select_1_eof", query, caps_eof, 0, 1, 1, status::autocommit, status::more_results_exists},
      {"query_select_1_deof", query, caps_deof, 0, 1, 1, status::autocommit, status::more_results_exists},
      {"query_multi_eof", query, caps_eof, 0, 2, 2, status::autocommit, status::more_results_exists},
      {"query_multi_deof", query, caps_deof, 0, 2, 2, status::autocommit, status::more_results_exists},
      // A stored program's cursor sets CURSOR_EXISTS on the EOFs; its rows still follow.
      {"query_program_cursor_eof", query, caps_eof, 0, 1, 2, status::autocommit, status::cursor_exists},
      {"query_program_cursor_deof", query, caps_deof, 0, 1, 2, status::autocommit, status::cursor_exists},
      {"query_rows_eof", query, caps_eof, 0, 1, 5, status::autocommit, 0},
      {"query_rows_deof", query, caps_deof, 0, 1, 5, status::autocommit, 0},
      {"query_empty_string_row_eof", query, caps_eof, 0, 1, 1, status::autocommit, 0},
      {"query_empty_string_row_deof", query, caps_deof, 0, 1, 1, status::autocommit, 0},
      {"err_in_rows_eof", query, caps_eof, 1242, 1, 1, 0, 0},
      {"err_in_rows_deof", query, caps_deof, 1242, 1, 1, 0, 0},
      {"ok_begin", query, caps_deof, 0, 0, 0, status::in_trans, 0},
      {"ok_insert", query, caps_deof, 0, 0, 0, status::in_trans, 0},
      {"ok_commit", query, caps_deof, 0, 0, 0, status::autocommit, status::in_trans},
      {"ok_set_autocommit_0", query, caps_deof, 0, 0, 0, 0, status::autocommit},
      {"err_syntax", query, caps_deof, 1064, 0, 0, 0, 0},
      {"ping_ok", ping, caps_deof, 0, 0, 0, status::autocommit, 0},
      {"init_db_ok", init_db, caps_deof, 0, 0, 0, status::autocommit, 0},
      {"init_db_err", init_db, caps_deof, 1049, 0, 0, 0, 0},
      {"stmt_prepare_eof", stmt_prepare, caps_eof, 0, 0, 0, 0, 0},
      {"stmt_prepare_deof", stmt_prepare, caps_deof, 0, 0, 0, 0, 0},
      {"stmt_execute_eof", stmt_execute, caps_eof, 0, 1, 2, status::autocommit, 0},
      {"stmt_execute_deof", stmt_execute, caps_deof, 0, 1, 2, status::autocommit, 0},
      {"field_list_eof", field_list, caps_eof, 0, 0, 0, status::autocommit, 0},
      {"field_list_deof", field_list, caps_deof, 0, 0, 0, status::autocommit, 0},
      {"query_statistics", statistics, caps_deof, 0, 0, 0, 0, 0},
  };
  return all;
}

void expect_result(const response_tracker& t, const tracker_case& c) {
  EXPECT_TRUE(t.done());
  EXPECT_EQ(t.error_code(), c.error_code);
  EXPECT_EQ(t.result_sets(), c.result_sets);
  EXPECT_EQ(t.rows(), c.rows);
  // An ERR carries no status (an EOF before it may have); these never carry one.
  const bool statusless = c.cmd == command::stmt_prepare || c.cmd == command::statistics;
  if (c.error_code == 0) {
    EXPECT_EQ(t.has_status(), !statusless);
  } else if (c.result_sets == 0) {
    EXPECT_FALSE(t.has_status());
  }
  if (c.error_code == 0) {
    EXPECT_EQ(t.status_flags() & c.status_must_have, c.status_must_have);
    EXPECT_EQ(t.status_flags() & c.status_must_not_have, 0);
  }
}

TEST(ResponseTracker, FindsTheEndOfEachCapturedResponse) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.fixture);
    auto wire = test::load_fixture(c.fixture);
    const auto size = wire.size();
    wire.insert(wire.end(), {0x05, 0x00, 0x00, 0x00, 0x03});  // bytes that are not part of it
    response_tracker t;
    t.start(static_cast<std::uint8_t>(c.cmd), c.caps);
    EXPECT_EQ(t.feed(wire), size);
    expect_result(t, c);
  }
}

TEST(ResponseTracker, SameAnswerWhateverTheChunking) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.fixture);
    const auto wire = test::load_fixture(c.fixture);
    for (std::size_t split = 0; split < wire.size(); ++split) {
      response_tracker t;
      t.start(static_cast<std::uint8_t>(c.cmd), c.caps);
      const auto first = t.feed(bytes_view(wire).first(split));
      EXPECT_EQ(first, split);
      EXPECT_FALSE(t.done()) << "done early at split " << split;
      EXPECT_EQ(t.feed(bytes_view(wire).subspan(split)), wire.size() - split);
      expect_result(t, c);
    }
    response_tracker t;  // one byte at a time
    t.start(static_cast<std::uint8_t>(c.cmd), c.caps);
    for (auto b : wire) EXPECT_EQ(t.feed(bytes_view(&b, 1)), 1u);
    expect_result(t, c);
  }
}

TEST(ResponseTracker, MissingTerminatorMeansNotDone) {
  const auto wire = test::load_fixture("query_rows_deof");
  const auto frames = test::split_frames(wire);
  const auto last_size = frames.back().payload.size() + frame_header_size;
  response_tracker t;
  t.start(static_cast<std::uint8_t>(command::query), caps_deof);
  t.feed(bytes_view(wire).first(wire.size() - last_size));
  EXPECT_FALSE(t.done());
  EXPECT_EQ(t.rows(), 5u);
}

TEST(ResponseTracker, RowLongerThanAFrameStartingWithFeIsNotATerminator) {
  // A row whose first column is a lenenc string of 2^24 bytes starts with 0xFE and spans frames.
  bytes row;
  row.push_back(0xFE);
  for (int i = 0; i < 8; ++i) row.push_back(i == 3 ? 1 : 0);  // length 0x01000000
  row.resize(row.size() + 0x1000000, 'x');
  bytes wire;
  std::uint8_t seq = 1;
  seq = encode_packet(bytes{0x01}, seq, wire);                          // one column
  const auto coldef = test::split_frames(test::load_fixture("query_select_1_deof"))[1].payload;
  seq = encode_packet(coldef, seq, wire);
  seq = encode_packet(row, seq, wire);
  const auto row_end = wire.size();
  const bytes ok{0xFE, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
  encode_packet(ok, seq, wire);

  response_tracker t;
  t.start(static_cast<std::uint8_t>(command::query), caps_deof);
  EXPECT_EQ(t.feed(bytes_view(wire).first(row_end)), row_end);
  EXPECT_FALSE(t.done());
  EXPECT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.feed(bytes_view(wire).subspan(row_end)), wire.size() - row_end);
  EXPECT_TRUE(t.done());
  EXPECT_EQ(t.status_flags(), status::autocommit);
}

TEST(ResponseTracker, LocalInfileRequestPausesForTheClientsFile) {
  bytes wire;
  encode_packet(bytes{0xFB, '/', 't', 'm', 'p', '/', 'x'}, 1, wire);
  response_tracker t;
  t.start(static_cast<std::uint8_t>(command::query), caps_deof);
  EXPECT_EQ(t.feed(wire), wire.size());
  EXPECT_TRUE(t.wants_local_infile());
  EXPECT_FALSE(t.done());
  t.resume_after_local_infile();
  const auto ok = test::load_fixture("ok_insert");
  EXPECT_EQ(t.feed(ok), ok.size());
  EXPECT_TRUE(t.done());
}

TEST(ResponseTracker, CursorFlagEndsOnlyAnExecuteThatAskedForACursor) {
  // The same bytes (EOF after the definitions says CURSOR_EXISTS): an execute with a cursor flag
  // ends there, the rows come by COM_STMT_FETCH; any other command reads on.
  const auto wire = test::load_fixture("query_program_cursor_eof");
  const auto frames = test::split_frames(wire);
  std::size_t through_eof = 0;
  for (int i = 0; i < 3; ++i) through_eof += frames[i].payload.size() + frame_header_size;
  response_tracker execute;
  execute.start(static_cast<std::uint8_t>(command::stmt_execute), caps_eof, true);
  EXPECT_EQ(execute.feed(wire), through_eof);
  EXPECT_TRUE(execute.done());
  response_tracker query;
  query.start(static_cast<std::uint8_t>(command::query), caps_eof, true);
  EXPECT_EQ(query.feed(wire), wire.size());
  EXPECT_TRUE(query.done());
  response_tracker plain_execute;
  plain_execute.start(static_cast<std::uint8_t>(command::stmt_execute), caps_eof, false);
  EXPECT_EQ(plain_execute.feed(wire), wire.size());
}

TEST(ResponseTracker, CommandsWithoutResponse) {
  EXPECT_FALSE(command_has_response(static_cast<std::uint8_t>(command::quit)));
  EXPECT_FALSE(command_has_response(static_cast<std::uint8_t>(command::stmt_close)));
  EXPECT_FALSE(command_has_response(static_cast<std::uint8_t>(command::stmt_send_long_data)));
  EXPECT_TRUE(command_has_response(static_cast<std::uint8_t>(command::query)));
  EXPECT_TRUE(command_has_response(static_cast<std::uint8_t>(command::stmt_reset)));
  // Started for such a command, the tracker is done at once and takes no byte: a session that
  // ends after it left nothing of a response on its connection.
  response_tracker t;
  t.start(static_cast<std::uint8_t>(command::stmt_close), cap::protocol_41);
  EXPECT_TRUE(t.done());
  EXPECT_EQ(t.feed(test::load_fixture("ok_insert")), 0u);
}

}  // namespace
}  // namespace weft::protocol
