// Opens a connection to a backend and logs in as the client's user (see
// protocol::client_handshake), with TLS when configured, within one deadline for
// connect + handshake.
#pragma once

#include <chrono>
#include <optional>

#include "protocol/client_handshake.h"
#include "proxy/asio.h"
#include "proxy/settings.h"
#include "proxy/stream.h"
#include "routing/topology.h"

namespace weft::proxy {

struct backend_connection {
  std::unique_ptr<stream> connection;
  std::uint64_t capabilities = 0;  // negotiated with the backend
  protocol::bytes ok_payload;      // the backend's final OK of the login, as received
  std::uint32_t connection_id = 0;
  std::optional<protocol::client_handshake> login;  // kept for COM_CHANGE_USER
};

struct backend_connect_result {
  std::optional<backend_connection> connection;
  protocol::err_packet error;  // for the client when connection is empty
};

struct backend_tls {
  asio::ssl::context* context = nullptr;  // null: plain TCP
  bool verify = true;
};

// The connection attributes of a backend login: weft's own first (`_proxy` = "weft",
// `_proxy_version`), then the client's (a client's own `_proxy*` keys are dropped, so none can
// pass for weft). First, because a server keeps only as many attribute bytes as
// performance_schema_session_connect_attrs_size allows and cuts the rest.
std::vector<std::pair<std::string, std::string>> backend_attributes(
    std::vector<std::pair<std::string, std::string>> client_attributes);

// The login's attributes go through backend_attributes.
// tcp_user_timeout (0: the kernel's default) bounds unacknowledged sends and, with keepalive
// probes, notices a backend host that vanished while the connection sat idle or waited.
awaitable<backend_connect_result> connect_backend(const routing::server& server,
                                                  protocol::backend_login login,
                                                  std::chrono::milliseconds timeout, backend_tls tls,
                                                  std::chrono::milliseconds tcp_user_timeout = {});

}  // namespace weft::proxy
