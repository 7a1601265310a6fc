#include "audit/writer.h"

#include <pqxx/pqxx>
#include <pqxx/binarystring>
#include <pqxx/tablewriter>

#include <sys/resource.h>
#include <unistd.h>

#include <ctime>
#include <set>

#include "audit/rollup.h"
#include "core/log.h"

namespace lp::audit {

std::string_view to_string(outcome o) {
  switch (o) {
    case outcome::allowed: return "allowed";
    case outcome::redacted: return "redacted";
    case outcome::blocked: return "blocked";
    case outcome::error: return "error";
  }
  return "error";
}

const char* const copy_columns =
    "record_id, request_id, ts, instance, user_ref, department, role, endpoint, upstream, model, "
    "policy_version, policy_digest, decision, rule_ids, entity_counts, prompt_tokens, "
    "completion_tokens, total_tokens, latency_ms, upstream_ms, status, error_code, stream, purpose, "
    "acknowledged, routed_to, answer_entity_counts, tenant, seq, prev_hash, hash";

namespace {

// COPY text format escaping (PostgreSQL docs, "COPY ... Text Format").
void copy_escape(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

void field(std::string& out, std::string_view s, bool null_if_empty = true) {
  if (!out.empty()) out += '\t';
  if (s.empty() && null_if_empty) {
    out += "\\N";
  } else {
    copy_escape(out, s);
  }
}

void num_field(std::string& out, std::int64_t v) {
  out += '\t';
  if (v < 0) {
    out += "\\N";
  } else {
    out += std::to_string(v);
  }
}

void double_field(std::string& out, double v) {
  out += '\t';
  if (v < 0) {
    out += "\\N";
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    out += buf;
  }
}

// A PostgreSQL array literal of text elements, each double-quoted.
std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string counts_json(const std::vector<std::pair<std::string, std::uint32_t>>& counts) {
  // Keys are entity type names (A-Z, _), so no JSON escaping is needed.
  std::string out = "{";
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i) out += ',';
    out += '"';
    out += counts[i].first;
    out += "\":";
    out += std::to_string(counts[i].second);
  }
  out += '}';
  return out;
}

}  // namespace

std::string copy_line(const record& r, const std::string& instance) {
  std::string out;
  out.reserve(256);
  field(out, r.record_id, false);
  field(out, r.request_id, false);
  field(out, utc_timestamp(r.ts, ' ', "+00"));
  field(out, instance, false);
  field(out, r.user_ref);
  field(out, r.department);
  field(out, r.role);
  field(out, r.endpoint, false);
  field(out, r.upstream);
  field(out, r.model);
  field(out, r.policy_version);
  field(out, r.policy_digest);
  field(out, to_string(r.decision));
  field(out, text_array(r.rule_ids));
  field(out, counts_json(r.entity_counts));
  num_field(out, r.prompt_tokens);
  num_field(out, r.completion_tokens);
  num_field(out, r.total_tokens);
  double_field(out, r.latency_ms);
  double_field(out, r.upstream_ms);
  num_field(out, r.status);
  field(out, r.error_code);
  out += r.stream ? "\tt" : "\tf";
  field(out, r.purpose);
  out += r.acknowledged ? "\tt" : "\tf";
  field(out, r.routed_to);
  field(out, counts_json(r.answer_entity_counts));
  field(out, r.tenant, false);
  if (r.seq == 0) {
    out += "\t\\N\t\\N\t\\N";
  } else {
    out += '\t';
    out += std::to_string(r.seq);
    out += "\t\\\\x";  // bytea hex input "\x…", its backslash escaped for COPY
    out += to_hex(r.prev_hash);
    out += "\t\\\\x";
    out += to_hex(r.hash);
  }
  return out;
}

struct writer::connection_holder {
  std::unique_ptr<pqxx::connection> cx;
};

writer::writer(std::string database_url, std::string instance, writer_settings s)
    : database_url_(std::move(database_url)),
      instance_(std::move(instance)),
      settings_(s),
      conn_(std::make_unique<connection_holder>()) {
  if (!settings_.spool_dir.empty()) {
    spool_ = std::make_unique<spool>(settings_.spool_dir, instance_);
    // The chain continues from the tip kept beside the spool (or from the spool's last record),
    // so records can be linked and spooled even when the database is down at start.
    chain_tip t;
    if (spool_->load_tip(t)) {
      tip_ = t;
      tip_known_ = true;
    }
    if (spool_->last_at_open().seq > tip_.seq) {
      tip_ = spool_->last_at_open();
      tip_known_ = true;
    }
    if (spool_->pending()) {
      log::info("audit: " + std::to_string(spool_->pending()) + " decision records wait in the spool " +
                spool_->path() + "; they are written when the database is reachable");
    }
    if (const auto torn = spool_->torn_at_open()) {
      log::warn("audit: the spool has " + std::to_string(torn) + " damaged line(s) (torn write?); they are skipped");
    }
  }
}

writer::~writer() { stop(std::chrono::milliseconds(2000)); }

void writer::start() {
  std::lock_guard lk(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

bool writer::submit(record&& r) {
  {
    std::lock_guard lk(mu_);
    if (queue_.size() + held_ >= settings_.queue_max) return false;
    queue_.push_back(std::move(r));
    if (queue_.size() < settings_.batch_max) return true;
  }
  cv_.notify_one();
  return true;
}

void writer::note_policy(std::string tenant, std::string digest, std::string version, std::string source,
                         std::string services, std::vector<std::string> departments) {
  std::lock_guard lk(mu_);
  policies_.push_back({std::move(tenant), std::move(digest), std::move(version), std::move(source),
                       std::move(services), std::move(departments)});
}

bool writer::has_room() const {
  std::lock_guard lk(mu_);
  return queue_.size() + held_ < settings_.queue_max;
}

std::size_t writer::queued() const {
  std::lock_guard lk(mu_);
  return queue_.size() + held_;
}

std::size_t writer::stop(std::chrono::milliseconds deadline) {
  {
    std::lock_guard lk(mu_);
    if (!stopping_) {
      stopping_ = true;
      stop_deadline_ = std::chrono::steady_clock::now() + deadline;
    }
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lk(mu_);
  return queue_.size() + lost_.load();
}

namespace {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// COPYs the batch into `table`. tablewriter is the libpqxx 6.4 API that accepts pre-formatted
// COPY lines; stream_to's raw-line writer is private in this version.
void copy_batch(pqxx::work& tx, const std::string& table, const std::deque<record>& batch,
                const std::string& instance) {
  pqxx::tablewriter w(tx, table + " (" + std::string(copy_columns) + ")");
  for (const auto& r : batch) w.write_raw_line(copy_line(r, instance));
  w.complete();
}
#pragma GCC diagnostic pop
}  // namespace

namespace {
// The writer's connection fails instead of hanging: a connect timeout, and TCP keepalives that
// notice a silent network partition within about 25 s (then records go to the spool).
std::string with_timeouts(const std::string& url) {
  const bool uri = url.rfind("postgres", 0) == 0 && url.find("://") != std::string::npos;
  std::string out = url;
  const char* opts[] = {"connect_timeout=5", "keepalives=1", "keepalives_idle=10", "keepalives_interval=5",
                        "keepalives_count=3"};
  for (const char* o : opts) {
    const std::string key = std::string(o).substr(0, std::string(o).find('=') + 1);
    if (out.find(key) != std::string::npos) continue;  // the operator's own setting wins
    if (uri) {
      out += out.find('?') == std::string::npos ? '?' : '&';
    } else {
      out += ' ';
    }
    out += o;
  }
  return out;
}

// Another gateway holds this instance's chain: not an outage, and not a case for the spool
// (records spooled here would fork the chain).
struct chain_taken : std::runtime_error {
  using std::runtime_error::runtime_error;
};
}  // namespace

void writer::connect() {
  auto cx = std::make_unique<pqxx::connection>(with_timeouts(database_url_));
  pqxx::nontransaction nt(*cx);
  nt.exec("SET client_min_messages = warning");
  // One writer per chain: a second gateway with the same instance name would fork it.
  const auto locked = nt.exec_params1("SELECT pg_try_advisory_lock(hashtext('leitplanke-audit-chain:' || $1))",
                                      instance_);
  if (!locked[0].as<bool>()) {
    chain_taken_.store(true);
    throw chain_taken("another gateway is writing the audit chain of instance '" + instance_ +
                      "': give each instance its own name (config: instance)");
  }
  chain_taken_.store(false);
  nt.exec("SET statement_timeout = '60s'");
  nt.exec("CREATE TEMP TABLE IF NOT EXISTS decisions_stage (LIKE decisions INCLUDING DEFAULTS)");
  // Continue the chain where this instance left it.
  // The tip is the newest of: the last record, the last signed checkpoint, and the chain tip a
  // retention event noted (retention may have deleted every record of the instance).
  const auto r = nt.exec_params(
      "SELECT seq, hash FROM ("
      " (SELECT seq, hash FROM decisions WHERE instance = $1 AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1)"
      " UNION ALL (SELECT seq, hash FROM audit_checkpoints WHERE instance = $1 ORDER BY seq DESC LIMIT 1)"
      " UNION ALL (SELECT (t->>'seq')::bigint, decode(t->>'hash', 'hex') FROM audit_events e,"
      "   jsonb_array_elements(e.details->'chain_tips') t WHERE e.kind = 'retention' AND t->>'instance' = $1)"
      ") tips ORDER BY seq DESC LIMIT 1",
      instance_);
  chain_tip db_tip;
  if (!r.empty()) {
    db_tip.seq = r[0][0].as<std::uint64_t>();
    db_tip.hash = pqxx::binarystring(r[0][1]).str();
  }
  if (!tip_known_ || db_tip.seq > tip_.seq) {
    tip_ = db_tip;
    tip_known_ = true;
  }
  const auto c = nt.exec_params("SELECT coalesce(max(seq), 0) FROM audit_checkpoints WHERE instance = $1", instance_);
  checkpointed_seq_ = c[0][0].as<std::uint64_t>();
  conn_->cx = std::move(cx);
}

void writer::checkpoint() {
  if (!settings_.signing_key || !tip_known_ || tip_.seq == 0 || tip_.seq == checkpointed_seq_) return;
  try {
    const auto now = std::chrono::system_clock::now();
    const std::string ts = utc_timestamp(now);
    const std::string sig = settings_.signing_key->sign(checkpoint_message(instance_, tip_.seq, tip_.hash, ts));
    pqxx::work tx(*conn_->cx);
    tx.exec_params(
        "INSERT INTO audit_checkpoints (instance, seq, hash, ts, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT DO NOTHING",
        instance_, tip_.seq, pqxx::binarystring(tip_.hash), ts, settings_.signing_key->key_id(),
        pqxx::binarystring(sig));
    tx.commit();
    checkpointed_seq_ = tip_.seq;
    last_checkpoint_ = std::chrono::steady_clock::now();
    checkpoints_.fetch_add(1, std::memory_order_relaxed);
  } catch (const std::exception& e) {
    log::warn(std::string("audit: cannot store checkpoint, will retry: ") + e.what());
  }
}

bool writer::flush(std::deque<record>& batch) {
  const auto now = std::chrono::steady_clock::now();
  if (healthy_.load() || !spool_ || now >= next_db_attempt_) {
    if (write_db(batch)) {
      db_backoff_ = std::chrono::milliseconds(100);
      return true;
    }
    next_db_attempt_ = now + db_backoff_;
    db_backoff_ = std::min(db_backoff_ * 2, std::chrono::milliseconds(2000));
    if (retrying_ && healthy_.load()) return false;  // records already written: retry idempotently at once
  }
  if (!spool_ || batch.empty() || chain_taken_.load()) return false;
  return spool_batch(batch);
}

namespace {
// What records bring besides their rows: the report aggregates and, for refused requests the
// policy keeps for review, the redacted text.
void store_extras(pqxx::work& tx, const std::vector<const record*>& recs, people_cache& people) {
  add_rollups(tx, recs, &people);
  for (const record* r : recs) {
    if (r->review_days == 0 || r->review_text.empty()) continue;
    tx.exec_params(
        "INSERT INTO refused_prompts (record_id, ts, tenant, expires_at, text) "
        "VALUES ($1, $2::timestamptz, $3, $2::timestamptz + make_interval(days => $4), $5) ON CONFLICT DO NOTHING",
        r->record_id, utc_timestamp(r->ts), r->tenant, static_cast<int>(r->review_days), r->review_text);
  }
}

// Writes a batch that may have been written before (a retry after a commit in doubt, a spool
// replay): staged, then only the rows not yet there are inserted, and only their extras stored,
// so nothing is written or counted twice.
void write_idempotent(pqxx::work& tx, const std::deque<record>& batch, const std::string& instance, people_cache& people) {
  tx.exec("TRUNCATE decisions_stage");
  copy_batch(tx, "decisions_stage", batch, instance);
  const auto inserted = tx.exec(std::string("INSERT INTO decisions (") + copy_columns + ") SELECT " + copy_columns +
                                " FROM decisions_stage ON CONFLICT (record_id, ts) DO NOTHING RETURNING record_id");
  std::set<std::string> ids;
  for (const auto& row : inserted) ids.insert(row[0].c_str());
  std::vector<const record*> fresh;
  for (const auto& r : batch) {
    if (ids.count(r.record_id)) fresh.push_back(&r);
  }
  store_extras(tx, fresh, people);
}
}  // namespace

bool writer::spool_batch(std::deque<record>& batch) {
  if (!tip_known_) tip_known_ = true;  // no tip file, empty spool, no database yet: a new chain
  for (auto& r : batch) {
    if (r.seq == 0) link(r, instance_, tip_);
  }
  if (!spool_->append(batch)) {
    if (spool_ok_.exchange(false)) {
      log::error("audit: cannot write to the spool " + spool_->path() + " (disk full? permissions?): " +
                 std::strerror(errno) + "; records wait in memory and requests are refused when the queue is full");
    }
    return false;
  }
  if (!spool_ok_.exchange(true)) log::info("audit: the spool " + spool_->path() + " takes records again");
  if (spooled_.fetch_add(batch.size(), std::memory_order_relaxed) == 0 || !spooling_) {
    log::warn("audit: database unreachable; decision records go to the spool " + spool_->path());
    spooling_ = true;
  }
  spool_->save_tip(tip_);
  retrying_ = false;
  return true;
}

void writer::replay_spool() {
  std::size_t torn = 0;
  std::deque<record> pending = spool_->read_all(torn);
  if (torn) log::warn("audit: skipped " + std::to_string(torn) + " damaged spool line(s)");
  std::deque<record> chunk;
  std::size_t done = 0;
  while (!pending.empty()) {
    chunk.clear();
    while (!pending.empty() && chunk.size() < settings_.batch_max) {
      chunk.push_back(std::move(pending.front()));
      pending.pop_front();
    }
    pqxx::work tx(*conn_->cx);
    people_.rollback();
    write_idempotent(tx, chunk, instance_, people_);
    tx.commit();
    people_.commit();
    done += chunk.size();
    written_.fetch_add(chunk.size(), std::memory_order_relaxed);
  }
  if (!spool_->clear()) throw std::runtime_error("cannot empty the spool " + spool_->path());
  spooling_ = false;
  log::info("audit: " + std::to_string(done) + " decision records from the spool written to the database");
}

bool writer::write_db(std::deque<record>& batch) {
  try {
    if (!conn_->cx || !conn_->cx->is_open()) connect();
    if (spool_ && spool_->pending() > 0) replay_spool();  // the spool first: it holds older records
    {
      std::vector<policy_note> notes;
      {
        std::lock_guard lk(mu_);
        notes = policies_;
      }
      if (!notes.empty()) {
        pqxx::work tx(*conn_->cx);
        for (const auto& n : notes) {
          const auto inserted = tx.exec_params(
              "INSERT INTO policy_versions (tenant, digest, version, instance, source) VALUES ($1, $2, $3, $4, $5) "
              "ON CONFLICT DO NOTHING RETURNING 1",
              n.tenant, n.digest, n.version, instance_, n.source);
          if (inserted.empty()) continue;  // known already, with its services and departments
          tx.exec_params(
              "INSERT INTO policy_services SELECT $1, $2, s.* FROM jsonb_to_recordset($3::jsonb) AS s(name text, "
              "provider text, models text[], location text, transfer_basis text, processor_contract text, "
              "no_training_on_inputs boolean, price_input_per_1k double precision, price_output_per_1k double precision, "
              "enabled boolean)",
              n.tenant, n.digest, n.services);
          for (const auto& d : n.departments) {
            tx.exec_params("INSERT INTO policy_departments VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", n.tenant, n.digest, d);
          }
        }
        tx.commit();
        std::lock_guard lk(mu_);
        policies_.erase(policies_.begin(), policies_.begin() + static_cast<std::ptrdiff_t>(notes.size()));
      }
    }
    if (batch.empty()) {
      if (!healthy_.exchange(true)) log::info("audit: database connection established");
      return true;
    }
    // Link the records that are new (a retried batch keeps its links).
    for (auto& r : batch) {
      if (r.seq == 0) link(r, instance_, tip_);
    }
    if (!retrying_) {
      // Fast path: one COPY straight into the table. A batch is retried only after a failure,
      // and then through the idempotent path below, because the failed attempt may have
      // committed (in doubt) and a plain COPY would then hit duplicate request ids.
      pqxx::work tx(*conn_->cx);
      people_.rollback();
      copy_batch(tx, "decisions", batch, instance_);
      std::vector<const record*> all;
      all.reserve(batch.size());
      for (const auto& r : batch) all.push_back(&r);
      store_extras(tx, all, people_);
      tx.commit();
      people_.commit();
    } else {
      pqxx::work tx(*conn_->cx);
      people_.rollback();
      write_idempotent(tx, batch, instance_, people_);
      tx.commit();
      people_.commit();
    }
    retrying_ = false;
    last_error_.clear();
    if (!healthy_.exchange(true)) log::info("audit: database connection established");
    written_.fetch_add(batch.size(), std::memory_order_relaxed);
    if (spool_) spool_->save_tip(tip_);
    if (settings_.signing_key && std::chrono::steady_clock::now() - last_checkpoint_ >= settings_.checkpoint_interval) {
      checkpoint();
    }
    return true;
  } catch (const pqxx::in_doubt_error& e) {
    log::warn(std::string("audit: commit in doubt, retrying batch idempotently: ") + e.what());
  } catch (const pqxx::unique_violation& e) {
    // A record written before (a replay of a batch whose commit was in doubt): retry the batch
    // through the ON CONFLICT path, which keeps the first copy.
    log::warn("audit: batch overlaps records already written, retrying idempotently");
    retrying_ = true;
    return false;
  } catch (const std::exception& e) {
    // Logged when it starts and when the reason changes, not at every retry.
    const std::string why = e.what();
    if (healthy_.exchange(false) || why != last_error_) {
      log::warn("audit: cannot write decision records, will retry (check database_url and that PostgreSQL is "
                "running): " + why);
      last_error_ = why;
    }
  }
  retrying_ = !batch.empty();
  conn_->cx.reset();
  healthy_.store(false);
  return false;
}

void writer::run() {
  // Formatting and sending a batch takes a few milliseconds of CPU every flush interval; at a
  // slightly lower priority than the request threads it fills idle time instead of delaying
  // requests (p99). Under saturation it still gets its share (nice 5 ~ a third of a nice-0
  // thread's), and a full queue makes requests fail closed rather than lose records.
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5) != 0) {
    log::warn("audit: cannot lower the writer thread's priority; continuing at normal priority");
  }
  std::deque<record> batch;
  auto backoff = std::chrono::milliseconds(100);
  // Establish the connection early so /readyz reflects the database state.
  {
    std::deque<record> none;
    flush(none);
  }
  for (;;) {
    bool stopping = false;
    std::chrono::steady_clock::time_point deadline;
    {
      std::unique_lock lk(mu_);
      if (batch.empty()) {
        cv_.wait_for(lk, settings_.flush_interval,
                     [&] { return stopping_ || queue_.size() >= settings_.batch_max; });
        while (!queue_.empty() && batch.size() < settings_.batch_max) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        held_ = batch.size();
      }
      stopping = stopping_;
      deadline = stop_deadline_;
      if (stopping && batch.empty() && queue_.empty()) {
        lk.unlock();
        if (conn_->cx && healthy_.load()) checkpoint();  // sign the final tip
        return;
      }
    }
    if (batch.empty()) {
      if (!healthy_.load()) {
        std::deque<record> none;
        flush(none);  // keep probing so readiness recovers
      }
      continue;
    }
    if (flush(batch)) {
      batch.clear();
      {
        std::lock_guard lk(mu_);
        held_ = 0;
      }
      backoff = std::chrono::milliseconds(100);
      continue;
    }
    if (retrying_ && healthy_.load()) continue;  // duplicate id: retry idempotently at once
    if (stopping && std::chrono::steady_clock::now() >= deadline) {
      std::lock_guard lk(mu_);
      const std::size_t lost = batch.size() + queue_.size();
      lost_ += lost;
      log::error("audit: shutting down with " + std::to_string(lost) +
                 " decision records that could not be written (database unreachable)");
      queue_.clear();
      held_ = 0;
      return;
    }
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, backoff, [&] { return false; });
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

}  // namespace lp::audit
