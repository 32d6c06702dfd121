// CLONE SERVER NEW: [provision] create_command makes the new server first, as Fabric's machine
// providers did. It runs through /bin/sh with WEFT_NEW_SERVER, WEFT_NEW_HOST and WEFT_NEW_PORT
// (the address the statement named; empty when it named none: the command then prints the
// address it made as its last line) and WEFT_GROUP in its environment.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "routing/topology.h"

namespace weft::ops {

struct provision_request {
  std::string command;
  std::string address;  // host:port, or "" for the command's choice
  std::string group;
  std::chrono::milliseconds timeout{600000};  // the command's, then the server's first answer
};

// The new server's address once `answers` says it takes connections, or what went wrong.
std::variant<routing::endpoint, std::string> provision_server(
    const provision_request& request, const std::function<bool(const routing::endpoint&)>& answers);

// The address a create_command printed: its last non-empty line, as host:port.
std::optional<routing::endpoint> printed_address(std::string_view output);

}  // namespace weft::ops
