// The one vocabulary of the connection phase: what a handshake algorithm (server_handshake, weft
// greeting a client; client_handshake, weft logging in to a backend) asks its driver to do next.
// The algorithms decide; one driver (proxy/handshake_driver) performs the action with a socket
// and feeds back what came of it; a unit test feeds packets by hand instead.
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/bytes.h"
#include "protocol/messages.h"

namespace weft::protocol {

struct handshake_action {
  enum kind : std::uint8_t {
    read,            // read the peer's next packet and give it to on_packet()
    write_and_read,  // write `payload` with `sequence_id`, then read as above
    tls_as_server,   // the client sent an SSLRequest: the TLS handshake as the server, then after_tls()
    tls_as_client,   // write `payload` (an SSLRequest) with `sequence_id`, the TLS handshake as the
                     // client, then after_tls()
    done,            // logged in; `payload`, when not empty, is written first with `sequence_id`
                     // (caching_sha2's "fast auth success" before the final OK)
    failed,          // over: `payload`, when not empty, is the ERR written to the peer with
                     // `sequence_id`; `error` is why, for the caller (the backend's ERR, or weft's)
  } what = failed;
  bytes payload;
  std::uint8_t sequence_id = 0;
  err_packet error;
};

// What every handshake algorithm offers its driver.
class handshake_machine {
 public:
  // A packet the peer sent, after a read or write_and_read.
  virtual handshake_action on_packet(bytes_view payload, std::uint8_t sequence_id) = 0;
  // The TLS handshake asked for by tls_as_server or tls_as_client succeeded.
  virtual handshake_action after_tls() = 0;
  // After a failed action, when the driver has reason to think the refusal came from stale
  // knowledge (an account list read before the login began) and fresher knowledge is now there:
  // the same answer checked again, or nullopt when the failure cannot be looked at again.
  virtual std::optional<handshake_action> look_again() { return std::nullopt; }

 protected:
  ~handshake_machine() = default;
};

}  // namespace weft::protocol
