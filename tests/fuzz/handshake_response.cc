// HandshakeResponse41 (a client's login packet, the first bytes weft reads from anyone who
// connects) decoded from any payload.
//
// Input: the packet payload (no frame header).
// Checks: a decoded response encodes back to bytes that decode to the same value; the SSLRequest
// of that value is the first 32 bytes of its encoding and is recognised as one; nothing that
// decodes as a login has the SSLRequest's size.
#include <algorithm>

#include "fuzz_input.h"
#include "protocol/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace weft::protocol;
  const bytes_view payload(data, size);
  auto decoded = decode_handshake_response41(payload);
  if (!decoded) return 0;
  const auto encoded = encode(*decoded);
  auto again = decode_handshake_response41(encoded);
  FUZZ_EXPECT(again.has_value());
  FUZZ_EXPECT(*again == *decoded);
  const auto ssl = encode_ssl_request(*decoded);
  FUZZ_EXPECT(is_ssl_request(ssl));
  FUZZ_EXPECT(std::equal(ssl.begin(), ssl.end(), encoded.begin()));
  // The fixed head alone is 32 bytes, then at least the user name's NUL: a login that decodes
  // never has the SSLRequest's size, so the server handshake cannot mistake one for the other.
  FUZZ_EXPECT(!is_ssl_request(payload));
  FUZZ_EXPECT(!is_ssl_request(encoded));
  return 0;
}
