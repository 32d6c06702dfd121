#include "ops/schema_sql.h"

#include <string_view>
#include <utility>

#include "ops/schema_text.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

// information_schema's EXTRA without what the definition says elsewhere (generation).
std::string plain_extra(std::string extra) {
  for (const std::string_view word : {"VIRTUAL GENERATED", "STORED GENERATED", "DEFAULT_GENERATED"}) {
    if (const auto at = extra.find(word); at != std::string::npos) extra.erase(at, word.size());
  }
  // In capitals, as SHOW CREATE TABLE writes them.
  for (const auto& [lower, upper] :
       {std::pair{"auto_increment", "AUTO_INCREMENT"}, std::pair{"on update ", "ON UPDATE "}}) {
    if (const auto at = extra.find(lower); at != std::string::npos) {
      extra.replace(at, std::string_view(lower).size(), upper);
    }
  }
  return compact_sql(extra);
}

std::string generation(const column_def& c) {
  return " GENERATED ALWAYS AS (" + c.generated + (c.stored ? ") STORED" : ") VIRTUAL");
}

std::string index_parts(const index_def& index) {
  std::string out = "(";
  for (const auto& part : index.parts) {
    if (out.size() > 1) out += ',';
    out += quote_name(part.column);
    if (part.prefix) out += "(" + std::to_string(*part.prefix) + ")";
    if (part.descending) out += " DESC";
  }
  return out + ")";
}

std::string index_head(const index_def& index) {
  switch (index.kind) {
    case index_kind::primary:
      return "PRIMARY KEY ";
    case index_kind::unique:
      return "UNIQUE INDEX " + quote_name(index.name) + " ";
    case index_kind::fulltext:
      return "FULLTEXT INDEX " + quote_name(index.name) + " ";
    case index_kind::spatial:
      return "SPATIAL INDEX " + quote_name(index.name) + " ";
    default:
      return "INDEX " + quote_name(index.name) + " ";
  }
}

bool is_memory_engine(const std::string& engine) { return engine == "MEMORY" || engine == "HEAP"; }

std::string name_list(const std::vector<std::string>& names) {
  std::string out = "(";
  for (const auto& n : names) out += (out.size() > 1 ? "," : "") + quote_name(n);
  return out + ")";
}

}  // namespace

std::string column_definition(const column_def& c) {
  std::string out = quote_name(c.name) + " " + c.type;
  if (!c.charset.empty()) out += " CHARACTER SET " + c.charset;
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  if (!c.generated.empty()) {
    out += generation(c);  // a generated column takes no NULL, NOT NULL or DEFAULT
  } else {
    out += c.nullable ? " NULL" : " NOT NULL";
    if (c.default_value) out += " DEFAULT " + *c.default_value;
  }
  if (const auto extra = plain_extra(c.extra); !extra.empty()) out += " " + extra;
  if (!c.comment.empty()) out += " COMMENT " + sql_string(c.comment);
  if (!c.check.empty()) out += " CHECK (" + c.check + ")";
  return out;
}

std::string index_definition(const index_def& index, const std::string& engine) {
  std::string out = index_head(index) + index_parts(index);
  const bool keyed = index.kind != index_kind::fulltext && index.kind != index_kind::spatial;
  const std::string usual = is_memory_engine(engine) ? "HASH" : "BTREE";
  if (keyed && !index.method.empty() && index.method != usual) out += " USING " + index.method;
  if (!index.comment.empty()) out += " COMMENT " + sql_string(index.comment);
  if (index.ignored) out += " IGNORED";
  return out;
}

std::string foreign_key_definition(const foreign_key_def& key, const std::string& database) {
  const auto& where = key.referenced_database.empty() ? database : key.referenced_database;
  std::string out = "CONSTRAINT " + quote_name(key.name) + " FOREIGN KEY " + name_list(key.columns) + " REFERENCES " +
                    qualified_name(where, key.referenced_table) + " " + name_list(key.referenced_columns);
  if (key.on_delete != "RESTRICT") out += " ON DELETE " + key.on_delete;
  if (key.on_update != "RESTRICT") out += " ON UPDATE " + key.on_update;
  return out;
}

std::string trigger_statement(const trigger_def& trigger, const std::string& database) {
  return "CREATE TRIGGER " + qualified_name(database, trigger.name) + " " + trigger.timing + " " + trigger.event +
         " ON " + qualified_name(database, trigger.table) + " FOR EACH ROW " + trigger.body;
}

}  // namespace weft::ops
