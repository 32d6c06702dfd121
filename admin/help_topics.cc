#include "admin/help_topics.h"

#include <vector>

namespace weft::admin {

std::span<const help_topic> all_help_topics() {
  // In the order HELP lists them: the parts' own order, part after part (built once).
  static const std::vector<help_topic> all = [] {
    std::vector<help_topic> joined;
    for (const auto part : {configuration_help_topics(), ha_help_topics(), data_help_topics(), sharding_help_topics()}) {
      joined.insert(joined.end(), part.begin(), part.end());
    }
    return joined;
  }();
  return all;
}

}  // namespace weft::admin
