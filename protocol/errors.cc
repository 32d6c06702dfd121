#include "protocol/errors.h"

#include <string>

namespace weft::protocol {
namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "weft.protocol"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::truncated: return "message truncated";
      case errc::malformed: return "malformed message";
      case errc::unexpected_header: return "unexpected packet header";
      case errc::packet_too_large: return "packet larger than max_allowed_packet";
      case errc::bad_sequence: return "packet sequence id out of order";
      case errc::unsupported_protocol: return "unsupported protocol version or capabilities";
      case errc::unsupported_auth: return "unsupported authentication plugin";
    }
    return "unknown protocol error";
  }
};

}  // namespace

const std::error_category& protocol_category() {
  static const category instance;
  return instance;
}

}  // namespace weft::protocol
