#include "ops/export_path.h"

namespace weft::ops {

namespace fs = std::filesystem;

std::variant<fs::path, std::string> export_path(const std::string& export_dir, const std::string& name) {
  if (export_dir.empty()) return std::string("weft: EXPORT and IMPORT need [admin] export_dir in the configuration");
  if (name.empty() || name.find('\0') != std::string::npos) return std::string("weft: no directory named");
  std::error_code failed;
  fs::create_directories(export_dir, failed);  // made at first use (0777 less the umask)
  const auto base = fs::canonical(export_dir, failed);
  if (failed) return "weft: [admin] export_dir " + export_dir + ": " + failed.message();
  const fs::path asked(name);
  // weakly_canonical resolves the links of the part that exists, so a link inside export_dir
  // that points out of it is seen for what it is.
  const auto full = fs::weakly_canonical(asked.is_absolute() ? asked : base / asked, failed);
  if (failed) return "weft: '" + name + "': " + failed.message();
  const auto inside = full.lexically_relative(base);
  if (inside.empty() || inside == "." || *inside.begin() == "..") {
    return "weft: '" + name + "' is not a directory inside [admin] export_dir (" + base.string() + ")";
  }
  return full;
}

}  // namespace weft::ops
