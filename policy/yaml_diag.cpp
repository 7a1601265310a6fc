#include "policy/yaml_diag.h"

#include <fstream>
#include <sstream>

namespace lp::yaml {

std::string diagnostic::format() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

void checker::error(const YAML::Mark& at, std::string message) {
  // yaml-cpp marks are 0-based; a null mark (-1) becomes 1:1.
  diags_.push_back({file_, at.line >= 0 ? at.line + 1 : 1, at.column >= 0 ? at.column + 1 : 1,
                    std::move(message)});
}

void checker::error(const YAML::Node& at, std::string message) { error(at.Mark(), std::move(message)); }

void checker::only_keys(const YAML::Node& n, std::initializer_list<std::string_view> allowed) {
  if (!n.IsMap()) return;
  std::vector<std::string> seen;
  for (const auto& kv : n) {
    const std::string key = kv.first.Scalar();
    for (const auto& k : seen) {
      if (k == key) error(kv.first, "duplicate key '" + key + "'");
    }
    seen.push_back(key);
    bool ok = false;
    for (auto a : allowed) ok = ok || a == key;
    if (!ok) {
      std::string list;
      for (auto a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      error(kv.first, "unknown key '" + key + "' (allowed: " + list + ")");
    }
  }
}

bool checker::is_map(const YAML::Node& n, std::string_view what) {
  if (n.IsMap()) return true;
  error(n, std::string(what) + " must be a mapping");
  return false;
}

bool checker::is_seq(const YAML::Node& n, std::string_view what) {
  if (n.IsSequence()) return true;
  error(n, std::string(what) + " must be a list");
  return false;
}

bool checker::scalar(const YAML::Node& n, std::string_view what, std::string& out) {
  if (!n.IsScalar()) {
    error(n, std::string(what) + " must be a text value");
    return false;
  }
  out = n.Scalar();
  return true;
}

bool checker::integer(const YAML::Node& n, std::string_view what, long long min, long long max,
                      long long& out) {
  if (!n.IsScalar()) {
    error(n, std::string(what) + " must be a number");
    return false;
  }
  const std::string& s = n.Scalar();
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size()) {
    error(n, std::string(what) + " must be a whole number, not '" + s + "'");
    return false;
  }
  if (v < min || v > max) {
    error(n, std::string(what) + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return false;
  }
  out = v;
  return true;
}

bool checker::boolean(const YAML::Node& n, std::string_view what, bool& out) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true") return out = true, true;
    if (s == "false") return out = false, true;
  }
  error(n, std::string(what) + " must be true or false");
  return false;
}

bool checker::string_list(const YAML::Node& n, std::string_view what, std::vector<std::string>& out) {
  out.clear();
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return true;
  }
  if (!n.IsSequence()) {
    error(n, std::string(what) + " must be a list of text values");
    return false;
  }
  bool ok = true;
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      error(item, std::string(what) + " entries must be text values");
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  return ok;
}

YAML::Node load(std::string_view text, checker& c) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    c.error(e.mark, "YAML syntax error: " + e.msg);
    return YAML::Node(YAML::NodeType::Null);
  }
}

bool read_file(const std::string& path, std::string& out, checker& c) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    c.error(YAML::Mark::null_mark(), "cannot read file");
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace lp::yaml
