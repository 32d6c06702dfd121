// Session-state information (CLIENT_SESSION_TRACK): the entries an OK packet carries after
// SERVER_SESSION_STATE_CHANGED. A server reports the session's schema this way at login and
// after USE; Connector/C (libmariadb, the mariadb CLI) takes it as the current database.
#pragma once

#include <cstdint>
#include <string_view>

#include "protocol/bytes.h"

namespace weft::protocol {

namespace session_track {
inline constexpr std::uint8_t system_variables = 0;
inline constexpr std::uint8_t schema = 1;
inline constexpr std::uint8_t state_change = 2;
inline constexpr std::uint8_t gtids = 3;
}  // namespace session_track

// One SESSION_TRACK_SCHEMA entry: type 1, then its data (the schema, length-encoded) as a
// length-encoded string, e.g. 01 06 05 "mysql".
bytes encode_schema_change(std::string_view schema);

}  // namespace weft::protocol
