// A watchdog for one phase of a connection (handshake, backend login): if the phase is not
// finished in time, the socket is closed, so every pending operation on it completes with an
// error. Cheaper and simpler than racing each operation against a timer.
#pragma once

#include <chrono>
#include <memory>

#include "proxy/asio.h"
#include "proxy/stream.h"

namespace weft::proxy {

class deadline {
 public:
  deadline(stream& connection, std::chrono::milliseconds timeout)
      : timer_(connection.socket().get_executor()), state_(std::make_shared<shared_state>()) {
    timer_.expires_after(timeout);
    timer_.async_wait([&connection, state = state_](error_code ec) {
      // A handler already queued when the phase ended still runs: check it is still wanted.
      if (ec || !state->active) return;
      state->expired = true;
      connection.close();  // whichever socket it holds now, TLS upgrade or not
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
