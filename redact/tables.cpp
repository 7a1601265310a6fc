#include "redact/tables.h"

#include <algorithm>
#include <array>
#include <string>

#include "redact/text.h"

namespace lp::redact {

namespace {

using namespace std::string_view_literals;

enum class column { other, person, birth };

// Header words, compared in lower case (ASCII folded; umlauts as written).
constexpr std::array person_headers = {
    "name"sv, "nachname"sv, "familienname"sv, "zuname"sv, "vorname"sv, "vornamen"sv, "vorname(n)"sv, "rufname"sv,
    "geburtsname"sv, "name, vorname"sv, "nachname, vorname"sv, "name vorname"sv, "vor- und nachname"sv,
    "vor- und zuname"sv, "vorname nachname"sv, "vorname und nachname"sv, "teilnehmer"sv, "teilnehmerin"sv,
    "teilnehmer/in"sv, "teilnehmer*in"sv, "teilnehmende"sv, "mitarbeiter"sv, "mitarbeiterin"sv, "mitarbeiter/in"sv,
    "mitarbeiter*in"sv, "beschäftigte"sv, "beschäftigter"sv, "ansprechpartner"sv, "ansprechpartnerin"sv,
    "ansprechperson"sv, "kontaktperson"sv, "antragsteller"sv, "antragstellerin"sv, "antragsteller/in"sv,
    "kind"sv, "name des kindes"sv, "schüler"sv, "schülerin"sv, "schüler/in"sv, "bewerber"sv, "bewerberin"sv,
    "bewerber/in"sv, "patient"sv, "patientin"sv, "mutter"sv, "vater"sv, "mieter"sv, "mieterin"sv, "halter"sv,
    "halterin"sv, "fahrzeughalter"sv, "person"sv, "betroffene"sv, "betroffener"sv, "klient"sv, "klientin"sv,
    "bearbeiter"sv, "bearbeiterin"sv, "sachbearbeiter"sv, "sachbearbeiterin"sv, "first name"sv, "last name"sv,
    "surname"sv, "given name"sv, "family name"sv, "full name"sv, "employee"sv, "contact"sv, "contact person"sv};
constexpr std::array birth_headers = {
    "geburtsdatum"sv, "geb.-datum"sv, "geb.datum"sv, "geb. datum"sv, "geb.-dat."sv, "geb."sv, "geboren"sv,
    "geboren am"sv, "gebdatum"sv, "geburtstag"sv, "date of birth"sv, "birth date"sv, "dob"sv, "d.o.b."sv};
// Cell values that are no name: markers and placeholders.
constexpr std::array placeholders = {"ja"sv, "nein"sv, "x"sv, "-"sv, "–"sv, "k.a."sv, "n/a"sv, "n.a."sv,
                                     "entfällt"sv, "unbekannt"sv, "offen"sv, "keine"sv, "keiner"sv, "?"sv};

std::string fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s, std::size_t& offset) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\r' || s[a] == '"')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\r' || s[b - 1] == '"')) --b;
  offset += a;
  return s.substr(a, b - a);
}

column kind_of(std::string_view cell) {
  // headers are short; most cells (and all prose around a semicolon) are not
  if (cell.empty() || cell.size() > 26) return column::other;
  std::string f = fold(cell);
  while (!f.empty() && f.back() == ':') f.pop_back();
  if (std::find(person_headers.begin(), person_headers.end(), f) != person_headers.end()) return column::person;
  if (std::find(birth_headers.begin(), birth_headers.end(), f) != birth_headers.end()) return column::birth;
  return column::other;
}

struct cell {
  std::size_t start, end;  // trimmed, as offsets into the text
  std::string_view text;
};

// Splits a line into cells at `sep`; for '|' the outer pipes of "| a | b |" are dropped.
void split(std::string_view s, std::size_t line_from, std::size_t line_to, char sep, std::vector<cell>& out) {
  out.clear();
  std::size_t a = line_from, b = line_to;
  if (sep == '|') {
    while (a < b && s[a] == ' ') ++a;
    if (a < b && s[a] == '|') ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\r')) --b;
    if (b > a && s[b - 1] == '|') --b;
  }
  std::size_t from = a;
  for (std::size_t i = a; i <= b; ++i) {
    if (i == b || s[i] == sep) {
      std::size_t off = from;
      const std::string_view t = trim(s.substr(from, i - from), off);
      out.push_back(cell{off, off + t.size(), t});
      from = i + 1;
    }
  }
}

char separator_of(std::string_view line) {
  std::size_t tabs = 0, pipes = 0, semicolons = 0;
  for (const char c : line) {
    tabs += c == '\t';
    pipes += c == '|';
    semicolons += c == ';';
  }
  if (tabs >= 1) return '\t';
  if (pipes >= 2) return '|';
  if (semicolons >= 1) return ';';
  return 0;
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A plausible name cell: 1-5 words of letters (with - ' . , and spaces), starting with a letter.
bool name_cell(std::string_view c) {
  if (c.empty() || c.size() > 60 || has_digit(c)) return false;
  if (!text::is_letter(text::decode_at(c, 0).c)) return false;
  if (kind_of(c) != column::other) return false;
  const std::string f = fold(c);
  if (std::find(placeholders.begin(), placeholders.end(), f) != placeholders.end()) return false;
  std::size_t words = 1;
  for (std::size_t i = 0; i < c.size();) {
    const auto cp = text::decode_at(c, i);
    if (!cp.len) return false;
    const char32_t ch = cp.c;
    if (ch == ' ') {
      ++words;
    } else if (!text::is_letter(ch) && ch != '-' && ch != '\'' && ch != '.' && ch != ',' && ch != 0x2019) {
      return false;
    }
    i += cp.len;
  }
  return words <= 5;
}

bool date_cell(std::string_view s, const cell& c) {
  std::size_t from = 0, to = 0;
  return !c.text.empty() && text::parse_date(s, c.start, from, to) && from == c.start && to == c.end;
}

void emit(std::string_view s, const cell& c, column k, std::vector<entity>& out) {
  if (k == column::person && name_cell(c.text)) {
    out.push_back(entity{entity_type::person, c.start, c.end, 0.85f});
  } else if (k == column::birth && date_cell(s, c)) {
    out.push_back(entity{entity_type::date_of_birth, c.start, c.end, 0.9f});
  }
}

}  // namespace

void find_in_tables(std::string_view s, std::vector<entity>& out) {
  // tables need a separator somewhere (memchr is fast; find_first_of tests byte by byte)
  if (s.find('\t') == std::string_view::npos && s.find('|') == std::string_view::npos &&
      s.find(';') == std::string_view::npos) {
    return;
  }
  std::vector<cell> cells;
  std::vector<column> header;  // the columns of the table being read (empty: none)
  char header_sep = 0;
  // A two-cell line "Vorname<TAB>Elif" is a label and its value, unless the next line turns it
  // into the header of a two-column table ("Name<TAB>Status" over "Berg<TAB>offen").
  struct pending_value {
    cell c;
    column k;
  };
  std::vector<pending_value> pending;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t eol = s.find('\n', pos);
    if (eol == std::string_view::npos) eol = s.size();
    const std::string_view line = s.substr(pos, eol - pos);
    // outside a table, a long line is prose (a header row is short)
    const char sep = header.empty() && pending.empty() && line.size() > 300 ? 0 : separator_of(line);
    if (sep == 0) {
      header.clear();
    } else {
      split(s, pos, eol, sep, cells);
      if (!header.empty() && sep == header_sep && cells.size() + 1 >= header.size()) {
        // a row of the table: its cells under name and birth-date headers
        bool is_header = false;
        for (std::size_t k = 0; k < cells.size() && k < header.size(); ++k) {
          if (kind_of(cells[k].text) != column::other) is_header = true;
        }
        if (!is_header) {
          pending.clear();  // the line before was a header
          for (std::size_t k = 0; k < cells.size() && k < header.size(); ++k) emit(s, cells[k], header[k], out);
          pos = eol + 1;
          continue;
        }
      }
      for (const auto& p : pending) emit(s, p.c, p.k, out);
      pending.clear();
      // a header row: at least two cells, none with digits, one of them a name or birth-date header
      header.clear();
      bool relevant = false, digits = false;
      for (const auto& c : cells) {
        const column k = kind_of(c.text);
        relevant = relevant || k != column::other;
        digits = digits || has_digit(c.text);
        header.push_back(k);
      }
      if (cells.size() >= 2 && relevant && !digits) {
        header_sep = sep;
      } else {
        header.clear();
      }
      if (cells.size() == 2 && kind_of(cells[0].text) != column::other && kind_of(cells[1].text) == column::other) {
        pending.push_back({cells[1], kind_of(cells[0].text)});
      }
      pos = eol + 1;
      continue;
    }
    for (const auto& p : pending) emit(s, p.c, p.k, out);
    pending.clear();
    pos = eol + 1;
  }
  for (const auto& p : pending) emit(s, p.c, p.k, out);
}

}  // namespace lp::redact
