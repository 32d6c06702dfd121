// Prepared statements that outlive any one backend connection. The client sees weft's own
// statement ids; each backend connection keeps the statements prepared on it by SQL text. When
// a session executes on a connection that lacks the statement, weft prepares it there first
// (and sends the parameter types the server has not seen yet), so a statement prepared once
// works on any pooled connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "protocol/bytes.h"
#include "protocol/constants.h"
#include "session/connection_statements.h"
#include "session/result_caching.h"
#include "sharding/statement_shape.h"

namespace weft::session {

struct client_statement {
  std::string sql;
  std::uint16_t params = 0;
  protocol::bytes param_types;  // 2 bytes per parameter, from the last execute that sent them
  std::uint64_t digest = 0;
  bool replica_safe = false;  // a plain read: executes may run on a replica
  bool writes = false;        // executes change data (read-your-writes follows them)
  bool reads_insert_id = false;  // uses LAST_INSERT_ID(): restored on the connection first
  bool sets_insert_id = false;   // LAST_INSERT_ID(expr): read back before the connection goes
  std::optional<written_tables> written;  // the tables its executes may change (the result cache)
  // A cache rule's TTL for its executes and the tables they read, for the rules of this version.
  std::uint32_t cache_ttl_ms = 0;
  std::vector<std::string> cache_tables;
  std::uint64_t cache_rules_version = ~std::uint64_t{0};
  bool sharded = false;          // names a sharded table: each execute's values pick its shard
  bool long_data = false;        // sharded, and COM_STMT_SEND_LONG_DATA was sent for it
  // Sharded: what routing each execute needs, read once at PREPARE (the shape, the hint's body)
  // and a refusal that holds whatever the values (the statement itself is not routable).
  std::shared_ptr<const sharding::statement_shape> shard_shape;
  std::string shard_hint;
  std::string shard_refusal;
  const void* shard_catalog = nullptr;  // the shard maps it was read against (another: read again)
};

// The id a client may send for "the statement this session prepared last" (MariaDB's
// connectors send COM_STMT_PREPARE and COM_STMT_EXECUTE with it in one write).
inline constexpr std::uint32_t last_statement_id = 0xFFFFFFFF;

class statement_registry {
 public:
  // A successful prepare: the new statement is also the session's last.
  std::uint32_t add(client_statement statement);
  // As the server's sql_prepare.cc does: a failed prepare leaves no last statement.
  void prepare_failed() { last_ = 0; }
  // The client's id, with last_statement_id standing for the last prepared statement (left as
  // it is when there is none: the refusal names 4294967295, as the server's does).
  std::uint32_t resolve(std::uint32_t client_id) const {
    return client_id == last_statement_id && last_ != 0 ? last_ : client_id;
  }
  client_statement* find(std::uint32_t client_id);
  void remove(std::uint32_t client_id);
  void clear() {
    statements_.clear();
    last_ = 0;
  }
  std::size_t size() const { return statements_.size(); }

 private:
  std::unordered_map<std::uint32_t, client_statement> statements_;
  std::uint32_t next_id_ = 1;
  std::uint32_t last_ = 0;
};

// The server names its own statement id in two errors (1243 "Unknown prepared statement
// handler (N) ...", 1421 "The statement (N) has no open cursor."); the client knows weft's id.
// The ERR payload with the id renamed, or nullopt when it is not such an error.
std::optional<protocol::bytes> error_with_client_id(protocol::bytes_view err_payload, std::uint64_t caps,
                                                    std::uint32_t backend_id, std::uint32_t client_id);

// For a whole COM_STMT_EXECUTE or COM_STMT_BULK_EXECUTE payload on a connection: types it
// carries are remembered (the statement's, and that this server saw them); when it carries none
// and this server never saw them, a copy that carries the remembered ones (else nullopt: the
// client's bytes go as they are). The server keeps the types of the last execute that sent
// them, so they go to each connection once (again when its types differ from the statement's).
std::optional<protocol::bytes> with_types_for_server(protocol::command command, protocol::bytes_view payload,
                                                     client_statement& statement, backend_statement& on_backend);
// A COM_STMT_EXECUTE payload no server sees (answered from the result cache): the types it
// carries are the statement's from now on.
void note_carried_types(protocol::bytes_view payload, client_statement& statement);

}  // namespace weft::session
