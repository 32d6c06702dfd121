// Listening sockets for the proxy and admin ports: TCP, or a Unix-domain socket for
// applications on the same host (sidecars), which skips the TCP stack on every packet.
#pragma once

#include "proxy/asio.h"
#include "routing/topology.h"

namespace weft::proxy {

// Fails with a clear message when `address` is taken: a TCP port someone listens on (the
// workers' SO_REUSEPORT would otherwise share it silently), or a Unix socket path a live process
// answers on. A socket file left by a weft that died is removed; a file that is not a socket is
// never touched.
void ensure_listen_address_free(const routing::endpoint& address);

// Opens `acceptor` on `address`. TCP: reuse_port lets every worker own a listening socket on the
// same port. Unix: the socket file gets mode 0777 as mariadbd's does (its directory's permissions
// decide who may connect).
void open_listener(net_acceptor& acceptor, const routing::endpoint& address, bool reuse_port);

// A further worker's acceptor on `first`'s listening socket (a Unix socket path can be bound
// once: the workers share it, each accepting on its own loop).
void share_listener(net_acceptor& acceptor, net_acceptor& first);

// Removes the Unix socket file of `address` at shutdown (nothing for TCP).
void remove_listener_file(const routing::endpoint& address);

}  // namespace weft::proxy
