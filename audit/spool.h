// The local spool: an append-only file that takes decision records while PostgreSQL cannot.
// Records are written with their chain links already assigned, one checksummed line each,
// a batch per write() and fdatasync(); they are replayed in order (idempotently: the database
// keeps the first copy of a record) when the database is back, and the file is then emptied.
// A torn last line (power loss during a write) fails its checksum and is reported, never
// replayed half. The chain tip is kept beside the spool so that the chain continues even when
// the gateway starts while the database is down.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "audit/chain.h"
#include "audit/record.h"

namespace lp::audit {

class spool {
 public:
  // Opens (creates) DIR/<instance>.spool. Throws std::runtime_error naming the path.
  spool(const std::string& dir, const std::string& instance);
  ~spool();
  spool(const spool&) = delete;
  spool& operator=(const spool&) = delete;

  // Appends the records durably (write + fdatasync). False on any I/O error (disk full …).
  bool append(const std::deque<record>& batch);
  // Every record in the spool, in order. `torn` counts lines that failed their checksum.
  std::deque<record> read_all(std::size_t& torn) const;
  // Empties the spool after its records were written to the database.
  bool clear();
  std::uint64_t pending() const { return pending_; }
  // Read when the spool was opened: the last record's chain link (seq 0: none), and the lines
  // that failed their checksum.
  const chain_tip& last_at_open() const { return last_at_open_; }
  std::size_t torn_at_open() const { return torn_at_open_; }
  const std::string& path() const { return path_; }

  // The chain tip kept beside the spool (write + rename; no fsync: it survives a crash of the
  // process, and the database or the spool itself holds the tip after a power loss).
  void save_tip(const chain_tip& tip) const;
  bool load_tip(chain_tip& tip) const;

  // One record as a spool line without the newline, and back (false: malformed/checksum).
  static std::string encode(const record& r, const std::string& instance);
  static bool decode(std::string_view line, record& r);

 private:
  std::string path_, tip_path_, instance_;
  int fd_ = -1;
  std::uint64_t pending_ = 0;
  chain_tip last_at_open_;
  std::size_t torn_at_open_ = 0;
};

}  // namespace lp::audit
