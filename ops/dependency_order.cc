#include "ops/dependency_order.h"

#include <algorithm>
#include <map>

namespace weft::ops {
namespace {

enum class mark { unseen, visiting, done };

// Depth first: an object goes out once everything it depends on has.
class sorter {
 public:
  sorter(const std::vector<std::string>& names,
         const std::function<std::vector<std::string>(const std::string&)>& depends_on)
      : depends_on_(depends_on) {
    for (const auto& n : names) marks_[n] = mark::unseen;
  }

  void visit(const std::string& name) {
    marks_[name] = mark::visiting;
    auto needs = depends_on_(name);
    std::sort(needs.begin(), needs.end());
    needs.erase(std::unique(needs.begin(), needs.end()), needs.end());
    for (const auto& needed : needs) {
      const auto it = marks_.find(needed);
      if (it == marks_.end() || needed == name) continue;
      if (it->second == mark::visiting) {
        result_.cycle_edges.emplace_back(name, needed);
      } else if (it->second == mark::unseen) {
        visit(needed);
      }
    }
    marks_[name] = mark::done;
    result_.order.push_back(name);
  }

  bool seen(const std::string& name) const { return marks_.at(name) != mark::unseen; }
  dependency_order take() { return std::move(result_); }

 private:
  const std::function<std::vector<std::string>(const std::string&)>& depends_on_;
  std::map<std::string, mark> marks_;
  dependency_order result_;
};

}  // namespace

dependency_order order_by_dependencies(const std::vector<std::string>& names,
                                       const std::function<std::vector<std::string>(const std::string&)>& depends_on) {
  sorter s(names, depends_on);
  for (const auto& n : names) {
    if (!s.seen(n)) s.visit(n);
  }
  return s.take();
}

}  // namespace weft::ops
