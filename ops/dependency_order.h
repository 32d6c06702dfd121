// An order in which objects can be made so that each comes after what it needs (pure): tables
// after the tables their foreign keys reference, views after the views they select from.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace weft::ops {

struct dependency_order {
  std::vector<std::string> order;
  // Dependencies that close a cycle (from, to): left out of the order; the caller breaks them
  // another way (a foreign key added after both tables exist).
  std::vector<std::pair<std::string, std::string>> cycle_edges;
};

// `names` ordered so that each comes after those of its `depends_on` that are among `names`
// (others, and an object's dependency on itself, are ignored). Otherwise in the order of
// `names`, each one's dependencies going just before it (by name).
dependency_order order_by_dependencies(const std::vector<std::string>& names,
                                       const std::function<std::vector<std::string>(const std::string&)>& depends_on);

}  // namespace weft::ops
