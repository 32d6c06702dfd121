// Keeps the proxy's account list (proxy::account_store) filled with the accounts of the default
// group's primary, read with the monitor's credentials on a thread of its own (never a proxy
// worker's): at start, every refresh interval, and soon after a worker saw a login fail (at most
// once per min_gap, so a flood of bad logins costs the primary one query per gap). A failed read
// keeps the list it had.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "proxy/live_state.h"

namespace weft::monitor {

struct account_loader_settings {
  std::string user, password;
  std::chrono::milliseconds interval{60000};
  std::chrono::milliseconds min_gap{1000};  // between two reads asked for by failed logins
  std::chrono::milliseconds timeout{2000};
  // The state file that keeps the last list read (config/account_cache); empty: none.
  std::string cache_path;
};

struct account_load_status {
  std::uint64_t refreshes = 0;  // reads that succeeded
  std::uint64_t failures = 0;   // reads that did not
  std::size_t accounts = 0;     // in the list now
  std::size_t skipped = 0;      // rows of the last read that could not be used
  std::optional<std::chrono::system_clock::time_point> last_refresh;
  std::string source;           // the server read last ("host:port")
  std::string last_error;       // of the last failed read ("" after a good one)
  // The list in use came from the state file (no read has succeeded since weft started), read
  // from `source` at `cached_read_at`.
  bool from_cache = false;
  std::optional<std::chrono::system_clock::time_point> cached_read_at;
};

class account_loader {
 public:
  account_loader(account_loader_settings settings, proxy::topology_store& topology, proxy::account_store& accounts);
  ~account_loader();
  account_loader(const account_loader&) = delete;
  account_loader& operator=(const account_loader&) = delete;

  // One read now, on the caller's thread (startup): false when it failed (status says why). A
  // failed read before any good one uses the state file's copy, if there is one.
  bool load_now();
  void start();
  void stop();
  // A login failed for an account weft may not know yet: read again soon (thread-safe).
  void stale();
  account_load_status status() const;

 private:
  void run();
  void publish(std::vector<routing::account> entries, std::chrono::steady_clock::time_point started,
               const std::string& source, std::size_t skipped);
  void fail(const std::string& source, const std::string& error);
  void use_cache();
  void save_to_cache(const std::string& source);

  account_loader_settings settings_;
  proxy::topology_store& topology_;
  proxy::account_store& accounts_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool asked_ = false;
  std::chrono::steady_clock::time_point last_read_{};
  account_load_status status_;
  std::vector<routing::account> saved_;  // what the state file holds (entries in the table's order)
  std::thread thread_;
};

}  // namespace weft::monitor
