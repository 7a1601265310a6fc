// The hash chain over the decision log: every record of an instance carries a sequence number
// and SHA-256(previous hash || canonical form of the record). Altering, deleting or inserting a
// row with plain SQL breaks the chain at that row; `leitplanke audit verify` finds where.
//
// The canonical form is a JSON object with a fixed key order, built from the record's values
// (not from how PostgreSQL prints them), so the writer and the verifier produce the same bytes:
// timestamps in UTC with microseconds, durations with three decimals, entity counts sorted by
// type, absent values as null.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "audit/record.h"
#include "core/request_id.h"

namespace lp::audit {

inline constexpr std::size_t hash_size = 32;

// 32 zero bytes: the previous hash of an instance's first record.
const std::string& genesis_hash();

// The canonical form of `r` as written by `instance` (chain fields excluded).
std::string canonical(const record& r, std::string_view instance);

// SHA-256(prev || canonical): the record's hash (32 raw bytes).
std::string chain_hash(std::string_view prev, std::string_view canonical_form);

// The chain state of one instance: the last sequence number and hash written.
struct chain_tip {
  std::uint64_t seq = 0;
  std::string hash = genesis_hash();
};

// Assigns seq, prev_hash and hash to `r`, continuing `tip` (which advances).
void link(record& r, std::string_view instance, chain_tip& tip);

// Raw bytes from lower- or upper-case hex (empty on malformed input); the other way is
// lp::to_hex (core/request_id.h).
std::string from_hex(std::string_view hex);

// "2023-11-14T22:13:20.123456Z"; with sep ' ' and zone "+00" the form of the writer's COPY
// lines ("2023-11-14 22:13:20.123456+00").
std::string utc_timestamp(std::chrono::system_clock::time_point tp, char sep = 'T', std::string_view zone = "Z");

}  // namespace lp::audit
