// feed_routes: the dossier backend's signed push, the pull connector's pages,
// and how the feeds (and the citizens' messages) are doing. The backend signs "TIMESTAMP.BODY" with
// HMAC-SHA256 and the shared secret. The timestamp was checked at admission
// (a request more than five minutes from our clock is refused before its body
// is read); the signature is checked on the imports queue before the body is
// parsed or kept, and within that window a replayed update changes nothing
// (event ids are remembered). A forged request is counted apart and never
// overwrites the last error an admin reads.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "api/core.hpp"
#include "api/handlers.hpp"

namespace api {
namespace {

bool signature_matches(const std::string& secret, const std::string& timestamp, const std::string& body,
                       const std::string& signature) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    const std::string prefix = timestamp + ".";
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(prefix.data()), prefix.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    const std::string expected = "sha256=" + std::string(hex);
    return signature.size() == expected.size() && sodium_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

void count_push(Core::FeedStats& stats, const Core::Ingested& r, int64_t now_ms) {
    if (r.status == 401) {
        ++stats.bad_signatures;
        return;
    }
    ++stats.requests;
    stats.last_ms = now_ms;
    stats.applied += r.applied;
    stats.duplicates += r.duplicates;
    if (r.status != 200) {
        ++stats.refused;
        stats.last_error = r.error;
    }
}

Reply push_reply(const Core::Ingested& out) {
    if (out.status == 401) return error_reply(401, "bad_signature", out.error);
    if (out.status == 400) return error_reply(400, "bad_update", out.error);
    if (out.status != 200) return error_reply(500, "feed_failed", out.error);
    return ok_json({{"applied", out.applied}, {"duplicates", out.duplicates}});
}

}  // namespace

namespace handlers {

void feed_push(Core& core, const Call& call, Respond respond) {
    if (!core.options().dossiers) return respond(error_reply(404, "no_dossiers", "this server keeps no dossiers"));
    const bool taken = core.queue(Work::imports).try_post([&core, timestamp = call.request.timestamp, signature = call.request.signature,
                                                           body = std::move(call.request.body), respond]() mutable {
        Core::Ingested r;
        if (!signature_matches(core.options().feed_secret, timestamp, body, signature)) {
            r.status = 401;
            r.error = "X-Signature does not match the body";
        } else {
            r = core.save_feed_body(body, false);
        }
        body = std::string();  // a forged body is let go here, before anything else holds it
        core.finish_on_loop(std::move(r), [&core, respond](const Core::Ingested& out) {
            count_push(core.feed_stats(), out, core.wall_ms());
            respond(push_reply(out));
        });
    });
    if (!taken) respond(busy_reply("earlier imports"));
}

// How the feeds are doing, for admins and managers: is the backend reaching us?
void feed_status(Core& core, const Call&, Respond respond) {
    if (!core.options().dossiers) return respond(error_reply(404, "no_dossiers", "this server keeps no dossiers"));
    respond(ok_json(core.feed_status_json()));
}

// How the citizens' messages and the webhooks are doing: is a gateway down? The dashboard's alert.
void message_status(Core& core, const Call&, Respond respond) {
    const MessageSink* sink = core.options().messages;
    if (!sink) return respond(error_reply(404, "no_sender", "this center sends no messages ([[phone.sender]] in its config)"));
    respond(ok_json(sink->status()));
}

}  // namespace handlers

json Core::feed_status_json() const {
    const auto& p = feed_stats_;
    const json push = {{"requests", p.requests}, {"refused", p.refused}, {"bad_signatures", p.bad_signatures},
                       {"applied", p.applied}, {"duplicates", p.duplicates}, {"last_ms", p.last_ms}, {"last_error", p.last_error}};
    json central = nullptr;
    if (central_status_) {
        const central::ShipStatus c = central_status_();
        central = {{"shipped_seq", c.shipped_seq}, {"behind", std::max<int64_t>(0, durable_seq() - c.shipped_seq)},
                   {"rows", c.rows}, {"failures", c.failures}, {"last_error", c.last_error}};
    }
    return {{"push", push}, {"pull", pull_status_ ? pull_status_() : json(nullptr)}, {"central", central}};
}

feed::PullConnector::Sink Core::pull_sink() {
    return [this](std::string body, std::function<void(feed::PageOutcome)> done) {
        auto finish = [done](const Ingested& r) { done({r.status == 200 ? "" : r.error, r.more, r.cursor, r.applied, r.duplicates}); };
        const bool taken = queue(Work::imports).try_post([this, body = std::move(body), finish]() mutable {
            finish_on_loop(save_feed_body(body, true), finish);
        });
        if (!taken) {
            Ingested busy;
            busy.status = 503;
            busy.error = "the server is busy with earlier imports; the page is fetched again";
            finish(busy);
        }
    };
}

// On the imports queue: a push body or a pulled page, parsed (all or nothing)
// and written durably; a page's cursor is saved in the same transaction.
Core::Ingested Core::save_feed_body(const std::string& body, bool page) {
    Ingested r;
    try {
        const auto fed = page ? dossier::parse_feed_page(body) : dossier::FeedPage{dossier::parse_feed_push(body), "", false};
        const auto result = options_.dossiers->ingest(fed.updates, page ? std::optional(fed.cursor) : std::nullopt);
        r.applied = result.applied;
        r.duplicates = result.duplicates;
        r.changed = result.changed;
        r.more = fed.more;
        r.cursor = fed.cursor;
    } catch (const dossier::UpdateError& e) {
        r.status = 400;
        r.error = e.what();
    } catch (const std::exception& e) {
        spdlog::error("dossier feed: could not save: {}", e.what());
        r.status = 500;
        r.error = "the updates could not be saved; send them again";
    }
    return r;
}

// Kiosks showing one of these dossiers fetch it again. In batches, so 5,000
// changes make ten messages, not 5,000.
void Core::finish_on_loop(Ingested r, std::function<void(const Ingested&)> done) {
    post_([this, r = std::move(r), done = std::move(done)] {
        constexpr size_t per_message = 500;
        const auto& codes = r.changed;
        for (size_t i = 0; i < codes.size(); i += per_message) {
            const auto first = codes.begin() + static_cast<ptrdiff_t>(i);
            const auto last = codes.begin() + static_cast<ptrdiff_t>(std::min(codes.size(), i + per_message));
            broadcast({{"type", "dossier_updated"}, {"codes", std::vector<std::string>(first, last)}});
        }
        done(r);
    });
}

}  // namespace api
