// Jobs in the state file: each job's command, state, progress and output, and the
// checkpoints a job saves as it goes (COMPARE: its chunk plan and each finished chunk's result),
// so a job killed or interrupted by a restart resumes where it stopped.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/state_store.h"
#include "ops/admin_result.h"

namespace weft::ops {

enum class job_state { queued, running, done, failed, killed, interrupted };
std::string_view to_string(job_state s);
std::optional<job_state> parse_job_state(std::string_view text);

struct job_progress {
  std::string phase;
  std::uint64_t rows_done = 0, rows_total = 0;
  std::uint64_t chunks_done = 0, chunks_total = 0;
};

struct job_record {
  std::uint64_t id = 0;
  std::string command;
  job_state state = job_state::queued;
  job_progress progress;
  std::int64_t started_at_ms = 0;   // this run's start (a resumed job restarts the clock)
  std::int64_t finished_at_ms = 0;  // 0: not finished
  std::string error;
};

// A list of optional strings as one byte string and back (each "<length>:<bytes>" or "-").
std::string pack(const std::vector<std::optional<std::string>>& fields);
std::optional<std::vector<std::optional<std::string>>> unpack(std::string_view packed);

class job_store {
 public:
  explicit job_store(const std::string& state_path);

  std::uint64_t next_id();
  void save(const job_record& job);  // insert or update
  void save_output(std::uint64_t id, const admin_result& output);
  std::optional<admin_result> output(std::uint64_t id);
  std::vector<job_record> all();
  void save_checkpoint(std::uint64_t id, const std::string& key, const std::string& payload);
  std::map<std::string, std::string> checkpoints(std::uint64_t id);
  void forget_checkpoints(std::uint64_t id);

 private:
  std::mutex mutex_;
  config::sqlite_db db_;
};

}  // namespace weft::ops
