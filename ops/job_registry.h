// Long admin work (COMPARE, later EXPORT, IMPORT, CLONE, shard moves) as jobs on the admin's
// own worker threads, never on a proxy thread: each job reports its phase and progress, can be
// killed, and saves checkpoints so RESUME JOB (or the next start of weft, for a job the
// shutdown interrupted) continues where it stopped. State and output live in the state file.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "ops/admin_result.h"
#include "ops/job_store.h"

namespace weft::ops {

// What a running job sees of its registry.
class job_context {
 public:
  virtual ~job_context() = default;
  // True once KILL JOB or shutdown asked the job to stop; it returns soon after.
  virtual bool stopping() const = 0;
  virtual void report(const job_progress& progress) = 0;
  // Checkpoints: saved at once in the state file; a resumed job finds them again.
  virtual void save_checkpoint(const std::string& key, const std::string& payload) = 0;
  virtual const std::map<std::string, std::string>& checkpoints() const = 0;
};

// The work; its result is the job's output (a result set, or an error: the job failed).
using job_runner = std::function<admin_result(job_context&)>;
// Rebuilds the work from the command's text (RESUME JOB, restart); nullopt: not a job command.
using job_factory = std::function<std::optional<job_runner>(const std::string& command)>;

struct job_view : job_record {
  std::optional<protocol::err_packet> failure;  // how the last run failed (this process only)
  double rows_per_second = 0;
  std::optional<double> eta_seconds;
};

class job_registry {
 public:
  job_registry(const std::string& state_path, job_factory factory, unsigned threads = 2);
  ~job_registry();  // stops running jobs; they stay "running" in the file and resume next start

  // Starts again the jobs a previous run of weft left running.
  void resume_interrupted();
  std::uint64_t start(const std::string& command, job_runner work);
  std::vector<job_view> list();
  std::optional<job_view> find(std::uint64_t id);
  // The output of a finished job; nullopt while it runs or when there is no such job.
  std::optional<admin_result> output(std::uint64_t id);
  // Empty when done; otherwise why not (no such job, not running...).
  std::string kill(std::uint64_t id);
  std::string resume(std::uint64_t id);
  // Blocks until the job ends, calling `tick` about every `interval` meanwhile.
  void wait(std::uint64_t id, std::chrono::milliseconds interval, const std::function<void(const job_view&)>& tick);

 private:
  struct running;
  class context;
  void launch(job_record record, job_runner work);
  void finish(running& job, const admin_result& result);
  job_view view_of(const job_record& r) const;

  job_store store_;
  job_factory factory_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, std::shared_ptr<running>> jobs_;
  std::atomic<bool> shutting_down_{false};
  boost::asio::thread_pool pool_;
};

std::int64_t now_ms();

}  // namespace weft::ops
