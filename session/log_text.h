// Log lines are key=value text that people and parsers read line by line, and many values come
// from clients (user names, schemas, server messages about client input). Nothing a client
// sends may start a new line, forge another key or put raw binary in the log:
// - every log line's text is escaped as a whole (control bytes and invalid UTF-8 as \xHH, \n...);
// - values a client chose are logged as quoted{...}: in double quotes, with " and \ escaped.
#pragma once

#include <string>
#include <string_view>

#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>

namespace weft::session {

// Appends text to out with control bytes, DEL and bytes that are not valid UTF-8 escaped;
// with quote_marks, also " and \ (for a value inside quotes).
void append_escaped(std::string_view text, bool quote_marks, std::string& out);

struct quoted {
  std::string_view text;
};

// A pattern formatter that escapes each message before laying it out.
class escaping_formatter final : public spdlog::formatter {
 public:
  explicit escaping_formatter(std::string pattern);
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  std::string pattern_;
  spdlog::pattern_formatter inner_;
};

}  // namespace weft::session

template <>
struct fmt::formatter<weft::session::quoted> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const weft::session::quoted& value, FormatContext& ctx) const {
    std::string out = "\"";
    weft::session::append_escaped(value.text, true, out);
    out += '"';
    return fmt::formatter<std::string_view>::format(out, ctx);
  }
};
