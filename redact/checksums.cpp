#include "redact/checksums.h"

#include <array>
#include <utility>

namespace lp::redact {
namespace {
// SWIFT IBAN registry (release 2024), country code -> total IBAN length.
constexpr std::array<std::pair<std::string_view, int>, 89> iban_lengths = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
    {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
    {"SS", 23},
}};
}  // namespace

int iban_length_for_country(std::string_view cc) {
  static const auto table = [] {
    std::array<unsigned char, 26 * 26> t{};
    for (const auto& [code, len] : iban_lengths) t[(code[0] - 'A') * 26 + (code[1] - 'A')] = static_cast<unsigned char>(len);
    return t;
  }();
  if (cc.size() != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') return 0;
  return table[(cc[0] - 'A') * 26 + (cc[1] - 'A')];
}

bool iban_valid(std::string_view s) {
  char buf[40];
  std::size_t n = 0;
  for (char c : s) {
    if (c == ' ') continue;
    if (n == sizeof buf) return false;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    buf[n++] = c;
  }
  if (n < 15) return false;
  const std::string_view iban(buf, n);
  if (iban_length_for_country(iban.substr(0, 2)) != static_cast<int>(n)) return false;
  if (iban[2] < '0' || iban[2] > '9' || iban[3] < '0' || iban[3] > '9') return false;
  // MOD 97-10 over BBAN + country + check digits, letters as 10..35, computed incrementally.
  unsigned remainder = 0;
  auto feed = [&](char c) -> bool {
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      remainder = (remainder * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    } else {
      return false;
    }
    return true;
  };
  for (std::size_t i = 4; i < n; ++i) {
    if (!feed(iban[i])) return false;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (!feed(iban[i])) return false;
  }
  return remainder == 1;
}

bool luhn_valid(std::string_view s) {
  int sum = 0;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (*it < '0' || *it > '9') continue;
    int d = *it - '0';
    if (n % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++n;
  }
  return n > 0 && sum % 10 == 0;
}

bool mod11_10_valid(std::string_view digits) {
  if (digits.size() < 2) return false;
  int p = 10;
  for (std::size_t i = 0; i + 1 < digits.size(); ++i) {
    const char c = digits[i];
    if (c < '0' || c > '9') return false;
    int sum = (c - '0' + p) % 10;
    if (sum == 0) sum = 10;
    p = (2 * sum) % 11;
  }
  int check = 11 - p;
  if (check == 10) check = 0;
  return digits.back() == static_cast<char>('0' + check);
}

bool steuer_id_valid(std::string_view d) {
  if (d.size() != 11 || d[0] == '0') return false;
  int seen[10] = {};
  for (std::size_t i = 0; i < 10; ++i) {
    if (d[i] < '0' || d[i] > '9') return false;
    ++seen[d[i] - '0'];
  }
  int repeated = 0;
  for (int c : seen) {
    if (c > 3) return false;
    if (c >= 2) ++repeated;
  }
  if (repeated != 1) return false;
  return mod11_10_valid(d);
}

bool vat_de_valid(std::string_view d) {
  return d.size() == 9 && d[0] != '0' && mod11_10_valid(d);
}

bool rvnr_valid(std::string_view s) {
  if (s.size() != 12) return false;
  for (std::size_t i = 0; i < 12; ++i) {
    const bool digit = s[i] >= '0' && s[i] <= '9';
    if (i == 8 ? !(s[i] >= 'A' && s[i] <= 'Z') : !digit) return false;
  }
  const int day = (s[2] - '0') * 10 + (s[3] - '0');
  const int month = (s[4] - '0') * 10 + (s[5] - '0');
  if (month < 1 || month > 12) return false;
  if (!((day >= 1 && day <= 31) || (day >= 51 && day <= 81))) return false;
  const int letter = s[8] - 'A' + 1;
  const int digits[12] = {s[0] - '0', s[1] - '0', s[2] - '0', s[3] - '0', s[4] - '0', s[5] - '0',
                          s[6] - '0', s[7] - '0', letter / 10, letter % 10, s[9] - '0', s[10] - '0'};
  static constexpr int weights[12] = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
  int sum = 0;
  for (int i = 0; i < 12; ++i) {
    const int prod = digits[i] * weights[i];
    sum += prod / 10 + prod % 10;
  }
  return sum % 10 == s[11] - '0';
}

int mrz_check_digit(std::string_view s) {
  static constexpr int weights[3] = {7, 3, 1};
  int sum = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
    else if (c == '<') v = 0;
    else return -1;
    sum += v * weights[i % 3];
  }
  return sum % 10;
}

bool iso_country(std::string_view cc) {
  // ISO 3166-1 alpha-2, officially assigned codes.
  static constexpr std::string_view codes =
      "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY "
      "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
      "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR "
      "IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
      "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
      "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
      "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";
  if (cc.size() != 2) return false;
  for (std::size_t i = 0; i + 1 < codes.size(); i += 3) {
    if (codes[i] == cc[0] && codes[i + 1] == cc[1]) return true;
  }
  return false;
}

}  // namespace lp::redact
