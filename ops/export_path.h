// Where EXPORT writes and IMPORT reads: only below the configured [admin] export_dir, so the
// admin port never becomes a way to read or write anywhere else on weft's host.
#pragma once

#include <filesystem>
#include <string>
#include <variant>

namespace weft::ops {

// The directory `name` means (relative to export_dir, or absolute inside it), resolved through
// every symbolic link; or why it is refused (no export_dir, outside it, the export_dir itself).
std::variant<std::filesystem::path, std::string> export_path(const std::string& export_dir, const std::string& name);

}  // namespace weft::ops
