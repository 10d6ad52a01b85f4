// work_queue_test: bounded queues of blocking work — a full queue refuses at once and
// counts it, accepted work runs in order and is finished by the destructor, a blocked
// queue never delays another, and a task that throws does not stop the next ones.
// Tasks are held on latches and promises: nothing sleeps on the wall clock.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "api/work_queue.hpp"

using api::WorkQueue;

namespace {

// Long enough never to be reached by a working queue; a broken one fails instead of hanging.
constexpr auto kPatience = std::chrono::seconds(30);

// A task held until `release`, which tells `started` when it runs.
struct Gate {
    std::latch release{1};
    std::promise<void> started;

    std::function<void()> task() {
        return [this] {
            started.set_value();
            release.wait();
        };
    }
    void wait_started() { REQUIRE(started.get_future().wait_for(kPatience) == std::future_status::ready); }
};

// The order tasks ran in, written by the queue's threads and read by the test once
// `expected` of them have run.
struct Order {
    explicit Order(size_t n) : expected(n) {}
    const size_t expected;
    std::mutex mutex;
    std::vector<int> ran;
    std::promise<void> all_ran;

    std::function<void()> task(int n) {
        return [this, n] {
            std::lock_guard lock(mutex);
            ran.push_back(n);
            if (ran.size() == expected) all_ran.set_value();
        };
    }
    std::vector<int> seen() {
        REQUIRE(all_ran.get_future().wait_for(kPatience) == std::future_status::ready);
        std::lock_guard lock(mutex);
        return ran;
    }
};

// Posts a task that fulfils the returned future: waiting on it waits for all posted before (one thread).
std::future<void> post_marker(WorkQueue& q) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    REQUIRE(q.try_post([done] { done->set_value(); }));
    return future;
}

}  // namespace

TEST_CASE("work queue: a full queue refuses at once, counts it, then runs what it accepted in order") {
    Gate gate;  // helpers before the queue: its destructor joins tasks that use them
    Order order(2);
    WorkQueue q("login", 1, 2);
    REQUIRE(q.try_post(gate.task()));
    gate.wait_started();

    CHECK(q.try_post(order.task(1)));
    CHECK(q.try_post(order.task(2)));
    CHECK_FALSE(q.try_post(order.task(3)));
    CHECK_FALSE(q.try_post(order.task(4)));
    CHECK(q.refused() == 2);
    CHECK(q.waiting() == 2);
    CHECK(q.running() == 1);

    gate.release.count_down();
    CHECK(order.seen() == std::vector<int>{1, 2});
}

TEST_CASE("work queue: capacity counts waiting tasks, not those an idle thread takes") {
    // Posted before the thread has picked the first up, the answer is the same.
    Gate gate;
    WorkQueue q("reports", 1, 1);
    REQUIRE(q.try_post(gate.task()));
    CHECK(q.try_post([] {}));
    CHECK_FALSE(q.try_post([] {}));
    gate.release.count_down();
}

TEST_CASE("work queue: a blocked login queue does not delay a reports task") {
    Gate gate;
    WorkQueue login("login", 1, 4);
    WorkQueue reports("reports", 1, 4);
    REQUIRE(login.try_post(gate.task()));
    gate.wait_started();
    for (int i = 0; i < 4; ++i) REQUIRE(login.try_post([] {}));
    REQUIRE_FALSE(login.try_post([] {}));

    std::future<void> report = post_marker(reports);
    CHECK(report.wait_for(kPatience) == std::future_status::ready);
    CHECK(reports.refused() == 0);
    gate.release.count_down();
}

TEST_CASE("work queue: the destructor finishes accepted work before it joins") {
    Order order(3);
    {
        Gate gate;
        WorkQueue q("catalog", 1, 3);
        REQUIRE(q.try_post(gate.task()));
        for (int n = 1; n <= 3; ++n) REQUIRE(q.try_post(order.task(n)));
        gate.release.count_down();
    }
    // Joined: no waiting here, what ran ran before the destructor returned.
    CHECK(order.ran == std::vector<int>{1, 2, 3});
}

TEST_CASE("work queue: after stop nothing is accepted, and stop again is harmless") {
    Order order(1);
    WorkQueue q("feeds", 2, 2);
    REQUIRE(q.try_post(order.task(1)));
    q.stop();
    CHECK(order.seen() == std::vector<int>{1});
    CHECK_FALSE(q.try_post(order.task(2)));
    CHECK(q.refused() == 1);
    q.stop();
    CHECK(q.name() == "feeds");
}

TEST_CASE("work queue: a task that throws does not stop the ones after it") {
    Order order(2);
    WorkQueue q("statistics", 1, 4);
    REQUIRE(q.try_post([] { throw std::runtime_error("disk gone"); }));
    REQUIRE(q.try_post([] { throw 42; }));  // not even a std::exception
    REQUIRE(q.try_post(order.task(1)));
    REQUIRE(q.try_post(order.task(2)));
    CHECK(order.seen() == std::vector<int>{1, 2});
}

TEST_CASE("work queue: several threads run tasks side by side") {
    // Two tasks that each wait for the other finish only if they run at once.
    std::latch both(2);
    std::promise<void> a, b;
    WorkQueue q("province", 2, 0);
    REQUIRE(q.try_post([&] { both.arrive_and_wait(); a.set_value(); }));
    REQUIRE(q.try_post([&] { both.arrive_and_wait(); b.set_value(); }));
    CHECK(a.get_future().wait_for(kPatience) == std::future_status::ready);
    CHECK(b.get_future().wait_for(kPatience) == std::future_status::ready);
}
