// HELP on the admin port, answered in the result-set shapes the mariadb/mysql CLI renders for
// the server's own help (the CLI turns `help word` into the statement HELP 'word'):
//   one command:   3 columns (name, description, example) x 1 row  -> "Name: ... Description: ..."
//   several found: 2 columns (name, is_it_category)                -> "Many help items ... exist"
//   a category:    3 columns (source_category_name, name, is_it_category), several rows
//                                                                   -> "help category: ..."
//   nothing:       2 columns, no row                                -> "Nothing found"
// HELP alone and HELP 'contents' list the categories and every command.
#pragma once

#include <optional>
#include <string_view>

#include "admin/help_catalog.h"
#include "ops/admin_result.h"

namespace weft::admin {

using ops::admin_result;

// nullopt when `sql` is not a HELP statement.
std::optional<admin_result> answer_help(std::string_view sql);

admin_result help_result(const help_match& match);

// A syntax error (1064) points to HELP: to the command its first word names when there is one
// ("; see HELP 'PROMOTE GROUP'"), else to the list. Other results pass unchanged.
admin_result point_to_help(admin_result result, std::string_view sql);

}  // namespace weft::admin
