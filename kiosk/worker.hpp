// worker: one thread that runs jobs in order — the kiosk's way to do slow
// things (a request to the server, bytes to a printer) without freezing the
// screen. A job reports back by posting to the app's inbox.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace kiosk {

class Worker {
public:
    Worker();
    ~Worker();  // finishes the job under way, drops the rest
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void post(std::function<void()> job);
    size_t pending() const;

private:
    void run();

    mutable std::mutex lock_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace kiosk
