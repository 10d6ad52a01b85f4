// file_notifier: the server's real notifier (queue-server/notify) with one
// sender that appends the messages to a file, wired into a TestServer: the
// phone's side of the tests that need a message to arrive (a ticket's "your
// turn", a booking's one-time code) without a gateway.
#pragma once
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "notify/notifier.hpp"
#include "test_server.hpp"

namespace testing {

struct FileNotifier {
    std::unique_ptr<notify::Notifier> notifier;
    std::filesystem::path sent;

    explicit FileNotifier(TestServer& s) : sent(s.dir / "sms.jsonl") {
        std::filesystem::create_directories(s.dir / "notify");
        notify::Senders senders;
        senders.phone.push_back(notify::FileSender{"file", sent});
        notify::Options options;
        options.timezone = "UTC+07:00";
        options.now_ms = [&s] { return s.clock_ms.load(); };
        notifier = std::make_unique<notify::Notifier>(s.dir / "notify", s.dir / "center.db", senders, s.center.name, options);
        notifier->start();
        s.tune = [this](api::Core::Options& o) { o.messages = notifier.get(); };
        s.restart();
    }
    // The messages written so far, once every one queued is sent (the notifier says when).
    std::vector<nlohmann::json> lines() {
        REQUIRE(notifier->wait_idle(std::chrono::seconds(10)));
        std::vector<nlohmann::json> out;
        std::ifstream in(sent);
        for (std::string l; std::getline(in, l);) out.push_back(nlohmann::json::parse(l));
        return out;
    }
};

}  // namespace testing
