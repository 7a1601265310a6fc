// The audit writer: takes decision records from request threads without blocking them and
// writes them to PostgreSQL in batches over its own connection, on its own thread.
//
// submit() only appends to a bounded in-memory queue (one mutex, no I/O). The writer thread
// flushes when a batch is full or every flush interval with one COPY into `decisions`. A batch
// that failed once (its commit may have happened) is retried through a staging table and
// INSERT ... ON CONFLICT (record_id, ts) DO NOTHING, so a retry never duplicates rows.
// When the database fails, the batch stays queued and is retried with backoff; stop() drains
// the queue (bounded by a deadline) before returning.
//
// Every record is linked into this instance's hash chain (audit/chain.h) when it is first
// written: the writer continues the chain from the last record of its instance in the database,
// holds a PostgreSQL advisory lock on the instance name so that no second gateway writes the
// same chain, and, with a signing key, signs the chain tip every checkpoint interval and at
// stop (audit_checkpoints).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/chain.h"
#include "audit/people_cache.h"
#include "audit/record.h"
#include "audit/signing.h"
#include "audit/spool.h"

namespace lp::audit {

struct writer_settings {
  std::chrono::milliseconds flush_interval{200};
  std::size_t batch_max = 2000;
  std::size_t queue_max = 200000;
  std::chrono::milliseconds checkpoint_interval{60000};
  std::shared_ptr<const ed25519_key> signing_key;  // null: no checkpoints
  std::string spool_dir;  // empty: no spool (records wait in memory while the database is down)
};

class writer {
 public:
  writer(std::string database_url, std::string instance, writer_settings s);
  ~writer();  // calls stop() with a short deadline if still running
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  void start();

  // Queues a record. Returns false (record not taken) when queue_max records are waiting
  // (queued or in the batch being written): callers must then refuse requests (fail closed).
  // Thread-safe; never blocks on I/O.
  bool submit(record&& r);

  // Records a policy text that decides requests from now on (policy_versions), written with the
  // next batch; kept until the database has it. Thread-safe.
  // `services` is a JSON array of objects with the columns of policy_services (without tenant
  // and digest); `departments` the registry's names.
  void note_policy(std::string tenant, std::string digest, std::string version, std::string source,
                   std::string services = "[]", std::vector<std::string> departments = {});

  // True when the queue has room for `n` more records (used to fail closed before forwarding).
  bool has_room() const;

  // Flushes everything queued, waiting at most `deadline` for the database. Returns the number
  // of records that could not be written (0 on success). Thread-safe, idempotent.
  std::size_t stop(std::chrono::milliseconds deadline);

  // True when the last database round trip succeeded.
  bool healthy() const { return healthy_.load(std::memory_order_relaxed); }
  // True when records can be taken: the database, or else the spool, works.
  bool accepting() const {
    return healthy() || (spool_ && spool_ok_.load(std::memory_order_relaxed) && !chain_taken_.load());
  }
  std::uint64_t spooled() const { return spooled_.load(std::memory_order_relaxed); }
  std::uint64_t spool_pending() const { return spool_ ? spool_->pending() : 0; }

  std::uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  std::uint64_t checkpoints() const { return checkpoints_.load(std::memory_order_relaxed); }
  std::size_t queued() const;

  const std::string& instance() const { return instance_; }

 private:
  void run();
  bool flush(std::deque<record>& batch);  // true when written to the database or the spool
  bool write_db(std::deque<record>& batch);
  bool spool_batch(std::deque<record>& batch);
  void replay_spool();
  void connect();                         // opens the connection, takes the lock, reads the tip
  void checkpoint();                      // signs and stores the chain tip (writer thread)

  std::string database_url_;
  std::string instance_;
  writer_settings settings_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<record> queue_;
  struct policy_note {
    std::string tenant, digest, version, source, services;
    std::vector<std::string> departments;
  };
  std::vector<policy_note> policies_;  // guarded by mu_
  std::size_t held_ = 0;  // records the writer took from the queue and has not written yet
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_{};

  std::thread thread_;
  std::atomic<bool> healthy_{false};
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::size_t> lost_{0};
  bool retrying_ = false;  // writer thread only: the current batch failed once
  chain_tip tip_;          // writer thread only: the last record linked
  people_cache people_;    // writer thread only: report rows the database has
  bool tip_known_ = false;
  std::string last_error_;  // writer thread only: the failure last logged
  std::uint64_t checkpointed_seq_ = 0;
  std::chrono::steady_clock::time_point last_checkpoint_{};
  std::atomic<std::uint64_t> checkpoints_{0};
  std::unique_ptr<spool> spool_;
  std::atomic<bool> spool_ok_{true};
  std::atomic<bool> chain_taken_{false};  // another gateway writes this instance's chain
  std::atomic<std::uint64_t> spooled_{0};
  bool spooling_ = false;  // writer thread only: records went to the spool since the last replay
  std::chrono::steady_clock::time_point next_db_attempt_{};
  std::chrono::milliseconds db_backoff_{100};
  struct connection_holder;
  std::unique_ptr<connection_holder> conn_;
};

// Formats one record as a line of PostgreSQL COPY text format (no trailing newline), with the
// columns in `copy_columns` order. Exposed for tests.
std::string copy_line(const record& r, const std::string& instance);
extern const char* const copy_columns;

}  // namespace lp::audit
