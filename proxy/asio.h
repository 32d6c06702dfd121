// The Asio pieces the proxy uses, in one place.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace weft::proxy {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
// A connected stream socket of either family weft speaks on: TCP or Unix-domain.
using net_socket = asio::generic::stream_protocol::socket;
using net_acceptor = asio::basic_socket_acceptor<asio::generic::stream_protocol>;
using boost::system::error_code;
template <class T = void>
using awaitable = asio::awaitable<T>;
// Completion token that returns (error_code, ...) instead of throwing: errors are data here.
inline constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);
}  // namespace weft::proxy
