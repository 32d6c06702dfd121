// The PROXY protocol's version 1 header (HAProxy's text form): what weft writes first on a
// backend connection so that the server matches accounts against the client's address, not
// weft's (MariaDB 10.3+: proxy_protocol_networks must list weft's address).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::protocol {

// "PROXY TCP4 <source> <destination> <source port> <destination port>\r\n" (TCP6 for IPv6
// addresses; an IPv4-mapped IPv6 address is written as IPv4). Empty when an address is not an
// IP address, or the two are of different families.
std::string proxy_header_v1(std::string_view source_ip, std::uint16_t source_port, std::string_view destination_ip,
                            std::uint16_t destination_port);

}  // namespace weft::protocol
