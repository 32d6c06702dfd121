// One admin session's SQL: ordinary SQL over the config tables and the live views (served by
// SQLite, on this session's own connection to the state file), the admin commands (SHOW
// HEALTH, SHOW TOPOLOGY, ...), and the answers the mariadb client expects at login
// (@@version_comment, SHOW DATABASES). A change to the config tables is validated as a whole
// before it commits; a committed change is applied at once (new snapshots for the proxy).
// Inside BEGIN ... COMMIT, the whole transaction is validated at COMMIT.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "admin/admin_commands.h"
#include "admin/ha_grammar.h"
#include "admin/live_tables.h"
#include "admin/shard_grammar.h"
#include "config/state_store.h"
#include "ops/admin_result.h"

namespace weft::admin {

struct admin_hooks {
  // Publishes a validated configuration to the running proxy (never fails).
  std::function<void(const config::table_config&)> apply;
  // Serializes commit + apply across admin sessions (and reloads), so snapshots follow the
  // order of commits.
  std::mutex* apply_mutex = nullptr;
};

class admin_engine {
 public:
  admin_engine(const std::string& state_path, const live_sources& sources, const command_context& commands,
               admin_hooks hooks);

  // `progress` hears how far a long statement (a COMPARE waited for) is; may be empty.
  admin_result execute(std::string_view sql, const ops::progress_sink& progress = {});
  // Who USER() says is logged in ("admin@127.0.0.1"), as on a server.
  void set_session_user(std::string user_at_host) { session_user_ = std::move(user_at_host); }

 private:
  admin_result run_sql(const std::string& sql);
  // CREATE GROUP, ADD SERVER... (admin_engine_groups.cc).
  admin_result run_group_change(const ha_command& command);
  bool group_exists(const std::string& group);
  // CREATE SHARD MAP, ADD SHARD TABLE, SHOW SHARDS, CALL sharding.* (shard_commands.cc).
  admin_result run_shard_command(const shard_command& command);
  admin_result change_shards(const shard_command& command);
  admin_result show_shards(const shard_command& command);
  admin_result lookup_servers(const shard_command& command);
  // Statements that change the config tables as one transaction (validated once, at the end).
  admin_result run_sql_together(const std::vector<std::string>& statements);
  admin_result begin();
  admin_result commit();
  admin_result rollback();
  // Validates what the open transaction changed, commits and applies it; rolls back if invalid.
  admin_result validate_and_commit(admin_result done);

  config::sqlite_db db_;
  const live_sources& sources_;
  const command_context& commands_;
  admin_hooks hooks_;
  bool explicit_transaction_ = false;
  bool internal_ = false;  // weft's own statements (refreshing live tables) pass the authorizer
  std::string session_user_;
  static int authorize(void* self, int action, const char* a, const char* b, const char* db, const char* trigger);
};

}  // namespace weft::admin
