#include "admin/export_grammar.h"

#include <charconv>

#include "admin/admin_words.h"
#include "admin/compare_grammar.h"
#include "routing/topology.h"

namespace weft::admin {
namespace {

using ops::export_command;
using ops::import_command;

constexpr const char* export_usage =
    "EXPORT DATABASE db [, db ...] | EXPORT ALL DATABASES  FROM server TO 'dir' [FORMAT SQL | CSV | TSV] "
    "[DEFINITIONS ONLY | DATA ONLY] [WITH REPLICATION INFO] [WITH USERS] [PARALLEL n] [ASYNC]; server: 'host:port', "
    "PRIMARY OF GROUP g or REPLICA 'host:port'";
constexpr const char* import_usage =
    "IMPORT FROM 'dir' INTO server [DATABASE a AS b [, DATABASE c AS d ...]] [PARALLEL n] [WITHOUT BINLOG] "
    "[DRY RUN] [OVERWRITE] [WITH REPLICATION INFO] [WITH USERS] [AS REPLICA OF server] [ASYNC]";

constexpr const char* clone_usage =
    "CLONE SERVER 'host:port' | CLONE SERVER NEW ['host:port'] FROM GROUP g [USING 'host:port'] [ASYNC]";

export_parse usage(const char* text) { return {std::monostate{}, std::string("weft admin: usage: ") + text}; }

bool count(cursor& r, unsigned& out) {
  const auto text = r.value();
  if (!text) return false;
  unsigned n = 0;
  const auto [end, failed] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (failed != std::errc() || end != text->data() + text->size() || n < 1 || n > 64) return false;
  out = n;
  return true;
}

// WITH REPLICATION INFO | WITH USERS, in EXPORT and IMPORT alike.
bool with_option(cursor& r, bool& replication_info, bool& users) {
  if (r.accept("USERS")) return users = true;
  return r.accept("REPLICATION") && r.accept("INFO") && (replication_info = true);
}

bool export_option(cursor& r, export_command& c) {
  if (r.accept("FORMAT")) {
    if (r.accept("SQL")) return c.format = ops::export_format::sql, true;
    if (r.accept("CSV")) return c.format = ops::export_format::csv, true;
    if (r.accept("TSV")) return c.format = ops::export_format::tsv, true;
    return false;
  }
  if (r.accept("DEFINITIONS")) return r.accept("ONLY") && !(c.data = false);
  if (r.accept("DATA")) return r.accept("ONLY") && !(c.definitions = false);
  if (r.accept("WITH")) return with_option(r, c.replication_info, c.users);
  if (r.accept("PARALLEL")) return count(r, c.parallel);
  if (r.accept("ASYNC")) return c.async = true;
  return false;
}

export_parse parse_export(cursor& r) {
  export_command c;
  if (r.accept("ALL")) {
    c.all = true;
    if (!r.accept("DATABASES")) r.accept("DATABASE");
  } else if (r.accept("DATABASE") || r.accept("DATABASES")) {
    if (r.accept("ALL")) {
      c.all = true;
    } else {
      do {
        auto db = r.value();
        if (!db || db->empty()) return usage(export_usage);
        c.databases.push_back(*db);
      } while (r.accept(","));
    }
  } else {
    return usage(export_usage);
  }
  if (!r.accept("FROM")) return usage(export_usage);
  auto from = parse_server_ref(r);
  if (!from || !r.accept("TO")) return usage(export_usage);
  c.from = *from;
  auto to = r.value();
  if (!to || to->empty()) return usage(export_usage);
  c.to = *to;
  while (!r.at_end() && !r.accept(";")) {
    if (!export_option(r, c)) return usage(export_usage);
  }
  if (!r.at_end() || (!c.data && !c.definitions)) return usage(export_usage);
  return {std::move(c), {}};
}

// a AS b [, [DATABASE] c AS d ...]
bool renames(cursor& r, import_command& c) {
  do {
    auto from = r.value();
    if (!from || from->empty() || !r.accept("AS")) return false;
    auto to = r.value();
    if (!to || to->empty()) return false;
    c.renames.emplace_back(*from, *to);
  } while (r.accept(",") && (r.accept("DATABASE") || true));
  return true;
}

bool import_option(cursor& r, import_command& c) {
  if (r.accept("DATABASE")) return renames(r, c);
  if (r.accept("PARALLEL")) return count(r, c.parallel);
  if (r.accept("WITHOUT")) return r.accept("BINLOG") && (c.without_binlog = true);
  if (r.accept("DRY")) return r.accept("RUN") && (c.dry_run = true);
  if (r.accept("OVERWRITE")) return c.overwrite = true;
  if (r.accept("WITH")) return with_option(r, c.replication_info, c.users);
  if (r.accept("AS")) {
    if (!r.accept("REPLICA") || !r.accept("OF")) return false;
    c.replica_of = parse_server_ref(r);
    return c.replica_of.has_value();
  }
  if (r.accept("ASYNC")) return c.async = true;
  return false;
}

export_parse parse_import(cursor& r) {
  import_command c;
  if (!r.accept("FROM")) return usage(import_usage);
  auto from = r.value();
  if (!from || from->empty() || !r.accept("INTO")) return usage(import_usage);
  c.from = *from;
  auto into = parse_server_ref(r);
  if (!into) return usage(import_usage);
  c.into = *into;
  while (!r.at_end() && !r.accept(";")) {
    if (!import_option(r, c)) return usage(import_usage);
  }
  if (!r.at_end()) return usage(import_usage);
  return {std::move(c), {}};
}

export_parse parse_clone(cursor& r) {
  ops::clone_command c;
  if (!r.accept("SERVER")) return usage(clone_usage);
  c.create = r.accept("NEW");
  // NEW may leave the address to [provision] create_command, which then prints it.
  if (!c.create || !r.accept("FROM")) {
    const auto server = r.value();
    const auto address = server ? routing::parse_endpoint(*server) : std::nullopt;
    if (!address || !r.accept("FROM")) return usage(clone_usage);
    c.server = address->to_string();
  }
  if (!r.accept("GROUP")) return usage(clone_usage);
  auto group = r.value();
  if (!group || group->empty()) return usage(clone_usage);
  c.group = *group;
  while (!r.at_end() && !r.accept(";")) {
    if (r.accept("ASYNC")) {
      c.async = true;
      continue;
    }
    auto donor = r.accept("USING") ? r.value() : std::nullopt;
    const auto donor_address = donor ? routing::parse_endpoint(*donor) : std::nullopt;
    if (!donor_address) return usage(clone_usage);
    c.donor = donor_address->to_string();
  }
  if (!r.at_end()) return usage(clone_usage);
  return {std::move(c), {}};
}

}  // namespace

std::optional<export_parse> parse_export_command(std::string_view sql) {
  const auto w = words_of(sql);
  cursor r(w);
  if (r.accept("EXPORT")) return parse_export(r);
  if (r.accept("IMPORT")) return parse_import(r);
  if (r.accept("CLONE")) return parse_clone(r);
  return std::nullopt;
}

}  // namespace weft::admin
