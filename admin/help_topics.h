// The texts HELP shows on the admin port, one entry per admin command (data only; the lookup is
// help_catalog.cc). Lines stay under 78 columns: the mariadb CLI prints them as they are.
#pragma once

#include <span>

#include "admin/help_catalog.h"

namespace weft::admin {

std::span<const help_topic> all_help_topics();

}  // namespace weft::admin
