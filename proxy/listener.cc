#include "proxy/listener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <boost/asio/local/stream_protocol.hpp>

#include <stdexcept>

namespace weft::proxy {
namespace {

using generic_endpoint = asio::generic::stream_protocol::endpoint;

tcp::endpoint tcp_endpoint_of(const routing::endpoint& address) {
  return {asio::ip::make_address(address.host), address.port};
}

generic_endpoint to_generic(const routing::endpoint& address) {
  if (address.is_unix()) return generic_endpoint(asio::local::stream_protocol::endpoint(address.host));
  return generic_endpoint(tcp_endpoint_of(address));
}

[[noreturn]] void listen_failed(const routing::endpoint& address, const std::string& why) {
  spdlog::critical("event=listen_failed listen={} error=\"{}\"", address.to_string(), why);
  throw std::runtime_error("cannot listen on " + address.to_string() + ": " + why);
}

// A socket file whose listener is gone refuses connections: only then is it ours to replace.
void remove_stale_socket_file(const routing::endpoint& address) {
  struct stat st {};
  if (::lstat(address.host.c_str(), &st) != 0) return;  // nothing there
  if (!S_ISSOCK(st.st_mode)) listen_failed(address, "the path exists and is not a socket");
  asio::io_context io;
  asio::local::stream_protocol::socket probe(io);
  error_code ec;
  probe.connect(asio::local::stream_protocol::endpoint(address.host), ec);
  if (!ec) listen_failed(address, "another process is listening on that socket");
  ::unlink(address.host.c_str());
}

}  // namespace

void ensure_listen_address_free(const routing::endpoint& address) {
  if (address.is_unix()) return remove_stale_socket_file(address);
  asio::io_context io;
  tcp::acceptor probe(io);
  const auto endpoint = tcp_endpoint_of(address);
  probe.open(endpoint.protocol());
  probe.set_option(tcp::acceptor::reuse_address(true));  // TIME_WAIT leftovers are fine
  error_code ec;
  probe.bind(endpoint, ec);
  if (ec) listen_failed(address, ec.message());
}

void open_listener(net_acceptor& acceptor, const routing::endpoint& address, bool reuse_port) {
  const auto endpoint = to_generic(address);
  acceptor.open(endpoint.protocol());
  if (!address.is_unix()) {
    acceptor.set_option(asio::socket_base::reuse_address(true));
    int one = 1;
    if (reuse_port) ::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  }
  error_code ec;
  acceptor.bind(endpoint, ec);
  if (ec) listen_failed(address, ec.message());
  if (address.is_unix()) ::chmod(address.host.c_str(), 0777);
  acceptor.listen(asio::socket_base::max_listen_connections);
}

void share_listener(net_acceptor& acceptor, net_acceptor& first) {
  const int fd = ::dup(first.native_handle());
  if (fd < 0) throw std::runtime_error("cannot share the listening socket: dup failed");
  acceptor.assign(first.local_endpoint().protocol(), fd);
}

void remove_listener_file(const routing::endpoint& address) {
  if (address.is_unix()) ::unlink(address.host.c_str());
}

}  // namespace weft::proxy
