// A bitmap index of character classes over one text: one bit per byte for letters of any script
// (every byte of a letter's UTF-8 sequence, as text::is_letter decides), ASCII letters, ASCII
// lower-case letters, bytes >= 0x80, ASCII digits, line breaks and word joiners ('-', '\'').
// Built in one SIMD pass (SSE2 on x86-64, a plain loop elsewhere) plus a decode of the non-ASCII
// characters only, it lets the recognizers jump over what they do not care about (lower-case
// words, spaces, digits) instead of looking at every byte. Pure.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace lp::redact {

class char_index {
 public:
  enum cls : unsigned { letter, alpha, lower, high, digit, newline, joiner, count };

  // Indexes `s` (the index refers to it by offsets only; `s` need not outlive the index).
  void build(std::string_view s);
  std::size_t size() const { return n_; }

  // The bits of class c for bytes [64 w, 64 w + 64); 0 beyond the text.
  std::uint64_t word(cls c, std::size_t w) const { return w < blocks_.size() ? blocks_[w].bits[c] : 0; }
  // The same for w < words() (no bounds check).
  std::uint64_t word_in(cls c, std::size_t w) const { return blocks_[w].bits[c]; }
  std::size_t words() const { return blocks_.size(); }

  bool test(cls c, std::size_t i) const { return i < n_ && (word_in(c, i >> 6) >> (i & 63) & 1); }
  // First offset >= i whose byte is (next_set) / is not (next_clear) in class c; size() if none.
  std::size_t next_set(cls c, std::size_t i) const {
    if (i >= n_) return n_;
    std::size_t w = i >> 6;
    std::uint64_t bits = word_in(c, w) & (~0ull << (i & 63));
    while (bits == 0) {
      if (++w >= blocks_.size()) return n_;
      bits = word_in(c, w);
    }
    const std::size_t r = (w << 6) + static_cast<std::size_t>(std::countr_zero(bits));
    return r < n_ ? r : n_;
  }
  std::size_t next_clear(cls c, std::size_t i) const {
    if (i >= n_) return n_;
    std::size_t w = i >> 6;
    std::uint64_t bits = ~word_in(c, w) & (~0ull << (i & 63));
    while (bits == 0) {
      if (++w >= blocks_.size()) return n_;
      bits = ~word_in(c, w);
    }
    const std::size_t r = (w << 6) + static_cast<std::size_t>(std::countr_zero(bits));
    return r < n_ ? r : n_;
  }
  // Whether some byte in [from, to) is in class c.
  bool any(cls c, std::size_t from, std::size_t to) const {
    if (to > n_) to = n_;
    if (from >= to) return false;
    const std::size_t wf = from >> 6, wl = (to - 1) >> 6;
    const std::uint64_t first = ~0ull << (from & 63), last = ~0ull >> (63 - ((to - 1) & 63));
    if (wf == wl) return (word_in(c, wf) & first & last) != 0;
    if (word_in(c, wf) & first) return true;
    for (std::size_t w = wf + 1; w < wl; ++w) {
      if (word_in(c, w)) return true;
    }
    return (word_in(c, wl) & last) != 0;
  }

 private:
  struct block {
    std::uint64_t bits[count];
  };
  std::vector<block> blocks_;
  std::size_t n_ = 0;
};

}  // namespace lp::redact
