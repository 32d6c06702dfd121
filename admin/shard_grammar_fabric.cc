// MySQL Fabric's sharding commands as weft reads them: CALL sharding.NAME(arg, ...), with
// Fabric's argument orders (docs/design/sharding-facts.md), so old Fabric scripts keep working.
#include "admin/admin_words.h"
#include "admin/shard_grammar.h"

namespace weft::admin {
namespace {

shard_parse failure(std::string message) { return {std::nullopt, std::move(message)}; }

// The arguments between the parentheses; a '-' joins the number after it.
std::optional<std::vector<std::string>> call_arguments(const words& w, std::size_t open) {
  if (open >= w.size() || w.text[open] != "(") return std::nullopt;
  std::vector<std::string> args;
  std::size_t i = open + 1;
  for (; i < w.size() && w.text[i] != ")"; ++i) {
    if (w.text[i] == ",") continue;
    if (w.text[i] == "-" && i + 1 < w.size()) {
      args.push_back("-" + w.text[++i]);
      continue;
    }
    args.push_back(w.text[i]);
  }
  if (i + 1 != w.size()) return std::nullopt;
  return args;
}

// "grp1/lb1, grp2/lb2" (Fabric's one string; a HASH map's has no bounds).
std::vector<std::pair<std::string, std::string>> group_bound_list(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string item;
  const auto flush = [&] {
    const auto slash = item.find('/');
    if (!item.empty()) out.emplace_back(item.substr(0, slash), slash == std::string::npos ? "" : item.substr(slash + 1));
    item.clear();
  };
  for (const char ch : text) {
    if (ch == ',') {
      flush();
    } else if (ch != ' ' && ch != '\t') {
      item += ch;
    }
  }
  flush();
  return out;
}

struct form {
  const char* name;
  shard_verb verb;
  std::size_t min_args, max_args;
};

constexpr form forms[] = {
    {"create_definition", shard_verb::create_map, 2, 2}, {"remove_definition", shard_verb::drop_map, 1, 1},
    {"add_table", shard_verb::add_table, 3, 3},          {"remove_table", shard_verb::remove_table, 1, 1},
    {"add_shard", shard_verb::add_shard, 2, 3},          {"remove_shard", shard_verb::remove_shard, 1, 1},
    {"list_definitions", shard_verb::show_maps, 0, 0},   {"list_tables", shard_verb::show_tables, 0, 1},
    {"lookup_servers", shard_verb::lookup_servers, 2, 3},
};

// The arguments into the command, in Fabric's order for each form.
std::optional<std::string> fill(shard_command& c, const std::vector<std::string>& a) {
  switch (c.verb) {
    case shard_verb::create_map: c.type = a[0], c.group = a[1]; break;
    case shard_verb::drop_map: c.map = a[0]; break;
    case shard_verb::add_table: c.map = a[0], c.table = a[1], c.column = a[2]; break;
    case shard_verb::remove_table: c.table = a[0]; break;
    case shard_verb::add_shard:
      c.map = a[0];
      c.fabric_shards = group_bound_list(a[1]);
      if (c.fabric_shards.empty()) return "add_shard needs 'group/bound, ...'";
      if (a.size() > 2 && a[2] != "ENABLED" && a[2] != "enabled") {
        return "weft has no disabled shards: add them with state 'ENABLED'";
      }
      break;
    case shard_verb::remove_shard: c.shard_id = a[0]; break;
    case shard_verb::show_tables: c.type = a.empty() ? "" : a[0]; break;
    case shard_verb::lookup_servers:
      c.table = a[0], c.key = a[1];
      if (a.size() > 2 && a[2] != "LOCAL" && a[2] != "GLOBAL") return "Unknown lookup hint " + a[2];
      c.global = a.size() > 2 && a[2] == "GLOBAL";
      break;
    default: break;
  }
  return std::nullopt;
}

}  // namespace

// CALL sharding.NAME(...): nullopt for another group's CALL.
std::optional<shard_parse> parse_fabric_sharding(const words& w) {
  if (w.size() < 4 || w[1] != "SHARDING" || w.text[2] != ".") return std::nullopt;
  const std::string name = w.text[3];
  const auto args = call_arguments(w, 4);
  if (!args) return failure("weft admin: CALL sharding." + name + " needs balanced (arguments)");
  for (const auto& f : forms) {
    if (name != f.name) continue;
    if (args->size() < f.min_args || args->size() > f.max_args) {
      return failure("weft admin: CALL sharding." + name + " takes " + std::to_string(f.min_args) +
                     (f.max_args != f.min_args ? " to " + std::to_string(f.max_args) : "") + " argument(s)");
    }
    shard_command c;
    c.verb = f.verb;
    c.fabric_form = true;
    if (auto problem = fill(c, *args)) return failure("weft admin: CALL sharding." + name + ": " + *problem);
    return shard_parse{std::move(c), {}};
  }
  return failure("weft admin: unknown Fabric command sharding." + name +
                 "; there are create_definition, remove_definition, add_table, remove_table, add_shard, "
                 "remove_shard, list_definitions, list_tables, lookup_servers");
}

}  // namespace weft::admin
