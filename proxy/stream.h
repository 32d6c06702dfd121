// A connection (TCP or Unix-domain) that starts plain and may be upgraded to TLS in the middle of the
// MySQL handshake (after an SSLRequest). Sessions read and write through it without caring
// which it is; a plain stream costs one predictable branch per operation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "protocol/bytes.h"
#include "proxy/asio.h"

namespace weft::proxy {

class stream {
 public:
  explicit stream(net_socket socket) : socket_(std::move(socket)) {}
  explicit stream(tcp::socket socket) : socket_(std::move(socket)) {}

  // TLS as the server (client side of weft) or as the client (towards a backend).
  // already_read: bytes received after the SSLRequest (the start of the client's TLS hello).
  awaitable<error_code> start_tls_server(asio::ssl::context& context, asio::const_buffer already_read);
  awaitable<error_code> start_tls_client(asio::ssl::context& context, const std::string& host,
                                         bool verify_peer);

  awaitable<std::pair<error_code, std::size_t>> read_some(asio::mutable_buffer buffer);
  // For the watchdog: whether a read is waiting now, and how many reads ended so far. Every read
  // of a backend connection counts (a statement's answer, a reset, a replayed SET), so no wait on
  // a frozen server escapes the bound, whichever code awaits it.
  bool read_waiting() const { return read_waiting_; }
  std::uint64_t reads_ended() const { return reads_ended_; }
  awaitable<error_code> write_all(asio::const_buffer buffer);

  // The compressed protocol, from the first command on (the login stays uncompressed).
  void enable_compression() { compression_ = std::make_unique<compression_state>(); }
  bool is_compressed() const { return compression_ != nullptr; }
  // Weft as a client: each command starts a new compressed sequence.
  void start_command() {
    if (compression_) compression_->next_seq = 0;
  }

  bool is_tls() const { return tls_ != nullptr; }
  std::string tls_version() const;
  net_socket& socket() { return tls_ ? tls_->next_layer() : socket_; }
  void close();

 private:
  struct compression_state {
    protocol::bytes raw;     // compressed bytes received, not yet a whole frame
    protocol::bytes plain;   // decompressed bytes not yet handed out
    std::size_t plain_pos = 0;
    std::uint8_t next_seq = 0;
  };
  // The socket operations themselves, TLS or not. Plain functions returning asio's awaitable, not
  // coroutines: the hot path pays no extra coroutine frame for the dispatch.
  awaitable<std::tuple<error_code, std::size_t>> read_some_raw(asio::mutable_buffer buffer);
  awaitable<std::tuple<error_code, std::size_t>> write_all_raw(asio::const_buffer buffer);
  awaitable<std::pair<error_code, std::size_t>> read_some_compressed(asio::mutable_buffer buffer);
  // Sends what the socket takes now; true when done (all sent, or failed: ec says which).
  bool sent_at_once(asio::const_buffer& buffer, error_code& ec);

  net_socket socket_;  // moved into tls_ on upgrade
  std::unique_ptr<compression_state> compression_;
  std::unique_ptr<asio::ssl::stream<net_socket>> tls_;
  bool read_waiting_ = false;
  std::uint64_t reads_ended_ = 0;
};

// The peer's IP address as text, "localhost" for a Unix-domain socket (as MariaDB names such
// clients), "unknown" when it cannot be read.
std::string peer_host(net_socket& socket);
// The TCP endpoint behind a generic one; nullopt for a Unix-domain socket.
std::optional<tcp::endpoint> as_tcp(const asio::generic::stream_protocol::endpoint& endpoint);
// Sets TCP_NODELAY on a TCP socket (a Unix-domain one has no Nagle).
void set_no_delay(net_socket& socket);

// A TLS context for weft's listener: certificate + key, TLS 1.2 and 1.3 only.
asio::ssl::context make_server_tls_context(const std::string& cert_file, const std::string& key_file);
// A TLS context for backend connections: verifies against ca_file when given.
asio::ssl::context make_client_tls_context(const std::string& ca_file);

}  // namespace weft::proxy
