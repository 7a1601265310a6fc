// Check-digit algorithms used to validate candidate identifiers. Pure functions.
#pragma once

#include <string_view>

namespace lp::redact {

// True when `s` (letters/digits; spaces ignored) is an IBAN whose length matches its
// country's registered length and whose ISO 7064 MOD 97-10 check passes (remainder 1).
bool iban_valid(std::string_view s);

// Registered IBAN length for a two-letter country code, or 0 when unknown.
int iban_length_for_country(std::string_view cc);

}  // namespace lp::redact
