// REPLICATE (set up a replica) and REJOIN (an old primary back as a replica).
#include "ops/ha_operations.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "routing/election.h"

namespace weft::ops {

using namespace ha_detail;
using routing::server_role;
using routing::server_status;

// --- rejoin ---------------------------------------------------------------------------------

admin_result ha_operation::rejoin(const std::string& server) {
  const auto t = ctx_.topology->load();
  const auto ep = routing::parse_endpoint(server);
  const auto* s = ep ? t->find(*ep) : nullptr;
  if (!s) return ha_refused("weft: no server '" + server + "'");
  const auto* primary = t->primary_of(s->group);
  if (!primary) return ha_refused("weft: group '" + s->group + "' has no primary to rejoin");
  if (primary == s) return ha_refused("weft: " + server + " is the primary of group '" + s->group + "'");
  if (ctx_.settings.replication_user.empty()) return ha_refused("weft: [ha] replication_user is not set");
  step_log log;
  auto node = connect(s->address);
  if (!node->ok()) {
    log.failed("connect", server, node->error());
    return failed_result(log, "rejoin");
  }
  if (!node->exec(routing::set_read_only_query(true), log, "read_only")) return failed_result(log, "rejoin");
  log.ok("read_only", server, "ON");
  // From its own executed GTIDs: an old primary's writes are in its binary log, not in gtid_slave_pos.
  if (!node->replicate_from(primary->address, ctx_.settings.replication_user, ctx_.settings.replication_password, true,
                            log)) {
    return failed_result(log, "rejoin");
  }
  if (auto problem = node->wait_replicating(ctx_.settings.catch_up_timeout)) {
    const bool diverged = problem->find("1236") != std::string::npos;
    log.failed("replicating", server,
               *problem + (diverged ? " -- it holds transactions the primary never had (diverged): reseed it from " +
                                          primary->name + " (dump, RESET MASTER, load), then REJOIN"
                                    : ""));
    record(s->group, "rejoin_failed", server, primary->name, log, -1);
    return failed_result(log, "rejoin");
  }
  log.ok("replicating", server, "from " + primary->name);
  const std::string name = s->name;
  ctx_.commit([&](routing::topology& next) {
    for (auto& x : next.servers) {
      if (x.name == name) {
        x.role = server_role::replica;
        x.status = server_status::online;
      }
    }
  });
  log.ok("routing", server, "ONLINE replica");
  record(s->group, "rejoined", server, primary->name, log, -1);
  return log.table();
}

// --- REPLICATE --------------------------------------------------------------------------------

namespace {

bool on(const std::string& v) { return v == "1" || v == "ON"; }

// mysqlreplicate's checks: distinct server_id, a binary log on the source, GTIDs on both, the
// replica's GTID state (it must not hold what the source lacks); differing engine settings and
// versions are warnings. Settings rows come from server_identity_query.
void check_pair(const sql_row& r, const sql_row& s, const ha_command& c, routing::server_flavor flavor, step_log& log) {
  if (column_text(r, "sid") == column_text(s, "sid")) {
    log.failed("check server_id", "", "both servers have server_id " + column_text(r, "sid"));
  } else {
    log.ok("check server_id", "", "source " + column_text(s, "sid") + ", replica " + column_text(r, "sid"));
  }
  if (!on(column_text(s, "log_bin"))) {
    log.failed("check binary log", c.source, "log_bin is OFF on the source");
  } else {
    log.ok("check binary log", c.source, "log_bin ON");
  }
  if (!on(column_text(s, "gtid_mode")) || !on(column_text(r, "gtid_mode"))) {
    log.failed("check GTID", "", "gtid_mode must be ON on both (source " + column_text(s, "gtid_mode") + ", replica " +
                                     column_text(r, "gtid_mode") + ")");
  } else {
    log.ok("check GTID", "", "GTID auto-positioning available");
  }
  for (const char* setting : {"engine", "page_size"}) {
    if (column_text(r, setting) != column_text(s, setting)) {
      log.warn("compare settings", "", std::string(setting) + ": source " + column_text(s, setting) + ", replica " +
                                           column_text(r, setting));
    }
  }
  if (column_text(r, "version").substr(0, 4) != column_text(s, "version").substr(0, 4)) {
    log.warn("compare settings", "", "versions differ: source " + column_text(s, "version") + ", replica " +
                                         column_text(r, "version"));
  }
  if (c.start != replicate_start::replica_position || flavor != routing::server_flavor::mariadb) return;
  const std::string replica_gtid = column_text(r, "gtid"), source_gtid = column_text(s, "gtid");
  const auto cmp = routing::compare_positions(source_gtid, replica_gtid);
  if (!cmp || *cmp < 0) {
    log.failed("check GTID state", c.server, "the replica holds " + replica_gtid + ", which the source (" + source_gtid +
                                                 ") lacks: it would diverge (reseed it, or START FROM CURRENT)");
  } else {
    log.ok("check GTID state", c.server,
           "replica at " + (replica_gtid.empty() ? "nothing" : replica_gtid) + ", source at " + source_gtid);
  }
}

const char* start_words(replicate_start start) {
  switch (start) {
    case replicate_start::beginning: return "the source's first binary log";
    case replicate_start::current: return "the source's current position";
    default: return "the replica's own position";
  }
}

}  // namespace

// Stops the replica, sets where it starts, points it at the source and starts it.
bool ha_operation::configure_replica(backend_node& replica, backend_node& source, const ha_command& c,
                                     const sql_row& replica_settings, const std::string& user,
                                     const std::string& password, step_log& log) const {
  const auto flavor = replica.flavor();
  const std::string step = "configure replica";
  if (!replica.exec(std::string(routing::stop_replica_query(flavor)), log, step)) return false;
  bool own_binlog = false;
  if (c.start == replicate_start::beginning) {
    if (!replica.exec(routing::start_from_position_query(flavor, ""), log, step)) return false;
  } else if (c.start == replicate_start::current) {
    auto pos = source.first_row(std::string(routing::binlog_position_query(source.flavor())));
    if (!pos) return log.failed(step, c.source, source.error());
    if (!replica.exec(routing::start_from_position_query(flavor, column_text(*pos, "gtid")), log, step)) return false;
  } else {  // a server seeded from a dump has its GTIDs in gtid_current_pos only
    own_binlog = column_text(replica_settings, "slave_pos").empty() && !column_text(replica_settings, "gtid").empty();
  }
  const routing::source_settings settings{source.address().host, source.address().port, user, password, own_binlog};
  if (!replica.exec(routing::change_source_query(flavor, settings), log, step) ||
      !replica.exec(std::string(routing::start_replica_query(flavor)), log, step)) {
    return false;
  }
  log.ok(step, c.server, std::string("GTID auto-positioning from ") + start_words(c.start));
  return true;
}

admin_result ha_operation::replicate(const ha_command& c) {
  step_log log("replicate");
  const auto replica_ep = routing::parse_endpoint(c.server), source_ep = routing::parse_endpoint(c.source);
  if (!replica_ep || !source_ep) return ha_refused("weft: REPLICATE needs two host:port addresses");
  if (source_ep->is_unix()) return ha_refused(std::string("weft: REPLICATE: ") + unix_source_refusal);
  auto replica = connect(*replica_ep), source = connect(*source_ep);
  if (!source->ok()) log.failed("connect", c.source, source->error());
  if (!replica->ok()) log.failed("connect", c.server, replica->error());
  if (log.any_failed()) return failed_result(log, "REPLICATE");
  const auto r = replica->first_row(std::string(routing::server_identity_query(replica->flavor())));
  const auto s = source->first_row(std::string(routing::server_identity_query(source->flavor())));
  if (!r || !s) {
    log.failed("read settings", !r ? c.server : c.source, !r ? replica->error() : source->error());
    return failed_result(log, "REPLICATE");
  }
  check_pair(*r, *s, c, replica->flavor(), log);
  const std::string user = c.user.empty() ? ctx_.settings.replication_user : c.user;
  const std::string password = c.user.empty() ? ctx_.settings.replication_password : c.password;
  if (user.empty()) log.failed("replication user", "", "no USER given and [ha] replication_user is not set");
  if (log.any_failed()) return failed_result(log, "REPLICATE (nothing was changed)");

  if (!source->exec(routing::create_replication_user_query(source->flavor(), user, password), log, "replication user") ||
      !source->exec(routing::grant_replication_query(user), log, "replication user")) {
    return failed_result(log, "REPLICATE");
  }
  log.ok("replication user", c.source, "'" + user + "' exists with REPLICATION SLAVE");
  if (!configure_replica(*replica, *source, c, *r, user, password, log)) return failed_result(log, "REPLICATE");
  if (auto problem = replica->wait_replicating(ctx_.settings.catch_up_timeout)) {
    log.failed("replicating", c.server, *problem);
    return failed_result(log, "REPLICATE");
  }
  log.ok("replicating", c.server, "IO and SQL threads running");
  if (replica->exec(routing::set_read_only_query(true), log, "read_only")) log.ok("read_only", c.server, "ON");
  return log.table();
}

}  // namespace weft::ops
