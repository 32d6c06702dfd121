// DIFF SCHEMA's decision (pure): two schema models in, the statements that make the first like
// the second out, in an order they can run in:
//
//   drop triggers, events, views, routines that go; drop foreign keys that go or change (and
//   those over columns that change); drop tables that go (referencing ones first); sequences;
//   one ALTER TABLE per changed table (columns, indexes, checks, options); create missing
//   tables (referenced ones first); add foreign keys; then functions, views (a view after the
//   views it selects from), procedures, triggers, events.
//
// A changed view is CREATE OR REPLACE; a changed routine, event or sequence is DROP then
// CREATE; a changed trigger is dropped with the drops and made again at the end (so triggers
// on one event keep their firing order).
#pragma once

#include <string>
#include <vector>

#include "ops/schema_model.h"

namespace weft::ops {

struct schema_change {
  // DATABASE, TABLE, FOREIGN KEY, VIEW, PROCEDURE, FUNCTION, TRIGGER, EVENT, SEQUENCE
  std::string object_type;
  std::string object;     // "t1", or "t1.fk" for a foreign key
  std::string action;     // CREATE (missing), ALTER (different), DROP (extra)
  std::string statement;  // complete, names qualified with the database
  bool operator==(const schema_change&) const = default;
};

// Statements that make `target` equal to `model`, in dependency order (empty: equal).
std::vector<schema_change> diff_schemas(const schema_snapshot& target, const schema_snapshot& model);

// Whether one table's definition is the same on both (after normalising what does not matter);
// false when either lacks it.
bool same_table(const schema_snapshot& a, const schema_snapshot& b, const std::string& table);

}  // namespace weft::ops
