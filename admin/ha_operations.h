// The procedures behind PROMOTE (switchover, or failover when the primary is gone), automatic
// failover, DEMOTE, REJOIN and REPLICATE. Each returns the steps it took as rows for the DBA.
#pragma once

#include <memory>
#include <string>

#include "admin/ha_manager.h"
#include "admin/ha_steps.h"

namespace weft::admin {

class ha_operation {
 public:
  explicit ha_operation(ha_manager& manager) : manager_(manager), ctx_(manager.ctx_) {}

  // Planned promotion: the old primary turns read_only, the candidate catches up to it and takes
  // over, everyone else (the old primary too) replicates from it. With an unreachable primary,
  // a failover instead.
  admin_result switchover(const std::string& group, const std::string& target);
  // The primary failed. `confirmed_by_detector` false: a DBA's PROMOTE, which needs no replica to
  // confirm the failure. `refused_reason` tells the detector why nothing happened.
  admin_result failover(const std::string& group, const std::string& target, bool confirmed_by_detector,
                        std::string* refused_reason = nullptr);
  admin_result demote(const std::string& group);
  admin_result rejoin(const std::string& server);
  admin_result replicate(const ha_command& command);

 private:
  std::unique_ptr<backend_node> connect(const routing::endpoint& address) const;
  bool run_hook_step(const std::string& command, const std::string& which, const std::string& group,
                     const std::string& old_primary, const std::string& new_primary, step_log& log) const;
  void commit_primary(const std::string& group, const std::string& new_primary, const std::string& old_primary,
                      routing::server_status old_status) const;
  void record(const std::string& group, const std::string& event, const std::string& old_primary,
              const std::string& new_primary, const step_log& log, std::int64_t duration_ms) const;

  ha_manager& manager_;
  ha_context& ctx_;
};

}  // namespace weft::admin
