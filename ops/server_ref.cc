#include "ops/server_ref.h"

namespace weft::ops {

std::string to_string(const server_ref& ref) {
  switch (ref.how) {
    case server_ref::kind::primary_of_group: return "PRIMARY OF GROUP " + ref.text;
    case server_ref::kind::replica: return "REPLICA '" + ref.text + "'";
    default: return "'" + ref.text + "'";
  }
}

namespace {
const routing::server* known(const routing::topology& t, const std::string& name) {
  for (const auto& s : t.servers) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

resolved_server from(const routing::server& s) {
  return {s.address, s.group, s.role == routing::server_role::replica};
}
}  // namespace

std::variant<resolved_server, std::string> resolve(const server_ref& ref, const routing::topology& t) {
  if (ref.how == server_ref::kind::primary_of_group) {
    if (const auto* p = t.primary_of(ref.text)) return from(*p);
    for (const auto& s : t.servers) {
      if (s.group == ref.text) return "weft: group '" + ref.text + "' has no primary";
    }
    return "weft: no group '" + ref.text + "'";
  }
  const auto* s = known(t, ref.text);
  if (ref.how == server_ref::kind::replica) {
    if (!s || s->role != routing::server_role::replica) return "weft: '" + ref.text + "' is not a replica of any group";
    return from(*s);
  }
  if (s) return from(*s);
  const auto ep = routing::parse_endpoint(ref.text);
  if (!ep) return "weft: '" + ref.text + "' is not host:port";
  return resolved_server{*ep, {}, false};
}

bool replicates_from(const resolved_server& replica, const resolved_server& source, const routing::topology& t) {
  if (!replica.is_replica || replica.group.empty() || replica.group != source.group) return false;
  const auto* primary = t.primary_of(source.group);
  return primary && primary->address == source.address;
}

}  // namespace weft::ops
