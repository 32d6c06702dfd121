#include "proxy/admission_control.h"

#include <spdlog/spdlog.h>

#include "protocol/errors.h"
#include "protocol/frame.h"
#include "proxy/stream.h"

namespace weft::proxy {
namespace {

namespace p = protocol;

// MariaDB's text, with weft's way to unblock (the admin port's FLUSH HOSTS).
p::err_packet host_blocked_error(const std::string& host) {
  return p::make_error(p::er::host_blocked, "Host '" + host +
                                                "' is blocked because of many failed logins; unblock with "
                                                "'FLUSH HOSTS' on weft's admin port");
}

}  // namespace

bool denies_access(p::bytes_view err_payload) {
  const auto err = p::decode_err_packet(err_payload);
  return err && err->error_code == p::er::access_denied.code;
}

std::optional<connection_limit::slot> connection_limit::try_acquire() {
  auto open = open_.load(std::memory_order_relaxed);
  do {
    if (open >= max_) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
  } while (!open_.compare_exchange_weak(open, open + 1, std::memory_order_relaxed));
  return slot(open_);
}

admission_control::admission_control(std::string port_name, std::size_t max_connections,
                                     login_throttle_settings throttle)
    : connections(max_connections), logins(throttle), port_(std::move(port_name)) {}

std::optional<connection_limit::slot> admission_control::admit(net_socket& socket) {
  auto slot = connections.try_acquire();
  if (!slot) {
    refuse(socket, p::make_error(p::er::too_many_connections, "Too many connections"), "max_connections",
           peer_host(socket), too_many_log_);
    return std::nullopt;
  }
  const auto host = peer_host(socket);
  if (logins.blocked(host)) {
    refuse(socket, host_blocked_error(host), "host_blocked", host, blocked_log_);
    return std::nullopt;
  }
  return slot;
}

// Before the handshake nothing is negotiated, so the ERR has no SQLSTATE marker and sequence id
// 0: byte for byte what MariaDB 10.11 sends at max_connections (clients show it as HY000). The
// send is not awaited: a fresh socket's send buffer is empty, so it never waits.
void admission_control::refuse(net_socket& socket, const p::err_packet& err, const char* reason,
                               const std::string& host, log_limiter& log) {
  const auto frame = p::encode_packet(p::encode(err, 0), 0);
  error_code ignored;
  socket.non_blocking(true, ignored);
  socket.send(asio::buffer(frame), 0, ignored);
  socket.shutdown(net_socket::shutdown_both, ignored);
  socket.close(ignored);
  std::lock_guard lock(log_mutex_);
  if (const auto n = log.note()) {
    spdlog::warn("event=connection_refused port={} reason={} client={} open={} max_connections={} refused={}", port_,
                 reason, host, connections.open(), connections.max(), *n);
  }
}

void admission_control::login_failed(const std::string& host) {
  if (!logins.failed(host)) return;
  const auto& s = logins.settings();
  spdlog::warn("event=host_blocked port={} client={} failures={} window_ms={} block_ms={}", port_, host,
               s.max_failures, s.window.count(), s.block_for.count());
}

}  // namespace weft::proxy
