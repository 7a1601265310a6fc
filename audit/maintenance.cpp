#include "audit/maintenance.h"

#include <pqxx/pqxx>

#include "audit/retention.h"
#include "core/log.h"

namespace lp::audit {

maintenance::maintenance(std::string database_url, std::string actor, std::function<int()> months,
                         std::chrono::milliseconds every)
    : url_(std::move(database_url)), actor_(std::move(actor)), months_(std::move(months)), every_(every) {}

maintenance::~maintenance() { stop(); }

void maintenance::start() { thread_ = std::thread([this] { run(); }); }

void maintenance::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void maintenance::run() {
  auto wait = std::chrono::milliseconds(5000);  // first run shortly after start
  for (;;) {
    {
      std::unique_lock lk(mu_);
      if (cv_.wait_for(lk, wait, [&] { return stopping_; })) return;
    }
    try {
      pqxx::connection cx(url_);
      const int months = std::max(months_(), min_retention_months);
      const auto r = apply_retention(cx, months, actor_, std::chrono::system_clock::now(), false);
      if (!r.dropped.empty() || !r.created.empty()) {
        log::info("audit: maintenance: " + std::to_string(r.dropped.size()) + " partitions dropped (" +
                  std::to_string(r.rows_deleted) + " records before " + r.cutoff + "), " +
                  std::to_string(r.created.size()) + " created");
      }
      wait = every_;
    } catch (const std::exception& e) {
      log::warn(std::string("audit: maintenance (partitions, retention) failed, retrying in 10 minutes: ") + e.what());
      wait = std::chrono::minutes(10);
    }
  }
}

}  // namespace lp::audit
