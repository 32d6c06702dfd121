// Prepared statements over several shards, the pure parts: an execute's values as SQL literals
// (protocol/statement_params.h), the statement with them written in (sharding/bound_statement.h),
// and merged text rows rebuilt as binary rows (protocol/binary_row.h, sharding/result_binary.h),
// byte-exact. tests/integration/sharding_prepared.py compares them with a real server's.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>

#include "protocol/binary_row.h"
#include "protocol/frame.h"
#include "protocol/result_set.h"
#include "protocol/statement_params.h"
#include "sharding/bound_statement.h"
#include "sharding/result_binary.h"

namespace weft {
namespace {

namespace p = protocol;

// An execute of `types` (type, flags pairs) with these value bytes and NULL bitmap.
std::optional<std::vector<std::string>> literals(const p::bytes& types, const p::bytes& values, std::uint8_t nulls,
                                                 bool no_backslash_escapes = false) {
  p::stmt_execute m;
  m.param_count = static_cast<std::uint16_t>(types.size() / 2);
  const p::bytes bitmap{nulls};
  m.null_bitmap.view = bitmap;
  m.new_params_bound = 1;
  m.param_types.view = types;
  m.values.view = values;
  return p::parameter_literals(m, types, no_backslash_escapes);
}

p::bytes le(std::uint64_t v, int n) {
  p::bytes out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return out;
}

p::bytes cat(std::initializer_list<p::bytes> parts) {
  p::bytes out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

p::bytes lenenc(std::string_view s) { return cat({{static_cast<std::uint8_t>(s.size())}, p::bytes(s.begin(), s.end())}); }

TEST(PreparedShards, NumbersAsLiterals) {
  const p::bytes types{1, 0, 1, 0x80, 2, 0, 3, 0, 8, 0x80, 8, 0, 13, 0};
  const auto values = cat({le(0xFF, 1), le(0xFF, 1), le(0x8000, 2), le(0xFFFFFFFF, 4), le(~0ull, 8), le(~0ull, 8),
                           le(2026, 2)});
  EXPECT_EQ(literals(types, values, 0),
            (std::vector<std::string>{"-1", "255", "-32768", "-1", "18446744073709551615", "-1", "2026"}));
  const p::bytes floats{4, 0, 5, 0, 5, 0};
  const auto f = cat({le(std::bit_cast<std::uint32_t>(1.1f), 4), le(std::bit_cast<std::uint64_t>(0.1), 8),
                      le(std::bit_cast<std::uint64_t>(1e300), 8)});
  // A DOUBLE literal (with its exponent) of the float's exact double, as the server reads the param.
  EXPECT_EQ(literals(floats, f, 0), (std::vector<std::string>{"1.100000023841858e0", "0.1e0", "1e+300"}));
  const auto nan = cat({le(std::bit_cast<std::uint32_t>(1.0f), 4), le(0x7FF8000000000000ull, 8), le(0, 8)});
  EXPECT_EQ(literals(floats, nan, 0), std::nullopt);
}

TEST(PreparedShards, DecimalsStringsAndBlobs) {
  const p::bytes types{246, 0, 253, 0, 254, 0, 252, 0, 6, 0};
  const auto values = cat({lenenc("-12.50"), lenenc("o'k\\\n"), lenenc(std::string("a\0b", 3)), lenenc("\x01\xff")});
  EXPECT_EQ(literals(types, values, 0),
            (std::vector<std::string>{"-12.50", "'o\\'k\\\\\\n'", "'a\\0b'", "X'01FF'", "NULL"}));
  EXPECT_EQ(literals(types, values, 0, true),
            (std::vector<std::string>{"-12.50", "'o''k\\\n'", std::string("'a\0b'", 5), "X'01FF'", "NULL"}));
  const p::bytes decimal{246, 0};
  EXPECT_EQ(literals(decimal, lenenc("1; DROP TABLE t"), 0), std::nullopt);  // never into the text as it is
  EXPECT_EQ(literals(decimal, lenenc("1e5"), 0), std::nullopt);
  const auto some_null = cat({lenenc("-12.50"), lenenc("\x01\xff")});
  EXPECT_EQ(literals(types, some_null, 0b00110), (std::vector<std::string>{"-12.50", "NULL", "NULL", "X'01FF'", "NULL"}));
}

TEST(PreparedShards, NullsTakeNoValueBytes) {
  const p::bytes types{8, 0, 253, 0, 8, 0};
  EXPECT_EQ(literals(types, cat({le(5, 8), le(6, 8)}), 0b010), (std::vector<std::string>{"5", "NULL", "6"}));
  EXPECT_EQ(literals(types, cat({le(5, 8), le(6, 8), le(7, 1)}), 0b010), std::nullopt);  // bytes left over
  EXPECT_EQ(literals(types, le(5, 8), 0b010), std::nullopt);                            // cut short
}

TEST(PreparedShards, DatesAndTimes) {
  const p::bytes types{10, 0, 12, 0, 12, 0, 7, 0, 11, 0, 11, 0, 12, 0};
  const auto values = cat({{4}, le(2026, 2), {12, 3},                            // DATE
                           {7}, le(2026, 2), {12, 3, 10, 5, 9},                  // DATETIME, no fraction
                           {11}, le(2026, 2), {12, 3, 10, 5, 9}, le(120, 4),     // with microseconds
                           {0},                                                  // TIMESTAMP zero
                           {8, 1}, le(2, 4), {3, 4, 5},                          // TIME -51:04:05
                           {12, 0}, le(0, 4), {0, 0, 1}, le(500000, 4),          // TIME 00:00:01.5
                           {4}, le(2026, 2), {1, 2}});                           // DATETIME, date only
  EXPECT_EQ(literals(types, values, 0),
            (std::vector<std::string>{"'2026-12-03'", "'2026-12-03 10:05:09'", "'2026-12-03 10:05:09.000120'",
                                      "'0000-00-00 00:00:00'", "'-51:04:05'", "'00:00:01.500000'",
                                      "'2026-01-02 00:00:00'"}));
}

TEST(PreparedShards, ValuesWrittenIntoTheText) {
  const std::vector<std::string> three{"1", "'a?'", "NULL"};
  EXPECT_EQ(sharding::with_parameters("SELECT ? , '?', `?`, ? /* ? */ FROM t WHERE x = ?-- ?\n", three),
            "SELECT 1 , '?', `?`, 'a?' /* ? */ FROM t WHERE x = NULL-- ?\n");
  EXPECT_EQ(sharding::with_parameters("SELECT ?", {}), std::nullopt);
  EXPECT_EQ(sharding::with_parameters("SELECT 1", three), std::nullopt);
  EXPECT_EQ(sharding::with_parameters("SELECT 1", {}), "SELECT 1");
}

TEST(PreparedShards, BinaryRowsFromText) {
  const std::vector<p::binary_column> columns{{8, 0}, {8, 32}, {3, 0}, {5, 0}, {246, 0}, {12, 0},
                                              {10, 0}, {11, 0}, {253, 0}, {1, 0}, {13, 0}};
  const std::vector<std::optional<std::string_view>> values{
      "-2", "18446744073709551615", std::nullopt, "0.30000000000000004", "12.50", "2026-12-03 10:05:09.5",
      "0000-00-00", "-26:00:01", "abc", "007", "2026"};
  std::string problem;
  const auto row = p::binary_row(columns, values, problem);
  ASSERT_TRUE(row) << problem;
  const auto expected = cat({{0x00, 0x10, 0x00},  // header, NULL bitmap (column 3 is bit 2 + 2)
                             le(static_cast<std::uint64_t>(-2), 8), le(~0ull, 8),
                             le(std::bit_cast<std::uint64_t>(0.1 + 0.2), 8), lenenc("12.50"),
                             {11}, le(2026, 2), {12, 3, 10, 5, 9}, le(500000, 4),
                             {0},
                             {8, 1}, le(1, 4), {2, 0, 1},
                             lenenc("abc"), {7}, le(2026, 2)});
  EXPECT_EQ(p::to_hex(*row), p::to_hex(expected));
  const std::vector<p::binary_column> one_int{{3, 0}};
  const std::vector<std::optional<std::string_view>> bad{"12x"};
  EXPECT_FALSE(p::binary_row(one_int, bad, problem));
  EXPECT_EQ(problem, "value '12x' of column 1 does not read as its type 3");
}

TEST(PreparedShards, FloatColumnsRefused) {
  const std::vector<p::column_definition> columns{p::text_column("f")};
  auto defs = columns;
  defs[0].type = static_cast<p::column_type>(4);
  const auto text = p::encode_text_result(defs, std::vector<p::text_row>{{"1.23457"}}, 0, 2);
  const auto answer = sharding::binary_result(text, false);
  EXPECT_EQ(answer.refusal, "column `f`: a FLOAT value's bits cannot be rebuilt from the six digits the server prints "
                            "(CAST it to DOUBLE, or use the text protocol)");
  const auto ints = p::encode_text_result(columns, std::vector<p::text_row>{{"x"}, {std::nullopt}}, 0, 2);
  const auto rebuilt = sharding::binary_result(ints, false);
  EXPECT_EQ(rebuilt.refusal, "");
  // The same frames but the rows (sequence ids 4 and 5): 0x00, the NULL bitmap, then 'x' as a
  // length-encoded string; a row whose one value is NULL (bit 0 + 2).
  const auto hex = p::to_hex(rebuilt.frames);
  EXPECT_NE(hex.find("0400000400000178" "0200000500" "04"), std::string::npos) << hex;
}

}  // namespace
}  // namespace weft
