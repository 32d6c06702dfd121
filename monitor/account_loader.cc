#include "monitor/account_loader.h"

#include <spdlog/spdlog.h>

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
  std::optional<routing::account_table> table;
  if (read.error.empty()) table.emplace(std::move(read.entries));
  std::lock_guard lock(mutex_);
  last_read_ = std::chrono::steady_clock::now();
  status_.source = read.source;
  if (!table) {
    ++status_.failures;
    status_.last_error = read.error;
    spdlog::warn("event=accounts_not_read server={} error=\"{}\" effect=\"the last list stays\"", read.source, read.error);
    return false;
  }
  ++status_.refreshes;
  status_.accounts = table->entries().size();
  status_.skipped = read.skipped;
  status_.last_refresh = std::chrono::system_clock::now();
  status_.last_error.clear();
  accounts_.publish(std::move(*table));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  spdlog::debug("event=accounts_read server={} accounts={} skipped={} took_ms={}", read.source, status_.accounts,
                read.skipped, took.count());
  return true;
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
