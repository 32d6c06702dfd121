// weft: a MySQL-protocol routing proxy. Entry point: command line, configuration, signals.
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

#include "admin/application.h"
#include "admin/config_loader.h"
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

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("weft");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e level=%l %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  options opts;
  if (auto code = parse_args(argc, argv, opts)) return *code;

  auto loaded = weft::admin::load_config_file(opts.config_path);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    std::cerr << "weft: configuration has " << loaded.errors.size() << " error(s)\n";
    return 1;
  }
  auto& config = *loaded.config;
  if (opts.check_only) {
    std::cout << opts.config_path << ": OK (" << config.runtime.users.size() << " users, "
              << config.topology.servers.size() << " servers)\n";
    return 0;
  }

  std::signal(SIGPIPE, SIG_IGN);
  setup_logging(config.log_level);
  const auto listen = config.proxy.listen.to_string();
  weft::admin::application app(std::move(config), opts.config_path);
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
