// DIFF SCHEMA's decisions as tables: hand-built schema models in, the exact statements out, in
// an order the server accepts (ops/schema_diff.h); and the text work on what servers print.
#include "ops/schema_diff.h"

#include <gtest/gtest.h>

#include "ops/schema_sql.h"
#include "ops/schema_text.h"

namespace weft::ops {

void PrintTo(const schema_change& c, std::ostream* os) {
  *os << "{" << c.object_type << " " << c.object << " " << c.action << ": " << c.statement << "}";
}

namespace {

column_def column(std::string name, std::string type = "int(11)") {
  column_def c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.default_value = "NULL";
  return c;
}

column_def not_null(std::string name, std::string type = "int(11)") {
  auto c = column(std::move(name), std::move(type));
  c.nullable = false;
  c.default_value.reset();
  return c;
}

index_def index(std::string name, std::vector<std::string> columns, index_kind kind = index_kind::plain) {
  index_def i;
  i.name = std::move(name);
  i.kind = kind;
  for (auto& c : columns) i.parts.push_back({std::move(c), std::nullopt, false});
  return i;
}

foreign_key_def key(std::string name, std::string column, std::string parent, std::string parent_column = "id") {
  foreign_key_def k;
  k.name = std::move(name);
  k.columns = {std::move(column)};
  k.referenced_table = std::move(parent);
  k.referenced_columns = {std::move(parent_column)};
  return k;
}

table_def table(std::string name, std::vector<column_def> columns) {
  table_def t;
  t.name = std::move(name);
  t.engine = "InnoDB";
  t.collation = "utf8mb4_general_ci";
  t.columns = std::move(columns);
  t.indexes["PRIMARY"] = index("PRIMARY", {t.columns.front().name}, index_kind::primary);
  t.create_statement = "CREATE TABLE `db`.`" + t.name + "` (...)";
  return t;
}

table_def with_key(table_def t, const foreign_key_def& k) {
  t.foreign_keys[k.name] = k;
  if (!t.indexes.contains(k.name)) t.indexes[k.name] = index(k.name, k.columns);
  return t;
}

schema_snapshot schema(std::vector<table_def> tables = {}) {
  schema_snapshot s;
  s.database = "db";
  s.collation = "utf8mb4_general_ci";
  for (auto& t : tables) s.tables[t.name] = std::move(t);
  return s;
}

table_def items() { return table("items", {not_null("id"), column("name", "varchar(20)"), column("price")}); }

// The statements only, in order.
std::vector<std::string> statements(const schema_snapshot& target, const schema_snapshot& model) {
  std::vector<std::string> out;
  for (const auto& c : diff_schemas(target, model)) out.push_back(c.statement);
  return out;
}

// Where a statement starting with `prefix` is in `list` (list.size() when absent).
std::size_t position(const std::vector<std::string>& list, const std::string& prefix) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].starts_with(prefix)) return i;
  }
  return list.size();
}

using list = std::vector<std::string>;

TEST(SchemaDiff, EqualSnapshotsGiveNothing) {
  auto s =
      schema({items(), with_key(table("orders", {not_null("id"), column("item_id")}), key("fk", "item_id", "items"))});
  s.views["v"] = "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `db`.`v` AS select 1 AS `1`";
  s.procedures["p"] = "CREATE PROCEDURE `db`.`p`()\nBEGIN\n  SELECT 1;\nEND";
  s.triggers.push_back({"tr", "items", "BEFORE", "INSERT", "SET NEW.price = 1"});
  EXPECT_TRUE(diff_schemas(s, s).empty());
  EXPECT_TRUE(same_table(s, s, "orders"));
  EXPECT_FALSE(same_table(s, s, "nope"));
}

TEST(SchemaDiff, EachColumnChangeIsOneClause) {
  auto model = items();
  struct row {
    const char* what;
    table_def target;
    std::string statement;
  };
  auto missing = items();
  missing.columns.pop_back();
  auto extra = items();
  extra.columns.push_back(column("legacy"));
  auto changed = items();
  changed.columns[1].type = "varchar(10)";
  auto moved = items();
  std::swap(moved.columns[1], moved.columns[2]);
  auto first_missing = items();
  first_missing.columns.erase(first_missing.columns.begin());
  first_missing.indexes.clear();
  const std::vector<row> rows = {
      {"added at the end", missing,
       "ALTER TABLE `db`.`items` ADD COLUMN `price` int(11) NULL DEFAULT NULL AFTER `name`"},
      {"dropped", extra, "ALTER TABLE `db`.`items` DROP COLUMN `legacy`"},
      {"changed", changed, "ALTER TABLE `db`.`items` MODIFY COLUMN `name` varchar(20) NULL DEFAULT NULL"},
      {"moved: one MODIFY", moved,
       "ALTER TABLE `db`.`items` MODIFY COLUMN `price` int(11) NULL DEFAULT NULL AFTER `name`"},
      {"added first", first_missing,
       "ALTER TABLE `db`.`items`\n  ADD COLUMN `id` int(11) NOT NULL FIRST,\n  ADD PRIMARY KEY (`id`)"},
  };
  for (const auto& r : rows) {
    const auto changes = diff_schemas(schema({r.target}), schema({model}));
    ASSERT_EQ(changes.size(), 1u) << r.what;
    EXPECT_EQ(changes[0], (schema_change{"TABLE", "items", "ALTER", r.statement})) << r.what;
  }
}

TEST(SchemaDiff, ColumnDefinitionsAsTheServerTakesThem) {
  auto text = column("code", "varchar(10)");
  text.nullable = false;
  text.default_value = "'x''y'";
  text.charset = "utf8mb4";
  text.collation = "utf8mb4_bin";
  text.comment = "it's";
  EXPECT_EQ(column_definition(text),
            "`code` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT 'x''y' COMMENT 'it''s'");
  auto generated = column("g");
  generated.generated = "`id` * 2";
  generated.extra = "STORED GENERATED";
  generated.stored = true;
  EXPECT_EQ(column_definition(generated), "`g` int(11) GENERATED ALWAYS AS (`id` * 2) STORED");
  auto counter = not_null("id");
  counter.extra = "auto_increment";
  EXPECT_EQ(column_definition(counter), "`id` int(11) NOT NULL AUTO_INCREMENT");
  auto stamp = not_null("t", "timestamp");
  stamp.default_value = "current_timestamp()";
  stamp.extra = "on update current_timestamp()";
  EXPECT_EQ(column_definition(stamp),
            "`t` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()");
  auto json = column("j", "longtext");
  json.check = "json_valid(`j`)";
  json.extra = "INVISIBLE";
  EXPECT_EQ(column_definition(json), "`j` longtext NULL DEFAULT NULL INVISIBLE CHECK (json_valid(`j`))");
  EXPECT_EQ(column_definition(column("we`ird")), "`we``ird` int(11) NULL DEFAULT NULL");
}

TEST(SchemaDiff, IndexesAddedDroppedChanged) {
  auto model = items();
  auto prefixed = index("k_name", {"name"}, index_kind::unique);
  prefixed.parts[0].prefix = 5;
  prefixed.parts.push_back({"price", std::nullopt, true});
  model.indexes["k_name"] = prefixed;
  auto target = items();
  target.indexes["k_old"] = index("k_old", {"price"});
  EXPECT_EQ(
      statements(schema({target}), schema({model})),
      (list{"ALTER TABLE `db`.`items`\n  DROP INDEX `k_old`,\n  ADD UNIQUE INDEX `k_name` (`name`(5),`price` DESC)"}));
  // Changed: dropped and added in one statement (the server checks the end state).
  target = model;
  target.indexes["k_name"].parts.pop_back();
  EXPECT_EQ(
      statements(schema({target}), schema({model})),
      (list{"ALTER TABLE `db`.`items`\n  DROP INDEX `k_name`,\n  ADD UNIQUE INDEX `k_name` (`name`(5),`price` DESC)"}));
  target = model;
  target.indexes["PRIMARY"].parts.push_back({"name", std::nullopt, false});
  EXPECT_EQ(statements(schema({target}), schema({model})),
            (list{"ALTER TABLE `db`.`items`\n  DROP PRIMARY KEY,\n  ADD PRIMARY KEY (`id`)"}));
}

TEST(SchemaDiff, IndexKindsAndMethods) {
  auto text = index("ft", {"body"}, index_kind::fulltext);
  text.method = "FULLTEXT";
  EXPECT_EQ(index_definition(text, "InnoDB"), "FULLTEXT INDEX `ft` (`body`)");
  auto where = index("sp", {"g"}, index_kind::spatial);
  where.method = "SPATIAL";
  EXPECT_EQ(index_definition(where, "InnoDB"), "SPATIAL INDEX `sp` (`g`)");
  auto hashed = index("u", {"b"}, index_kind::unique);
  hashed.method = "HASH";  // a long UNIQUE on InnoDB
  EXPECT_EQ(index_definition(hashed, "InnoDB"), "UNIQUE INDEX `u` (`b`) USING HASH");
  EXPECT_EQ(index_definition(hashed, "MEMORY"), "UNIQUE INDEX `u` (`b`)");
  auto tree = index("k", {"a"});
  tree.comment = "for reports";
  tree.ignored = true;
  EXPECT_EQ(index_definition(tree, "MEMORY"), "INDEX `k` (`a`) USING BTREE COMMENT 'for reports' IGNORED");
}

TEST(SchemaDiff, ChecksAndTableOptions) {
  auto model = items();
  model.checks["positive"] = "`price` > 0";
  model.engine = "Aria";
  model.collation = "latin1_swedish_ci";
  model.comment = "the shop's items";
  auto target = items();
  target.checks["positive"] = "`price` >= 0";
  target.checks["old"] = "`id` > 0";
  EXPECT_EQ(statements(schema({target}), schema({model})),
            (list{"ALTER TABLE `db`.`items`\n  DROP CONSTRAINT `old`,\n  DROP CONSTRAINT `positive`,\n"
                  "  ADD CONSTRAINT `positive` CHECK (`price` > 0),\n  ENGINE=Aria,\n"
                  "  DEFAULT COLLATE=latin1_swedish_ci,\n  COMMENT='the shop''s items'"}));
}

TEST(SchemaDiff, VersioningAndPartitioning) {
  auto model = items();
  model.versioned = true;
  model.partitioning = "PARTITION BY HASH (`id`)\nPARTITIONS 4";
  EXPECT_EQ(statements(schema({items()}), schema({model})),
            (list{"ALTER TABLE `db`.`items`\n  ADD SYSTEM VERSIONING\nPARTITION BY HASH (`id`)\nPARTITIONS 4"}));
  EXPECT_EQ(statements(schema({model}), schema({items()})),
            (list{"SET STATEMENT system_versioning_alter_history = KEEP FOR ALTER TABLE `db`.`items`\n"
                  "  DROP SYSTEM VERSIONING\nREMOVE PARTITIONING"}));
  auto target = model;
  target.versioned = false;
  target.partitioning = "PARTITION BY HASH (`id`) PARTITIONS 4";  // layout only
  EXPECT_EQ(statements(schema({target}), schema({model})), (list{"ALTER TABLE `db`.`items` ADD SYSTEM VERSIONING"}));
  target = model;
  target.partitioning.clear();
  EXPECT_EQ(statements(schema({target}), schema({model})),
            (list{"SET STATEMENT system_versioning_alter_history = KEEP FOR ALTER TABLE `db`.`items` "
                  "PARTITION BY HASH (`id`)\nPARTITIONS 4"}));
}

TEST(SchemaDiff, ForeignKeysAddedDroppedChanged) {
  const auto orders = [] { return table("orders", {not_null("id"), column("item_id")}); };
  const auto model = schema({items(), with_key(orders(), key("fk_item", "item_id", "items"))});
  auto no_key = orders();
  no_key.indexes["fk_item"] = index("fk_item", {"item_id"});
  EXPECT_EQ(diff_schemas(schema({items(), no_key}), model),
            (std::vector<schema_change>{{"FOREIGN KEY", "orders.fk_item", "CREATE",
                                         "ALTER TABLE `db`.`orders` ADD CONSTRAINT `fk_item` FOREIGN KEY (`item_id`) "
                                         "REFERENCES `db`.`items` (`id`)"}}));
  EXPECT_EQ(diff_schemas(model, schema({items(), no_key})),
            (std::vector<schema_change>{
                {"FOREIGN KEY", "orders.fk_item", "DROP", "ALTER TABLE `db`.`orders` DROP FOREIGN KEY `fk_item`"}}));
  auto cascading = key("fk_item", "item_id", "items");
  cascading.on_delete = "CASCADE";
  cascading.on_update = "SET NULL";
  EXPECT_EQ(statements(model, schema({items(), with_key(orders(), cascading)})),
            (list{"ALTER TABLE `db`.`orders` DROP FOREIGN KEY `fk_item`",
                  "ALTER TABLE `db`.`orders` ADD CONSTRAINT `fk_item` FOREIGN KEY (`item_id`) REFERENCES `db`.`items` "
                  "(`id`) ON DELETE CASCADE ON UPDATE SET NULL"}));
}

TEST(SchemaDiff, ForeignKeyOverAChangedColumnIsMadeAgainAroundIt) {
  auto parent = items();
  auto child = with_key(table("orders", {not_null("id"), column("item_id")}), key("fk_item", "item_id", "items"));
  const auto target = schema({parent, child});
  parent.columns[0].type = "bigint(20)";
  child.columns[1].type = "bigint(20)";
  EXPECT_EQ(statements(target, schema({parent, child})),
            (list{"ALTER TABLE `db`.`orders` DROP FOREIGN KEY `fk_item`",
                  "ALTER TABLE `db`.`items` MODIFY COLUMN `id` bigint(20) NOT NULL",
                  "ALTER TABLE `db`.`orders` MODIFY COLUMN `item_id` bigint(20) NULL DEFAULT NULL",
                  "ALTER TABLE `db`.`orders` ADD CONSTRAINT `fk_item` FOREIGN KEY (`item_id`) REFERENCES `db`.`items` "
                  "(`id`)"}));
}

TEST(SchemaDiff, TablesMissingAndExtra) {
  EXPECT_EQ(diff_schemas(schema(), schema({items()})),
            (std::vector<schema_change>{{"TABLE", "items", "CREATE", "CREATE TABLE `db`.`items` (...)"}}));
  EXPECT_EQ(diff_schemas(schema({items()}), schema()),
            (std::vector<schema_change>{{"TABLE", "items", "DROP", "DROP TABLE `db`.`items`"}}));
}

TEST(SchemaDiff, ReferencedTablesComeFirstAndGoLast) {
  // "a_lines" references "b_orders", which references "c_items": names sort the other way.
  const auto s =
      schema({with_key(table("a_lines", {not_null("id"), column("order_id")}), key("fk_o", "order_id", "b_orders")),
              with_key(table("b_orders", {not_null("id"), column("item_id")}), key("fk_i", "item_id", "c_items")),
              table("c_items", {not_null("id")})});
  EXPECT_EQ(statements(schema(), s), (list{"CREATE TABLE `db`.`c_items` (...)", "CREATE TABLE `db`.`b_orders` (...)",
                                           "CREATE TABLE `db`.`a_lines` (...)"}));
  EXPECT_EQ(statements(s, schema()),
            (list{"DROP TABLE `db`.`a_lines`", "DROP TABLE `db`.`b_orders`", "DROP TABLE `db`.`c_items`"}));
}

TEST(SchemaDiff, ForeignKeyGoesBeforeTheTableItReferences) {
  auto kept = with_key(table("orders", {not_null("id"), column("item_id")}), key("fk_item", "item_id", "items"));
  auto unlinked = kept;
  unlinked.foreign_keys.clear();
  const auto out = statements(schema({kept, items()}), schema({unlinked}));
  EXPECT_EQ(out, (list{"ALTER TABLE `db`.`orders` DROP FOREIGN KEY `fk_item`", "DROP TABLE `db`.`items`"}));
}

TEST(SchemaDiff, TablesInACycleBreakItWithALaterForeignKey) {
  auto a = with_key(table("a", {not_null("id"), column("b_id")}), key("fk_b", "b_id", "b"));
  auto b = with_key(table("b", {not_null("id"), column("a_id")}), key("fk_a", "a_id", "a"));
  b.create_statement =
      "CREATE TABLE `db`.`b` (\n  `id` int(11) NOT NULL,\n  `a_id` int(11) DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`),\n  KEY `fk_a` (`a_id`),\n"
      "  CONSTRAINT `fk_a` FOREIGN KEY (`a_id`) REFERENCES `a` (`id`)\n) ENGINE=InnoDB";
  const auto s = schema({a, b});
  // b comes first, without its key to a; a (referencing b) whole; then b's key.
  EXPECT_EQ(statements(schema(), s),
            (list{"CREATE TABLE `db`.`b` (\n  `id` int(11) NOT NULL,\n  `a_id` int(11) DEFAULT NULL,\n"
                  "  PRIMARY KEY (`id`),\n  KEY `fk_a` (`a_id`)\n) ENGINE=InnoDB",
                  "CREATE TABLE `db`.`a` (...)",
                  "ALTER TABLE `db`.`b` ADD CONSTRAINT `fk_a` FOREIGN KEY (`a_id`) REFERENCES `db`.`a` (`id`)"}));
  EXPECT_EQ(statements(s, schema()),
            (list{"ALTER TABLE `db`.`a` DROP FOREIGN KEY `fk_b`", "DROP TABLE `db`.`b`", "DROP TABLE `db`.`a`"}));
}

TEST(SchemaDiff, NewTableReferencingAChangedOneComesAfterTheChange) {
  auto target = schema({items()});
  auto changed = items();
  changed.indexes["u_name"] = index("u_name", {"name"}, index_kind::unique);
  auto model = schema({changed, with_key(table("tags", {not_null("id"), column("item_name")}),
                                         key("fk_name", "item_name", "items", "name"))});
  const auto out = statements(target, model);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "ALTER TABLE `db`.`items` ADD UNIQUE INDEX `u_name` (`name`)");
  EXPECT_EQ(out[1], "CREATE TABLE `db`.`tags` (...)");
}

TEST(SchemaDiff, ViewsAfterTablesAndAfterTheViewsTheyUse) {
  auto model = schema({items()});
  model.views["a_cheap"] =
      "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `db`.`a_cheap` AS select "
      "`b_priced`.`id` AS `id` from `db`.`b_priced` where `b_priced`.`price` < 10";
  model.views["b_priced"] =
      "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `db`.`b_priced` AS select "
      "`db`.`items`.`id` AS `id`,`db`.`items`.`price` AS `price` from `db`.`items`";
  const auto changes = diff_schemas(schema(), model);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].object, "items");
  EXPECT_EQ(changes[1], (schema_change{"VIEW", "b_priced", "CREATE", model.views["b_priced"]}));
  EXPECT_EQ(changes[2], (schema_change{"VIEW", "a_cheap", "CREATE", model.views["a_cheap"]}));
}

TEST(SchemaDiff, ChangedViewIsReplacedExtraIsDropped) {
  auto target = schema({items()});
  target.views["v"] = "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `db`.`v` AS select 1 AS `1`";
  target.views["old"] = "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `db`.`old` AS select 1 AS `1`";
  auto model = schema({items()});
  model.views["v"] = "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `db`.`v` AS select 2 AS `2`";
  EXPECT_EQ(diff_schemas(target, model),
            (std::vector<schema_change>{
                {"VIEW", "old", "DROP", "DROP VIEW `db`.`old`"},
                {"VIEW", "v", "ALTER",
                 "CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `db`.`v` AS select 2 AS `2`"}}));
}

TEST(SchemaDiff, RoutinesAndEventsDropThenCreate) {
  auto target = schema();
  target.procedures["p"] = "CREATE PROCEDURE `db`.`p`()\nBEGIN\n  SELECT 1;\nEND";
  target.functions["f"] = "CREATE FUNCTION `db`.`f`() RETURNS int(11)\nRETURN 1";
  target.events["e"] = "CREATE EVENT `db`.`e` ON SCHEDULE EVERY 1 DAY DO DELETE FROM t";
  auto model = schema();
  model.procedures["p"] = "CREATE PROCEDURE `db`.`p`()\nBEGIN\n    SELECT 1;\nEND";  // layout only: equal
  model.functions["f"] = "CREATE FUNCTION `db`.`f`() RETURNS int(11)\nRETURN 2";
  model.functions["g"] = "CREATE FUNCTION `db`.`g`() RETURNS int(11)\nRETURN 3";
  EXPECT_EQ(diff_schemas(target, model),
            (std::vector<schema_change>{{"EVENT", "e", "DROP", "DROP EVENT `db`.`e`"},
                                        {"FUNCTION", "f", "ALTER", "DROP FUNCTION `db`.`f`"},
                                        {"FUNCTION", "f", "ALTER", model.functions["f"]},
                                        {"FUNCTION", "g", "CREATE", model.functions["g"]}}));
}

TEST(SchemaDiff, TriggersGoBeforeTheirTableAndKeepFiringOrder) {
  auto target = schema({items()});
  target.triggers.push_back({"t_gone", "items", "BEFORE", "INSERT", "SET NEW.price = 0"});
  EXPECT_EQ(statements(target, schema()), (list{"DROP TRIGGER `db`.`t_gone`", "DROP TABLE `db`.`items`"}));

  // Model fires t1, t2, t3; the target t1, t3 with t1 changed: all three made again, in order.
  target = schema({items()});
  target.triggers = {{"t1", "items", "BEFORE", "INSERT", "SET NEW.price = 1"},
                     {"t3", "items", "BEFORE", "INSERT", "SET NEW.price = 3"}};
  auto model = schema({items()});
  model.triggers = {{"t1", "items", "BEFORE", "INSERT", "SET NEW.price = 10"},
                    {"t2", "items", "BEFORE", "INSERT", "SET NEW.price = 2"},
                    {"t3", "items", "BEFORE", "INSERT", "SET NEW.price = 3"}};
  EXPECT_EQ(diff_schemas(target, model),
            (std::vector<schema_change>{
                {"TRIGGER", "t1", "ALTER", "DROP TRIGGER `db`.`t1`"},
                {"TRIGGER", "t3", "ALTER", "DROP TRIGGER `db`.`t3`"},
                {"TRIGGER", "t1", "ALTER",
                 "CREATE TRIGGER `db`.`t1` BEFORE INSERT ON `db`.`items` FOR EACH ROW SET NEW.price = 10"},
                {"TRIGGER", "t2", "CREATE",
                 "CREATE TRIGGER `db`.`t2` BEFORE INSERT ON `db`.`items` FOR EACH ROW SET NEW.price = 2"},
                {"TRIGGER", "t3", "ALTER",
                 "CREATE TRIGGER `db`.`t3` BEFORE INSERT ON `db`.`items` FOR EACH ROW SET NEW.price = 3"}}));
  // A trigger added last leaves the others alone.
  target.triggers = {model.triggers[0], model.triggers[1]};
  EXPECT_EQ(statements(target, model),
            (list{"CREATE TRIGGER `db`.`t3` BEFORE INSERT ON `db`.`items` FOR EACH ROW SET NEW.price = 3"}));
}

TEST(SchemaDiff, WholeOrderOfPhases) {
  auto target = schema({items(), table("old", {not_null("id")})});
  target.collation = "latin1_swedish_ci";
  target.views["v_old"] = "CREATE VIEW `db`.`v_old` AS select 1";
  target.procedures["p_old"] = "CREATE PROCEDURE `db`.`p_old`() SELECT 1";
  target.triggers.push_back({"t_old", "old", "AFTER", "DELETE", "SET @x = 1"});
  target.sequences["s_old"] = "CREATE SEQUENCE `db`.`s_old` start with 1";
  auto model = schema({items(), table("fresh", {not_null("id")})});
  model.tables["items"].columns.push_back(column("stock"));
  model.functions["f"] = "CREATE FUNCTION `db`.`f`() RETURNS int RETURN 1";
  model.views["v"] = "CREATE VIEW `db`.`v` AS select `db`.`f`() AS `x`";
  model.procedures["p"] = "CREATE PROCEDURE `db`.`p`() SELECT 1";
  model.triggers.push_back({"t", "fresh", "BEFORE", "INSERT", "SET @x = 2"});
  model.events["e"] = "CREATE EVENT `db`.`e` ON SCHEDULE EVERY 1 DAY DO SELECT 1";
  model.sequences["s"] = "CREATE SEQUENCE `db`.`s` start with 1";
  const auto out = statements(target, model);
  const list expected_order = {"ALTER DATABASE", "DROP TRIGGER",    "DROP VIEW",       "DROP PROCEDURE",
                               "DROP TABLE",     "DROP SEQUENCE",   "CREATE SEQUENCE", "ALTER TABLE `db`.`items`",
                               "CREATE TABLE",   "CREATE FUNCTION", "CREATE VIEW",     "CREATE PROCEDURE",
                               "CREATE TRIGGER", "CREATE EVENT"};
  ASSERT_EQ(out.size(), expected_order.size());
  for (std::size_t i = 0; i < expected_order.size(); ++i) {
    EXPECT_EQ(position(out, expected_order[i]), i) << expected_order[i];
  }
  EXPECT_EQ(out[0], "ALTER DATABASE `db` COLLATE utf8mb4_general_ci");
}

TEST(SchemaDiff, SameTableIgnoresOnlyWhatDoesNotMatter) {
  auto a = schema({items()});
  auto b = schema({items()});
  b.tables["items"].create_statement = "CREATE TABLE `db`.`items` (... other layout ...)";
  EXPECT_TRUE(same_table(a, b, "items"));
  b.tables["items"].columns[2].comment = "euros";
  EXPECT_FALSE(same_table(a, b, "items"));
  EXPECT_FALSE(same_table(a, schema(), "items"));
}

TEST(SchemaText, WhatServersPrintMadeComparable) {
  EXPECT_EQ(without_definer("CREATE DEFINER=`root`@`%` PROCEDURE `p`() SELECT 'DEFINER=x'"),
            "CREATE PROCEDURE `p`() SELECT 'DEFINER=x'");
  EXPECT_EQ(without_definer(
                "CREATE ALGORITHM=UNDEFINED DEFINER=`a``b`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1"),
            "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1");
  EXPECT_EQ(without_definer("CREATE DEFINER=`app_role` FUNCTION `f`() RETURNS int RETURN 1"),
            "CREATE FUNCTION `f`() RETURNS int RETURN 1");
  EXPECT_EQ(without_definer("CREATE PROCEDURE `p`() SELECT 'DEFINER=`x`@`y` '"),
            "CREATE PROCEDURE `p`() SELECT 'DEFINER=`x`@`y` '");
  EXPECT_EQ(without_auto_increment("CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT\n) ENGINE=InnoDB "
                                   "AUTO_INCREMENT=42 DEFAULT CHARSET=latin1"),
            "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT\n) ENGINE=InnoDB DEFAULT CHARSET=latin1");
  EXPECT_EQ(partitioning_of("CREATE TABLE `t` (\n  `id` int(11) NOT NULL\n) ENGINE=InnoDB\n PARTITION BY RANGE (`id`)\n"
                            "(PARTITION `p0` VALUES LESS THAN (10) ENGINE = InnoDB)"),
            "PARTITION BY RANGE (`id`)\n(PARTITION `p0` VALUES LESS THAN (10) ENGINE = InnoDB)");
  EXPECT_EQ(partitioning_of("CREATE TABLE `t` (\n  `id` int(11) NOT NULL\n) ENGINE=InnoDB"), "");
  EXPECT_EQ(with_database("CREATE TABLE `t` (\n  `t` int\n)", "CREATE TABLE", "shop", "t"),
            "CREATE TABLE `shop`.`t` (\n  `t` int\n)");
  EXPECT_EQ(with_database("CREATE AGGREGATE FUNCTION `f`(x INT)", "FUNCTION", "d`b", "f"),
            "CREATE AGGREGATE FUNCTION `d``b`.`f`(x INT)");
  EXPECT_EQ(enabled_as_on_primary("CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY ON COMPLETION NOT PRESERVE DISABLE ON "
                                  "SLAVE DO SELECT 1"),
            "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY ON COMPLETION NOT PRESERVE ENABLE DO SELECT 1");
  EXPECT_EQ(compact_sql("  SELECT\n\t 'a  b' ,  `x  y`\n "), "SELECT 'a  b' , `x  y`");
  EXPECT_EQ(compact_sql("SELECT 'it''s  \\'  two'  x"), "SELECT 'it''s  \\'  two' x");
  EXPECT_EQ(with_database_in_calls("CREATE VIEW `db`.`v` AS select `dbl`(`db`.`t`.`id`) AS `d`,`x`.`dbl`(1) AS `e`,"
                                   "'`dbl`(' AS `s`,`udf`(2) AS `u` from `db`.`t`",
                                   "db", {"dbl"}),
            "CREATE VIEW `db`.`v` AS select `db`.`dbl`(`db`.`t`.`id`) AS `d`,`x`.`dbl`(1) AS `e`,"
            "'`dbl`(' AS `s`,`udf`(2) AS `u` from `db`.`t`");
  EXPECT_TRUE(mentions_name("select `db`.`v1`.`id` from `db`.`v1`", "v1"));
  EXPECT_FALSE(mentions_name("select `db`.`v10`.`id` from `db`.`v10`", "v1"));
  EXPECT_EQ(sql_string("it's a \\ path"), "'it''s a \\\\ path'");
}

TEST(SchemaText, ForeignKeysLeftOutOfACreateTable) {
  const std::string create =
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a` int(11),\n  PRIMARY KEY (`id`),\n"
      "  CONSTRAINT `fk_a` FOREIGN KEY (`a`) REFERENCES `p` (`id`),\n"
      "  CONSTRAINT `fk_b` FOREIGN KEY (`a`) REFERENCES `q` (`id`)\n) ENGINE=InnoDB";
  EXPECT_EQ(without_foreign_keys(create, {"fk_b"}),
            "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a` int(11),\n  PRIMARY KEY (`id`),\n"
            "  CONSTRAINT `fk_a` FOREIGN KEY (`a`) REFERENCES `p` (`id`)\n) ENGINE=InnoDB");
  EXPECT_EQ(without_foreign_keys(create, {"fk_a", "fk_b"}),
            "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a` int(11),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB");
}

}  // namespace
}  // namespace weft::ops
