#include "ops/clone_provision.h"

#include <thread>

#include "ops/ha_steps.h"

namespace weft::ops {

std::optional<routing::endpoint> printed_address(std::string_view output) {
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r' || output.back() == ' ')) {
    output.remove_suffix(1);
  }
  const auto line_start = output.find_last_of('\n');
  auto line = line_start == std::string_view::npos ? output : output.substr(line_start + 1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return routing::parse_endpoint(std::string(line));
}

std::variant<routing::endpoint, std::string> provision_server(
    const provision_request& request, const std::function<bool(const routing::endpoint&)>& answers) {
  const auto started = std::chrono::steady_clock::now();
  const auto named = routing::parse_endpoint(request.address);
  std::map<std::string, std::string> env{{"WEFT_NEW_SERVER", named ? named->to_string() : ""},
                                         {"WEFT_NEW_HOST", named ? named->host : ""},
                                         {"WEFT_NEW_PORT", named ? std::to_string(named->port) : ""},
                                         {"WEFT_GROUP", request.group}};
  std::string output;
  const auto ran = run_hook(request.command, env, request.timeout, &output);
  if (!ran.ok) return "it failed (" + ran.detail + ")";
  const auto address = named ? named : printed_address(output);
  if (!address) return "it named no server: its last line of output is not a host:port";
  // The command may return before the server listens: it gets the rest of the timeout.
  while (!answers(*address)) {
    if (std::chrono::steady_clock::now() - started >= request.timeout) {
      return "the server it made, '" + address->to_string() + "', did not answer within " +
             std::to_string(request.timeout.count()) + " ms";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return *address;
}

}  // namespace weft::ops
