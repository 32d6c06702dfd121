// The statements prepared on one backend connection, found again by their SQL text. The pool
// stores this with each connection; the session machine reads and changes it (pure data).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "protocol/bytes.h"

namespace weft::session {

// Most statements one backend connection keeps (well under max_prepared_stmt_count).
inline constexpr std::size_t max_statements_per_connection = 256;

struct backend_statement {
  std::uint32_t id = 0;
  // The parameter types the server holds for it (the last execute that carried any): another
  // session, or an execute answered from the result cache, may have bound others since.
  protocol::bytes types_sent;
  std::uint64_t last_used = 0;
};

struct connection_statements {
  std::unordered_map<std::string, backend_statement> by_text;
  std::uint64_t clock = 0;
  // The server's "last prepared statement" of this connection (what statement id 0xFFFFFFFF
  // names there), 0 after a prepare failed.
  std::uint32_t last_prepared = 0;

  // A statement prepared on the connection (it is also the connection's last).
  void remember(const std::string& sql, std::uint32_t id) {
    by_text[sql] = backend_statement{id, {}, ++clock};
    last_prepared = id;
  }
  backend_statement* find(const std::string& sql) {
    auto it = by_text.find(sql);
    if (it == by_text.end()) return nullptr;
    it->second.last_used = ++clock;
    return &it->second;
  }
  // When full: forgets the least recently used statement and returns its id (to be closed).
  std::optional<std::uint32_t> evict_if_full() {
    if (by_text.size() < max_statements_per_connection) return std::nullopt;
    auto oldest = std::min_element(by_text.begin(), by_text.end(),
                                   [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
    const auto id = oldest->second.id;
    if (last_prepared == id) last_prepared = 0;
    by_text.erase(oldest);
    return id;
  }
  // COM_RESET_CONNECTION (or a new login) closed them all on the server.
  void clear() {
    by_text.clear();
    last_prepared = 0;
  }
};

}  // namespace weft::session
