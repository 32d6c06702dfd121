#include "ops/export_manifest.h"

#include <boost/json/src.hpp>  // Boost.JSON, header-only: compiled in this one file

namespace weft::ops {
namespace {

namespace json = boost::json;

json::array strings(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

json::object table_json(const manifest_table& t) {
  json::array chunks;
  for (const auto& c : t.chunks) {
    chunks.push_back(json::object{{"file", c.file}, {"rows", c.rows}, {"bytes", c.digest.bytes}, {"sha256", c.digest.sha256}});
  }
  return {{"name", t.name}, {"definition", t.definition}, {"columns", strings(t.columns)}, {"rows", t.rows},
          {"chunks", std::move(chunks)}};
}

// Reading: every field is required and typed; the first one missing names itself.
struct reader {
  std::string missing;
  const json::value* at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v && missing.empty()) missing = std::string(key);
    return v;
  }
  std::string text(const json::object& o, std::string_view key) {
    const auto* v = at(o, key);
    if (v && v->is_string()) return std::string(v->get_string());
    if (v && missing.empty()) missing = std::string(key) + " (not a string)";
    return {};
  }
  std::uint64_t number(const json::object& o, std::string_view key) {
    const auto* v = at(o, key);
    if (v && v->is_uint64()) return v->get_uint64();
    if (v && v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
    if (v && missing.empty()) missing = std::string(key) + " (not a count)";
    return 0;
  }
  const json::array& list(const json::object& o, std::string_view key) {
    static const json::array none;
    const auto* v = at(o, key);
    if (v && v->is_array()) return v->get_array();
    if (v && missing.empty()) missing = std::string(key) + " (not a list)";
    return none;
  }
  const json::object& object(const json::value& v, std::string_view what) {
    static const json::object none;
    if (v.is_object()) return v.get_object();
    if (missing.empty()) missing = std::string(what) + " (not an object)";
    return none;
  }
  std::vector<std::string> texts(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    for (const auto& v : list(o, key)) {
      if (v.is_string()) out.emplace_back(v.get_string());
      else if (missing.empty()) missing = std::string(key) + " (not strings)";
    }
    return out;
  }
};

manifest_table read_table(reader& r, const json::object& o) {
  manifest_table t{r.text(o, "name"), r.text(o, "definition"), r.texts(o, "columns"), r.number(o, "rows"), {}};
  for (const auto& c : r.list(o, "chunks")) {
    const auto& co = r.object(c, "chunk");
    t.chunks.push_back({r.text(co, "file"), r.number(co, "rows"), {r.number(co, "bytes"), r.text(co, "sha256")}});
  }
  return t;
}

}  // namespace

std::string to_json(const export_manifest& m) {
  json::array databases;
  for (const auto& d : m.databases) {
    json::array tables;
    for (const auto& t : d.tables) tables.push_back(table_json(t));
    databases.push_back(json::object{{"name", d.name}, {"collation", d.collation}, {"before_data", strings(d.before_data)},
                                     {"after_data", strings(d.after_data)}, {"tables", std::move(tables)}});
  }
  json::object root{{"weft_export", manifest_version}, {"source", m.source}, {"server_version", m.server_version},
                          {"gtid_position", m.gtid_position}, {"binlog_file", m.binlog_file},
                          {"binlog_position", m.binlog_position}, {"snapshot", m.snapshot},
                          {"commit_pause_ms", m.commit_pause_ms}, {"data_format", m.data_format},
                          {"definitions", m.definitions}, {"data", m.data}, {"started_at", m.started_at},
                          {"finished_at", m.finished_at}, {"databases", std::move(databases)}};
  if (!m.users.empty()) {
    json::array users;
    for (const auto& u : m.users) users.push_back(json::object{{"account", u.account}, {"statements", strings(u.statements)}});
    root["users"] = std::move(users);
  }
  return json::serialize(root) + "\n";
}

std::variant<export_manifest, std::string> parse_manifest(std::string_view text) {
  boost::system::error_code failed;
  const auto value = json::parse(text, failed);
  if (failed || !value.is_object()) return "manifest.json is not JSON: " + (failed ? failed.message() : "not an object");
  const auto& o = value.get_object();
  const auto* version = o.if_contains("weft_export");
  if (!version || !version->is_int64() || version->get_int64() != manifest_version) {
    return "manifest.json is not a weft export of version " + std::to_string(manifest_version);
  }
  reader r;
  export_manifest m;
  m.source = r.text(o, "source");
  m.server_version = r.text(o, "server_version");
  m.gtid_position = r.text(o, "gtid_position");
  m.binlog_file = r.text(o, "binlog_file");
  m.binlog_position = r.number(o, "binlog_position");
  m.snapshot = r.text(o, "snapshot");
  m.data_format = r.text(o, "data_format");
  const auto* pause = r.at(o, "commit_pause_ms");
  m.commit_pause_ms = pause && pause->is_number() ? pause->to_number<double>() : 0;
  const auto* defs = r.at(o, "definitions");
  const auto* data = r.at(o, "data");
  m.definitions = defs && defs->is_bool() && defs->get_bool();
  m.data = data && data->is_bool() && data->get_bool();
  m.started_at = r.text(o, "started_at");
  m.finished_at = r.text(o, "finished_at");
  for (const auto& d : r.list(o, "databases")) {
    const auto& dobj = r.object(d, "database");
    manifest_database db{r.text(dobj, "name"), r.text(dobj, "collation"), r.texts(dobj, "before_data"),
                         r.texts(dobj, "after_data"), {}};
    for (const auto& t : r.list(dobj, "tables")) db.tables.push_back(read_table(r, r.object(t, "table")));
    m.databases.push_back(std::move(db));
  }
  if (o.contains("users")) {
    for (const auto& u : r.list(o, "users")) {
      const auto& uo = r.object(u, "user");
      m.users.push_back({r.text(uo, "account"), r.texts(uo, "statements")});
    }
  }
  if (!r.missing.empty()) return "manifest.json lacks " + r.missing;
  return m;
}

}  // namespace weft::ops
