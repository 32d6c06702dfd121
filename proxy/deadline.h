// A watchdog for one phase of a connection (handshake, backend login): if the phase is not
// finished in time, the socket is closed, so every pending operation on it completes with an
// error. Cheaper and simpler than racing each operation against a timer.
#pragma once

#include <chrono>
#include <memory>

#include "proxy/asio.h"

namespace weft::proxy {

class deadline {
 public:
  deadline(tcp::socket& socket, std::chrono::milliseconds timeout)
      : timer_(socket.get_executor()), state_(std::make_shared<shared_state>()) {
    timer_.expires_after(timeout);
    timer_.async_wait([&socket, state = state_](error_code ec) {
      // A handler already queued when the phase ended still runs: check it is still wanted.
      if (ec || !state->active) return;
      state->expired = true;
      error_code ignored;
      socket.close(ignored);
    });
  }
  ~deadline() {
    state_->active = false;
    timer_.cancel();
  }
  deadline(const deadline&) = delete;
  deadline& operator=(const deadline&) = delete;

  bool expired() const { return state_->expired; }

 private:
  struct shared_state {
    bool active = true;
    bool expired = false;
  };
  asio::steady_timer timer_;
  std::shared_ptr<shared_state> state_;
};

}  // namespace weft::proxy
