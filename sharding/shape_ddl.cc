// DDL: the tables it creates, alters, drops and renames.
#include "sharding/shape_tokens.h"

namespace weft::sharding::shape_detail {
namespace {

std::size_t after_if_exists(const token_view& v, std::size_t i) {
  if (!v.keyword(i, "IF")) return i;
  if (v.keyword(++i, "NOT")) ++i;
  return v.keyword(i, "EXISTS") ? i + 1 : i;
}

// name [, name ...] at i, appended: the index after the last.
std::size_t read_name_list(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  while (is_name_token(v.at(i))) {
    auto [name, next] = table_name_at(v, i);
    out.push_back(std::move(name));
    if (!v.punct(next, ',')) return next;
    i = next + 1;
  }
  return i;
}

void add_name_at(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  if (is_name_token(v.at(i))) out.push_back(table_name_at(v, i).first);
}

// RENAME TABLE a TO b [, c TO d ...]
void read_rename_pairs(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  while (is_name_token(v.at(i))) {
    auto [name, next] = table_name_at(v, i);
    out.push_back(std::move(name));
    if (!v.keyword(next, "TO") && !v.punct(next, ',')) return;
    i = next + 1;
  }
}

// The word naming what CREATE / ALTER / DROP acts on, when it is a table-like object.
std::size_t ddl_object(const token_view& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v.keyword_in(i, {"TABLE", "TABLES", "VIEW", "SEQUENCE", "INDEX", "TRIGGER"})) return i;
    if (v.punct(i, '(') ||
        v.keyword_in(i, {"DATABASE", "SCHEMA", "USER", "ROLE", "PROCEDURE", "FUNCTION", "EVENT", "SERVER", "TABLESPACE",
                         "LOGFILE", "PACKAGE", "AS", "ON", "BEGIN", "DO", "RETURNS", "SELECT"})) {
      return npos;
    }
  }
  return npos;
}

// ALTER TABLE t ... RENAME [TO | AS] u / EXCHANGE PARTITION p WITH TABLE u.
void read_alter_renames(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  for (; i < v.size(); ++i) {
    if (v.punct(i, '(')) {
      i = v.close_of(i);
      if (i == npos) return;
    } else if (v.keyword(i, "RENAME") && !v.keyword_in(i + 1, {"COLUMN", "INDEX", "KEY", "CONSTRAINT"})) {
      add_name_at(v, v.keyword_in(i + 1, {"TO", "AS"}) ? i + 2 : i + 1, out);
    } else if (v.keyword(i, "WITH") && v.keyword(i + 1, "TABLE")) {
      add_name_at(v, i + 2, out);
    }
  }
}

// The table after the first ON (an index's or a trigger's table).
void read_on_table(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  while (i < v.size() && !v.keyword(i, "ON")) ++i;
  add_name_at(v, i + 1, out);
}

void read_table_object(const token_view& v, std::size_t object, std::vector<table_name>& out) {
  const auto after = read_name_list(v, after_if_exists(v, object + 1), out);
  if (v.keyword(0, "CREATE")) {
    // CREATE TABLE t LIKE s / CREATE TABLE t (LIKE s)
    if (v.keyword(after, "LIKE")) add_name_at(v, after + 1, out);
    if (v.punct(after, '(') && v.keyword(after + 1, "LIKE")) add_name_at(v, after + 2, out);
  } else if (v.keyword(0, "ALTER")) {
    read_alter_renames(v, after, out);
  }
}

}  // namespace

void read_ddl_tables(const token_view& v, std::vector<table_name>& out) {
  if (v.keyword(0, "TRUNCATE")) return add_name_at(v, v.keyword(1, "TABLE") ? 2 : 1, out);
  if (v.keyword(0, "RENAME")) {
    if (v.keyword_in(1, {"TABLE", "TABLES"})) read_rename_pairs(v, 2, out);
    return;
  }
  const auto object = ddl_object(v);
  if (object == npos) return;
  if (v.keyword_in(object, {"INDEX", "TRIGGER"})) return read_on_table(v, object + 1, out);
  read_table_object(v, object, out);
}

}  // namespace weft::sharding::shape_detail
