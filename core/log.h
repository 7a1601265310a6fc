// Logging facade: one line per event on stderr, tagged with a level and an optional request id.
// Thread-safe (each line is one write(2)). Never pass prompt text, response text or personal data.
#pragma once

#include <string_view>

namespace lp::log {

enum class level : int {
  debug = 0,  // developer detail, off by default
  info = 1,   // lifecycle events: start, stop, reload
  warn = 2,   // degraded states an administrator should look at
  error = 3,  // an operation failed
};

void set_level(level l);
bool enabled(level l);
void write(level l, std::string_view request_id, std::string_view message);

inline void info(std::string_view msg) { write(level::info, {}, msg); }
inline void warn(std::string_view msg) { write(level::warn, {}, msg); }
inline void error(std::string_view msg) { write(level::error, {}, msg); }

}  // namespace lp::log
