// The texts HELP shows on the admin port, one entry per admin command (data only; the lookup is
// help_catalog.cc), in one file per group of categories (help_topics_*.cc). Lines stay under 78
// columns: the mariadb CLI prints them as they are.
#pragma once

#include <span>
#include <string_view>

#include "admin/help_catalog.h"

namespace weft::admin {

std::span<const help_topic> all_help_topics();  // every part, in HELP's order

// The parts.
std::span<const help_topic> configuration_help_topics();  // Configuration SQL, Monitoring, Connections
std::span<const help_topic> ha_help_topics();             // High availability, Replication
std::span<const help_topic> data_help_topics();           // Data comparison, Backup and copy
std::span<const help_topic> sharding_help_topics();       // Sharding, Job control

// What a command needs of weft's backend account ([admin] backend_user) on the servers.
inline constexpr std::string_view weft_state_only = "nothing on the servers: it reads or changes weft's own state.";
inline constexpr std::string_view configuration_only =
    R"~(nothing on the servers: it changes weft's configuration only (the
monitor then checks the servers with the [monitor] account).)~";

}  // namespace weft::admin
