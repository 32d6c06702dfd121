#include "proxy/backend_connector.h"

#include <spdlog/spdlog.h>

#include "proxy/deadline.h"
#include "proxy/io_buffer.h"
#include "proxy/packet_io.h"

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

}  // namespace

awaitable<backend_connect_result> connect_backend(const routing::server& server,
                                                  protocol::backend_login login,
                                                  std::chrono::milliseconds timeout) {
  backend_connect_result result;
  tcp::socket socket(co_await asio::this_coro::executor);
  deadline watchdog(socket, timeout);
  auto timed_out = [&] {
    return unreachable(server, "timed out after " + std::to_string(timeout.count()) + " ms");
  };

  // (g++ 12 miscompiles some co_await inside conditions: results go to variables first.)
  const auto ec = co_await connect_socket(socket, server.address);
  if (ec) {
    result.error = watchdog.expired() ? timed_out() : unreachable(server, ec.message());
    co_return result;
  }
  socket.set_option(tcp::no_delay(true));

  protocol::client_handshake handshake(std::move(login));
  io_buffer buffer(4096);
  for (;;) {
    error_code ec;
    auto packet = co_await read_packet(socket, buffer, max_login_packet, ec);
    if (!packet) {
      result.error = watchdog.expired() ? timed_out()
                                        : unreachable(server, "connection lost during login: " + ec.message());
      co_return result;
    }
    auto step = handshake.on_server_packet(packet->payload, packet->sequence_id);
    switch (step.what) {
      case protocol::client_handshake::action::write_and_read: {
        const auto werr = co_await write_packet(socket, step.payload, step.sequence_id);
        if (werr) {
          result.error = unreachable(server, "connection lost during login: " + werr.message());
          co_return result;
        }
        break;
      }
      case protocol::client_handshake::action::fail:
        result.error = std::move(step.error);
        co_return result;
      case protocol::client_handshake::action::done:
        result.connection = backend_connection{std::move(socket), handshake.negotiated_capabilities(),
                                               std::move(packet->payload),
                                               handshake.greeting().connection_id};
        co_return result;
    }
  }
}

}  // namespace weft::proxy
