// Who may start a session on a port, decided when a connection is accepted, before the greeting:
// a limit on open connections (1040 Too many connections) and the failed-login throttle (1129
// host blocked). A refused client gets the ERR the server sends in the same case, as its first
// packet, and the socket is closed at once, so a flood costs no descriptors. One instance per
// port, shared by its threads.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "protocol/messages.h"
#include "proxy/asio.h"
#include "proxy/log_limiter.h"
#include "proxy/login_throttle.h"

namespace weft::proxy {

// Open connections of one port (every worker's), counted per connection, never per query.
class connection_limit {
 public:
  explicit connection_limit(std::size_t max) : max_(max) {}

  // One open connection; gives its place back when destroyed.
  class slot {
   public:
    explicit slot(std::atomic<std::size_t>& open) : open_(&open) {}
    slot(slot&& other) noexcept : open_(std::exchange(other.open_, nullptr)) {}
    slot& operator=(slot&&) = delete;
    ~slot() {
      if (open_) open_->fetch_sub(1, std::memory_order_relaxed);
    }

   private:
    std::atomic<std::size_t>* open_;
  };

  std::optional<slot> try_acquire();
  std::size_t open() const { return open_.load(std::memory_order_relaxed); }
  std::size_t max() const { return max_; }
  std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::size_t> open_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::size_t max_;
};

class admission_control {
 public:
  admission_control(std::string port_name, std::size_t max_connections, login_throttle_settings throttle);

  // nullopt: refused (the ERR is sent and the socket closed); else the connection's place.
  std::optional<connection_limit::slot> admit(net_socket& socket);
  // A login refused for its credentials: counted, and logged (event=host_blocked) when it blocks
  // the host.
  void login_failed(const std::string& host);

  connection_limit connections;
  login_throttle logins;

 private:
  void refuse(net_socket& socket, const protocol::err_packet& err, const char* reason, const std::string& host,
              log_limiter& log);

  std::string port_;
  std::mutex log_mutex_;  // the limiters: one line per burst of refusals, per reason
  log_limiter too_many_log_{std::chrono::seconds(5)};
  log_limiter blocked_log_{std::chrono::seconds(5)};
};

// Whether a login's refusal (an ERR payload) is for credentials (1045): only those count
// towards blocking a host, not malformed handshakes (a scanner, TLS sent to a plain port).
bool denies_access(protocol::bytes_view err_payload);

}  // namespace weft::proxy
