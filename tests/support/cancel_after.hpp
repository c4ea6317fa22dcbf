#pragma once
// A watchdog for tests of code that honours util::cancel_requested(): if the test has not
// finished within the limit, cancellation is requested, so a regression fails the test
// with kCancelled instead of hanging the suite. The flag is reset when it goes.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "util/cancel.hpp"

namespace deepdock::testing {

class CancelAfter {
 public:
  explicit CancelAfter(std::chrono::milliseconds limit)
      : thread_([this, limit] {
          std::unique_lock lock(mutex_);
          if (!done_changed_.wait_for(lock, limit, [this] { return done_; })) {
            util::request_cancel();
          }
        }) {}
  ~CancelAfter() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_changed_.notify_all();
    thread_.join();
    util::reset_cancel();
  }
  CancelAfter(const CancelAfter&) = delete;
  CancelAfter& operator=(const CancelAfter&) = delete;
  CancelAfter(CancelAfter&&) = delete;
  CancelAfter& operator=(CancelAfter&&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;
  std::thread thread_;  // last: it uses the members above
};

}  // namespace deepdock::testing
