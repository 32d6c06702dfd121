// The pieces of DDL DIFF SCHEMA writes from a schema model (pure): a column's definition, an
// index, a foreign key, a trigger, in the forms MariaDB prints and accepts.
#pragma once

#include <string>

#include "ops/schema_model.h"

namespace weft::ops {

// `c` varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL DEFAULT 'x' COMMENT '...'
std::string column_definition(const column_def& column);
// PRIMARY KEY (`a`), UNIQUE INDEX `u` (`b`(10) DESC), FULLTEXT INDEX `f` (`t`), INDEX `k` (`c`) USING HASH.
// `engine` decides which method is its default (HASH for MEMORY, else BTREE), left unsaid.
std::string index_definition(const index_def& index, const std::string& engine);
// CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `db`.`p` (`id`) ON DELETE CASCADE
std::string foreign_key_definition(const foreign_key_def& key, const std::string& database);
// CREATE TRIGGER `db`.`tr` BEFORE INSERT ON `db`.`t` FOR EACH ROW <body>
std::string trigger_statement(const trigger_def& trigger, const std::string& database);

}  // namespace weft::ops
