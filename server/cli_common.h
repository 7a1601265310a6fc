// Helpers shared by the command-line commands (server/cli.cpp, server/cli_audit.cpp): option
// parsing, usage errors, the database URL.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace lp::cli {

// Prints "leitplanke: MSG" and the usage; returns 2 (the exit code of usage errors).
int usage_error(const std::string& msg, const char* usage);

// Parses --name value / --flag options; positional arguments are collected in order.
struct args {
  std::map<std::string, std::string> opts;
  std::vector<std::string> positional;
  bool help = false;
};

bool parse_args(int argc, char** argv, int from, const std::vector<std::string>& valued,
                const std::vector<std::string>& flags, args& out, std::string& error);

// The database URL from --database-url, LEITPLANKE_DATABASE_URL or --config. Empty (message
// printed) on failure.
std::string database_url(const args& a);

// `leitplanke audit …` (server/cli_audit.cpp).
int cmd_audit(int argc, char** argv);

// `leitplanke report …` and `leitplanke register …` (server/cli_report.cpp).
int cmd_report_or_register(int argc, char** argv);

}  // namespace lp::cli
