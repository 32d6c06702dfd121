// The session machine's test harness: a fake world and a driver played by the test (see
// session_machine_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "protocol/frame.h"
#include "protocol/messages.h"
#include "protocol/statement_messages.h"
#include "session/machine.h"

namespace weft::session::testing {

namespace p = protocol;
inline constexpr std::uint64_t caps = p::cap::protocol_41 | p::cap::transactions | p::cap::secure_connection |
                                      p::cap::deprecate_eof | p::cap::multi_results | p::cap::ps_multi_results |
                                      p::cap::mariadb_stmt_bulk_operations;

inline p::bytes framed(p::bytes_view payload, std::uint8_t seq) {
  p::bytes out(p::frame_header_size);
  p::encode_frame_header({static_cast<std::uint32_t>(payload.size()), seq}, out.data());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

inline p::bytes ok_response(std::uint16_t status = p::status::autocommit, std::uint64_t affected = 0,
                     std::uint64_t insert_id = 0, std::uint16_t warnings = 0) {
  p::ok_packet ok;
  ok.affected_rows = affected;
  ok.last_insert_id = insert_id;
  ok.status_flags = status;
  ok.warnings = warnings;
  return framed(p::encode(ok, caps), 1);
}

inline p::bytes err_response(p::error_spec spec, std::string message) {
  return framed(p::encode(p::make_error(spec, std::move(message)), caps), 1);
}

// One row, one column, DEPRECATE_EOF framing: what a SELECT of one value answers.
inline p::bytes one_value_response(std::string value, std::uint16_t status = p::status::autocommit) {
  p::bytes out = framed(p::bytes{1}, 1);
  p::bytes column = {3, 'd', 'e', 'f', 0, 0, 0, 1, 'v', 1, 'v', 0x0c, 0x21, 0, 10, 0, 0, 0, 0xfd, 0, 0, 0x1f, 0, 0};
  auto append = [&](const p::bytes& b) { out.insert(out.end(), b.begin(), b.end()); };
  append(framed(column, 2));
  p::bytes row{static_cast<std::uint8_t>(value.size())};
  row.insert(row.end(), value.begin(), value.end());
  append(framed(row, 3));
  p::ok_packet end;
  end.header = 0xFE;
  end.status_flags = status;
  append(framed(p::encode(end, caps), 4));
  return out;
}

struct fake_world final : surroundings {
  routing::topology map;
  std::vector<routing::query_rule> rule_list;
  sharding::catalog shard_catalog;
  planner_cache cache;
  bool spare_room = true;
  bool held_route = true;
  fake_world() {
    for (auto [port, role] : {std::pair{3306, routing::server_role::primary}, {3307, routing::server_role::replica}}) {
      routing::server s;
      s.address = {"10.0.0.1", static_cast<std::uint16_t>(port)};
      s.name = s.address.to_string();
      s.group = "g1";
      s.role = role;
      s.health.checked = s.health.reachable = true;
      s.health.lag_seconds = 0;
      map.servers.push_back(s);
    }
    routing::group_policy g1;
    g1.name = "g1";
    map.groups.push_back(g1);
  }
  const routing::topology& topology() override { return map; }
  const std::vector<routing::query_rule>& rules() override { return rule_list; }
  const sharding::catalog& shards() override { return shard_catalog; }
  std::optional<bool> read_your_writes_of(std::string_view) override { return std::nullopt; }
  planner_cache& planner() override { return cache; }
  bool knows_digest(std::uint64_t) override { return true; }
  bool pool_has_spare_room() override { return spare_room; }
  bool routes_to_held(const target&) override { return held_route; }
  std::chrono::steady_clock::time_point now() override { return {}; }
  bool stopping() override { return false; }
  frame_pool& frames() override { return *pool; }
  bool result_cache_on() override { return cache_on; }
  bool cache_on = false;
  std::shared_ptr<frame_pool> pool = std::make_shared<frame_pool>();
};

// Plays the driver: the client's bytes wait in `client`, each backend answer in `responses`.
struct session_under_test {
  fake_world world;
  activity doing;
  machine m;
  p::bytes client;
  connection_statements on_connection;
  std::uint64_t acquisitions = 0;
  std::vector<action_kind> seen;

  explicit session_under_test(bool multiplexing = true)
      : m(world, {caps, 1u << 20, multiplexing}, {"app", "shop", "10.1.1.1"}, doing) {
    m.start();
  }
  // A session in a world set up beforehand (policies are read when the session starts).
  explicit session_under_test(const fake_world& setup)
      : world(setup), m(world, {caps, 1u << 20, true}, {"app", "shop", "10.1.1.1"}, doing) {
    m.start();
  }
  const action& next() const { return m.next(); }
  void give(const event& e = {}) { m.resume(e); }
  // The client sends one command packet.
  void command(p::bytes payload) {
    auto frame = framed(payload, 0);
    client.insert(client.end(), frame.begin(), frame.end());
  }
  void query(std::string_view sql) {
    p::bytes payload{static_cast<std::uint8_t>(p::command::query)};
    payload.insert(payload.end(), sql.begin(), sql.end());
    command(payload);
  }
  // Answers the reads of the client's command, until the machine asks for something else.
  void read_client() {
    while (next().kind == action_kind::read_command || next().kind == action_kind::read_client) {
      give({.client = std::span<std::uint8_t>(client.data(), client.size())});
    }
  }
  // The ERR the machine replies with (code 0 when its next action is not such a reply).
  p::err_packet replied_error() const {
    EXPECT_EQ(next().kind, action_kind::reply);
    if (next().kind != action_kind::reply) return {};
    auto err = p::decode_err_packet(next().payload, caps);
    EXPECT_TRUE(err.has_value());
    return err ? *err : p::err_packet{};
  }
  // Expects the machine to drop the client's command, and drops it.
  void skip() {
    ASSERT_EQ(next().kind, action_kind::skip_command);
    drop_command();
    give();
  }
  void drop_command() {
    p::packet_boundary boundary;
    client.erase(client.begin(), client.begin() + static_cast<std::ptrdiff_t>(boundary.feed(client)));
  }
  // Expects an acquire and answers it with the group's primary or replica.
  target acquire(routing::target_role role = routing::target_role::primary) {
    EXPECT_EQ(next().kind, action_kind::acquire);
    const auto wanted = next().target;
    const auto& server = world.map.servers[role == routing::target_role::primary ? 0 : 1];
    give({.connection = {server.name, role, &server, caps, ++acquisitions, &on_connection}});
    return wanted;
  }
  void expect_send_command() {
    ASSERT_EQ(next().kind, action_kind::send_command);
    drop_command();
    give();
  }
  // Relays a whole response through the machine's tracker.
  void relay(const p::bytes& response) {
    ASSERT_EQ(next().kind, action_kind::relay);
    m.tracker().feed(response);
    give({.relayed_bytes = response.size()});
  }
  // A successful COM_STMT_PREPARE on the primary: the server's id 77, weft's next id.
  void prepare(std::string_view sql, std::uint16_t params) {
    p::bytes payload{static_cast<std::uint8_t>(p::command::stmt_prepare)};
    payload.insert(payload.end(), sql.begin(), sql.end());
    command(payload);
    read_client();
    if (next().kind == action_kind::acquire) acquire();
    expect_send_command();
    p::bytes response = framed(p::bytes{0, 77, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(params), 0, 0, 0, 0}, 1);
    const p::bytes definition = {3, 'd', 'e', 'f', 0, 0, 0, 1, '?', 0, 0x0c, 0x3f, 0, 0, 0, 0, 0, 0xfd, 0x80, 0, 0, 0, 0};
    for (std::uint16_t i = 0; i < params; ++i) {
      const auto frame = framed(definition, static_cast<std::uint8_t>(2 + i));
      response.insert(response.end(), frame.begin(), frame.end());
    }
    while (next().kind == action_kind::read_backend) give({.backend = std::span<std::uint8_t>(response)});
    relay(response);
    bookkeeping();
  }
  // Local bookkeeping actions until an I/O one (or done); returns their kinds.
  std::vector<action_kind> bookkeeping() {
    std::vector<action_kind> kinds;
    while (next().kind >= action_kind::release && next().kind != action_kind::done) {
      kinds.push_back(next().kind);
      give();
    }
    return kinds;
  }
  // A whole statement on a connection the session gets for it: acquire, send, relay.
  target statement(std::string_view sql, const p::bytes& response,
                   routing::target_role answered_by = routing::target_role::primary) {
    query(sql);
    read_client();
    const auto wanted = acquire(answered_by);
    expect_send_command();
    relay(response);
    return wanted;
  }
};

}  // namespace weft::session::testing
