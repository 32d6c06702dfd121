// The prepared-statement messages against packets captured from MariaDB 10.11 and Connector/C
// (fixtures/capture_statements.py): each table row's message must encode to the captured bytes
// and the captured bytes must decode to the message; every truncation must fail to decode.
#include <functional>

#include <gtest/gtest.h>

#include "fixture.h"
#include "protocol/statement_messages.h"

namespace weft::protocol {
namespace {

// The server's statement ids in the captures (a global counter: the first is that run's; the
// program prepares four statements in order).
constexpr std::uint32_t ten_id = 5;
constexpr std::uint32_t cursor_id = ten_id + 1;
constexpr std::uint32_t long_data_id = ten_id + 2;
constexpr std::uint32_t insert_id = ten_id + 3;

bytes payload(const std::string& fixture) { return test::split_frames(test::load_fixture(fixture)).at(0).payload; }

// Hex written here from the protocol documents, so the expected messages do not come from the
// bytes they are compared with.
struct hex_bytes {
  bytes data;
  explicit hex_bytes(const std::string& hex) : data(test::from_hex(hex)) {}
  bytes_ref ref() const { return bytes_ref{data}; }
};

template <class M>
struct message_case {
  std::string name;     // the fixture
  M message;
  std::size_t fixed_size;  // every shorter prefix must be an error
};

// encode(message) == bytes, decode(bytes) == message, size() agrees, and no truncation decodes
// to the same message: a prefix shorter than the parsed part is an error; a longer one only
// shortens the unparsed tail (values, rows, data) and so differs.
template <class M>
void expect_exact(const message_case<M>& c, const std::function<result<M>(bytes_view)>& decode) {
  SCOPED_TRACE(c.name);
  const auto wire = payload(c.name);
  EXPECT_EQ(to_hex(encode(c.message)), to_hex(wire));
  EXPECT_EQ(size(c.message), wire.size());
  const auto decoded = decode(wire);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_TRUE(*decoded == c.message);
  for (std::size_t n = 0; n < wire.size(); ++n) {
    const auto prefix = decode(bytes_view(wire).first(n));
    if (n < c.fixed_size) {
      EXPECT_FALSE(prefix) << "prefix of " << n << " bytes decoded";
    } else {
      EXPECT_TRUE(!prefix || !(*prefix == c.message)) << "prefix of " << n << " bytes decoded as the whole";
    }
  }
}

stmt_prepare_ok prepare_ok(std::uint32_t id, std::uint16_t columns, std::uint16_t params) {
  return {id, columns, params, 0, 0, std::nullopt};
}

TEST(StmtPrepareOk, CapturedPacketsEncodeAndDecodeExactly) {
  const std::vector<message_case<stmt_prepare_ok>> cases = {
      {"stmt_prepare_ok_ten_params", prepare_ok(ten_id, 10, 10), 10},
      {"stmt_prepare_ok_cursor", prepare_ok(cursor_id, 1, 1), 10},
      {"stmt_prepare_ok_insert", prepare_ok(insert_id, 0, 2), 10},
      {"stmt_prepare_deof", prepare_ok(115, 2, 2), 10},  // capture.py's (first packet only)
  };
  for (const auto& c : cases) expect_exact<stmt_prepare_ok>(c, decode_stmt_prepare_ok);
}

TEST(StmtPrepareOk, WarningsOnlyWhenPresentAndNeverHalf) {
  const auto wire = payload("stmt_prepare_ok_cursor");
  auto without = decode_stmt_prepare_ok(bytes_view(wire).first(10));
  ASSERT_TRUE(without);
  EXPECT_FALSE(without->warning_count.has_value());
  EXPECT_EQ(encode(*without), bytes(wire.begin(), wire.begin() + 10));
  EXPECT_EQ(decode_stmt_prepare_ok(bytes_view(wire).first(11)).error(), make_error_code(errc::truncated));
  auto longer = wire;
  longer.push_back(1);  // MySQL 8's metadata_follows
  auto with_metadata = decode_stmt_prepare_ok(longer);
  ASSERT_TRUE(with_metadata);
  EXPECT_EQ(with_metadata->metadata_follows, std::optional<std::uint8_t>(1));
  EXPECT_EQ(encode(*with_metadata), longer);
  EXPECT_EQ(size(*with_metadata), stmt_prepare_ok_max_size);
  longer.push_back(0);
  EXPECT_EQ(decode_stmt_prepare_ok(longer).error(), make_error_code(errc::malformed));
}

TEST(StmtPrepareOk, AnErrIsNotAPrepareOk) {
  EXPECT_EQ(decode_stmt_prepare_ok(test::from_hex("ff1a04233432303030")).error(),
            make_error_code(errc::unexpected_header));
}

// Ten parameters: NULL at 2 and 8 (bitmap 0x04 0x01), unsigned LONG at 1 and LONGLONG at 4.
const hex_bytes ten_types("0300 0380 0600 0100 0880 fe00 0500 0200 0300 fe00");
const hex_bytes ten_bitmap("04 01");
const hex_bytes ten_values_first("07000000 00286bee 01 000008c5a1d8ccf9 03616263 000000000000f83f feff 0178");
const hex_bytes ten_values_second("08000000 00286bee 01 000008c5a1d8ccf9 03616263 000000000000f83f feff 0178");
const hex_bytes one_long("0300");
const hex_bytes one_string("fe00");
const hex_bytes zero_bitmap("00");
const hex_bytes first_null("01");  // Connector/C marks a parameter sent as long data NULL
const hex_bytes two_longs("0300 0300");
const hex_bytes seven_and_one("07000000 01000000");
const hex_bytes one("01000000");
const hex_bytes nothing("");

stmt_execute execute(std::uint32_t id, std::uint8_t flags, std::uint16_t params, const hex_bytes& bitmap,
                     std::uint8_t bound, const hex_bytes& types, const hex_bytes& values) {
  return {id, flags, 1, params, bitmap.ref(), bound, types.ref(), values.ref()};
}

TEST(StmtExecute, CapturedPacketsEncodeAndDecodeExactly) {
  const std::vector<message_case<stmt_execute>> cases = {
      {"com_stmt_execute_ten_params_types", execute(ten_id, 0, 10, ten_bitmap, 1, ten_types, ten_values_first), 33},
      {"com_stmt_execute_ten_params_no_types", execute(ten_id, 0, 10, ten_bitmap, 0, nothing, ten_values_second), 13},
      {"com_stmt_execute_cursor", execute(cursor_id, cursor_read_only, 1, zero_bitmap, 1, one_long, one), 14},
      {"com_stmt_execute_after_long_data", execute(long_data_id, 0, 1, first_null, 1, one_string, nothing), 14},
      {"com_stmt_execute", execute(115, 0, 2, zero_bitmap, 1, two_longs, seven_and_one), 16},  // capture.py's
  };
  for (const auto& c : cases) {
    expect_exact<stmt_execute>(
        c, [&](bytes_view p) { return decode_stmt_execute(p, c.message.param_count); });
  }
}

TEST(StmtExecute, ReadsCursorFlagsAndUnsignedTypes) {
  const auto cursor = payload("com_stmt_execute_cursor");
  auto head = decode_stmt_execute_head(bytes_view(cursor).first(stmt_execute_head_size()));
  ASSERT_TRUE(head);
  EXPECT_TRUE(head->opens_cursor());
  EXPECT_EQ(head->statement_id, cursor_id);
  EXPECT_FALSE(decode_stmt_execute_head(bytes_view(cursor).first(stmt_execute_head_size() - 1)));
  EXPECT_EQ(stmt_execute_head_size(), 10u);
  EXPECT_FALSE(execute(1, 0, 10, ten_bitmap, 1, ten_types, ten_values_first).opens_cursor());
  for (std::uint8_t flags : {cursor_for_update, cursor_scrollable}) {
    EXPECT_TRUE(execute(1, flags, 0, nothing, 0, nothing, nothing).opens_cursor());
  }
  EXPECT_FALSE(execute(1, 0x80, 0, nothing, 0, nothing, nothing).opens_cursor());  // not a cursor bit
  EXPECT_EQ(param_type_at(ten_types.ref(), 1), (param_type{0x03, 0x80}));
  EXPECT_TRUE(param_type_at(ten_types.ref(), 4).is_unsigned());
  EXPECT_FALSE(param_type_at(ten_types.ref(), 0).is_unsigned());
}

TEST(StmtExecute, WithoutParametersEverythingAfterTheHeadIsValues) {
  const hex_bytes wire("17 09000000 00 01000000");
  auto m = decode_stmt_execute(wire.data, 0);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->values.empty());
  EXPECT_FALSE(m->types_bound());
  EXPECT_EQ(encode(*m), wire.data);
  EXPECT_EQ(decode_stmt_execute(test::from_hex("16 09000000 00 01000000"), 0).error(),
            make_error_code(errc::unexpected_header));
}

TEST(StmtExecute, TypesAddedAsForAServerThatNeverSawThem) {
  const auto second = payload("com_stmt_execute_ten_params_no_types");
  auto m = decode_stmt_execute(second, 10);
  ASSERT_TRUE(m);
  const auto with = with_param_types(*m, ten_types.data);
  // The client's bytes with the flag set and the types after it, nothing else moved.
  bytes expected(second.begin(), second.begin() + 12);
  expected.push_back(1);
  expected.insert(expected.end(), ten_types.data.begin(), ten_types.data.end());
  expected.insert(expected.end(), second.begin() + 13, second.end());
  EXPECT_EQ(to_hex(encode(with)), to_hex(expected));
  EXPECT_TRUE(with.types_bound());
  auto again = decode_stmt_execute(expected, 10);
  ASSERT_TRUE(again);
  EXPECT_TRUE(*again == with);
}

TEST(StatementCommands, StatementIdReadAndRewrittenInPlace) {
  auto wire = payload("com_stmt_execute_cursor");
  set_statement_id(wire, 0x12345678);
  auto m = decode_stmt_execute(wire, 1);
  ASSERT_TRUE(m);
  auto expected = execute(0x12345678, cursor_read_only, 1, zero_bitmap, 1, one_long, one);
  EXPECT_TRUE(*m == expected);
  EXPECT_EQ(statement_id_of(wire), 0x12345678u);
  EXPECT_EQ(statement_id_of(test::from_hex("19 05")), 5u);  // missing bytes count as zero
  EXPECT_EQ(statement_id_of({}), 0u);
}

const hex_bytes bulk_types("0300 0380");
const hex_bytes bulk_rows_first("00 01000000 00 0a000000 01 00 14000000 00 03000000 00 00286bee");
const hex_bytes bulk_rows_second("00 04000000 00 0a000000 01 00 14000000 00 03000000 00 00286bee");

TEST(StmtBulkExecute, CapturedPacketsEncodeAndDecodeExactly) {
  const std::vector<message_case<stmt_bulk_execute>> cases = {
      {"com_stmt_bulk_execute_types", {insert_id, bulk_send_types_to_server, 2, bulk_types.ref(), bulk_rows_first.ref()}, 11},
      {"com_stmt_bulk_execute_no_types", {insert_id, 0, 2, {}, bulk_rows_second.ref()}, 7},
  };
  for (const auto& c : cases) {
    expect_exact<stmt_bulk_execute>(
        c, [&](bytes_view p) { return decode_stmt_bulk_execute(p, c.message.param_count); });
  }
  EXPECT_EQ(stmt_bulk_execute_head_size(), 7u);
}

TEST(StmtBulkExecute, TypesAddedAndUnitResultsKept) {
  const auto second = payload("com_stmt_bulk_execute_no_types");
  auto m = decode_stmt_bulk_execute(second, 2);
  ASSERT_TRUE(m);
  m->flags = bulk_send_unit_results;  // (Connector/C 3.3 never sets it: not captured)
  const auto with = with_param_types(*m, bulk_types.data);
  EXPECT_EQ(with.flags, bulk_send_unit_results | bulk_send_types_to_server);
  const auto wire = encode(with);
  auto expected = test::from_hex("fa 00000000 c000 0300 0380");
  set_statement_id(expected, insert_id);
  expected.insert(expected.end(), bulk_rows_second.data.begin(), bulk_rows_second.data.end());
  EXPECT_EQ(to_hex(wire), to_hex(expected));
  auto again = decode_stmt_bulk_execute(wire, 2);
  ASSERT_TRUE(again);
  EXPECT_TRUE(*again == with);
  EXPECT_TRUE(again->types_sent());
}

TEST(StmtSendLongData, CapturedPacketEncodesAndDecodesExactly) {
  const hex_bytes data("6c6f6e672064617461");  // "long data"
  expect_exact<stmt_send_long_data>({"com_stmt_send_long_data", {long_data_id, 0, data.ref()}, 7},
                                    decode_stmt_send_long_data);
}

TEST(StmtFetchResetClose, CapturedPacketsEncodeAndDecodeExactly) {
  expect_exact<stmt_fetch>({"com_stmt_fetch", {cursor_id, 2}, 9}, decode_stmt_fetch);
  expect_exact<stmt_reset>({"com_stmt_reset", {cursor_id}, 5}, decode_stmt_reset);
  expect_exact<stmt_close>({"com_stmt_close", {cursor_id}, 5}, decode_stmt_close);
  EXPECT_EQ(decode_stmt_close(test::from_hex("19 02000000 00")).error(), make_error_code(errc::malformed));
  EXPECT_EQ(decode_stmt_reset(test::from_hex("19 02000000")).error(), make_error_code(errc::unexpected_header));
}

}  // namespace
}  // namespace weft::protocol
