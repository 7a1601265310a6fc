// Personal data in pasted tables: lists staff copy from spreadsheets and case systems (tab-,
// semicolon- or pipe-separated, with a header row), where the cells carry no cue of their own
// ("Demir<TAB>Elif<TAB>11.08.2004"). A header cell names the column (Name, Vorname, Nachname,
// Geburtsdatum, Geb.-Datum …); the cells below it are PERSON or DATE_OF_BIRTH spans. Two-cell
// rows whose first cell is such a header ("Vorname<TAB>Elif") are read as label and value. Pure.
#pragma once

#include <string_view>
#include <vector>

#include "redact/entity.h"

namespace lp::redact {

// Appends the spans found in tables of `text` to `out` (unsorted).
void find_in_tables(std::string_view text, std::vector<entity>& out);

}  // namespace lp::redact
