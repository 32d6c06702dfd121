#include "ops/job_registry.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "protocol/errors.h"

namespace weft::ops {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct job_registry::running {
  job_record record;
  std::atomic<bool> stop{false};
  bool active = false;  // a worker thread runs it now
  std::optional<protocol::err_packet> failure;
  std::map<std::string, std::string> checkpoints;
  std::int64_t saved_at_ms = 0;
};

class job_registry::context final : public job_context {
 public:
  context(job_registry& registry, std::shared_ptr<running> job) : registry_(registry), job_(std::move(job)) {}
  bool stopping() const override { return job_->stop || registry_.shutting_down_; }
  void report(const job_progress& progress) override {
    job_record copy;
    {
      std::lock_guard lock(registry_.mutex_);
      job_->record.progress = progress;
      // Progress reaches the state file at most twice a second; the registry's copy is live.
      if (now_ms() - job_->saved_at_ms < 500) return;
      job_->saved_at_ms = now_ms();
      copy = job_->record;
    }
    registry_.store_.save(copy);
  }
  void save_checkpoint(const std::string& key, const std::string& payload) override {
    registry_.store_.save_checkpoint(job_->record.id, key, payload);
    job_->checkpoints[key] = payload;
  }
  const std::map<std::string, std::string>& checkpoints() const override { return job_->checkpoints; }

 private:
  job_registry& registry_;
  std::shared_ptr<running> job_;
};

job_registry::job_registry(const std::string& state_path, job_factory factory, unsigned threads)
    : store_(state_path), factory_(std::move(factory)), pool_(threads) {
  for (auto& record : store_.all()) {
    auto job = std::make_shared<running>();
    job->record = std::move(record);
    jobs_[job->record.id] = std::move(job);
  }
}

job_registry::~job_registry() {
  shutting_down_ = true;
  pool_.join();
}

void job_registry::resume_interrupted() {
  std::vector<std::uint64_t> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      if (job->record.state == job_state::running || job->record.state == job_state::queued) ids.push_back(id);
    }
  }
  for (const auto id : ids) {
    {
      std::lock_guard lock(mutex_);
      jobs_[id]->record.state = job_state::interrupted;
    }
    const auto why = resume(id);
    if (!why.empty()) spdlog::warn("event=job_not_resumed job={} reason=\"{}\"", id, why);
  }
}

std::uint64_t job_registry::start(const std::string& command, job_runner work) {
  job_record record;
  record.id = store_.next_id();
  record.command = command;
  {
    std::lock_guard lock(mutex_);
    while (jobs_.count(record.id)) ++record.id;
  }
  const auto id = record.id;
  launch(std::move(record), std::move(work));
  return id;
}

void job_registry::launch(job_record record, job_runner work) {
  const auto id = record.id;
  record.state = job_state::running;
  record.started_at_ms = now_ms();
  record.finished_at_ms = 0;
  record.error.clear();
  auto job = std::make_shared<running>();
  job->record = record;
  job->active = true;
  job->checkpoints = store_.checkpoints(id);
  store_.save(record);
  {
    std::lock_guard lock(mutex_);
    jobs_[id] = job;
  }
  spdlog::info("event=job_started job={} resumed_checkpoints={}", id, job->checkpoints.size());
  boost::asio::post(pool_, [this, job, work = std::move(work)] {
    context ctx(*this, job);
    admin_result result;
    try {
      result = work(ctx);
    } catch (const std::exception& e) {
      result = admin_result::failure(protocol::make_error({1105, "HY000"}, std::string("weft job: ") + e.what()));
    }
    finish(*job, result);
  });
}

void job_registry::finish(running& job, const admin_result& result) {
  if (shutting_down_) return;  // stays "running" in the file: the next start resumes it
  job_record r;
  {
    std::lock_guard lock(mutex_);
    job.record.finished_at_ms = now_ms();
    job.failure.reset();
    if (job.stop) {
      job.record.state = job_state::killed;
      job.failure = protocol::make_error(protocol::er::job_failed, "weft: job " + std::to_string(job.record.id) +
                                                                       " killed (RESUME JOB continues it)");
    } else if (result.error) {
      job.record.state = job_state::failed;
      job.failure = result.error;
    } else {
      job.record.state = job_state::done;
    }
    job.record.error = job.failure ? job.failure->message : std::string();
    r = job.record;
  }
  if (r.state == job_state::done) {
    store_.save_output(r.id, result);
    store_.forget_checkpoints(r.id);
  }
  store_.save(r);
  spdlog::info("event=job_finished job={} state={} error=\"{}\"", r.id, to_string(r.state), r.error);
  std::lock_guard lock(mutex_);
  job.active = false;
  changed_.notify_all();
}

job_view job_registry::view_of(const job_record& r) const {
  job_view v;
  static_cast<job_record&>(v) = r;
  const auto end = r.finished_at_ms ? r.finished_at_ms : now_ms();
  const double seconds = static_cast<double>(end - r.started_at_ms) / 1000.0;
  if (seconds > 0) v.rows_per_second = static_cast<double>(r.progress.rows_done) / seconds;
  if (r.state == job_state::running && v.rows_per_second > 0 && r.progress.rows_total >= r.progress.rows_done) {
    v.eta_seconds = static_cast<double>(r.progress.rows_total - r.progress.rows_done) / v.rows_per_second;
  }
  return v;
}

std::vector<job_view> job_registry::list() {
  std::lock_guard lock(mutex_);
  std::vector<job_view> out;
  for (const auto& [id, job] : jobs_) out.push_back(view_of(job->record));
  return out;
}

std::optional<job_view> job_registry::find(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  auto v = view_of(it->second->record);
  v.failure = it->second->failure;
  return v;
}

std::optional<admin_result> job_registry::output(std::uint64_t id) { return store_.output(id); }

std::string job_registry::kill(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return "weft: no job " + std::to_string(id);
  if (!it->second->active) return "weft: job " + std::to_string(id) + " is not running (" +
                                  std::string(to_string(it->second->record.state)) + ")";
  it->second->stop = true;
  return {};
}

std::string job_registry::resume(std::uint64_t id) {
  job_record record;
  {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) return "weft: no job " + std::to_string(id);
    record = it->second->record;
    if (it->second->active) return "weft: job " + std::to_string(id) + " is running";
    if (record.state == job_state::done) return "weft: job " + std::to_string(id) + " is done (SHOW JOB shows its output)";
  }
  auto work = factory_ ? factory_(record.command) : std::nullopt;
  if (!work) return "weft: job " + std::to_string(id) + "'s command can no longer run: " + record.command;
  launch(std::move(record), std::move(*work));
  return {};
}

void job_registry::wait(std::uint64_t id, std::chrono::milliseconds interval,
                        const std::function<void(const job_view&)>& tick) {
  for (;;) {
    job_view now;
    {
      std::unique_lock lock(mutex_);
      const auto it = jobs_.find(id);
      if (it == jobs_.end()) return;
      const auto job = it->second;
      if (changed_.wait_for(lock, interval, [&] { return !job->active; })) return;
      now = view_of(job->record);
    }
    if (tick) tick(now);
  }
}

}  // namespace weft::ops
