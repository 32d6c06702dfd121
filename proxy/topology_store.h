// The live topology: configuration plus what the monitor saw (see snapshot_store.h).
#pragma once

#include "proxy/snapshot_store.h"
#include "routing/topology.h"

namespace weft::proxy {

using topology_store = snapshot_store<routing::topology>;
using topology_ptr = topology_store::ptr;

}  // namespace weft::proxy
