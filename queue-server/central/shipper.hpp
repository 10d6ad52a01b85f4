// shipper: a center's ticket records and daily figures, shipped to the
// province's central PostgreSQL, so the province sees every center in one place.
//
// Why shaped so: the hall must run when the WAN is down, so nothing in the
// queue waits on this; it reads center.db on its own read-only connection and
// ships when it can. The outbox is the tickets view itself: every row carries
// the seq of the event that last changed it (updated_seq), so "what changed
// since the cursor" is one indexed range, in (updated_seq, id) order. The
// cursor lives in the central database and moves in the same transaction as
// the rows it covers: a cut connection rolls both back, a restart reads it and
// goes on, so a week offline catches up with no duplicate and no gap. Rows are
// upserted, never added blindly, so shipping twice changes nothing. With each
// batch the figures of the days it touched are computed again (stats/) and put
// in place of the old ones.
//
// A center whose log went back (a restore from backup) is found by its last
// seq being behind the central cursor: its rows are then shipped again from
// the start, replacing what the central side held.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace central {

struct ShipConfig {
    std::string conninfo;     // libpq: "host=… dbname=… user=… passfile=…"
    std::string center_code;  // the center's stable name in the province ("tan-phu")
    std::string center_name, level, timezone = "Asia/Ho_Chi_Minh";
    int batch = 500;                                // ticket rows per transaction
    std::chrono::seconds interval{60};              // between rounds once caught up
    std::chrono::seconds retry_first{5}, retry_most{std::chrono::minutes(10)};
};

struct ShipStatus {
    int64_t shipped_seq = 0;   // the central cursor after the last good round
    int64_t local_seq = 0;     // the center's last seq at that round
    int64_t rows = 0, batches = 0, failures = 0;  // since start
    std::string last_error;    // empty after a good round
};

struct ShipError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The shipping itself, one round at a time: usable from a test or a command.
class Shipper {
public:
    Shipper(std::filesystem::path center_db, ShipConfig config);
    ~Shipper();

    // Ships batches until nothing is left; returns the rows shipped. Throws
    // ShipError (the connection, the central schema); what was committed stays.
    int64_t ship_until_caught_up();
    // Called after each committed batch with its last (updated_seq, id) (tests cut the line here).
    std::function<void(int64_t seq, int64_t id)> after_batch;
    const ShipStatus& status() const { return status_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    ShipStatus status_;
};

// The shipper on its own thread, for the server: rounds every interval, a
// failed round retried with backoff, stopped at once by stop().
class ShipperThread {
public:
    ShipperThread(std::filesystem::path center_db, ShipConfig config);
    ~ShipperThread();  // stops
    void stop();
    ShipStatus status() const;

private:
    void run();

    std::filesystem::path db_;
    ShipConfig config_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    ShipStatus status_;
    std::thread thread_;
};

}  // namespace central
