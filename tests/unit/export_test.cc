// EXPORT/IMPORT's pure parts: chunk files (zstd + SHA-256, corruption found), the manifest's
// JSON both ways, and the export_dir fence.
#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

#include "ops/chunk_file.h"
#include "ops/clone_provision.h"
#include "ops/database_rename.h"
#include "ops/export_manifest.h"
#include "ops/export_path.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

namespace fs = std::filesystem;

struct temp_dir {
  fs::path path;
  temp_dir() {
    char name[] = "/tmp/weft-export-test-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~temp_dir() { fs::remove_all(path); }
};

TEST(ChunkFile, RoundTripsAndDigestsTheUncompressedBytes) {
  temp_dir dir;
  const auto file = dir.path / "t.00001.sql.zst";
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "INSERT INTO t VALUES (" + std::to_string(i) + ", 'x');\n";
  content += std::string("\0\xff binary", 9);
  chunk_writer w(file);
  ASSERT_TRUE(w.write(content.substr(0, 1000)));
  ASSERT_TRUE(w.write(content.substr(1000)));
  const auto written = w.finish();
  ASSERT_TRUE(written) << w.error();
  EXPECT_EQ(written->bytes, content.size());
  EXPECT_EQ(written->sha256.size(), 64u);
  EXPECT_FALSE(fs::exists(dir.path / "t.00001.sql.zst.part"));
  EXPECT_LT(w.compressed_bytes(), content.size() / 5);  // it compressed
  chunk_digest read_digest;
  std::string why;
  const auto back = read_chunk(file, read_digest, why);
  ASSERT_TRUE(back) << why;
  EXPECT_EQ(*back, content);
  EXPECT_EQ(read_digest, *written);
}

TEST(ChunkFile, ACutOrCorruptFileIsRefused) {
  temp_dir dir;
  const auto file = dir.path / "c.zst";
  chunk_writer w(file);
  w.write(std::string(100000, 'a') + "tail");
  ASSERT_TRUE(w.finish());
  const auto size = fs::file_size(file);
  chunk_digest d;
  std::string why;
  fs::resize_file(file, size - 3);
  EXPECT_FALSE(read_chunk(file, d, why));
  EXPECT_NE(why.find("cut short"), std::string::npos) << why;
  std::ofstream(file, std::ios::binary) << "not zstd at all";
  EXPECT_FALSE(read_chunk(file, d, why));
  EXPECT_NE(why.find("not a valid zstd file"), std::string::npos) << why;
  EXPECT_FALSE(read_chunk(dir.path / "missing.zst", d, why));
  EXPECT_NE(why.find("cannot open"), std::string::npos) << why;
}

TEST(ChunkFile, AnUnfinishedWriterLeavesNoFile) {
  temp_dir dir;
  {
    chunk_writer w(dir.path / "x.zst");
    w.write("abc");
  }
  EXPECT_TRUE(fs::is_empty(dir.path));
  chunk_writer nowhere(dir.path / "no" / "such" / "dir.zst");
  EXPECT_FALSE(nowhere.ok());
  EXPECT_NE(nowhere.error().find("cannot create"), std::string::npos);
}

TEST(ExportManifest, JsonRoundTrip) {
  export_manifest m;
  m.source = "127.0.0.1:23306";
  m.server_version = "10.11.19-MariaDB-log";
  m.gtid_position = "0-1-42,1-2-7";
  m.snapshot = "BACKUP STAGE BLOCK_COMMIT";
  m.commit_pause_ms = 1.5;
  m.started_at = "2026-12-02T23:00:00Z";
  manifest_database d{"shop", "utf8mb4_general_ci", {"CREATE TABLE `t` (\n  `id` int\n)"}, {"CREATE VIEW v AS SELECT 1"}, {}};
  d.tables.push_back({"t", "CREATE TABLE `t` (\"quoted\" \\ é)", {"id", "v"}, 3, {{"shop/t.00001.sql.zst", 3, {120, "ab12"}}}});
  m.databases.push_back(d);
  const auto parsed = parse_manifest(to_json(m));
  ASSERT_TRUE(std::holds_alternative<export_manifest>(parsed)) << std::get<std::string>(parsed);
  const auto& back = std::get<export_manifest>(parsed);
  EXPECT_EQ(to_json(back), to_json(m));
  ASSERT_EQ(back.databases.size(), 1u);
  EXPECT_EQ(back.databases[0].tables[0].definition, d.tables[0].definition);
  EXPECT_EQ(back.databases[0].tables[0].chunks[0].digest.bytes, 120u);
  EXPECT_EQ(back.commit_pause_ms, 1.5);
}

TEST(ExportManifest, RefusesWhatIsNotOne) {
  EXPECT_NE(std::get<std::string>(parse_manifest("{nope")).find("not JSON"), std::string::npos);
  EXPECT_NE(std::get<std::string>(parse_manifest("{\"weft_export\": 9}")).find("version 1"), std::string::npos);
  auto text = to_json(export_manifest{});
  text.replace(text.find("\"source\""), 8, "\"sauce\"");
  EXPECT_EQ(std::get<std::string>(parse_manifest(text)), "manifest.json lacks source");
}

TEST(ExportPath, OnlyInsideTheExportDir) {
  temp_dir dir;
  fs::create_directory(dir.path / "in");
  fs::create_symlink("/etc", dir.path / "out_link");
  const auto base = fs::canonical(dir.path).string();
  const auto ok = [&](const std::string& name) { return std::holds_alternative<fs::path>(export_path(base, name)); };
  EXPECT_TRUE(ok("backup1"));
  EXPECT_TRUE(ok("in/nightly"));
  EXPECT_TRUE(ok(base + "/abs"));
  EXPECT_FALSE(ok("../escape"));
  EXPECT_FALSE(ok("in/../../escape"));
  EXPECT_FALSE(ok("/etc"));
  EXPECT_FALSE(ok("out_link/x"));
  EXPECT_FALSE(ok("."));
  EXPECT_FALSE(ok(""));
  EXPECT_NE(std::get<std::string>(export_path("", "x")).find("export_dir"), std::string::npos);
  EXPECT_EQ(std::get<fs::path>(export_path(base, "in/../b")), fs::path(base) / "b");
}

}  // namespace
}  // namespace weft::ops

namespace weft::ops {
namespace {

TEST(DatabaseRename, OnlyQualifiersAreRenamed) {
  EXPECT_EQ(with_database_renamed("CREATE TABLE `shop`.`t` (`shop` int, c varchar(9) DEFAULT '`shop`.x')", "shop", "copy"),
            "CREATE TABLE `copy`.`t` (`shop` int, c varchar(9) DEFAULT '`shop`.x')");
  EXPECT_EQ(with_database_renamed("CREATE VIEW `shop`.`v` AS select `shop`.`t`.`id` AS `id` from `shop`.`t` /* `shop`.t */",
                                  "shop", "copy"),
            "CREATE VIEW `copy`.`v` AS select `copy`.`t`.`id` AS `id` from `copy`.`t` /* `shop`.t */");
  EXPECT_EQ(with_database_renamed("ALTER TABLE `shop`.`c` ADD FOREIGN KEY (p) REFERENCES `other`.`p` (id)", "shop", "we`ird"),
            "ALTER TABLE `we``ird`.`c` ADD FOREIGN KEY (p) REFERENCES `other`.`p` (id)");
  EXPECT_EQ(with_database_renamed("CREATE TRIGGER shop.tr BEFORE INSERT ON shop.t FOR EACH ROW SET NEW.x = 'shop.'", "shop", "b"),
            "CREATE TRIGGER `b`.tr BEFORE INSERT ON `b`.t FOR EACH ROW SET NEW.x = 'shop.'");
}

}  // namespace
}  // namespace weft::ops

#include "admin/export_grammar.h"

namespace weft::ops {
namespace {

using admin::parse_export_command;

TEST(ExportGrammar, ExportForms) {
  const auto p = parse_export_command(
      "EXPORT DATABASE shop, crm FROM PRIMARY OF GROUP main TO 'nightly/x' DATA ONLY WITH REPLICATION INFO PARALLEL 3 ASYNC;");
  ASSERT_TRUE(p && p->error.empty()) << (p ? p->error : "not parsed");
  const auto& e = std::get<export_command>(p->command);
  EXPECT_EQ(e.databases, (std::vector<std::string>{"shop", "crm"}));
  EXPECT_EQ(e.from, (server_ref{server_ref::kind::primary_of_group, "main"}));
  EXPECT_EQ(e.to, "nightly/x");
  EXPECT_FALSE(e.definitions);
  EXPECT_TRUE(e.data && e.replication_info && e.async);
  EXPECT_EQ(e.parallel, 3u);
  for (const char* all : {"EXPORT ALL DATABASES FROM '127.0.0.1:3306' TO 'a'", "export database all from '127.0.0.1:3306' to 'a'"}) {
    const auto q = parse_export_command(all);
    ASSERT_TRUE(q && q->error.empty()) << all;
    EXPECT_TRUE(std::get<export_command>(q->command).all) << all;
  }
  EXPECT_EQ(std::get<export_command>(parse_export_command("EXPORT DATABASE d FROM REPLICA '127.0.0.1:1' TO 'x' FORMAT CSV")->command).format,
            export_format::csv);
}

TEST(ExportGrammar, ImportForms) {
  const auto p = parse_export_command(
      "IMPORT FROM 'full' INTO REPLICA '127.0.0.1:23307' DATABASE a AS b, DATABASE c AS d, e AS f PARALLEL 2 "
      "WITHOUT BINLOG DRY RUN OVERWRITE WITH REPLICATION INFO AS REPLICA OF PRIMARY OF GROUP main ASYNC");
  ASSERT_TRUE(p && p->error.empty()) << (p ? p->error : "not parsed");
  const auto& i = std::get<import_command>(p->command);
  EXPECT_EQ(i.from, "full");
  EXPECT_EQ(i.into, (server_ref{server_ref::kind::replica, "127.0.0.1:23307"}));
  EXPECT_EQ(i.renames, (std::vector<std::pair<std::string, std::string>>{{"a", "b"}, {"c", "d"}, {"e", "f"}}));
  EXPECT_TRUE(i.without_binlog && i.dry_run && i.overwrite && i.replication_info && i.async);
  EXPECT_EQ(i.parallel, 2u);
  EXPECT_EQ(i.replica_of, (server_ref{server_ref::kind::primary_of_group, "main"}));
}

// The escaper skips 16 plain bytes at a time: every special byte, wherever it falls in or across
// a block, is escaped as the byte-by-byte rule says.
TEST(EscapedBytes, SameAsByteByByteAtEveryPosition) {
  const auto reference = [](std::string_view bytes) {
    std::string out = "'";
    for (const char c : bytes) {
      switch (c) {
        case '\0': out += "\\0"; break;
        case '\'': out += "\\'"; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\x1a': out += "\\Z"; break;
        default: out += c;
      }
    }
    return out + "'";
  };
  const std::string alphabet("ab9-\xc3\xa9\xff\x80\x1f\t\"\0\'\\\n\r\x1a", 17);
  std::uint32_t seed = 7;
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(static_cast<std::size_t>(round % 70), 'x');
    for (auto& c : bytes) {
      seed = seed * 1103515245u + 12345u;
      c = (seed >> 16) % 5 ? 'x' : alphabet[(seed >> 8) % alphabet.size()];
    }
    std::string out;
    append_escaped_bytes(out, bytes);
    ASSERT_EQ(out, reference(bytes)) << "round " << round;
  }
}

TEST(ExportGrammar, CloneNewForms) {
  const auto p = parse_export_command("CLONE SERVER NEW FROM GROUP main ASYNC");
  ASSERT_TRUE(p && p->error.empty()) << (p ? p->error : "not parsed");
  EXPECT_EQ(std::get<clone_command>(p->command), (clone_command{"", "main", "", true, true}));
  const auto q = parse_export_command("CLONE SERVER NEW '127.0.0.1:23317' FROM GROUP main USING '127.0.0.1:23307'");
  ASSERT_TRUE(q && q->error.empty()) << (q ? q->error : "not parsed");
  EXPECT_EQ(std::get<clone_command>(q->command), (clone_command{"127.0.0.1:23317", "main", "127.0.0.1:23307", false, true}));
  for (const char* bad : {"CLONE SERVER NEW", "CLONE SERVER NEW 'x' FROM GROUP g", "CLONE SERVER NEW GROUP g"}) {
    const auto r = parse_export_command(bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_NE(r->error.find("usage: CLONE SERVER"), std::string::npos) << bad;
  }
}

TEST(CloneProvision, PrintedAddressIsTheLastLine) {
  EXPECT_EQ(printed_address("making it...\n127.0.0.1:23317\n"), routing::parse_endpoint("127.0.0.1:23317"));
  EXPECT_EQ(printed_address("  db7.example:3306  \r\n\n"), routing::parse_endpoint("db7.example:3306"));
  EXPECT_FALSE(printed_address("127.0.0.1:23317\ndone\n"));
  EXPECT_FALSE(printed_address(""));
}

TEST(ExportGrammar, CloneForms) {
  const auto p = parse_export_command("CLONE SERVER '127.0.0.1:23311' FROM GROUP main USING '127.0.0.1:23307' ASYNC;");
  ASSERT_TRUE(p && p->error.empty()) << (p ? p->error : "not parsed");
  EXPECT_EQ(std::get<clone_command>(p->command), (clone_command{"127.0.0.1:23311", "main", "127.0.0.1:23307", true}));
  const auto q = parse_export_command("clone server 'localhost:3307' from group `g 1`");
  ASSERT_TRUE(q && q->error.empty()) << (q ? q->error : "not parsed");
  EXPECT_EQ(std::get<clone_command>(q->command), (clone_command{"localhost:3307", "g 1", "", false}));
  for (const char* bad : {"CLONE SERVER 'nowhere' FROM GROUP g", "CLONE '127.0.0.1:1' FROM GROUP g", "CLONE SERVER '127.0.0.1:1'",
                          "CLONE SERVER '127.0.0.1:1' FROM GROUP g USING 'x'", "CLONE SERVER '127.0.0.1:1' FROM GROUP g junk"}) {
    const auto r = parse_export_command(bad);
    ASSERT_TRUE(r.has_value()) << bad;
    EXPECT_NE(r->error.find("usage: CLONE SERVER"), std::string::npos) << bad;
  }
}

TEST(ExportGrammar, MistakesGetTheUsage) {
  for (const char* bad : {"EXPORT DATABASE d FROM PRIMARY OF GROUP g", "EXPORT DATABASE d TO 'x'", "EXPORT d FROM 'h:1' TO 'x'",
                          "EXPORT DATABASE d FROM 'h:1' TO 'x' PARALLEL 0", "EXPORT DATABASE d FROM 'h:1' TO 'x' PARALLEL 99",
                          "EXPORT DATABASE d FROM 'h:1' TO 'x' DEFINITIONS ONLY DATA ONLY", "EXPORT DATABASE d FROM 'h:1' TO 'x' junk",
                          "IMPORT 'x' INTO 'h:1'", "IMPORT FROM 'x'", "IMPORT FROM 'x' INTO 'h:1' DATABASE a", "IMPORT FROM 'x' INTO 'h:1' DRY"}) {
    const auto p = parse_export_command(bad);
    ASSERT_TRUE(p.has_value()) << bad;
    EXPECT_NE(p->error.find("usage: "), std::string::npos) << bad;
  }
  EXPECT_FALSE(parse_export_command("SELECT 1"));
  EXPECT_FALSE(parse_export_command("EXPORTS"));
}

}  // namespace
}  // namespace weft::ops

#include "ops/sql_values.h"

namespace weft::ops {
namespace {

TEST(EscapedBytes, NoRawNewlineAndEveryByteKept) {
  EXPECT_EQ(escaped_bytes(std::string("a'b\\c\nd\re\x1a" "f\0g\xe9", 14)), std::string("'a\\'b\\\\c\\nd\\re\\Zf\\0g\xe9'"));
  EXPECT_EQ(escaped_bytes(""), "''");
}

}  // namespace
}  // namespace weft::ops

#include "ops/delimited_text.h"

namespace weft::ops {
namespace {

using monitor::value_kind;
using monitor::value_view;

// Columns: a number, a string, bytes, a BIT(16), a DECIMAL; rows with every byte LOAD DATA
// treats specially, NULL, the empty string and the texts that look like NULL.
std::string delimited(export_format f) {
  delimited_writer w(f);
  w.columns({{"id", value_kind::integer}, {"s", value_kind::binary}, {"b", value_kind::binary},
             {"bit", value_kind::bit}, {"d", value_kind::decimal}});
  const std::string nul_bytes("x\0y", 3);
  w.row({value_view("1"), value_view("tab\there, \"q\" back\\slash"), value_view(nul_bytes), value_view("\x01\x02"),
         value_view("-0.50")});
  w.row({value_view("2"), value_view("line\nbreak\r\n"), value_view(""), value_view(std::string_view("\0", 1)),
         std::nullopt});
  w.row({value_view("3"), value_view("NULL"), value_view("\\N"), std::nullopt, value_view("1e-7")});
  EXPECT_EQ(w.rows(), 3u);
  return w.finish();
}

TEST(ExportDelimited, TsvIsLoadDataDefaults) {
  EXPECT_EQ(delimited(export_format::tsv),
            "1\ttab\\there, \"q\" back\\\\slash\tx\\0y\t258\t-0.50\n"
            "2\tline\\nbreak\\r\\n\t\t0\t\\N\n"
            "3\tNULL\t\\\\N\t\\N\t1e-7\n");
}

TEST(ExportDelimited, CsvEnclosesStringsOnly) {
  EXPECT_EQ(delimited(export_format::csv),
            "1,\"tab\\there, \\\"q\\\" back\\\\slash\",\"x\\0y\",258,-0.50\n"
            "2,\"line\\nbreak\\r\\n\",\"\",0,\\N\n"
            "3,\"NULL\",\"\\\\N\",\\N,1e-7\n");
}

TEST(ExportDelimited, BitIsItsUnsignedInteger) {
  delimited_writer w(export_format::tsv);
  w.columns({{"b", value_kind::bit}});
  w.row({value_view("\xff\xff\xff\xff\xff\xff\xff\xff")});
  w.row({value_view("\x05")});
  EXPECT_EQ(w.finish(), "18446744073709551615\n5\n");
}

TEST(ExportDelimited, LoadDataReadsWhatTheWriterWrote) {
  EXPECT_EQ(load_data_statement(export_format::tsv, "1-d/1-t.00001.tsv.zst", "d", "t", {"id", "s"}, {}),
            "LOAD DATA LOCAL INFILE '1-d/1-t.00001.tsv.zst' INTO TABLE `d`.`t` CHARACTER SET binary "
            "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (`id`, `s`)");
  EXPECT_EQ(load_data_statement(export_format::csv, "f", "d", "t`x", {"id", "b", "c", "b2"}, {"b", "b2"}),
            "LOAD DATA LOCAL INFILE 'f' INTO TABLE `d`.`t``x` CHARACTER SET binary "
            "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' "
            "(`id`, @c2, `c`, @c4) SET `b` = CAST(@c2 AS UNSIGNED), `b2` = CAST(@c4 AS UNSIGNED)");
}

TEST(ExportDelimited, FormatNames) {
  for (const auto f : {export_format::sql, export_format::csv, export_format::tsv}) EXPECT_EQ(format_named(format_name(f)), f);
  EXPECT_EQ(format_name(export_format::tsv), "tsv");
  EXPECT_FALSE(format_named("xml"));
}

}  // namespace
}  // namespace weft::ops
