// Server-sent events framing (WHATWG HTML §9.2): splits a byte stream into complete events.
#pragma once

#include <string>
#include <string_view>

namespace lp::sse {

// Incremental splitter. feed() appends bytes; next() yields each complete event (the raw bytes
// including its terminating blank line) as soon as it is complete. Not thread-safe.
class splitter {
 public:
  // Upper bound on one event; a stream with a longer event is treated as broken.
  static constexpr std::size_t max_event_bytes = 4 * 1024 * 1024;

  void feed(std::string_view bytes) { buf_.append(bytes); }

  // On true, `event` views into internal storage valid until the next feed()/next() call.
  bool next(std::string_view& event);

  // Bytes that are not yet a complete event.
  std::size_t pending() const { return buf_.size() - pos_; }
  std::string_view rest() const { return std::string_view(buf_).substr(pos_); }

 private:
  std::string buf_;
  std::size_t pos_ = 0;
};

// The concatenated `data:` field of one event (lines joined with '\n'), e.g. a JSON chunk or
// "[DONE]". Empty when the event has no data field.
std::string data_of(std::string_view event);

}  // namespace lp::sse
