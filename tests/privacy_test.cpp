// privacy_test: what a citizen's identity leaves behind (issue 21). A hall
// where one person books with a phone and a chip ID card, another takes a
// walk-in number with a card, a third is checked in by card, then the data is
// backed up (ops/backup) and shipped to a real PostgreSQL (central/shipper):
// no byte of the database, of the backup, of the server's log lines, of any
// province row or of the answers to the public routes holds an ID number, a
// phone number or a full name in the clear. What is kept is a keyed hash and
// the masked name. Walk-in limits by card, and the center that asks for the
// card, are checked on the same real server.
#include <catch2/catch.hpp>

#include <fstream>
#include <pqxx/pqxx>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>

#include "booking_hall.hpp"
#include "central/shipper.hpp"
#include "ops/backup.hpp"
#include "postgres_server.hpp"

using testing::BookingHall;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int32_t kToday = 20261124;  // the test clock's day, 08:00
const std::vector<std::string> kSecrets = {"001150012345", "079190054321", "912345678", "987654321", "Văn An", "Thị Bình"};

std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The secrets found in `text`, named by `where`; empty when none is.
std::vector<std::string> leaks(const std::string& where, const std::string& text) {
    std::vector<std::string> out;
    for (const auto& s : kSecrets)
        if (text.find(s) != std::string::npos) out.push_back(where + " holds " + s);
    return out;
}

// Every row of every table of the central database, as JSON text.
std::string central_rows(const std::string& conninfo) {
    pqxx::connection c(conninfo);
    pqxx::work tx(c);
    std::string all;
    for (const auto& t : tx.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
        const std::string table = t[0].as<std::string>();
        for (const auto& r : tx.exec("SELECT row_to_json(x)::text FROM " + tx.quote_name(table) + " x")) all += r[0].as<std::string>() + "\n";
    }
    return all;
}

}  // namespace

TEST_CASE("walk-in numbers by chip ID card: the limits count them with the bookings - a center may ask for the card - bad numbers refused", "[booking][card]") {
    BookingHall h;
    const json card = {{"service", "A"}, {"id_number", "079190054321"}, {"name", "Trần Thị Bình"}};
    auto first = h.s.post("/api/tickets", card, h.s.kiosk);
    REQUIRE(first.status == 201);
    CHECK(first.body["masked_name"] == "Trần T** B**");
    CHECK(first.raw.find("079190054321") == std::string::npos);
    const std::string identity = "/api/tickets/" + std::to_string(first.body["id"].get<int64_t>()) + "/identity";
    CHECK(h.s.call("POST", identity, R"({"id_number":"079190054321"})", h.admin).body["confirmed"] == true);
    CHECK(h.refusal(h.s.call("POST", identity, R"({"id_number":"001150012345"})", h.admin)) == "409 identity_mismatch");
    CHECK(h.refusal(h.s.post("/api/tickets", card, h.s.kiosk)) == "409 limit_reached");
    json other = card;
    other["service"] = "B";
    CHECK(h.s.post("/api/tickets", other, h.s.kiosk).status == 201);  // the second of the day
    other["service"] = "C";
    CHECK(h.refusal(h.s.post("/api/tickets", other, h.s.kiosk)) == "409 limit_reached");
    other["id_number"] = "07919005432";
    CHECK(h.refusal(h.s.post("/api/tickets", other, h.s.kiosk)) == "400 bad_id_number");
    CHECK(h.s.post("/api/tickets", {{"service", "C"}}, h.s.kiosk).status == 201);  // no card: the center does not ask for one

    engine::Center c = h.s.on_loop([&] { return h.s.core->engine().state().center; });
    c.booking.walk_in_identity = true;
    REQUIRE(h.s.call("PUT", "/api/admin/center", engine::center_to_json(c).dump(), h.admin).status == 200);
    CHECK(h.refusal(h.s.post("/api/tickets", {{"service", "C"}}, h.s.kiosk)) == "409 identity_required");
    const std::string staff = h.s.staff(3);
    CHECK(h.s.post("/api/tickets", {{"service", "C"}}, staff).status == 201);  // staff give numbers as they see fit
    CHECK(h.s.post("/api/tickets", {{"service", "C"}, {"id_number", "001150012345"}}, h.s.kiosk).status == 201);
}

TEST_CASE("no ID number, phone number or full name in the clear: not in the database, a backup, the log lines, the province's rows or a public answer", "[booking][privacy]") {
    std::ostringstream log_lines;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_lines);
    spdlog::default_logger()->sinks().push_back(sink);
    testing::PostgresServer pg;
    std::vector<std::string> found;
    {
        BookingHall h;
        std::string public_answers;
        const std::string code = h.code_for("0912345678");
        auto booked = h.post("/api/public/bookings", {{"service", "A"}, {"day", kToday}, {"start", "08:15"}, {"phone", "0912345678"},
                                                      {"code", code}, {"id_number", "001150012345"}, {"birth_date", "01011950"},
                                                      {"name", "Nguyễn Văn An"}});
        REQUIRE(booked.status == 201);
        public_answers += booked.raw + h.s.call("GET", "/api/public/bookings/" + booked.body["key"].get<std::string>()).raw;
        const std::string other = h.code_for("0987654321");
        REQUIRE(h.book("0987654321", other, kToday, "08:30").status == 201);
        auto walk_in = h.s.post("/api/tickets", {{"service", "A"}, {"id_number", "079190054321"}, {"name", "Trần Thị Bình"}}, h.s.kiosk);
        REQUIRE(walk_in.status == 201);
        auto checked_in = h.s.post("/api/checkins", {{"id_number", "001150012345"}}, h.s.kiosk);
        REQUIRE(checked_in.status == 201);
        public_answers += walk_in.raw + checked_in.raw;
        public_answers += h.s.call("GET", "/api/public/tickets/" + checked_in.body["follow_key"].get<std::string>()).raw;
        const std::string staff = h.s.staff(1);
        public_answers += h.s.call("GET", "/api/bookings", "", staff).raw + h.s.call("GET", "/api/state", "", staff).raw;
        h.s.call("POST", "/api/counters/1/next", "{}", staff);

        testing::TempDir backups;
        const auto backup = ops::backup_data(h.s.dir.path, backups.path, 1, h.s.clock_ms.load());
        for (const auto& f : fs::directory_iterator(backup.folder)) {
            auto l = leaks("backup " + f.path().filename().string(), file_bytes(f.path()));
            found.insert(found.end(), l.begin(), l.end());
        }
        central::ShipConfig ship;
        ship.conninfo = pg.conninfo();
        ship.center_code = "tan-phu";
        ship.center_name = "Trung tâm thử nghiệm";
        ship.timezone = "UTC+07:00";
        CHECK(central::Shipper(h.s.dir / "center.db", ship).ship_until_caught_up() == 2);  // the walk-in and the checked-in ticket;
        auto l = leaks("a province row", central_rows(pg.conninfo()));
        found.insert(found.end(), l.begin(), l.end());
        l = leaks("a public answer", public_answers);
        found.insert(found.end(), l.begin(), l.end());
        // The live database and its log, as the server keeps them.
        for (const auto& f : fs::directory_iterator(h.s.dir.path))
            if (f.is_regular_file()) {  // center.db and its WAL, the file sender's sms.jsonl (masked), ...
                l = leaks("data " + f.path().filename().string(), file_bytes(f.path()));
                found.insert(found.end(), l.begin(), l.end());
            }
        // The detector does see a number where one is: the notifier keeps the day's phones for
        // the reminders, in its own file, which the day's end wipes (notify_test) and no backup holds.
        const fs::path messages = h.s.dir / "notify" / "messages.db";
        CHECK_FALSE(leaks("", file_bytes(messages) + file_bytes(messages.string() + "-wal")).empty());
        // The day's phone numbers live in notify/messages.db alone (outbox.hpp), which no backup holds.
        CHECK_FALSE(fs::exists(backup.folder / "messages.db"));
    }
    spdlog::default_logger()->sinks().pop_back();
    auto l = leaks("the log lines", log_lines.str());
    found.insert(found.end(), l.begin(), l.end());
    CHECK(found == std::vector<std::string>{});
    CHECK(log_lines.str().find("booking") != std::string::npos);  // the log did run through the sink
}
