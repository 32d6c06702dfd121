#include "proxy/backend_connector.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <spdlog/spdlog.h>

#include <boost/asio/local/stream_protocol.hpp>

#include "proxy/deadline.h"
#include "proxy/handshake_driver.h"
#include "proxy/io_buffer.h"
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

awaitable<error_code> connect_socket(net_socket& socket, const routing::endpoint& address) {
  using generic_endpoint = asio::generic::stream_protocol::endpoint;
  if (address.is_unix()) {
    auto [err] = co_await socket.async_connect(generic_endpoint(asio::local::stream_protocol::endpoint(address.host)),
                                               use_nothrow);
    co_return err;
  }
  error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  if (!ec) {
    auto [err] = co_await socket.async_connect(generic_endpoint(tcp::endpoint(ip, address.port)), use_nothrow);
    co_return err;
  }
  tcp::resolver resolver(socket.get_executor());
  auto [rerr, results] =
      co_await resolver.async_resolve(address.host, std::to_string(address.port), use_nothrow);
  if (rerr) co_return rerr;
  for (const auto& entry : results) {
    error_code ignored;
    socket.close(ignored);
    auto [err] = co_await socket.async_connect(generic_endpoint(entry.endpoint()), use_nothrow);
    if (!err) co_return err;
    ec = err;
  }
  co_return ec;
}

// Keepalive after 10 s of silence, then a probe every 5 s; TCP_USER_TIMEOUT ends the connection
// when sent data (probes included) stays unacknowledged that long.
void set_keepalive(net_socket& socket, std::chrono::milliseconds user_timeout) {
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

namespace {

protocol::backend_login prepared(protocol::backend_login login, const backend_tls& tls) {
  login.use_tls = tls.context != nullptr;
  login.attributes = backend_attributes(std::move(login.attributes));
  return login;
}

// The login over the open connection, within the caller's deadline.
awaitable<handshake_result> log_in(protocol::client_handshake& handshake, stream& connection,
                                   const routing::server& server, const backend_tls& tls) {
  io_buffer buffer(4096);
  handshake_options options;
  options.max_packet = max_login_packet;
  options.tls = tls.context;
  options.tls_host = server.address.host;
  options.tls_verify = tls.verify;
  auto outcome = co_await run_handshake(handshake, protocol::client_handshake::start(), connection, buffer,
                                        std::move(options));
  co_return outcome;
}

std::string login_failure(const handshake_result& outcome) {
  const bool tls_failed = outcome.broken == handshake_io::tls;
  return (tls_failed ? "TLS handshake failed: " : "connection lost during login: ") + outcome.error.message();
}

backend_connection logged_in(std::unique_ptr<stream> connection, protocol::client_handshake handshake,
                             protocol::bytes ok_payload) {
  backend_connection c{std::move(connection), handshake.negotiated_capabilities(), std::move(ok_payload),
                       handshake.greeting().connection_id, std::nullopt};
  c.login.emplace(std::move(handshake));
  if (c.capabilities & protocol::cap::compress) c.connection->enable_compression();  // from the first command on
  return c;
}

}  // namespace

awaitable<backend_connect_result> connect_backend(const routing::server& server,
                                                  protocol::backend_login login,
                                                  std::chrono::milliseconds timeout, backend_tls tls,
                                                  std::chrono::milliseconds tcp_user_timeout) {
  backend_connect_result result;
  auto connection = std::make_unique<stream>(net_socket(co_await asio::this_coro::executor));
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
  if (!server.address.is_unix()) {  // a local socket has no Nagle and no silent peer to probe
    set_no_delay(connection->socket());
    set_keepalive(connection->socket(), tcp_user_timeout);
  }
  if (!login.proxy_header.empty()) {  // before the server's greeting: it names the client's address
    const auto header_error = co_await connection->write_all(asio::buffer(login.proxy_header));
    if (header_error) {
      result.error = lost(header_error.message());
      co_return result;
    }
  }

  protocol::client_handshake handshake(prepared(std::move(login), tls));
  auto outcome = co_await log_in(handshake, *connection, server, tls);
  if (outcome.end == handshake_end::done) {
    result.connection = logged_in(std::move(connection), std::move(handshake), std::move(outcome.last_packet));
  } else if (outcome.end == handshake_end::failed) {
    result.error = std::move(outcome.last.error);
  } else {
    result.error = lost(login_failure(outcome));
  }
  co_return result;
}

}  // namespace weft::proxy
