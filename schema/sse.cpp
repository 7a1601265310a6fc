#include "schema/sse.h"

namespace lp::sse {

bool splitter::next(std::string_view& event) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > 64 * 1024) {
    buf_.erase(0, pos_);  // compact occasionally; events are small
    pos_ = 0;
  }
  const std::string_view view = std::string_view(buf_).substr(pos_);
  // An event ends with an empty line: "\n\n", "\r\n\r\n" (or mixed "\n\r\n" / "\r\n\n").
  for (std::size_t i = 0; i < view.size(); ++i) {
    if (view[i] != '\n') continue;
    std::size_t j = i + 1;
    if (j < view.size() && view[j] == '\r') ++j;
    if (j < view.size() && view[j] == '\n') {
      event = view.substr(0, j + 1);
      pos_ += j + 1;
      return true;
    }
  }
  return false;
}

std::string data_of(std::string_view event) {
  std::string data;
  bool first = true;
  std::size_t pos = 0;
  while (pos < event.size()) {
    auto nl = event.find('\n', pos);
    if (nl == std::string_view::npos) nl = event.size();
    std::string_view line = event.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("data:")) {
      line.remove_prefix(5);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      if (!first) data += '\n';
      data.append(line);
      first = false;
    }
    pos = nl + 1;
  }
  return data;
}

}  // namespace lp::sse
