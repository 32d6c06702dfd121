#include "admin/ha_grammar.h"

#include <vector>

#include "admin/admin_words.h"
#include "routing/topology.h"

namespace weft::admin {
namespace {

ha_command command_for(ha_verb verb) {
  ha_command c;
  c.verb = verb;
  return c;
}

ha_parse failure(std::string message) { return {std::nullopt, std::move(message)}; }
ha_parse usage_error(const char* usage) { return failure(std::string("weft admin: usage: ") + usage); }

std::optional<std::string> endpoint_text(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const auto ep = routing::parse_endpoint(*text);
  return ep ? std::optional(ep->to_string()) : std::nullopt;
}

ha_parse finish(cursor& c, ha_command command, const char* usage) {
  if (!c.done()) return failure(std::string("weft admin: unexpected words; usage: ") + usage);
  return {std::move(command), {}};
}

// GROUP g (after the verb).
bool group_name(cursor& c, ha_command& command) {
  if (!c.accept("GROUP")) return false;
  auto g = c.value();
  if (!g || g->empty()) return false;
  command.group = *g;
  return true;
}

bool server_address(cursor& c, std::string& out) {
  auto ep = endpoint_text(c.value());
  if (!ep) return false;
  out = *ep;
  return true;
}

ha_parse parse_replicate(cursor& c) {
  static const char* usage =
      "REPLICATE 'host:port' FROM 'host:port' [USER 'user' PASSWORD 'password'] [START FROM BEGINNING | CURRENT]";
  ha_command command = command_for(ha_verb::replicate);
  if (!server_address(c, command.server) || !c.accept("FROM") || !server_address(c, command.source)) {
    return usage_error(usage);
  }
  if (c.accept("USER")) {
    auto user = c.value();
    if (!user || !c.accept("PASSWORD")) return usage_error(usage);
    auto password = c.value();
    if (!password) return usage_error(usage);
    command.user = *user;
    command.password = *password;
  }
  if (c.accept("START")) {
    if (!c.accept("FROM")) return usage_error(usage);
    if (c.accept("BEGINNING")) {
      command.start = replicate_start::beginning;
    } else if (c.accept("CURRENT")) {
      command.start = replicate_start::current;
    } else {
      return usage_error(usage);
    }
  }
  return finish(c, command, usage);
}

// CALL group.NAME('arg', ...)
std::optional<ha_parse> parse_fabric(const words& w) {
  if (w.size() < 4 || w[1] != "GROUP" || w.text[2] != ".") return std::nullopt;
  const std::string name = w.text[3];
  std::vector<std::string> args;
  std::size_t i = 4;
  if (i >= w.size() || w.text[i] != "(") return failure("weft admin: CALL group." + name + " needs (arguments)");
  for (++i; i < w.size() && w.text[i] != ")"; ++i) {
    if (w.text[i] != ",") args.push_back(w.text[i]);
  }
  if (i >= w.size() || i + 1 != w.size()) return failure("weft admin: CALL group." + name + ": unbalanced parentheses");
  ha_command command;
  command.fabric_form = true;
  struct form {
    const char* name;
    ha_verb verb;
    std::size_t min_args, max_args;  // group first, then a server
  };
  static const form forms[] = {
      {"create", ha_verb::create_group, 1, 2},  {"add", ha_verb::add_server, 2, 2},
      {"remove", ha_verb::remove_server, 2, 2}, {"promote", ha_verb::promote, 1, 2},
      {"demote", ha_verb::demote, 1, 1},        {"activate", ha_verb::activate, 1, 1},
      {"deactivate", ha_verb::deactivate, 1, 1}, {"health", ha_verb::group_health, 1, 1},
      {"lookup_servers", ha_verb::group_servers, 1, 1}, {"lookup_groups", ha_verb::show_groups, 0, 1},
  };
  for (const auto& f : forms) {
    if (name != f.name) continue;
    if (args.size() < f.min_args || args.size() > f.max_args) {
      return failure("weft admin: CALL group." + name + " takes " + std::to_string(f.min_args) +
                     (f.max_args != f.min_args ? " to " + std::to_string(f.max_args) : "") + " argument(s)");
    }
    command.verb = f.verb;
    if (!args.empty()) command.group = args[0];
    if (f.min_args > 0 && command.group.empty()) {  // as weft's own form: a group has a name
      return failure("weft admin: CALL group." + name + " needs a group name");
    }
    if (args.size() > 1 && f.verb != ha_verb::create_group) {  // create's 2nd is Fabric's description
      auto ep = endpoint_text(args[1]);
      if (!ep) return failure("weft admin: '" + args[1] + "' is not host:port");
      command.server = *ep;
    }
    if (f.verb == ha_verb::show_groups) command.group.clear();
    return ha_parse{command, {}};
  }
  return failure("weft admin: unknown Fabric command group." + name +
                 "; there are create, add, remove, promote, demote, activate, deactivate, health, lookup_servers, "
                 "lookup_groups");
}

std::optional<ha_parse> parse_group_verb(cursor& c, ha_verb verb, const char* usage) {
  ha_command command = command_for(verb);
  if (!group_name(c, command)) return usage_error(usage);
  if (verb == ha_verb::promote && c.accept("TO") && !server_address(c, command.server)) {
    return usage_error(usage);
  }
  return finish(c, command, usage);
}

}  // namespace

std::optional<ha_parse> parse_ha_command(std::string_view sql) {
  const auto w = words_of(sql);
  if (w.empty()) return std::nullopt;
  cursor c(w);
  if (w[0] == "CALL") return parse_fabric(w);
  if (c.accept("CREATE")) {
    if (w.size() < 2 || w[1] != "GROUP") return std::nullopt;
    return parse_group_verb(c, ha_verb::create_group, "CREATE GROUP name");
  }
  if (c.accept("PROMOTE")) return parse_group_verb(c, ha_verb::promote, "PROMOTE GROUP name [TO 'host:port']");
  if (c.accept("DEMOTE")) return parse_group_verb(c, ha_verb::demote, "DEMOTE GROUP name");
  if (c.accept("ACTIVATE")) return parse_group_verb(c, ha_verb::activate, "ACTIVATE GROUP name");
  if (c.accept("DEACTIVATE")) return parse_group_verb(c, ha_verb::deactivate, "DEACTIVATE GROUP name");
  if (c.accept("REPLICATE")) return parse_replicate(c);
  if (c.accept("ADD")) {
    static const char* usage = "ADD SERVER 'host:port' TO GROUP name";
    ha_command command = command_for(ha_verb::add_server);
    if (!c.accept("SERVER") || !server_address(c, command.server) || !c.accept("TO") || !group_name(c, command)) {
      return usage_error(usage);
    }
    return finish(c, command, usage);
  }
  if (c.accept("REMOVE")) {
    static const char* usage = "REMOVE SERVER 'host:port' [FROM GROUP name]";
    ha_command command = command_for(ha_verb::remove_server);
    if (!c.accept("SERVER") || !server_address(c, command.server)) return usage_error(usage);
    if (c.accept("FROM") && !group_name(c, command)) return usage_error(usage);
    return finish(c, command, usage);
  }
  if (c.accept("REJOIN")) {
    static const char* usage = "REJOIN SERVER 'host:port'";
    ha_command command = command_for(ha_verb::rejoin);
    if (!c.accept("SERVER") || !server_address(c, command.server)) return usage_error(usage);
    return finish(c, command, usage);
  }
  if (c.accept("SHOW")) {
    if (c.accept("GROUPS")) return finish(c, command_for(ha_verb::show_groups), "SHOW GROUPS");
    if (w.size() < 2 || w[1] != "GROUP") return std::nullopt;
    static const char* usage = "SHOW GROUP name HEALTH | SERVERS";
    ha_command command;
    if (!group_name(c, command)) return usage_error(usage);
    if (c.accept("HEALTH")) {
      command.verb = ha_verb::group_health;
    } else if (c.accept("SERVERS")) {
      command.verb = ha_verb::group_servers;
    } else {
      return usage_error(usage);
    }
    return finish(c, command, usage);
  }
  return std::nullopt;
}

bool changes_configuration_only(ha_verb verb) {
  switch (verb) {
    case ha_verb::create_group:
    case ha_verb::add_server:
    case ha_verb::remove_server:
    case ha_verb::activate:
    case ha_verb::deactivate:
      return true;
    default:
      return false;
  }
}

}  // namespace weft::admin
