// The gateway's built-in daily maintenance of the decision log: creates the partitions of the
// coming months and applies retention (audit/retention.h), on its own thread and connection.
// Several gateways may run it; an advisory lock lets one at a time do the work.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace lp::audit {

class maintenance {
 public:
  // `months` returns the retention period in force (read at every run: policies reload).
  maintenance(std::string database_url, std::string actor, std::function<int()> months,
              std::chrono::milliseconds every = std::chrono::hours(24));
  ~maintenance();
  void start();
  void stop();

 private:
  void run();
  std::string url_, actor_;
  std::function<int()> months_;
  std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lp::audit
