// Check-digit algorithms used to validate candidate identifiers. Pure functions.
#pragma once

#include <string_view>

namespace lp::redact {

// True when `s` (letters/digits; spaces ignored) is an IBAN whose length matches its
// country's registered length and whose ISO 7064 MOD 97-10 check passes (remainder 1).
bool iban_valid(std::string_view s);

// Registered IBAN length for a two-letter country code, or 0 when unknown.
int iban_length_for_country(std::string_view cc);

// Luhn (mod 10) over the digits of `s` (other characters ignored); false for no digits.
bool luhn_valid(std::string_view s);

// ISO 7064 MOD 11,10 check over `digits` (all characters '0'-'9'): true when the last digit is
// the check digit of the ones before (Steuer-IdNr, USt-IdNr).
bool mod11_10_valid(std::string_view digits);

// Steuerliche Identifikationsnummer: 11 digits, first != 0, in digits 1-10 exactly one digit
// occurs two or three times and every other at most once, MOD 11,10 check digit. `digits`
// holds exactly the 11 digits.
bool steuer_id_valid(std::string_view digits);

// German USt-IdNr: `digits` are the 9 digits after "DE"; first != 0, MOD 11,10.
bool vat_de_valid(std::string_view digits);

// Rentenversicherungsnummer: 12 characters "BBDDMMYYLSSP" (no spaces): area, birth date (day
// may be +50), initial of the birth surname, serial, check digit (weights 2,1,2,5,7,1,2,1,2,1,2
// over the digits with the letter as its two-digit alphabet position; sum of digit sums mod 10).
bool rvnr_valid(std::string_view s);

// ICAO 9303 check digit (weights 7,3,1; digits as values, A-Z as 10-35, '<' as 0) of `s`.
// Returns -1 for characters outside 0-9, A-Z, '<'.
int mrz_check_digit(std::string_view s);

// True when `cc` is an ISO 3166-1 alpha-2 country code (for BICs).
bool iso_country(std::string_view cc);

}  // namespace lp::redact
