// weft.toml (config/config_loader.h, toml++) loaded from any text: what `weft --check-config`,
// a start and a SIGHUP read.
//
// Input: the file's text.
// Checks: a configuration comes back exactly when there is no error; every error is
// "fuzz.toml:line:column: message" as the loader promises; an accepted configuration is whole:
// servers exist, each group has exactly one primary and a policy, server addresses and group
// names are unique, rules are at most 64 with unique ids and route to existing groups, users
// requiring TLS come with a TLS listener.
#include <cctype>
#include <set>
#include <string>

#include "config/config_loader.h"
#include "fuzz_input.h"

namespace {
using namespace weft;

// "fuzz.toml:<digits>:<digits>: <something>"
bool located(const std::string& error) {
  const std::string prefix = "fuzz.toml:";
  if (error.compare(0, prefix.size(), prefix) != 0) return false;
  std::size_t at = prefix.size();
  for (int part = 0; part < 2; ++part) {
    const auto start = at;
    while (at < error.size() && std::isdigit(static_cast<unsigned char>(error[at]))) ++at;
    if (at == start || at >= error.size() || error[at] != ':') return false;
    ++at;
  }
  return error.size() > at + 1 && error[at] == ' ';
}

void check_topology(const routing::topology& t) {
  FUZZ_EXPECT(!t.servers.empty());
  std::set<std::string> groups, addresses;
  for (const auto& s : t.servers) {
    groups.insert(s.group);
    FUZZ_EXPECT(addresses.insert(s.address.to_string()).second);
  }
  std::set<std::string> policies;
  for (const auto& p : t.groups) FUZZ_EXPECT(policies.insert(p.name).second);
  FUZZ_EXPECT(policies == groups);
  for (const auto& g : groups) {
    int primaries = 0;
    for (const auto& s : t.servers) primaries += s.group == g && s.role == routing::server_role::primary;
    FUZZ_EXPECT(primaries == 1);
  }
}

void check_runtime(const config::bootstrap_config& c) {
  const auto& rules = c.runtime.rules;
  FUZZ_EXPECT(rules.size() <= 64);
  std::set<std::uint32_t> ids;
  for (const auto& r : rules) {
    FUZZ_EXPECT(ids.insert(r.id).second);
    if (!r.route_group.empty()) FUZZ_EXPECT(c.topology.primary_of(r.route_group) != nullptr);
  }
  for (const auto& [name, user] : c.runtime.users) {
    FUZZ_EXPECT(name == user.name && !name.empty());
    if (user.require_tls) FUZZ_EXPECT(c.proxy.client_tls.enabled());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = config::load_config_text(text, "fuzz.toml");
  FUZZ_EXPECT(result.config.has_value() == result.errors.empty());
  for (const auto& e : result.errors) FUZZ_EXPECT(located(e));
  if (!result.config) return 0;
  check_topology(result.config->topology);
  check_runtime(*result.config);
  return 0;
}
