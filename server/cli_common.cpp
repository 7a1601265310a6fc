#include "server/cli_common.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "config/config.h"

namespace lp::cli {

int usage_error(const std::string& msg, const char* usage) {
  std::cerr << "leitplanke: " << msg << "\n\n" << usage;
  return 2;
}

bool parse_args(int argc, char** argv, int from, const std::vector<std::string>& valued,
                const std::vector<std::string>& flags, args& out, std::string& error) {
  for (int i = from; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
      continue;
    }
    if (a.starts_with("--")) {
      std::string name = a.substr(2), value;
      const auto eq = name.find('=');
      bool has_value = false;
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      if (std::find(flags.begin(), flags.end(), name) != flags.end() && !has_value) {
        out.opts[name] = "1";
        continue;
      }
      if (std::find(valued.begin(), valued.end(), name) == valued.end()) {
        error = "unknown option --" + name;
        return false;
      }
      if (!has_value) {
        if (i + 1 >= argc) {
          error = "option --" + name + " needs a value";
          return false;
        }
        value = argv[++i];
      }
      out.opts[name] = value;
      continue;
    }
    out.positional.push_back(a);
  }
  return true;
}

std::string database_url(const args& a) {
  if (auto it = a.opts.find("database-url"); it != a.opts.end()) return it->second;
  if (const char* v = std::getenv("LEITPLANKE_DATABASE_URL"); v && *v) return v;
  if (auto it = a.opts.find("config"); it != a.opts.end()) {
    std::vector<yaml::diagnostic> diags;
    auto cfg = config::load(it->second, config::need::database, diags);
    if (!cfg) {
      for (const auto& d : diags) std::cerr << d.format() << "\n";
      return {};
    }
    return cfg->database_url;
  }
  std::cerr << "leitplanke: no database given (use --database-url, --config or LEITPLANKE_DATABASE_URL)\n";
  return {};
}

}  // namespace lp::cli
