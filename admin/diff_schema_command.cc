// DIFF SCHEMA db ON server WITH server [CHANGES FOR 'a'|'b']: reads the database's definitions
// on both servers (nothing is written on either) and answers the statements that make the
// CHANGES FOR side like the other, one row each:
//
//   step | object_type | object | action | statement
//
// in the order they can run. When the two are alike, one row says so: step 0, action NONE,
// statement "-- no differences between <a> and <b>" (a comment, so a script that applies every
// row still works).
#include "admin/compare_commands.h"
#include "ops/schema_diff.h"
#include "ops/server_ref.h"
#include "protocol/errors.h"

namespace weft::admin {
namespace {

namespace p = protocol;

// A statement may wait on metadata locks or a large information_schema: longer than a health check.
constexpr unsigned read_timeout_seconds = 60;

admin_result fail(p::error_spec spec, std::string message) {
  return admin_result::failure(p::make_error(spec, message));
}

struct side {
  const char* role;  // "ON" or "WITH"
  ops::server_ref ref;
};

// The side's definitions, or the error the DBA gets.
std::variant<ops::schema_snapshot, admin_result> read_side(const side& s, const std::string& database,
                                                           const command_context& ctx, std::string& address) {
  const auto found = ops::resolve(s.ref, *ctx.topology->load());
  if (const auto* why = std::get_if<std::string>(&found)) {
    return fail(p::er::job_refused, *why + " (the " + s.role + " server)");
  }
  address = std::get<ops::resolved_server>(found).address.to_string();
  const auto named = "'" + address + "' (the " + s.role + " server)";
  monitor::mariadb_client server(std::get<ops::resolved_server>(found).address, ctx.backend.user, ctx.backend.password,
                                 ctx.backend.timeout_seconds, read_timeout_seconds);
  if (!server.ok()) return fail(p::er::backend_unreachable, "weft: cannot connect to " + named + ": " + server.error());
  auto read = ops::read_schema_or_error(server, database);
  if (auto* snapshot = std::get_if<ops::schema_snapshot>(&read)) return std::move(*snapshot);
  const auto& error = std::get<ops::schema_read_error>(read);
  if (error.unknown_database) return fail(p::er::unknown_database, "Unknown database '" + database + "' on " + named);
  const auto spec = server.ok() ? p::er::job_refused : p::er::backend_unreachable;
  return fail(spec, "weft: cannot read the definitions of '" + database + "' on " + named + ": " + error.message);
}

admin_result answer(const std::vector<ops::schema_change>& changes, const std::string& database, const std::string& a,
                    const std::string& b) {
  auto r = admin_result::table({"step", "object_type", "object", "action", "statement"});
  if (changes.empty()) {
    r.rows.push_back({"0", "DATABASE", database, "NONE", "-- no differences between " + a + " and " + b});
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    r.rows.push_back({std::to_string(i + 1), c.object_type, c.object, c.action, c.statement});
  }
  return r;
}

}  // namespace

admin_result run_diff_schema(const diff_schema_command& command, const command_context& ctx) {
  std::string address_a, address_b;
  auto a = read_side({"ON", command.a}, command.database, ctx, address_a);
  if (auto* failed = std::get_if<admin_result>(&a)) return std::move(*failed);
  auto b = read_side({"WITH", command.b}, command.database, ctx, address_b);
  if (auto* failed = std::get_if<admin_result>(&b)) return std::move(*failed);
  const auto& snapshot_a = std::get<ops::schema_snapshot>(a);
  const auto& snapshot_b = std::get<ops::schema_snapshot>(b);
  const bool repair_b = command.changes_for == ops::changes_side::b;
  const auto changes = repair_b ? ops::diff_schemas(snapshot_b, snapshot_a) : ops::diff_schemas(snapshot_a, snapshot_b);
  return answer(changes, command.database, address_a, address_b);
}

}  // namespace weft::admin
