// weft: a MySQL-protocol routing proxy. Entry point: command line, configuration, signals.
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/application.h"
#include "config/config_loader.h"
#include "session/log_text.h"
#include "weft/version.h"

namespace {

constexpr const char* usage = R"(Usage: weft --config FILE        run the proxy
       weft --check-config FILE  validate a configuration file and exit (0 = valid)
       weft --version            print the version
       weft --help               this text

weft is a MySQL/MariaDB-protocol routing proxy. Applications connect to the proxy port
(default 127.0.0.1:6033) with any MySQL or MariaDB driver. See README.md for the
configuration reference; examples/sandbox.toml matches the local sandbox.
SIGTERM or SIGINT drains sessions and stops weft; SIGHUP reloads the configuration file.
)";

struct options {
  std::string config_path;
  bool check_only = false;
};

// Returns an exit code when the process should end right away.
std::optional<int> parse_args(int argc, char** argv, options& opts) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 < argc) return std::string(argv[++i]);
      return std::nullopt;
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    } else if (arg == "--version" || arg == "-V") {
      std::cout << "weft " << weft::kVersion << "\n";
      return 0;
    } else if (arg == "--config" || arg == "-c") {
      auto v = value();
      if (!v) break;
      opts.config_path = *v;
    } else if (arg.rfind("--config=", 0) == 0) {
      opts.config_path = arg.substr(9);
    } else if (arg == "--check-config") {
      opts.check_only = true;
      if (i + 1 < argc && argv[i + 1][0] != '-') opts.config_path = argv[++i];
    } else {
      std::cerr << "weft: unknown argument '" << arg << "'\n\n" << usage;
      return 2;
    }
  }
  if (opts.config_path.empty()) {
    std::cerr << "weft: --config FILE is required\n\n" << usage;
    return 2;
  }
  return std::nullopt;
}

std::string limit_text(rlim_t v) { return v == RLIM_INFINITY ? "unlimited" : std::to_string(v); }

// Every client session holds a descriptor, and backend connections and admin sessions more:
// the soft limit (often 1024) is raised to the hard one, which needs no privilege, and weft says
// what it got, and warns when that is below what the configured limits may need.
void raise_fd_limit(const weft::config::bootstrap_config& config) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const auto before = limit.rlim_cur;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised{limit.rlim_max, limit.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit.rlim_cur = limit.rlim_max;
  }
  spdlog::info("event=fd_limit soft={} hard={} was={}", limit_text(limit.rlim_cur), limit_text(limit.rlim_max),
               limit_text(before));
  const auto needed = config.proxy.max_client_connections +
                      config.proxy.max_backend_connections * config.topology.servers.size() +
                      (config.admin.enabled() ? 4 * config.admin.max_connections : 0) + 64;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    spdlog::warn("event=fd_limit_low soft={} needed={} effect=\"connections beyond the descriptors wait in the "
                 "listen queue; lower [proxy] max_client_connections or raise the hard limit (ulimit -Hn)\"",
                 limit_text(limit.rlim_cur), needed);
  }
}

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("weft");
  // Every message escaped: nothing a client sends can start a line or write raw bytes.
  logger->set_formatter(std::make_unique<weft::session::escaping_formatter>("%Y-%m-%dT%H:%M:%S.%e level=%l %v"));
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  options opts;
  if (auto code = parse_args(argc, argv, opts)) return *code;

  auto loaded = weft::config::load_config_file(opts.config_path);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    std::cerr << "weft: configuration has " << loaded.errors.size() << " error(s)\n";
    return 1;
  }
  auto& config = *loaded.config;
  if (opts.check_only) {
    const bool reads_accounts = config.auth.from_backends && !config.auth.user.empty();
    std::cout << opts.config_path << ": OK (" << config.runtime.users.size() << " users"
              << (reads_accounts ? " + the primary's accounts as " + config.auth.user : std::string()) << ", "
              << config.topology.servers.size() << " servers)\n";
    return 0;
  }

  std::signal(SIGPIPE, SIG_IGN);
  setup_logging(config.log_level);
  raise_fd_limit(config);
  const auto listen = config.proxy.listen.to_string();
  weft::app::application app(std::move(config), opts.config_path);
  try {
    app.start();
  } catch (const std::exception& e) {
    spdlog::critical("event=start_failed listen={} error=\"{}\"", listen, e.what());
    return 1;
  }
  spdlog::info("event=started version={} listen={} workers={} config={}", weft::kVersion, listen, app.worker_count(),
               opts.config_path);

  // SIGHUP reloads the configuration file; SIGTERM and SIGINT drain and stop.
  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGTERM, SIGINT, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& ec,
                                                                             int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      spdlog::info("event=reloading signal=SIGHUP");
      app.reload();
      signals.async_wait(on_signal);
      return;
    }
    spdlog::info("event=stopping signal={}", signo);
    app.stop();
  };
  signals.async_wait(on_signal);
  signals_io.run();
  app.join();
  spdlog::info("event=stopped");
  return 0;
}
