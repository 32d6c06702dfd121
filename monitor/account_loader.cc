#include "monitor/account_loader.h"

#include <spdlog/spdlog.h>

#include "config/account_cache.h"
#include "monitor/mariadb_client.h"
#include "routing/account_sql.h"

namespace weft::monitor {
namespace {

constexpr std::size_t warned_rows = 10;  // skipped rows named in the log per read (then a count)

struct read_result {
  std::vector<routing::account> entries;
  std::size_t skipped = 0;
  std::string source, error;
};

const char* const columns[] = {"user", "host", "plugin", "auth", "locked", "expired", "max_conn"};

read_result read_accounts(const account_loader_settings& s, const routing::topology& t) {
  read_result out;
  const auto* primary = t.primary_of(t.default_group());
  if (!primary) {
    out.error = "group '" + std::string(t.default_group()) + "' has no primary";
    return out;
  }
  out.source = primary->name;
  const auto timeout = static_cast<unsigned>(std::max<long long>(1, s.timeout.count() / 1000));
  mariadb_client client(primary->address, s.user, s.password, timeout);
  const auto flavor = client.ok() ? routing::flavor_from_version(client.server_version()) : routing::server_flavor::mariadb;
  auto rows = client.ok() ? client.rows(std::string(routing::accounts_query(flavor))) : std::nullopt;
  if (!rows) {
    out.error = client.error();
    return out;
  }
  for (const auto& row : *rows) {
    std::vector<std::optional<std::string>> values;
    for (const char* c : columns) values.push_back(row.count(c) ? row.at(c) : std::nullopt);
    auto read = routing::account_from_row(values);
    if (read.entry) {
      out.entries.push_back(std::move(*read.entry));
    } else if (++out.skipped <= warned_rows) {
      spdlog::warn("event=account_skipped server={} reason=\"{}\"", out.source, read.problem);
    }
  }
  return out;
}

}  // namespace

account_loader::account_loader(account_loader_settings settings, proxy::topology_store& topology,
                               proxy::account_store& accounts)
    : settings_(std::move(settings)), topology_(topology), accounts_(accounts) {}

account_loader::~account_loader() { stop(); }

// Reads, orders and publishes; took_ms covers all three (what a refresh costs the loader).
bool account_loader::load_now() {
  const auto started = std::chrono::steady_clock::now();
  auto read = read_accounts(settings_, *topology_.load());
  if (!read.error.empty()) {
    fail(read.source, read.error);
    return false;
  }
  publish(std::move(read.entries), started, read.source, read.skipped);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  spdlog::debug("event=accounts_read server={} accounts={} skipped={} took_ms={}", read.source, status().accounts,
                read.skipped, took.count());
  save_to_cache(read.source);
  return true;
}

void account_loader::publish(std::vector<routing::account> entries, std::chrono::steady_clock::time_point started,
                             const std::string& source, std::size_t skipped) {
  routing::account_table table(std::move(entries), started);
  std::lock_guard lock(mutex_);
  last_read_ = std::chrono::steady_clock::now();
  status_.source = source;
  ++status_.refreshes;
  status_.accounts = table.entries().size();
  status_.skipped = skipped;
  status_.last_refresh = std::chrono::system_clock::now();
  status_.last_error.clear();
  status_.from_cache = false;
  status_.cached_read_at.reset();
  accounts_.publish(std::move(table));
}

void account_loader::fail(const std::string& source, const std::string& error) {
  bool never_read = false;
  {
    std::lock_guard lock(mutex_);
    last_read_ = std::chrono::steady_clock::now();
    status_.source = source;
    ++status_.failures;
    status_.last_error = error;
    never_read = status_.refreshes == 0 && !status_.from_cache;
  }
  spdlog::warn("event=accounts_not_read server={} error=\"{}\" effect=\"{}\"", source, error,
               never_read && !settings_.cache_path.empty() ? "the state file's copy is used" : "the last list stays");
  if (never_read) use_cache();
}

// Before any good read: the list the state file kept from the last one, if any.
void account_loader::use_cache() {
  if (settings_.cache_path.empty()) return;
  std::optional<config::cached_accounts> cached;
  try {
    cached = config::load_accounts(settings_.cache_path);
  } catch (const std::exception& e) {
    spdlog::warn("event=accounts_cache_unreadable file={} error=\"{}\"", settings_.cache_path, e.what());
  }
  if (!cached) return;
  routing::account_table table(std::move(cached->entries));
  std::lock_guard lock(mutex_);
  saved_ = table.entries();
  status_.accounts = table.entries().size();
  status_.from_cache = true;
  status_.cached_read_at = cached->read_at;
  spdlog::warn("event=accounts_from_cache file={} accounts={} read_from={} effect=\"logins are checked against the "
               "accounts as they were then\"", settings_.cache_path, status_.accounts, cached->source);
  accounts_.publish(std::move(table));
}

// Writes the list to the state file when it differs from what the file holds.
void account_loader::save_to_cache(const std::string& source) {
  if (settings_.cache_path.empty()) return;
  const auto table = accounts_.load();
  if (table->entries() == saved_) return;
  const auto started = std::chrono::steady_clock::now();
  try {
    config::save_accounts(settings_.cache_path, {table->entries(), source, std::chrono::system_clock::now()});
    saved_ = table->entries();
    const auto took = std::chrono::steady_clock::now() - started;
    spdlog::debug("event=accounts_saved file={} accounts={} took_ms={}", settings_.cache_path, saved_.size(),
                  std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
  } catch (const std::exception& e) {
    spdlog::warn("event=accounts_cache_not_saved file={} error=\"{}\"", settings_.cache_path, e.what());
  }
}

void account_loader::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void account_loader::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void account_loader::stale() {
  {
    std::lock_guard lock(mutex_);
    asked_ = true;
  }
  wake_.notify_all();
}

account_load_status account_loader::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

// Sleeps until the interval is up, or until a failed login asked and the gap since the last read
// has passed; then reads (outside the lock). The deadline is worked out again after every wake.
void account_loader::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto due = asked_ ? std::min(last_read_ + settings_.interval, last_read_ + settings_.min_gap)
                            : last_read_ + settings_.interval;
    if (std::chrono::steady_clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }
    asked_ = false;
    lock.unlock();
    load_now();
    lock.lock();
  }
}

}  // namespace weft::monitor
