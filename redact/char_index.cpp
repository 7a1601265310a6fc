#include "redact/char_index.h"

#include <cstring>

#include "redact/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lp::redact {

namespace {

#if defined(__SSE2__)
// Class bits of 16 bytes (bit k = byte k). Signed byte compares: bytes >= 0x80 are negative,
// so they fall outside every ASCII range.
inline __m128i in_range(__m128i v, char lo, char hi) {
  return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
}
inline std::uint64_t bits16(__m128i m) { return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(m))); }
#endif

}  // namespace

void char_index::build(std::string_view s) {
  n_ = s.size();
  const std::size_t nblocks = (n_ + 63) / 64;
  blocks_.resize(nblocks);
  const auto* data = reinterpret_cast<const unsigned char*>(s.data());
  bool any_high = false;
  for (std::size_t b = 0; b < nblocks; ++b) {
    const std::size_t off = b * 64;
    const unsigned char* p = data + off;
    unsigned char tail[64];
    if (off + 64 > n_) {  // the last, partial block: zero bytes are in no class
      std::memset(tail, 0, sizeof tail);
      std::memcpy(tail, p, n_ - off);
      p = tail;
    }
    std::uint64_t acc[count] = {};
#if defined(__SSE2__)
    for (unsigned q = 0; q < 4; ++q) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q));
      const unsigned shift = 16 * q;
      acc[alpha] |= bits16(in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z')) << shift;
      acc[lower] |= bits16(in_range(x, 'a', 'z')) << shift;
      acc[high] |= bits16(x) << shift;
      acc[digit] |= bits16(in_range(x, '0', '9')) << shift;
      acc[newline] |= bits16(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))) << shift;
      acc[joiner] |= bits16(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('-')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\''))))
                     << shift;
    }
#else
    for (unsigned k = 0; k < 64; ++k) {
      const unsigned char ch = p[k];
      const std::uint64_t bit = 1ull << k;
      const unsigned char f = ch | 0x20;
      if (f >= 'a' && f <= 'z') acc[alpha] |= bit;
      if (ch >= 'a' && ch <= 'z') acc[lower] |= bit;
      if (ch >= 0x80) acc[high] |= bit;
      if (ch >= '0' && ch <= '9') acc[digit] |= bit;
      if (ch == '\n') acc[newline] |= bit;
      if (ch == '-' || ch == '\'') acc[joiner] |= bit;
    }
#endif
    acc[letter] = acc[alpha];
    any_high = any_high || acc[high] != 0;
    for (unsigned c = 0; c < count; ++c) blocks_[b].bits[c] = acc[c];
  }
  if (!any_high) return;
  // Non-ASCII letters (umlauts, ß, Ç, Ł, Greek, Cyrillic …): decode each character once.
  std::size_t i = 0;
  auto mark = [&](std::size_t k) { blocks_[k >> 6].bits[letter] |= 1ull << (k & 63); };
  while ((i = next_set(high, i)) < n_) {
    const auto lead = data[i];
    // Latin-1 and Latin Extended-A/B letters (U+00C0-U+024F: umlauts, ß, Ç, Ł, Ș …) are the
    // common case: two bytes, letters except × and ÷.
    if (lead >= 0xC3 && lead <= 0xC8 && i + 1 < n_ && (data[i + 1] & 0xC0) == 0x80) {
      if (!(lead == 0xC3 && (data[i + 1] == 0x97 || data[i + 1] == 0xB7))) {
        mark(i);
        mark(i + 1);
      }
      i += 2;
      continue;
    }
    const auto cp = text::decode_at(s, i);
    const std::size_t len = cp.len ? cp.len : 1;
    if (cp.len && text::is_letter(cp.c)) {
      for (std::size_t k = i; k < i + len; ++k) mark(k);
    }
    i += len;
  }
}

}  // namespace lp::redact
