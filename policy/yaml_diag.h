// Diagnostics for YAML files read by people: every problem is reported as FILE:LINE:COL.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lp::yaml {

struct diagnostic {
  std::string file;
  int line = 0;  // 1-based
  int col = 0;   // 1-based
  std::string message;
  std::string format() const;  // "file:line:col: message"
};

// Collects diagnostics while walking one document.
class checker {
 public:
  explicit checker(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Node& at, std::string message);
  void error(const YAML::Mark& at, std::string message);

  // Reports every key of map `n` not in `allowed` ("unknown key 'x' (allowed: a, b)").
  void only_keys(const YAML::Node& n, std::initializer_list<std::string_view> allowed);

  // Typed getters: report a diagnostic and return false on a type mismatch.
  bool is_map(const YAML::Node& n, std::string_view what);
  bool is_seq(const YAML::Node& n, std::string_view what);
  bool scalar(const YAML::Node& n, std::string_view what, std::string& out);
  bool integer(const YAML::Node& n, std::string_view what, long long min, long long max, long long& out);
  bool boolean(const YAML::Node& n, std::string_view what, bool& out);
  // A scalar or a sequence of scalars.
  bool string_list(const YAML::Node& n, std::string_view what, std::vector<std::string>& out);

  const std::vector<diagnostic>& diagnostics() const { return diags_; }
  bool ok() const { return diags_.empty(); }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<diagnostic> diags_;
};

// Loads a YAML document from text; on a syntax error records it and returns a null node.
YAML::Node load(std::string_view text, checker& c);

// Reads a whole file; on failure records "cannot read file" and returns false.
bool read_file(const std::string& path, std::string& out, checker& c);

}  // namespace lp::yaml
