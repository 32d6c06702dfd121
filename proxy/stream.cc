#include "proxy/stream.h"

#include <openssl/ssl.h>

#include <cstring>

#include "protocol/compression.h"

#include <boost/asio/ssl/host_name_verification.hpp>

namespace weft::proxy {

awaitable<error_code> stream::start_tls_server(asio::ssl::context& context, asio::const_buffer already_read) {
  tls_ = std::make_unique<asio::ssl::stream<net_socket>>(std::move(socket_), context);
  auto [ec, used] = co_await tls_->async_handshake(asio::ssl::stream_base::server, already_read, use_nothrow);
  (void)used;
  co_return ec;
}

awaitable<error_code> stream::start_tls_client(asio::ssl::context& context, const std::string& host,
                                               bool verify_peer) {
  tls_ = std::make_unique<asio::ssl::stream<net_socket>>(std::move(socket_), context);
  if (verify_peer) {
    tls_->set_verify_mode(asio::ssl::verify_peer);
    tls_->set_verify_callback(asio::ssl::host_name_verification(host));
  } else {
    tls_->set_verify_mode(asio::ssl::verify_none);
  }
  SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
  auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, use_nothrow);
  co_return ec;
}

awaitable<std::tuple<error_code, std::size_t>> stream::read_some_raw(asio::mutable_buffer buffer) {
  if (tls_) return tls_->async_read_some(buffer, use_nothrow);
  return socket_.async_read_some(buffer, use_nothrow);
}

awaitable<std::tuple<error_code, std::size_t>> stream::write_all_raw(asio::const_buffer buffer) {
  if (tls_) return asio::async_write(*tls_, buffer, use_nothrow);
  return asio::async_write(socket_, buffer, use_nothrow);
}

awaitable<std::pair<error_code, std::size_t>> stream::read_some(asio::mutable_buffer buffer) {
  read_waiting_ = true;
  std::pair<error_code, std::size_t> result;
  if (compression_) {
    result = co_await read_some_compressed(buffer);
  } else {
    auto [ec, n] = co_await read_some_raw(buffer);
    result = {ec, n};
  }
  read_waiting_ = false;
  ++reads_ended_;
  co_return result;
}

// Asio would post the completion of a write the socket takes at once, and the loop would poll
// epoll once more before running it: one trip through the scheduler per write, two per query.
// A plain socket tries the send here first; only what the socket's buffer refuses is awaited.
bool stream::sent_at_once(asio::const_buffer& buffer, error_code& ec) {
  if (tls_) return false;  // TLS writes through its own state
  if (!socket_.non_blocking()) {
    socket_.non_blocking(true, ec);  // a send that would wait returns would_block instead
    if (ec) return false;
  }
  buffer += socket_.write_some(buffer, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
  return ec || buffer.size() == 0;
}

awaitable<error_code> stream::write_all(asio::const_buffer buffer) {
  if (!compression_) {
    error_code ec;
    if (sent_at_once(buffer, ec)) co_return ec;
    auto [failed, n] = co_await write_all_raw(buffer);
    (void)n;
    co_return failed;
  }
  protocol::bytes frames;
  protocol::compress_frames({static_cast<const std::uint8_t*>(buffer.data()), buffer.size()},
                            compression_->next_seq, frames);
  auto [ec, n] = co_await write_all_raw(asio::buffer(frames));
  (void)n;
  co_return ec;
}

awaitable<std::pair<error_code, std::size_t>> stream::read_some_compressed(asio::mutable_buffer buffer) {
  auto& c = *compression_;
  while (c.plain_pos == c.plain.size()) {
    c.plain.clear();
    c.plain_pos = 0;
    std::error_code perr;
    const auto used = protocol::decompress_frames(c.raw, c.plain, c.next_seq, perr);
    c.raw.erase(c.raw.begin(), c.raw.begin() + static_cast<std::ptrdiff_t>(used));
    if (perr) co_return std::pair{make_error_code(boost::system::errc::bad_message), std::size_t{0}};
    if (!c.plain.empty()) break;
    std::uint8_t chunk[16 * 1024];
    auto [ec, n] = co_await read_some_raw(asio::buffer(chunk));
    if (ec) co_return std::pair{ec, std::size_t{0}};
    c.raw.insert(c.raw.end(), chunk, chunk + n);
  }
  const auto n = std::min(buffer.size(), c.plain.size() - c.plain_pos);
  std::memcpy(buffer.data(), c.plain.data() + c.plain_pos, n);
  c.plain_pos += n;
  co_return std::pair{error_code{}, n};
}

std::string stream::tls_version() const {
  if (!tls_) return {};
  return SSL_get_version(const_cast<asio::ssl::stream<net_socket>&>(*tls_).native_handle());
}

std::optional<tcp::endpoint> as_tcp(const asio::generic::stream_protocol::endpoint& endpoint) {
  const auto family = endpoint.data()->sa_family;
  if (family != AF_INET && family != AF_INET6) return std::nullopt;
  tcp::endpoint out;
  if (endpoint.size() > out.capacity()) return std::nullopt;
  std::memcpy(out.data(), endpoint.data(), endpoint.size());
  out.resize(endpoint.size());
  return out;
}

std::string peer_host(net_socket& socket) {
  error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  if (remote.data()->sa_family == AF_UNIX) return "localhost";
  const auto ip = as_tcp(remote);
  return ip ? ip->address().to_string() : "unknown";
}

void set_no_delay(net_socket& socket) {
  error_code ignored;  // a Unix-domain socket refuses the option: it has no Nagle to turn off
  socket.set_option(tcp::no_delay(true), ignored);
}

void stream::close() {
  error_code ignored;
  socket().shutdown(net_socket::shutdown_both, ignored);
  socket().close(ignored);
}

asio::ssl::context make_server_tls_context(const std::string& cert_file, const std::string& key_file) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  context.use_certificate_chain_file(cert_file);
  context.use_private_key_file(key_file, asio::ssl::context::pem);
  return context;
}

asio::ssl::context make_client_tls_context(const std::string& ca_file) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1);
  if (!ca_file.empty()) context.load_verify_file(ca_file);
  return context;
}

}  // namespace weft::proxy
