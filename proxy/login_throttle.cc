#include "proxy/login_throttle.h"

#include <algorithm>

namespace weft::proxy {

login_throttle::login_throttle(login_throttle_settings settings, now_function now)
    : settings_(settings), now_(std::move(now)) {}

bool login_throttle::blocked(std::string_view host) {
  if (settings_.max_failures == 0) return false;
  const auto now = now_();
  std::lock_guard lock(mutex_);
  const auto it = hosts_.find(std::string(host));
  if (it == hosts_.end() || it->second.blocked_until <= now) return false;
  ++refused_;
  return true;
}

bool login_throttle::failed(std::string_view host) {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  ++failed_logins_;
  if (settings_.max_failures == 0) return false;
  if (hosts_.size() >= next_sweep_) forget_stale(now);
  auto& h = hosts_[std::string(host)];
  if (h.blocked_until > now) return false;  // a login that started before the block
  if (h.failures == 0 || now - h.first_failure >= settings_.window) {
    h.failures = 0;
    h.first_failure = now;
  }
  if (++h.failures < settings_.max_failures) return false;
  h.failures = 0;  // the count starts again once the block ends
  h.blocked_until = now + settings_.block_for;
  return true;
}

// Hosts neither blocked nor inside a failure window carry no information. Sweeping when the
// table doubles keeps the cost per failure constant and the memory bounded by the hosts that
// failed recently.
void login_throttle::forget_stale(clock::time_point now) {
  std::erase_if(hosts_, [&](const auto& entry) {
    const auto& h = entry.second;
    return h.blocked_until <= now && (h.failures == 0 || now - h.first_failure >= settings_.window);
  });
  next_sweep_ = std::max<std::size_t>(1024, hosts_.size() * 2);
}

std::size_t login_throttle::flush() {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  const auto blocked = std::count_if(hosts_.begin(), hosts_.end(),
                                     [&](const auto& entry) { return entry.second.blocked_until > now; });
  hosts_.clear();
  next_sweep_ = 1024;
  return static_cast<std::size_t>(blocked);
}

login_throttle::counters login_throttle::counts() const {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  counters c{failed_logins_, refused_, 0};
  for (const auto& [host, h] : hosts_) c.blocked_hosts += h.blocked_until > now ? 1 : 0;
  return c;
}

std::size_t login_throttle::hosts_tracked() const {
  std::lock_guard lock(mutex_);
  return hosts_.size();
}

}  // namespace weft::proxy
