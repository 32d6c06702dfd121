// The schema a server reports in an OK packet (SESSION_TRACK_SCHEMA), byte for byte as MariaDB
// 10.11 sent it after a login with -D mysql.
#include <gtest/gtest.h>

#include "protocol/messages.h"
#include "protocol/session_track.h"

namespace weft::protocol {
namespace {

TEST(SessionTrack, SchemaEntryAsTheServerSendsIt) {
  const bytes expected{0x01, 0x06, 0x05, 'm', 'y', 's', 'q', 'l'};
  EXPECT_EQ(encode_schema_change("mysql"), expected);
}

TEST(SessionTrack, OkAfterLoginReportingTheSchema) {
  // Captured: 00 00 00 02 40 00 00 00 08 01 06 05 "mysql" (autocommit | session state changed).
  const bytes captured{0x00, 0x00, 0x00, 0x02, 0x40, 0x00, 0x00, 0x00, 0x08, 0x01, 0x06, 0x05, 'm', 'y', 's', 'q', 'l'};
  ok_packet ok;
  ok.status_flags = status::autocommit | status::session_state_changed;
  ok.session_state_info = encode_schema_change("mysql");
  const auto caps = cap::protocol_41 | cap::session_track;
  EXPECT_EQ(encode(ok, caps), captured);
  auto decoded = decode_ok_packet(captured, caps);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, ok);
}

}  // namespace
}  // namespace weft::protocol
