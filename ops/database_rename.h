// IMPORT ... DATABASE a AS b: definitions exported from `a` name it as a qualifier (`a`.`t`,
// and the server writes view bodies as `a`.`t`.`c`). Only those qualifiers are renamed, found
// by the SQL lexer, so a string or comment that happens to spell `a`. is left as it is.
#pragma once

#include <string>
#include <string_view>

namespace weft::ops {

std::string with_database_renamed(std::string_view sql, std::string_view from, std::string_view to);

}  // namespace weft::ops
