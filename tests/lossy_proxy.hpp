// lossy_proxy: a TCP relay between a client and a server on loopback that can
// lose a ticket request's answer (the server got the request and issued the
// ticket, the network died on the way back) or the request itself (it never
// reached the server). Everything else — the event stream, other requests —
// passes both ways untouched. It can also cut the link: in the middle of what
// the client is sending (after a number of bytes), and refuse connections until
// the link is restored. One thread per connection, for tests.
#pragma once
#include "loopback.hpp"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace testing {

class LossyProxy {
public:
    enum class Ticket { pass, lose_answer, lose_request };

    explicit LossyProxy(uint16_t upstream) : upstream_(upstream) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        port_ = listen_on_loopback(listener_, 16, "proxy");
        if (::pipe(stop_.data()) != 0) throw std::runtime_error("pipe");
        accepter_ = std::thread([this] { accept_loop(); });
    }
    ~LossyProxy() {
        (void)!::write(stop_[1], "x", 1);
        accepter_.join();
        for (auto& t : relays_) t.join();
        ::close(listener_);
        ::close(stop_[0]);
        ::close(stop_[1]);
    }

    uint16_t port() const { return port_; }
    // What happens to the next POST /api/tickets (then back to passing).
    void next_ticket(Ticket t) { mode_ = t; }
    int tickets_lost() const { return lost_; }
    // The link dies after `bytes` more bytes from clients (mid-message if so),
    // and stays down (new connections are closed at once) until restore().
    void cut_after(int64_t bytes) { budget_ = bytes; }
    void restore() {
        down_ = false;
        budget_ = -1;
    }
    bool down() const { return down_; }

private:
    // Waits for one of the fds or the stop pipe; false when stopping.
    bool wait(std::vector<pollfd>& fds) {
        fds.push_back({stop_[0], POLLIN, 0});
        const int n = ::poll(fds.data(), fds.size(), -1);
        const bool stopping = n < 0 || (fds.back().revents & POLLIN);
        fds.pop_back();
        return !stopping;
    }

    void accept_loop() {
        for (;;) {
            std::vector<pollfd> fds{{listener_, POLLIN, 0}};
            if (!wait(fds)) return;
            const int client = ::accept(listener_, nullptr, nullptr);
            if (client < 0) continue;
            if (down_) {
                ::close(client);
                continue;
            }
            relays_.emplace_back([this, client] { relay(client); });
        }
    }

    void relay(int client) {
        const int server = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr = loopback_address(upstream_);
        if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(server);
            ::close(client);
            return;
        }
        bool first = true, drop_answer = false;
        std::array<char, 16384> buf;
        for (;;) {
            std::vector<pollfd> fds{{client, POLLIN, 0}, {server, POLLIN, 0}};
            if (!wait(fds)) break;
            if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                const ssize_t n = ::read(client, buf.data(), buf.size());
                if (n <= 0) break;
                if (first && std::string(buf.data(), static_cast<size_t>(n)).rfind("POST /api/tickets ", 0) == 0) {
                    const Ticket t = mode_.exchange(Ticket::pass);
                    if (t == Ticket::lose_request) {
                        ++lost_;
                        break;  // the server never hears of it
                    }
                    drop_answer = t == Ticket::lose_answer;
                }
                first = false;
                const ssize_t pass = spend(n);
                if (pass > 0 && ::write(server, buf.data(), static_cast<size_t>(pass)) != pass) break;
                if (pass < n) break;  // cut: the rest never arrives
            }
            if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                const ssize_t n = ::read(server, buf.data(), buf.size());
                if (n <= 0) break;
                if (drop_answer) {
                    ++lost_;
                    break;  // the answer is lost on the way back
                }
                if (::write(client, buf.data(), static_cast<size_t>(n)) != n) break;
            }
        }
        ::close(server);
        ::close(client);
    }

    // How much of n bytes from a client may pass before the cut; the cut brings the link down.
    ssize_t spend(ssize_t n) {
        const int64_t budget = budget_;
        if (down_) return 0;
        if (budget < 0) return n;
        const ssize_t pass = std::min<ssize_t>(n, budget);
        budget_ = budget - pass;
        if (pass < n) down_ = true;
        return pass;
    }

    uint16_t upstream_, port_ = 0;
    int listener_ = -1;
    std::array<int, 2> stop_{};
    std::atomic<Ticket> mode_{Ticket::pass};
    std::atomic<int> lost_{0};
    std::atomic<int64_t> budget_{-1};  // bytes clients may still send; -1: no limit
    std::atomic<bool> down_{false};
    std::thread accepter_;
    std::vector<std::thread> relays_;  // only the accepter adds to it; joined at the end
};

}  // namespace testing
