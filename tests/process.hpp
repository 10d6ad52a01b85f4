// process: start a real program with its stdout on a pipe, wait for a line, kill it.
// Tests wait on the pipe (an event), never on the wall clock.
#pragma once
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace testing {

class Process {
public:
    explicit Process(const std::vector<std::string>& argv) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::dup2(fds[1], STDOUT_FILENO);
            ::close(fds[0]);
            ::close(fds[1]);
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        out_ = ::fdopen(fds[0], "r");
    }
    ~Process() {
        kill(SIGKILL);
        if (out_) std::fclose(out_);
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    // Reads stdout until a line containing `needle`; returns it ("" if the program ended).
    // `read`, if given, keeps every line read on the way (the program's other threads
    // may have written what a later wait looks for before this one's line).
    std::string wait_for_line(const std::string& needle, std::vector<std::string>* read = nullptr) {
        char buf[4096];
        while (std::fgets(buf, sizeof buf, out_)) {
            if (read) read->push_back(buf);
            if (std::string(buf).find(needle) != std::string::npos) return buf;
        }
        return "";
    }

    // The same with a deadline: a program that has not written such a line within
    // `limit` is killed, which ends its pipe and so the read ("" then, as for a
    // program that ended). A watchdog waits on a condition, not on the clock in a loop.
    std::string wait_for_line_within(const std::string& needle, std::chrono::seconds limit) {
        std::mutex m;
        std::condition_variable cv;
        bool got = false;
        std::thread watchdog([&] {
            std::unique_lock lock(m);
            if (!cv.wait_for(lock, limit, [&] { return got; })) ::kill(pid_, SIGKILL);
        });
        const std::string line = wait_for_line(needle);
        {
            std::lock_guard lock(m);
            got = true;
        }
        cv.notify_one();
        watchdog.join();
        return line;
    }

    // Reads stdout to its end (into `output`, if given) and returns the exit code (-1 if killed by a signal).
    int wait_exit(std::string* output = nullptr) {
        char buf[4096];
        while (std::fgets(buf, sizeof buf, out_))
            if (output) *output += buf;
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    void kill(int sig) {
        if (pid_ <= 0) return;
        ::kill(pid_, sig);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
};

// Runs a shell command to its end: its exit code and all it printed (stdout and stderr).
inline std::pair<int, std::string> run_command(const std::string& command) {
    Process p({"/bin/sh", "-c", command + " 2>&1"});
    std::string output;
    const int code = p.wait_exit(&output);
    return {code, output};
}

// "queue-server listening on http://127.0.0.1:41234 ..." -> 41234
inline uint16_t port_from_banner(const std::string& line) {
    const auto at = line.find("http://");
    if (at == std::string::npos) throw std::runtime_error("no banner: " + line);
    const auto colon = line.find(':', at + 7);
    return static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
}

}  // namespace testing
