#include <gtest/gtest.h>

#include "fixture.h"
#include "protocol/constants.h"
#include "protocol/result_set.h"

namespace weft::protocol {
namespace {

// The column MariaDB sent for `select 1` (tests/unit/fixtures/query_select_1_eof.hex).
column_definition select_1_column() {
  column_definition c;
  c.name = "1";
  c.charset = 63;
  c.length = 1;
  c.type = column_type::long_;
  c.flags = 0x0081;
  return c;
}

TEST(ResultSet, ColumnDefinitionMatchesTheServer) {
  const bytes expected{0x03, 0x64, 0x65, 0x66, 0x00, 0x00, 0x00, 0x01, 0x31, 0x00, 0x0c, 0x3f,
                       0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x81, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(encode(select_1_column()), expected);
}

TEST(ResultSet, WholeResultWithEofMatchesTheServer) {
  const column_definition columns[] = {select_1_column()};
  const text_row rows[] = {{std::string("1")}};
  EXPECT_EQ(encode_text_result(columns, rows, cap::protocol_41, status::autocommit),
            test::load_fixture("query_select_1_eof"));
}

TEST(ResultSet, WholeResultWithDeprecateEofMatchesTheServer) {
  // `select seq, repeat('r', seq) from seq_1_to_5` (query_rows_deof.hex).
  column_definition seq;
  seq.schema = "sbtest";
  seq.table = seq.org_table = "seq_1_to_5";
  seq.name = seq.org_name = "seq";
  seq.charset = 63;
  seq.length = 20;
  seq.type = column_type::longlong;
  seq.flags = 0x5023;
  column_definition text;
  text.name = "repeat('r', seq)";
  text.charset = 45;
  text.length = 67108864;
  text.type = static_cast<column_type>(0xfb);
  text.decimals = 39;
  const column_definition columns[] = {seq, text};
  std::vector<text_row> rows;
  for (int i = 1; i <= 5; ++i) rows.push_back({std::to_string(i), std::string(i, 'r')});
  const auto caps = cap::protocol_41 | cap::deprecate_eof | cap::session_track;
  EXPECT_EQ(encode_text_result(columns, rows, caps, status::autocommit | status::no_index_used),
            test::load_fixture("query_rows_deof"));
}

TEST(ResultSet, NullIsOneByte) {
  EXPECT_EQ(encode_text_row({std::nullopt, std::string("ab"), std::string()}), (bytes{0xFB, 0x02, 'a', 'b', 0x00}));
}

}  // namespace
}  // namespace weft::protocol
