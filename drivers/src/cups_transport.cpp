// cups_transport: create job, stream the document, follow the job state (see cups_transport.hpp).
#include "drivers/cups_transport.hpp"

#include <thread>

#include "drivers/errors.hpp"

namespace drivers {

namespace {

struct IppFree {
    void operator()(ipp_t* p) const { ippDelete(p); }
};
using IppPtr = std::unique_ptr<ipp_t, IppFree>;

std::string reasons(ipp_t* response, const char* name) {
    std::string out;
    if (ipp_attribute_t* a = ippFindAttribute(response, name, IPP_TAG_KEYWORD))
        for (int i = 0; i < ippGetCount(a); ++i) out += (out.empty() ? "" : ",") + std::string(ippGetString(a, i, nullptr));
    return out;
}

bool has(const std::string& list, const char* reason) { return list.find(reason) != std::string::npos; }

}  // namespace

CupsTransport::CupsTransport(CupsOptions options) : options_(std::move(options)) {
    if (options_.queue.empty()) throw TransportError("a CUPS printer needs a queue name");
}

CupsTransport::~CupsTransport() {
    if (http_) httpClose(http_);
}

http_t* CupsTransport::connection() {
    if (http_) return http_;
    const std::string server = options_.server.empty() ? cupsServer() : options_.server;
    std::string host = server;
    int port = ippPort();
    if (server.front() != '/')
        if (auto colon = server.rfind(':'); colon != std::string::npos) {
            host = server.substr(0, colon);
            port = std::atoi(server.c_str() + colon + 1);
        }
    http_ = httpConnect2(host.c_str(), port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nullptr);
    if (!http_) throw TransportError("cannot reach the CUPS server " + server + ": " + cupsLastErrorString());
    return http_;
}

ipp_t* CupsTransport::request(ipp_op_t op) {
    ipp_t* req = ippNewRequest(op);
    char uri[1024];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0, "/printers/%s",
                     options_.queue.c_str());
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    return req;
}

PrinterStatus CupsTransport::status() {
    try {
        IppPtr response(cupsDoRequest(connection(), request(IPP_OP_GET_PRINTER_ATTRIBUTES), "/"));
        if (!response || ippGetStatusCode(response.get()) > IPP_STATUS_OK_CONFLICTING) {
            const std::string why = cupsLastErrorString();
            if (!response) {
                httpClose(http_);
                http_ = nullptr;
            }
            return {PrinterState::offline, "CUPS queue " + options_.queue + ": " + why};
        }
        const std::string why = reasons(response.get(), "printer-state-reasons");
        const int state = ippGetInteger(ippFindAttribute(response.get(), "printer-state", IPP_TAG_ENUM), 0);
        if (has(why, "cover-open") || has(why, "door-open")) return {PrinterState::cover_open, "cover open"};
        if (has(why, "media-empty") || has(why, "media-needed")) return {PrinterState::paper_out, "paper out"};
        if (state == IPP_PSTATE_STOPPED)
            return {PrinterState::offline, "CUPS queue " + options_.queue + " is stopped (" + why + ")"};
        if (has(why, "offline")) return {PrinterState::offline, "printer offline"};
        if (has(why, "media-low")) return {PrinterState::paper_low, "paper near end"};
        return {PrinterState::ready, "ready"};
    } catch (const TransportError& e) {
        return {PrinterState::offline, e.what()};
    }
}

void CupsTransport::begin(const JobInfo& job) {
    http_t* http = connection();
    job_id_ = cupsCreateJob(http, options_.queue.c_str(), job.name.c_str(), 0, nullptr);
    if (job_id_ <= 0)
        throw TransportError("CUPS queue " + options_.queue + " refused the job: " + cupsLastErrorString());
    if (cupsStartDocument(http, options_.queue.c_str(), job_id_, job.name.c_str(), CUPS_FORMAT_RAW, 1) !=
        HTTP_STATUS_CONTINUE)
        throw TransportError("CUPS job " + std::to_string(job_id_) + ": " + cupsLastErrorString());
}

void CupsTransport::write(std::span<const uint8_t> bytes) {
    if (cupsWriteRequestData(http_, reinterpret_cast<const char*>(bytes.data()), bytes.size()) !=
        HTTP_STATUS_CONTINUE)
        throw TransportError("CUPS job " + std::to_string(job_id_) + ": " + cupsLastErrorString());
}

void CupsTransport::finish() {
    if (cupsFinishDocument(http_, options_.queue.c_str()) > IPP_STATUS_OK_CONFLICTING)
        throw TransportError("CUPS job " + std::to_string(job_id_) + ": " + cupsLastErrorString());
    wait_for_job();
}

// Polls the job's state, quickly at first (a raw job usually ends in tens of
// milliseconds), then every half second, until it ends or the deadline passes.
void CupsTransport::wait_for_job() {
    const auto deadline = std::chrono::steady_clock::now() + options_.job_timeout;
    auto pause = std::chrono::milliseconds(5);
    std::string last = "pending";
    while (std::chrono::steady_clock::now() < deadline) {
        ipp_t* req = request(IPP_OP_GET_JOB_ATTRIBUTES);
        ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id_);
        IppPtr response(cupsDoRequest(http_, req, "/"));
        if (!response) throw TransportError("CUPS job " + std::to_string(job_id_) + ": " + cupsLastErrorString());
        const int state = ippGetInteger(ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM), 0);
        last = reasons(response.get(), "job-state-reasons");
        if (ipp_attribute_t* m = ippFindAttribute(response.get(), "job-printer-state-message", IPP_TAG_TEXT))
            if (const char* text = ippGetString(m, 0, nullptr); text && *text) last += ": " + std::string(text);
        if (state == IPP_JSTATE_COMPLETED) return;
        if (state == IPP_JSTATE_ABORTED || state == IPP_JSTATE_CANCELED)
            throw TransportError("CUPS job " + std::to_string(job_id_) + " did not print (" + last + ")");
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(500));
    }
    throw TransportError("CUPS job " + std::to_string(job_id_) + " not printed after " +
                         std::to_string(options_.job_timeout.count() / 1000) + " s (" + last + ")");
}

void CupsTransport::abort() noexcept {
    if (job_id_ > 0 && http_) cupsCancelJob2(http_, options_.queue.c_str(), job_id_, 0);
    if (http_) {
        httpClose(http_);
        http_ = nullptr;
    }
}

}  // namespace drivers
