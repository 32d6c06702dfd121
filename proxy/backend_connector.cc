#include "proxy/backend_connector.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <spdlog/spdlog.h>

#include "proxy/deadline.h"
#include "proxy/io_buffer.h"
#include "proxy/packet_io.h"
#include "weft/version.h"

namespace weft::proxy {
namespace {

constexpr std::size_t max_login_packet = 1 << 20;

std::string describe(const routing::server& server) {
  return server.address.to_string() + " (" + std::string(routing::to_string(server.role)) +
         " of group '" + server.group + "')";
}

protocol::err_packet unreachable(const routing::server& server, const std::string& reason) {
  return protocol::make_error(protocol::er::backend_unreachable,
                              "weft: cannot connect to backend " + describe(server) + ": " + reason);
}

awaitable<error_code> connect_socket(tcp::socket& socket, const routing::endpoint& address) {
  error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  if (!ec) {
    auto [err] = co_await socket.async_connect(tcp::endpoint(ip, address.port), use_nothrow);
    co_return err;
  }
  tcp::resolver resolver(socket.get_executor());
  auto [rerr, results] =
      co_await resolver.async_resolve(address.host, std::to_string(address.port), use_nothrow);
  if (rerr) co_return rerr;
  for (const auto& entry : results) {
    error_code ignored;
    socket.close(ignored);
    auto [err] = co_await socket.async_connect(entry.endpoint(), use_nothrow);
    if (!err) co_return err;
    ec = err;
  }
  co_return ec;
}

// Keepalive after 10 s of silence, then a probe every 5 s; TCP_USER_TIMEOUT ends the connection
// when sent data (probes included) stays unacknowledged that long.
void set_keepalive(tcp::socket& socket, std::chrono::milliseconds user_timeout) {
  const int fd = socket.native_handle();
  int on = 1, idle = 10, interval = 5, count = 3;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
  if (user_timeout.count() > 0) {
    const unsigned ms = static_cast<unsigned>(user_timeout.count());
    ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms));
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> backend_attributes(
    std::vector<std::pair<std::string, std::string>> client_attributes) {
  std::vector<std::pair<std::string, std::string>> out{{"_proxy", "weft"}, {"_proxy_version", kVersion}};
  for (auto& attribute : client_attributes) {
    if (attribute.first == "_proxy" || attribute.first == "_proxy_version") continue;
    out.push_back(std::move(attribute));
  }
  return out;
}

awaitable<backend_connect_result> connect_backend(const routing::server& server,
                                                  protocol::backend_login login,
                                                  std::chrono::milliseconds timeout, backend_tls tls,
                                                  std::chrono::milliseconds tcp_user_timeout) {
  backend_connect_result result;
  auto connection = std::make_unique<stream>(tcp::socket(co_await asio::this_coro::executor));
  deadline watchdog(*connection, timeout);
  auto lost = [&](const std::string& what) {
    if (watchdog.expired()) {
      return unreachable(server, "timed out after " + std::to_string(timeout.count()) + " ms");
    }
    return unreachable(server, what);
  };

  // (g++ 12 miscompiles some co_await inside conditions: results go to variables first.)
  const auto ec = co_await connect_socket(connection->socket(), server.address);
  if (ec) {
    result.error = lost(ec.message());
    co_return result;
  }
  connection->socket().set_option(tcp::no_delay(true));
  set_keepalive(connection->socket(), tcp_user_timeout);

  login.use_tls = tls.context != nullptr;
  login.attributes = backend_attributes(std::move(login.attributes));
  protocol::client_handshake handshake(std::move(login));
  io_buffer buffer(4096);
  for (;;) {
    error_code rerr;
    auto packet = co_await read_packet(*connection, buffer, max_login_packet, rerr);
    if (!packet) {
      result.error = lost("connection lost during login: " + rerr.message());
      co_return result;
    }
    auto step = handshake.on_server_packet(packet->payload, packet->sequence_id);
    if (step.what == protocol::client_handshake::action::write_then_tls) {
      auto terr = co_await write_packet(*connection, step.payload, step.sequence_id);
      if (!terr) terr = co_await connection->start_tls_client(*tls.context, server.address.host, tls.verify);
      if (terr) {
        result.error = lost("TLS handshake failed: " + terr.message());
        co_return result;
      }
      step = handshake.after_tls();
    }
    switch (step.what) {
      case protocol::client_handshake::action::write_and_read: {
        const auto werr = co_await write_packet(*connection, step.payload, step.sequence_id);
        if (werr) {
          result.error = lost("connection lost during login: " + werr.message());
          co_return result;
        }
        break;
      }
      case protocol::client_handshake::action::write_then_tls:  // handled above
      case protocol::client_handshake::action::fail:
        result.error = std::move(step.error);
        co_return result;
      case protocol::client_handshake::action::done:
        result.connection = backend_connection{std::move(connection), handshake.negotiated_capabilities(),
                                               std::move(packet->payload),
                                               handshake.greeting().connection_id, std::nullopt};
        result.connection->login.emplace(std::move(handshake));
        if (result.connection->capabilities & protocol::cap::compress) {
          result.connection->connection->enable_compression();  // from the first command on
        }
        co_return result;
    }
  }
}

}  // namespace weft::proxy
