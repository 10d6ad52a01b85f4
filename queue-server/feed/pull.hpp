// pull: the connector that asks the province's dossier software for news,
// for backends that can't push to us (firewalls let the center call out, not in).
//
// Every `interval` it sends GET URL?cursor=C&limit=N and expects a page
// {"updates": [...], "cursor": "...", "more": bool} (docs/api.md). The page is
// handed to a sink, which saves the updates and the new cursor in one durable
// transaction; only then is the next page asked for, at once if "more" says
// one is ready. So a crash anywhere re-asks from the last saved cursor, and the
// duplicates that brings are skipped by event id.
//
// A failure of any kind — no connection, no answer within `timeout`, a status
// other than 200, a body that is not a page, a refused update — changes
// nothing and is retried after a backoff (backoff.hpp). Its reason is kept in
// the status the admin page shows.
//
// Everything runs on the event loop (Asio, Beast), one request at a time; the
// sink may do its work elsewhere and answer on the loop.
#pragma once
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "common/backoff.hpp"
#include "common/http_url.hpp"

namespace feed {

using common::HttpUrl;
using common::UrlError;
// "http://host[:port][/path][?query]"; throws UrlError (https is not spoken here).
inline HttpUrl parse_http_url(const std::string& url) { return common::parse_http_url(url, "the pull URL"); }

struct PullConfig {
    std::string url;
    std::string token;  // sent as "Authorization: Bearer TOKEN" when set
    std::chrono::milliseconds interval{30'000};  // between polls once caught up
    std::chrono::milliseconds timeout{15'000};   // for one whole request
    std::chrono::milliseconds backoff_first{2'000}, backoff_most{300'000};
    int page_size = 500;
    size_t max_body = 16 * 1024 * 1024;
};

// What the sink made of a page.
struct PageOutcome {
    std::string error;  // empty: saved
    bool more = false;
    std::string cursor;  // the page's, now saved
    int applied = 0, duplicates = 0;
};

// A snapshot of how the connector is doing, for the admin page.
struct PullStatus {
    std::string url, cursor, last_error;
    int64_t polls = 0, pages = 0, applied = 0, duplicates = 0, failed_polls = 0;
    int failures_in_a_row = 0;
    int64_t last_success_ms = 0, last_failure_ms = 0;
    nlohmann::json to_json() const;
};

class PullConnector : public std::enable_shared_from_this<PullConnector> {
public:
    using Sink = std::function<void(std::string body, std::function<void(PageOutcome)> done)>;

    // `cursor` is where the last saved page ended ("" the first time). Throws
    // UrlError for a URL it can't use.
    PullConnector(boost::asio::io_context& io, PullConfig config, std::string cursor, Sink sink,
                  std::function<int64_t()> clock);
    ~PullConnector();

    void start();  // the first poll at once
    void stop();   // cancels what is under way; the sink's pending answer is ignored
    const PullStatus& status() const { return status_; }

private:
    struct Attempt;

    void poll();
    bool current(const std::shared_ptr<Attempt>& a) const;
    void connect(const std::shared_ptr<Attempt>& a, const boost::asio::ip::tcp::resolver::results_type& hosts);
    void receive(const std::shared_ptr<Attempt>& a);
    void failed(const std::shared_ptr<Attempt>& a, const char* step, const boost::system::error_code& ec);
    void schedule(std::chrono::milliseconds delay);
    void fail(const std::string& why);
    void take(std::string body);
    void on_saved(const PageOutcome& outcome);

    boost::asio::io_context& io_;
    PullConfig config_;
    HttpUrl url_;
    std::string cursor_;
    Sink sink_;
    std::function<int64_t()> clock_;
    common::Backoff backoff_;
    boost::asio::steady_timer next_poll_;
    std::shared_ptr<Attempt> attempt_;  // the request under way, if any
    bool stopped_ = false;
    PullStatus status_;
};

}  // namespace feed
