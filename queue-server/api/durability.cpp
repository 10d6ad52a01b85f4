// durability: waiting for the disk, and stopping when it fails (see durability.hpp).
#include "api/durability.hpp"

#include <spdlog/spdlog.h>

namespace api {

void Durability::start(std::function<void(Task)> post, std::function<void()> fatal, Published durable) {
    fatal_ = std::move(fatal);
    durable_ = std::move(durable);
    writer_ = std::make_unique<store::Writer>(store_, std::move(post));
}

void Durability::stop() { writer_.reset(); }

void Durability::persist(std::vector<engine::Event> events) {
    if (events.empty()) return;
    submitted_seq_ = events.back().seq;
    auto batch = std::make_shared<std::vector<engine::Event>>(std::move(events));
    writer_->submit(*batch, [this, batch](bool durable) {
        if (!durable) return fail_stop();
        durable_seq_ = batch->back().seq;
        if (durable_) durable_(*batch);
        while (!waiting_.empty() && waiting_.begin()->first <= durable_seq_) {
            auto task = std::move(waiting_.begin()->second);
            waiting_.erase(waiting_.begin());
            task();
        }
    });
}

void Durability::after(int64_t seq, Task task) {
    if (failed_) return;  // the connection times out; nothing unsafe is said
    if (seq <= durable_seq_) task();
    else waiting_.emplace(seq, std::move(task));
}

void Durability::write(store::Writer::Job job, Task then) {
    writer_->submit(std::move(job), [this, then = std::move(then)](bool durable) {
        if (durable) then();
        else fail_stop();
    });
}

void Durability::fail_stop() {
    if (failed_) return;
    failed_ = true;
    spdlog::critical("the database could not be written; stopping so that a restart rebuilds from disk");
    waiting_.clear();  // those replies are never sent: nothing unsafe is said
    if (fatal_) fatal_();
}

}  // namespace api
