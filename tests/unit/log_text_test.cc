// Log escaping: what a client sends can neither start a log line, forge a key=value pair inside a
// quoted value, nor put raw binary into the log.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "session/log_text.h"

namespace weft::session {
namespace {

std::string escaped(std::string_view text, bool quote_marks) {
  std::string out;
  append_escaped(text, quote_marks, out);
  return out;
}

TEST(LogText, EscapesControlBytesAndInvalidUtf8) {
  const struct {
    std::string_view in;
    const char* out;
  } table[] = {
      {"plain text=1", "plain text=1"},
      {"a\nb\rc\td", "a\\nb\\rc\\td"},
      {std::string_view("\x00\x01\x1b\x7f", 4), "\\x00\\x01\\x1b\\x7f"},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},  // valid UTF-8 stays
      {"\xff\xfe", "\\xff\\xfe"},
      {"\xf9\xba\xa7", "\\xf9\\xba\\xa7"},  // no lead byte past 0xF4
      {"\xc3", "\\xc3"},                   // cut sequence
      {"\xc0\xaf", "\\xc0\\xaf"},          // overlong '/'
      {"\xed\xa0\x80", "\\xed\\xa0\\x80"},  // a surrogate
      {"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},  // overlong three-byte form
      {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},  // past U+10FFFF
      {"q\"b\\", "q\"b\\"},                // quotes only matter inside a quoted value
  };
  for (const auto& row : table) EXPECT_EQ(escaped(row.in, false), row.out) << row.out;
}

TEST(LogText, QuotedValuesCannotCloseTheirQuotes) {
  EXPECT_EQ(fmt::format("user={}", quoted{"app"}), "user=\"app\"");
  EXPECT_EQ(fmt::format("user={}", quoted{"x\" client=10.9.9.9 \\"}), "user=\"x\\\" client=10.9.9.9 \\\\\"");
  EXPECT_EQ(fmt::format("user={}", quoted{"a\nevent=session_open user=root"}),
            "user=\"a\\nevent=session_open user=root\"");
}

TEST(LogText, TheFormatterEscapesWholeMessages) {
  escaping_formatter formatter("%v");
  const std::string payload = "event=auth_failed user=x\n2026-01-01 event=session_open user=root\x01";
  spdlog::details::log_msg msg(spdlog::source_loc{}, "weft", spdlog::level::info, payload);
  spdlog::memory_buf_t out;
  formatter.format(msg, out);
  EXPECT_EQ(fmt::to_string(out), "event=auth_failed user=x\\n2026-01-01 event=session_open user=root\\x01\n");
  EXPECT_EQ(formatter.clone()->clone() != nullptr, true);
}

}  // namespace
}  // namespace weft::session
