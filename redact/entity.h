// Entity types the redactor can detect, and a detected span.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lp::redact {

// Each value is one kind of personal datum or secret. Names (to_string) are the stable
// identifiers used in policies, audit records and the `redact --jsonl` output.
enum class entity_type : std::uint8_t {
  email,            // e-mail address (RFC 5322 dot-atom local part, DNS domain with a TLD)
  iban,             // International Bank Account Number with a valid ISO 13616 mod-97 check
  person,           // a natural person's name (gazetteers + cues: Frau/Herr, greetings, signatures)
  phone,            // telephone and fax numbers (German national and international formats)
  bic,              // ISO 9362 business identifier code (bank), with a valid country code
  credit_card,      // payment card number, Luhn-valid with a known issuer prefix
  tax_id,           // Steuerliche Identifikationsnummer (11 digits, ISO 7064 MOD 11,10, digit rule)
  vat_id,           // Umsatzsteuer-Identifikationsnummer DE + 9 digits (MOD 11,10)
  social_security,  // Rentenversicherungsnummer (12 characters, DRV check digit)
  id_card,          // Personalausweis document number (MRZ 7-3-1 check digit, or with context)
  passport,         // Reisepass document number (same rules, C F G H J K first)
  address,          // street + house number, with postal code and city when present
  date_of_birth,    // dates stated as birth dates (geb., geboren am, Geburtsdatum …)
  license_plate,    // Kfz-Kennzeichen
  ip_address,       // IPv4 and IPv6 addresses
  health,           // diagnoses, disabilities, care levels of an identifiable person (Art. 9 GDPR)
  case_number,      // Aktenzeichen / Geschäftszeichen
  secret,           // API keys, tokens, passwords, private keys
};

inline constexpr std::size_t entity_type_count = 18;

inline constexpr std::array<std::string_view, entity_type_count> entity_names = {
    "EMAIL",   "IBAN",     "PERSON",  "PHONE",         "BIC",           "CREDIT_CARD",
    "TAX_ID",  "VAT_ID",   "SOCIAL_SECURITY", "ID_CARD", "PASSPORT",     "ADDRESS",
    "DATE_OF_BIRTH", "LICENSE_PLATE", "IP_ADDRESS", "HEALTH", "CASE_NUMBER", "SECRET"};

constexpr std::string_view to_string(entity_type t) {
  return entity_names[static_cast<std::size_t>(t)];
}

constexpr std::optional<entity_type> entity_from_string(std::string_view s) {
  for (std::size_t i = 0; i < entity_type_count; ++i) {
    if (entity_names[i] == s) return static_cast<entity_type>(i);
  }
  return std::nullopt;
}

// A detected span: [start, end) as UTF-8 byte offsets into the scanned text.
struct entity {
  entity_type type;
  std::size_t start;
  std::size_t end;
  float score;  // confidence in (0, 1]; check-digit-validated matches score high
};

// Per-type counters for a request (what the audit record stores).
using entity_counts = std::array<std::uint32_t, entity_type_count>;

}  // namespace lp::redact
