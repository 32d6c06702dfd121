// IMPORT of one chunk of any format: INSERTs (apply_chunk), or delimited text through LOAD DATA
// LOCAL, the server reading the chunk's verified bytes from memory (never a file: weft's admin
// must not become a way to read weft's disk).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "monitor/mariadb_client.h"
#include "ops/export_command.h"
#include "ops/export_manifest.h"

namespace weft::ops {

// `content` (chunk `chunk` of `table`, decompressed and verified) into `database`.`table`, in
// the manifest's `data_format`, as one transaction committed only when it loaded exactly the
// chunk's rows; for csv/tsv also only when the server reported no warning (a value it cut or
// converted: LOAD DATA lets those pass). Error text on failure (rolled back).
std::optional<std::string> apply_export_chunk(monitor::mariadb_client& server, std::string_view data_format,
                                              const std::string& database, const manifest_table& table,
                                              const manifest_chunk& chunk, std::string_view content);

}  // namespace weft::ops
