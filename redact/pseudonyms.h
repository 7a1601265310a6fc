// Reversible pseudonyms: stable placeholders for personal data within one request, and their
// restoration in the answer (whole or streamed).
//
// The same value of the same type gets the same placeholder across all texts of a request
// (every message of the conversation history), so the AI service can still tell people apart
// and refer back to them: "<PERSON_1> schrieb an <PERSON_2>". The map lives only as long as the
// request, in memory; it is never logged or stored.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "redact/entity.h"

namespace lp::redact {

class pseudonym_map {
 public:
  // The placeholder for `value` of type `t` ("<EMAIL_1>"), assigned on first sight.
  const std::string& placeholder(entity_type t, std::string_view value);

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  // The longest placeholder handed out (bounds what a stream restorer holds back).
  std::size_t max_placeholder_size() const { return max_size_; }

  // The value behind `placeholder`, or null when it is not one of ours.
  const std::string* value_of(std::string_view placeholder) const;

  // Returns `text` with every placeholder of this map replaced by its value. Anything else that
  // looks like a placeholder (an AI service inventing "<EMAIL_9>") stays as it is.
  std::string restore(std::string_view text) const;

 private:
  struct entry {
    std::string placeholder;
    std::string value;
  };
  std::vector<entry> entries_;
  std::unordered_map<std::string, std::size_t> by_value_;        // type byte + value -> entry
  std::unordered_map<std::string_view, std::size_t> by_placeholder_;  // views into entries_
  std::array<unsigned, entity_type_count> next_{};
  std::size_t max_size_ = 0;
};

// Restores placeholders in a text that arrives in pieces (the deltas of a streamed answer). A
// placeholder split across pieces ("<PER" + "SON_1>") is held back until it is complete, so the
// client never sees a fragment; everything else is passed on at once.
class stream_restorer {
 public:
  explicit stream_restorer(const pseudonym_map& map) : map_(&map) {}

  // The restored text that can be shown now.
  std::string feed(std::string_view piece);
  // What is still held back (at the end of the stream).
  std::string flush();
  bool holding() const { return !carry_.empty(); }

 private:
  const pseudonym_map* map_;
  std::string carry_;
};

}  // namespace lp::redact
