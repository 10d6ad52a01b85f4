// durability: the gate between deciding and saying. The engine decides on the
// loop at once; the events go to the group-commit writer; whoever waits for
// them (a reply, a snapshot for a new client) is let through only when the
// writer says they are on disk. If the disk fails, the server stops (fail-stop):
// nothing that a crash could take back is ever said.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "api/reply.hpp"
#include "engine/events.hpp"
#include "store/writer.hpp"

namespace api {

class Durability {
public:
    using Published = std::function<void(const std::vector<engine::Event>&)>;

    explicit Durability(store::Store& store) : store_(store) {}
    // post: onto the loop; fatal: once, when the disk failed; durable: each batch once on disk, in order.
    void start(std::function<void(Task)> post, std::function<void()> fatal, Published durable);
    void stop();  // flushes the writer

    void set_seq(int64_t seq) { durable_seq_ = submitted_seq_ = seq; }  // before serving: what the log holds
    void persist(std::vector<engine::Event> events);
    void after(int64_t seq, Task task);              // runs `task` once `seq` is durable
    void write(store::Writer::Job job, Task then);   // accounts and sessions, through the same writer

    int64_t durable_seq() const { return durable_seq_; }
    int64_t submitted_seq() const { return submitted_seq_; }
    bool failed() const { return failed_; }
    store::WriterStats stats() const { return writer_ ? writer_->stats() : store::WriterStats{}; }

private:
    void fail_stop();

    store::Store& store_;
    std::unique_ptr<store::Writer> writer_;
    std::function<void()> fatal_;
    Published durable_;
    bool failed_ = false;
    int64_t durable_seq_ = 0;
    int64_t submitted_seq_ = 0;
    std::multimap<int64_t, Task> waiting_;  // what waits for a seq to be durable
};

}  // namespace api
