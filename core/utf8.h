// UTF-8 validation (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
#pragma once

#include <cstddef>
#include <string_view>

namespace lp::utf8 {

// True when `s` is well-formed UTF-8.
bool valid(std::string_view s);

// Byte offset of the first ill-formed sequence, or s.size() when valid.
std::size_t first_invalid(std::string_view s);

}  // namespace lp::utf8
