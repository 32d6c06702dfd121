#include "routing/election.h"

#include <map>

#include "routing/gtid.h"

namespace weft::routing {
namespace {

std::map<std::uint32_t, gtid> by_domain(const std::string& position) {
  std::map<std::uint32_t, gtid> out;
  std::size_t start = 0;
  while (start <= position.size()) {
    const auto comma = position.find(',', start);
    auto item = position.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\n')) item.erase(0, 1);
    if (auto g = parse_gtid(item)) out[g->domain] = *g;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::optional<int> compare_positions(const std::string& a, const std::string& b) {
  const auto da = by_domain(a), db = by_domain(b);
  bool a_ahead = false, b_ahead = false;
  for (const auto& [domain, ga] : da) {
    const auto it = db.find(domain);
    if (it == db.end() || ga.sequence > it->second.sequence) a_ahead = true;
    if (it != db.end() && it->second.sequence > ga.sequence) b_ahead = true;
  }
  for (const auto& [domain, gb] : db) {
    if (!da.count(domain)) b_ahead = true;
  }
  if (a_ahead && b_ahead) return std::nullopt;
  return a_ahead ? 1 : b_ahead ? -1 : 0;
}

election_result elect(const std::vector<replica_position>& replicas, std::uint32_t primary_server_id,
                      election_mode mode, bool pedantic) {
  election_result out;
  if (mode == election_mode::fail) {
    out.reason = "failover mode is 'fail': the failure is reported, nobody is promoted";
    return out;
  }
  // Errant transactions: a replica's last GTID in a domain carries its own server_id.
  std::vector<const replica_position*> eligible;
  for (const auto& r : replicas) {
    bool errant = false;
    for (const auto& [domain, g] : by_domain(r.gtid_position)) {
      if (g.server_id != primary_server_id && g.server_id == r.server_id) {
        out.errant.push_back(r.name + ": " + std::to_string(g.domain) + "-" + std::to_string(g.server_id) + "-" +
                             std::to_string(g.sequence));
        errant = true;
      }
    }
    if (!r.healthy) continue;
    if (errant && pedantic) continue;
    if (mode == election_mode::elect && !r.in_candidates) continue;
    eligible.push_back(&r);
  }
  if (eligible.empty()) {
    out.reason = "no healthy replica may be promoted" + std::string(pedantic && !out.errant.empty()
                                                                        ? " (pedantic: replicas with errant transactions refused)"
                                                                        : "");
    return out;
  }
  // The most advanced among the eligible; prefer listed candidates when equally advanced.
  const replica_position* best = eligible.front();
  for (const auto* r : eligible) {
    const auto cmp = compare_positions(r->gtid_position, best->gtid_position);
    if ((cmp && *cmp > 0) || (cmp && *cmp == 0 && r->in_candidates && !best->in_candidates)) best = r;
  }
  out.chosen = best->name;
  out.reason = "most advanced GTID position (" + best->gtid_position + ")";
  // Does any healthy replica (eligible or not) hold more than the chosen one?
  for (const auto& r : replicas) {
    if (!r.healthy || r.name == best->name) continue;
    const auto cmp = compare_positions(r.gtid_position, best->gtid_position);
    if (!cmp || *cmp > 0) {
      out.catch_up_from = r.name;
      break;
    }
  }
  return out;
}

}  // namespace weft::routing
