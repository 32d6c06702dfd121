// The objects DIFF SCHEMA compares by their CREATE statement (pure): routines, events,
// sequences, views and triggers. Each function returns the changes of one phase of
// ops/schema_diff.h's order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ops/schema_diff.h"

namespace weft::ops {

using definitions = std::map<std::string, std::string>;  // name → CREATE statement

// DROP `kind` for each of `target`'s objects the model lacks (kind: PROCEDURE, FUNCTION, EVENT,
// SEQUENCE, VIEW).
std::vector<schema_change> extra_definitions(const std::string& kind, const std::string& database,
                                             const definitions& target, const definitions& model);
// CREATE for each missing one; DROP then CREATE for each different one.
std::vector<schema_change> missing_definitions(const std::string& kind, const std::string& database,
                                               const definitions& target, const definitions& model);
// Views missing or different, each after the views it selects from; a different one is
// CREATE OR REPLACE.
std::vector<schema_change> missing_views(const definitions& target, const definitions& model);

// Triggers that go, and those made again to keep an event's firing order (DROP TRIGGER).
std::vector<schema_change> trigger_drops(const schema_snapshot& target, const schema_snapshot& model);
// Triggers missing or made again, in firing order.
std::vector<schema_change> trigger_creates(const schema_snapshot& target, const schema_snapshot& model);

}  // namespace weft::ops
