#include "admin/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "weft/version.h"

namespace weft::admin {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using proxy::awaitable;

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          out += esc;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Prometheus label values escape backslash, quote and newline.
std::string label(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void help(std::string& out, const char* name, const char* type, const char* text) {
  out += std::string("# HELP ") + name + " " + text + "\n# TYPE " + name + " " + type + "\n";
}

// The query result cache: its counters, and what it holds now.
void cache_metrics(std::string& out, const http_sources& sources) {
  if (!sources.cache) return;
  const auto s = sources.cache();
  const std::pair<const char*, std::uint64_t> counters[] = {
      {"hits", s.hits},       {"misses", s.misses},   {"stores", s.stores},     {"stale_stores", s.stale_stores},
      {"invalidated", s.invalidated}, {"expired", s.expired}, {"evictions", s.evictions}};
  help(out, "weft_result_cache_events_total", "counter",
       "Query result cache lookups (hits, misses), answers kept (stores), not kept because a write ran meanwhile "
       "(stale_stores), and dropped (invalidated by a write, expired, evicted for room).");
  for (const auto& [name, value] : counters) {
    out += std::string("weft_result_cache_events_total{event=\"") + name + "\"} " + std::to_string(value) + "\n";
  }
  help(out, "weft_result_cache_bytes", "gauge", "Bytes the query result cache holds now.");
  out += "weft_result_cache_bytes " + std::to_string(s.bytes) + "\n";
  help(out, "weft_result_cache_entries", "gauge", "Answers the query result cache holds now.");
  out += "weft_result_cache_entries " + std::to_string(s.entries) + "\n";
}

// Logins refused and connections refused before the greeting, per port.
void admission_metrics(std::string& out, const http_sources& sources) {
  const std::pair<std::string, proxy::admission_control*> ports[] = {{"proxy", sources.proxy_admission},
                                                                      {"admin", sources.admin_admission}};
  const auto line = [&out](const std::string& name, const std::string& labels, std::uint64_t value) {
    out += name + "{" + labels + "} " + std::to_string(value) + "\n";
  };
  help(out, "weft_login_failures_total", "counter",
       "Logins refused for their credentials (1045: wrong password, unknown user), by port.");
  for (const auto& [port, a] : ports) {
    if (a) line("weft_login_failures_total", "port=\"" + port + "\"", a->logins.counts().failed_logins);
  }
  help(out, "weft_connections_refused_total", "counter",
       "Connections refused before the greeting, by port and reason: max_connections (1040), host_blocked (1129).");
  for (const auto& [port, a] : ports) {
    if (!a) continue;
    const auto labels = "port=\"" + port + "\",reason=";
    line("weft_connections_refused_total", labels + "\"max_connections\"", a->connections.refused());
    line("weft_connections_refused_total", labels + "\"host_blocked\"", a->logins.counts().refused);
  }
  help(out, "weft_blocked_hosts", "gauge", "Client hosts blocked now after too many failed logins, by port.");
  for (const auto& [port, a] : ports) {
    if (a) line("weft_blocked_hosts", "port=\"" + port + "\"", a->logins.counts().blocked_hosts);
  }
}

void query_metrics(std::string& out, const proxy::query_stats& stats) {
  help(out, "weft_queries_total", "counter", "Statements answered, by kind and where they ran.");
  for (std::size_t k = 0; k < proxy::command_kinds; ++k) {
    const auto& c = stats.commands()[k];
    const std::string kind(proxy::to_string(static_cast<proxy::command_kind>(k)));
    out += "weft_queries_total{kind=\"" + kind + "\",route=\"primary\"} " + std::to_string(c.on_primary) + "\n";
    out += "weft_queries_total{kind=\"" + kind + "\",route=\"replica\"} " + std::to_string(c.on_replica) + "\n";
  }
  help(out, "weft_query_errors_total", "counter", "Statements that ended in an error, by kind.");
  for (std::size_t k = 0; k < proxy::command_kinds; ++k) {
    out += "weft_query_errors_total{kind=\"" + std::string(proxy::to_string(static_cast<proxy::command_kind>(k))) +
           "\"} " + std::to_string(stats.commands()[k].errors) + "\n";
  }
}

void latency_metrics(std::string& out, const proxy::query_stats& stats) {
  help(out, "weft_query_duration_seconds", "histogram", "Statement latency through weft, by kind.");
  for (std::size_t k = 0; k < proxy::command_kinds; ++k) {
    const auto& c = stats.commands()[k];
    const std::string kind(proxy::to_string(static_cast<proxy::command_kind>(k)));
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < c.buckets.size(); ++b) {
      cumulative += c.buckets[b];
      char le[32];
      if (b < proxy::latency_bounds_us.size()) {
        std::snprintf(le, sizeof le, "%g", static_cast<double>(proxy::latency_bounds_us[b]) / 1e6);
      } else {
        std::snprintf(le, sizeof le, "+Inf");
      }
      out += "weft_query_duration_seconds_bucket{kind=\"" + kind + "\",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    char sum[32];
    std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(c.latency_sum_us) / 1e6);
    out += "weft_query_duration_seconds_sum{kind=\"" + kind + "\"} " + sum + "\n";
    out += "weft_query_duration_seconds_count{kind=\"" + kind + "\"} " + std::to_string(cumulative) + "\n";
  }
}

void pool_metrics(std::string& out, const http_sources& sources) {
  help(out, "weft_backend_connections", "gauge", "Pooled backend connections, by server and state.");
  std::map<std::string, std::array<std::size_t, 3>> pools;  // open, idle, waiting
  if (sources.pools) {
    for (const auto& p : sources.pools()) {
      auto& v = pools[p.pool.server];
      v[0] += p.pool.open;
      v[1] += p.pool.idle;
      v[2] += p.pool.waiting;
    }
  }
  for (const auto& [server, v] : pools) {
    out += "weft_backend_connections{server=\"" + label(server) + "\",state=\"idle\"} " + std::to_string(v[1]) + "\n";
    out += "weft_backend_connections{server=\"" + label(server) + "\",state=\"in_use\"} " +
           std::to_string(v[0] - v[1]) + "\n";
  }
  help(out, "weft_backend_waiting_sessions", "gauge", "Sessions waiting for a backend connection.");
  for (const auto& [server, v] : pools) {
    out += "weft_backend_waiting_sessions{server=\"" + label(server) + "\"} " + std::to_string(v[2]) + "\n";
  }
}

void server_metrics(std::string& out, const http_sources& sources, const proxy::query_stats& stats) {
  const auto topology = sources.topology ? sources.topology->load() : nullptr;
  help(out, "weft_server_up", "gauge", "1 when the server is ONLINE and its last check succeeded (or it is not checked).");
  help(out, "weft_server_lag_seconds", "gauge", "Replication lag the monitor saw (Seconds_Behind_Master).");
  help(out, "weft_server_queries_total", "counter", "Statements sent to the server.");
  help(out, "weft_server_errors_total", "counter", "Statements that failed on the server.");
  if (!topology) return;
  for (const auto& s : topology->servers) {
    const std::string labels = "server=\"" + label(s.name) + "\",group=\"" + label(s.group) + "\",role=\"" +
                               std::string(routing::to_string(s.role)) + "\",status=\"" +
                               std::string(routing::to_string(s.status)) + "\"";
    const bool up = s.status == routing::server_status::online && (!s.health.checked || s.health.reachable);
    out += "weft_server_up{" + labels + "} " + (up ? "1" : "0") + "\n";
    if (s.health.lag_seconds) {
      out += "weft_server_lag_seconds{server=\"" + label(s.name) + "\"} " + std::to_string(*s.health.lag_seconds) + "\n";
    }
    proxy::server_stats totals;
    if (const auto it = stats.servers().find(s.name); it != stats.servers().end()) totals = it->second;
    out += "weft_server_queries_total{server=\"" + label(s.name) + "\"} " + std::to_string(totals.queries) + "\n";
    out += "weft_server_errors_total{server=\"" + label(s.name) + "\"} " + std::to_string(totals.errors) + "\n";
  }
}

void account_metrics(std::string& out, const http_sources& sources) {
  if (!sources.accounts) return;
  const auto s = sources.accounts();
  help(out, "weft_account_refreshes_total", "counter", "Reads of the backends' accounts, by result.");
  out += "weft_account_refreshes_total{result=\"ok\"} " + std::to_string(s.refreshes) + "\n";
  out += "weft_account_refreshes_total{result=\"failed\"} " + std::to_string(s.failures) + "\n";
  help(out, "weft_accounts", "gauge", "Accounts read from the backends at the last good read.");
  out += "weft_accounts " + std::to_string(s.accounts) + "\n";
  help(out, "weft_accounts_from_state_file", "gauge",
       "1 while logins are checked against the state file's copy of the accounts (no read has succeeded yet).");
  out += "weft_accounts_from_state_file " + std::string(s.from_cache ? "1" : "0") + "\n";
}

// Jobs by state, and each running job's progress (the figures SHOW JOBS gives).
void job_metrics(std::string& out, const http_sources& sources) {
  if (!sources.jobs) return;
  const auto jobs = sources.jobs();
  std::map<std::string, std::size_t> by_state;
  for (const auto state : {"running", "done", "failed", "killed", "interrupted", "queued"}) by_state[state] = 0;
  for (const auto& j : jobs) ++by_state[std::string(ops::to_string(j.state))];
  help(out, "weft_jobs", "gauge", "Admin jobs (COMPARE...) known to the state file, by state.");
  for (const auto& [state, n] : by_state) out += "weft_jobs{state=\"" + state + "\"} " + std::to_string(n) + "\n";
  help(out, "weft_job_progress", "gauge", "A running job's rows and chunks, done and planned.");
  for (const auto& j : jobs) {
    if (j.state != ops::job_state::running) continue;
    const auto id = "{job=\"" + std::to_string(j.id) + "\",figure=\"";
    const auto& g = j.progress;
    out += "weft_job_progress" + id + "rows_done\"} " + std::to_string(g.rows_done) + "\n";
    out += "weft_job_progress" + id + "rows_total\"} " + std::to_string(g.rows_total) + "\n";
    out += "weft_job_progress" + id + "chunks_done\"} " + std::to_string(g.chunks_done) + "\n";
    out += "weft_job_progress" + id + "chunks_total\"} " + std::to_string(g.chunks_total) + "\n";
  }
}

}  // namespace

// Said in /ready while logins are checked against the state file's copy of the accounts.
std::string accounts_note(const http_sources& sources) {
  if (!sources.accounts) return {};
  const auto s = sources.accounts();
  if (!s.from_cache) return {};
  const auto age = s.cached_read_at ? std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now() - *s.cached_read_at).count()
                                    : 0;
  return "logins are checked against the accounts cached in the state file (read " + std::to_string(age) +
         " s ago); the primary's accounts cannot be read: " + s.last_error;
}

std::string ready_json(const std::optional<std::string>& reason, const std::string& accounts) {
  if (reason) {
    return "{\"ready\":false,\"reason\":" + json_string(accounts.empty() ? *reason : *reason + "; " + accounts) + "}\n";
  }
  return accounts.empty() ? "{\"ready\":true}\n" : "{\"ready\":true,\"accounts\":" + json_string(accounts) + "}\n";
}

std::string metrics_text(const http_sources& sources) {
  std::string out;
  const auto stats = sources.stats ? sources.stats() : proxy::query_stats{};
  help(out, "weft_build_info", "gauge", "weft's version.");
  out += std::string("weft_build_info{version=\"") + kVersion + "\"} 1\n";
  help(out, "weft_client_connections", "gauge", "Client sessions open now.");
  out += "weft_client_connections " + std::to_string(sources.client_sessions ? sources.client_sessions() : 0) + "\n";
  help(out, "weft_client_connections_parked", "gauge",
       "Of those, sessions parked while their client is idle (no coroutine frames, no read buffer).");
  out += "weft_client_connections_parked " + std::to_string(sources.parked_sessions ? sources.parked_sessions() : 0) + "\n";
  admission_metrics(out, sources);
  query_metrics(out, stats);
  latency_metrics(out, stats);
  pool_metrics(out, sources);
  server_metrics(out, sources, stats);
  account_metrics(out, sources);
  cache_metrics(out, sources);
  job_metrics(out, sources);
  help(out, "weft_failovers_total", "counter", "Primary changes weft performed, by kind (failover, switchover).");
  const auto [failovers, switchovers] = sources.ha_counts ? sources.ha_counts() : std::pair<std::uint64_t, std::uint64_t>{};
  out += "weft_failovers_total{kind=\"failover\"} " + std::to_string(failovers) + "\n";
  out += "weft_failovers_total{kind=\"switchover\"} " + std::to_string(switchovers) + "\n";
  return out;
}

std::string topology_json(const routing::topology& t) {
  std::string out = "{\"groups\":[";
  bool first_group = true;
  for (const auto& g : t.groups) {
    out += first_group ? "" : ",";
    first_group = false;
    out += "{\"name\":" + json_string(g.name) + ",\"max_replication_lag\":" + std::to_string(g.max_replication_lag) +
           ",\"read_your_writes\":" + (g.read_your_writes ? "true" : "false") + ",\"servers\":[";
    bool first = true;
    for (const auto& s : t.servers) {
      if (s.group != g.name) continue;
      out += first ? "" : ",";
      first = false;
      const auto& h = s.health;
      out += "{\"address\":" + json_string(s.name) + ",\"role\":" + json_string(routing::to_string(s.role)) +
             ",\"status\":" + json_string(routing::to_string(s.status)) + ",\"weight\":" + std::to_string(s.weight) +
             ",\"checked\":" + (h.checked ? "true" : "false") + ",\"reachable\":" + (h.reachable ? "true" : "false") +
             ",\"read_only\":" + (h.read_only ? "true" : "false") + ",\"replicating\":" +
             (h.replicating ? "true" : "false") + ",\"io_running\":" + (h.io_running ? "true" : "false") +
             ",\"sql_running\":" + (h.sql_running ? "true" : "false") + ",\"lag_seconds\":" +
             (h.lag_seconds ? std::to_string(*h.lag_seconds) : "null") + ",\"gtid_current_pos\":" +
             json_string(h.gtid_current_pos) + ",\"last_error\":" + json_string(h.last_error) + "}";
    }
    out += "]}";
  }
  const auto reason = routing::unready_reason(t);
  out += "],\"ready\":" + std::string(reason ? "false" : "true") + "}";
  return out;
}

http_server::http_server(config::http_settings settings, http_sources sources)
    : settings_(std::move(settings)), sources_(std::move(sources)) {}

http_server::~http_server() { stop(); }

void http_server::start() {
  const proxy::tcp::endpoint endpoint(proxy::asio::ip::make_address(settings_.listen.host), settings_.listen.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(proxy::tcp::acceptor::reuse_address(true));
  boost::system::error_code ec;
  acceptor_.bind(endpoint, ec);
  if (ec) throw std::runtime_error("cannot listen on the HTTP port " + settings_.listen.to_string() + ": " + ec.message());
  acceptor_.listen();
  proxy::asio::co_spawn(io_, accept_loop(), proxy::asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

void http_server::stop() {
  if (!thread_.joinable()) return;
  proxy::asio::post(io_, [this] {
    proxy::error_code ignored;
    acceptor_.close(ignored);
    io_.stop();
  });
  thread_.join();
}

awaitable<void> http_server::accept_loop() {
  proxy::log_limiter accept_errors(std::chrono::seconds(5));
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(proxy::use_nothrow);
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      if (const auto n = accept_errors.note()) {
        spdlog::warn("event=accept_failed port=http error=\"{}\" failures={}", ec.message(), *n);
      }
      // Out of descriptors and the like: back off briefly rather than spin.
      proxy::asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(proxy::use_nothrow);
      continue;
    }
    auto place = connections_.try_acquire();
    if (!place) continue;  // over the limit: the socket closes as it goes out of scope
    proxy::asio::co_spawn(io_, serve(std::move(socket), std::move(*place)), proxy::asio::detached);
  }
}

namespace {
// The answer to one request.
http::response<http::string_body> answer(const http::request<http::string_body>& request, const http_sources& sources) {
  http::response<http::string_body> response;
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.set(http::field::server, std::string("weft/") + kVersion);
  const auto target = std::string(request.target());
  const auto path = target.substr(0, target.find('?'));
  const auto reply = [&](http::status status, const char* type, std::string body) {
    response.result(status);
    response.set(http::field::content_type, type);
    response.body() = std::move(body);
  };
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    reply(http::status::method_not_allowed, "text/plain", "only GET\n");
  } else if (path == "/health") {
    reply(http::status::ok, "text/plain", "OK\n");
  } else if (path == "/ready") {
    const auto reason = routing::unready_reason(*sources.topology->load());
    reply(reason ? http::status::service_unavailable : http::status::ok, "application/json",
          ready_json(reason, accounts_note(sources)));
  } else if (path == "/metrics") {
    reply(http::status::ok, "text/plain; version=0.0.4", metrics_text(sources));
  } else if (path == "/topology") {
    reply(http::status::ok, "application/json", topology_json(*sources.topology->load()) + "\n");
  } else {
    reply(http::status::not_found, "text/plain", "not found: try /health, /ready, /metrics, /topology\n");
  }
  response.prepare_payload();
  return response;
}
}  // namespace

// Each request (and the keep-alive wait before it) and each response must be done within
// request_timeout: a client that stalls is closed instead of holding a descriptor forever.
awaitable<void> http_server::serve(proxy::tcp::socket socket, [[maybe_unused]] proxy::connection_limit::slot place) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    stream.expires_after(settings_.request_timeout);
    auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, request, proxy::use_nothrow);
    if (read_error) co_return;
    auto response = answer(request, sources_);
    stream.expires_after(settings_.request_timeout);
    auto [write_error, written] = co_await http::async_write(stream, response, proxy::use_nothrow);
    if (write_error || !response.keep_alive()) co_return;
  }
}

}  // namespace weft::admin
