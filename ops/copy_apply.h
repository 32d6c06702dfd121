// Applying a copy on a server, shared by IMPORT (from files) and CLONE (streamed): the
// definitions before and after the rows, and one chunk's INSERTs as one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/mariadb_client.h"
#include "ops/export_manifest.h"

namespace weft::ops {

// The statements that create a database's definitions in `target` (renamed from the export's
// name where they differ): before the rows (the database, tables, sequences, foreign keys;
// with `drop_tables_first`, the tables dropped first), or after them (views, routines,
// triggers, events).
std::vector<std::string> definition_statements(const manifest_database& d, const std::string& target, bool after_data,
                                               bool drop_tables_first);

// Runs them in order; an object that already exists is kept. Error text naming the statement.
std::optional<std::string> run_statements(monitor::mariadb_client& server, const std::vector<std::string>& statements);

// One chunk: its INSERTs (one per line) in one transaction, committed only if they inserted
// exactly `rows` rows. Error text on failure (rolled back).
std::optional<std::string> apply_chunk(monitor::mariadb_client& server, std::string_view statements, std::uint64_t rows);

// What every loading session sets: no FK or unique checks (the source held them), UTC (the
// export wrote TIMESTAMPs in UTC), id 0 kept as 0, backslash escapes on, strings stored as the
// bytes sent (SET NAMES binary: the chunks hold each column's own bytes, so the server neither
// converts nor re-checks them); sql_log_bin = 0 when `without_binlog`.
bool prepare_loading_session(monitor::mariadb_client& server, bool without_binlog);

}  // namespace weft::ops
