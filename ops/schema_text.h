// Text work on the CREATE statements servers print (SHOW CREATE ...), pure: leaving out what
// does not matter (DEFINER, AUTO_INCREMENT=n), naming objects with their database, and the
// form two definitions are compared in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace weft::ops {

// 'text' as a string literal (quotes and backslashes doubled, as SHOW CREATE writes them).
std::string sql_string(std::string_view text);

// The statement without its DEFINER=user@host clause (the one before the object's name).
std::string without_definer(std::string_view create);
// CREATE TABLE ... without the table option AUTO_INCREMENT=n (a counter, not a definition).
std::string without_auto_increment(std::string_view create_table);
// `keyword `name`` (its first occurrence) becomes `keyword `database`.`name``:
// CREATE PROCEDURE `p`(...) → CREATE PROCEDURE `db`.`p`(...).
std::string with_database(std::string_view create, std::string_view keyword, std::string_view database,
                          std::string_view name);
// The PARTITION BY ... that ends a CREATE TABLE ("": not partitioned).
std::string partitioning_of(std::string_view create_table);
// CREATE TABLE text without the lines of these foreign keys (CONSTRAINT `fk` FOREIGN KEY ...).
std::string without_foreign_keys(std::string_view create_table, const std::vector<std::string>& names);
// A view's calls of the database's own stored functions with the database named: the server
// prints `f`(...) for them, which resolves in the default database of whoever applies it.
std::string with_database_in_calls(std::string_view create_view, std::string_view database,
                                   const std::vector<std::string>& functions);
// An event's status as the primary has it: a replicated event is DISABLE ON SLAVE on replicas.
std::string enabled_as_on_primary(std::string_view create_event);

// The text with every run of whitespace outside quotes made one space, and trimmed: two
// definitions that differ only in layout compare equal.
std::string compact_sql(std::string_view text);
// Whether the text names `name` as a quoted identifier (how servers print references).
bool mentions_name(std::string_view text, std::string_view name);

}  // namespace weft::ops
