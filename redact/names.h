// The PERSON recognizer: names of natural persons in German administrative text, found without
// any cloud service from gazetteers of first names and surnames (German and the frequent names
// of NRW's immigrant communities, redact/data/) and cues: titles (Frau, Herr, Dr.), greetings
// (Sehr geehrte …, Liebe …), labels (Antragstellerin:, Sachbearbeiter:, gez.), signatures after
// "Mit freundlichen Grüßen", e-mail headers ("Berg, Anna"), and later mentions of a surname
// already found. Office titles (der Landrat), months and ordinary nouns that are also surnames
// (Koch, Wolf) are not flagged without a cue. Pure; the gazetteers are built once.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "redact/char_index.h"
#include "redact/entity.h"

namespace lp::redact {

// Appends the PERSON spans found in `text` to `out` (unsorted; they do not overlap each other).
// `idx` is the character index of `text`; `informal_cues` the end offsets (ascending) of the
// lower-case cues before names written without capitals ("herr ", "ich bin ", "lg " …).
void find_persons(std::string_view text, const char_index& idx, std::span<const std::uint32_t> informal_cues,
                  std::vector<entity>& out);

}  // namespace lp::redact
