// voice_test: how calls are read aloud — Vietnamese number words against every
// line of shared/data/vi_number_words.tsv, announcement → clip names, the
// announcement queue and its limits, and announcements rendered to WAV files
// checked with sox (length and loudness) from the voice pack built with
// espeak-ng, from a center's own recordings, and with clips missing or broken.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "display/announcer.hpp"
#include "display/audio.hpp"
#include "common/vi_numbers.hpp"
#include "display/speech.hpp"
#include "temp_dir.hpp"
#include "display/voice.hpp"

using namespace display;

namespace {

std::vector<std::array<std::string, 3>> number_vectors() {
    std::ifstream in(VI_NUMBER_WORDS);
    REQUIRE(in);
    std::vector<std::array<std::string, 3>> rows;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::array<std::string, 3> row;
        std::istringstream fields(line);
        for (auto& f : row) std::getline(fields, f, '\t');
        rows.push_back(row);
    }
    return rows;
}

std::set<std::string> every_style_reading(uint64_t n) {
    std::set<std::string> out;
    for (int bits = 0; bits < 8; ++bits)
        out.insert(common::vi_number_text(n, {bool(bits & 1), bool(bits & 2), bool(bits & 4)}));
    return out;
}

struct SoxStat {
    double seconds = 0, rms = 0;
};

SoxStat sox_stat(const std::filesystem::path& wav) {
    const std::string cmd = "sox '" + wav.string() + "' -n stat 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    SoxStat s;
    char line[256];
    while (fgets(line, sizeof line, p)) {
        std::string l(line);
        auto value = [&] { return std::stod(l.substr(l.find(':') + 1)); };
        if (l.rfind("Length (seconds):", 0) == 0) s.seconds = value();
        if (l.rfind("RMS     amplitude:", 0) == 0) s.rms = value();
    }
    REQUIRE(pclose(p) == 0);
    return s;
}

client::Call call(int64_t ticket, const std::string& number, int counter, bool recall = false) {
    return {ticket, number, number.substr(0, 1), counter, 0, recall};
}

VoiceConfig plain() {
    VoiceConfig v;
    v.chime = false;
    return v;
}

}  // namespace

TEST_CASE("numbers are read by the Vietnamese rules: every vector of vi_number_words.tsv") {
    const auto rows = number_vectors();
    REQUIRE(rows.size() == 38);  // every line of the shared file
    for (const auto& [number, canonical, alternative] : rows) {
        INFO(number);
        CHECK(common::vi_number_text(std::stoull(number)) == canonical);
        if (!alternative.empty()) CHECK(every_style_reading(std::stoull(number)).count(alternative) == 1);
    }
}

TEST_CASE("number styles: lẻ, ngàn and bốn where a center speaks so, millions and digits") {
    CHECK(common::vi_number_text(105, {.le = true}) == "một trăm lẻ năm");
    CHECK(common::vi_number_text(2005, {.le = true, .ngan = true}) == "hai ngàn không trăm lẻ năm");
    CHECK(common::vi_number_text(34, {.tu_after_muoi = false}) == "ba mươi bốn");
    CHECK(common::vi_number_text(14) == "mười bốn");
    CHECK(common::vi_number_text(1'000'000) == "một triệu");
    CHECK(common::vi_number_text(2'500'021) == "hai triệu năm trăm nghìn không trăm hai mươi mốt");
    CHECK(common::vi_number_text(1'000'000'000) == "một tỷ");
    CHECK_THROWS(common::vi_number_words(1'000'000'000'000ULL));
    CHECK(common::vi_digit_words("A105") == std::vector<std::string>{"một", "không", "năm"});
}

TEST_CASE("a call becomes chime, phrases, the letter and the number read as one, then the counter") {
    VoiceConfig v;
    CHECK(call_clips(v, "A105", 3) == std::vector<std::string>{kChime, "mời công dân có số", "a", "một", "trăm", "linh", "năm",
                                                               "đến quầy số", "ba"});
    CHECK(call_clips(plain(), "B021", 12) ==
          std::vector<std::string>{"mời công dân có số", "bê", "hai", "mươi", "mốt", "đến quầy số", "mười", "hai"});
    CHECK(call_clips(plain(), "105", 1) ==
          std::vector<std::string>{"mời công dân có số", "một", "trăm", "linh", "năm", "đến quầy số", "một"});
    CHECK(call_clips(plain(), "đ7", 2) == std::vector<std::string>{"mời công dân có số", "đê", "bảy", "đến quầy số", "hai"});
    CHECK(call_clips(plain(), "AB012", 4) ==
          std::vector<std::string>{"mời công dân có số", "a", "bê", "mười", "hai", "đến quầy số", "bốn"});
}

TEST_CASE("how a prefixed number is read and the wording are the center's choice") {
    VoiceConfig v = plain();
    v.reading = NumberReading::digit_by_digit;
    CHECK(call_clips(v, "A105", 3) ==
          std::vector<std::string>{"mời công dân có số", "a", "một", "không", "năm", "đến quầy số", "ba"});
    v.reading = NumberReading::letter_then_number;
    v.wording = "Xin mời SỐ {number}, tới Quầy {counter}.";
    v.style.le = true;
    CHECK(call_clips(v, "C305", 5) ==
          std::vector<std::string>{"xin mời số", "xê", "ba", "trăm", "lẻ", "năm", "tới quầy", "năm"});
    const auto clips = pack_clips(VoiceConfig{});
    for (const char* needed : {"[chime]", "mời công dân có số", "đến quầy số", "mốt", "lăm", "tư", "linh", "lẻ", "nghìn", "ngàn", "ét"})
        CHECK(std::count(clips.begin(), clips.end(), needed) == 1);
}

TEST_CASE("announcements are spoken in order, one at a time, and a recall is spoken again") {
    Announcer a({4, 60'000, 600, std::nullopt});
    a.push(call(1, "A001", 1), 0, 600);
    a.push(call(2, "A002", 2), 10, 600);
    auto first = a.next(20);
    REQUIRE(first);
    CHECK(first->number == "A001");
    a.started(20, 5000);
    CHECK_FALSE(a.next(3000));  // still speaking: never over each other
    CHECK(a.wake_at() == 5620);
    CHECK(a.next(5620)->number == "A002");
    a.started(5620, 5000);
    a.push(call(1, "A001", 1, true), 6000, 600);
    a.push(call(1, "A001", 1, true), 6001, 600);  // the same recall already waits: once
    CHECK(a.pending() == 1);
    CHECK(a.next(11'300)->recall);
    CHECK(a.skipped() == 0);
}

TEST_CASE("a burst beyond the limit skips the oldest calls, and a call too old is not spoken") {
    Announcer a({3, 30'000, 600, std::nullopt});
    for (int i = 1; i <= 5; ++i) a.push(call(i, "A00" + std::to_string(i), 1), i, 600);
    CHECK(a.pending() == 3);
    CHECK(a.skipped() == 2);
    CHECK(a.next(10)->number == "A003");
    a.started(10, 5000);
    CHECK(a.next(40'000) == std::nullopt);  // A004 and A005 waited over 30 s
    CHECK(a.skipped() == 4);
    CHECK(a.last_skip_at() == 40'000);
}

TEST_CASE("nothing is spoken in quiet hours, even across midnight") {
    Announcer a({4, 60'000, 600, std::pair{22 * 60, 6 * 60}});
    CHECK(a.quiet(23 * 60));
    CHECK(a.quiet(5 * 60 + 59));
    CHECK_FALSE(a.quiet(6 * 60));
    a.push(call(1, "A001", 1), 0, 23 * 60);
    CHECK(a.pending() == 0);
    a.push(call(2, "A002", 1), 0, 9 * 60);
    CHECK(a.pending() == 1);
}

TEST_CASE("an announcement from the built voice pack renders to a WAV of the expected length that is not silent") {
    testing::TempDir dir;
    VoicePack pack("", VOICE_PACK_DIR);
    const auto clips = call_clips(VoiceConfig{}, "A105", 3);
    double expected_s = 0;
    for (const auto& c : clips) {
        INFO(c);
        CHECK(pack.source(c) == ClipSource::pack);
        expected_s += static_cast<double>(pack.clip(c).samples.size()) / kSampleRate;
    }
    expected_s += 0.3 + 0.07 * static_cast<double>(clips.size() - 2);  // pauses: after the chime, between the others
    write_wav(dir / "a105.wav", pack.render(clips, 100));
    const SoxStat stat = sox_stat(dir / "a105.wav");
    CHECK(stat.seconds == Approx(expected_s).margin(0.01));
    CHECK(stat.seconds > 3.0);
    CHECK(stat.seconds < 9.0);
    CHECK(stat.rms > 0.05);
    write_wav(dir / "quiet.wav", pack.render(clips, 25));  // volume scales the samples
    CHECK(sox_stat(dir / "quiet.wav").rms == Approx(stat.rms * 0.25).epsilon(0.02));
}

TEST_CASE("a center's recording is used first, a missing clip is synthesized, a broken one replaced, never silence") {
    testing::TempDir dir;
    std::filesystem::create_directories(dir / "custom");
    REQUIRE(std::system(("sox -n -r 44100 -c 2 '" + (dir / "custom" / "ba.wav").string() + "' synth 0.4 sine 440").c_str()) == 0);
    std::ofstream(dir / "custom" / "bảy.wav") << "RIFF this is not a wave file";
    std::vector<std::string> log;
    VoicePack pack(dir / "custom", VOICE_PACK_DIR, [&](const std::string& m) { log.push_back(m); });
    CHECK(pack.source("ba") == ClipSource::custom);
    CHECK(pack.clip("ba").samples.size() == Approx(0.4 * kSampleRate).margin(2));  // resampled to 22,050 Hz mono
    CHECK(pack.source("bảy") == ClipSource::pack);
    REQUIRE(log.size() == 1);
    CHECK(log[0].find("bảy.wav is broken") != std::string::npos);

    VoicePack bare(dir / "nowhere", dir / "empty", [&](const std::string& m) { log.push_back(m); });
    CHECK(log.size() == 3);  // both folders missing, said once each
    CHECK(bare.source("[chime]") == ClipSource::tone);
    CHECK(bare.source("mời công dân có số") == ClipSource::words);
    CHECK(bare.source("mời") == ClipSource::synthesized);
    const Pcm whole = bare.render(call_clips(VoiceConfig{}, "A7", 2), 100);
    write_wav(dir / "synth.wav", whole);
    const SoxStat stat = sox_stat(dir / "synth.wav");
    CHECK(stat.seconds > 2.0);
    CHECK(stat.rms > 0.05);
}

TEST_CASE("an announcement goes out through SDL audio sample for sample (SDL's disk audio driver writes what it plays)") {
    testing::TempDir dir;
    const auto out = dir / "speaker.raw";
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", out.c_str(), 1);
    setenv("SDL_DISKAUDIODELAY", "0", 1);  // no pacing: the "speaker" plays as fast as it is fed
    VoicePack pack("", VOICE_PACK_DIR);
    const Pcm pcm = pack.render({"ba", "mươi", "mốt"}, 100);
    {
        std::vector<std::string> log;
        AudioOut audio([&](const std::string& m) { log.push_back(m); });
        REQUIRE(audio.available());
        REQUIRE(audio.play(pcm));
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (audio.queued_samples() > 0 && std::chrono::steady_clock::now() < limit) {
        }  // drained by SDL's audio thread
        REQUIRE(audio.queued_samples() == 0);
        CHECK(log.empty());
    }  // closing the device closes the file
    std::ifstream in(out, std::ios::binary);
    std::vector<int16_t> played;
    for (int16_t v; in.read(reinterpret_cast<char*>(&v), 2);) played.push_back(v);
    const auto start = std::find_if(played.begin(), played.end(), [](int16_t v) { return v != 0; });  // silence before play()
    REQUIRE(static_cast<size_t>(played.end() - start) >= pcm.samples.size());
    CHECK(std::equal(pcm.samples.begin(), pcm.samples.end(), start));
}

TEST_CASE("with no audio device the voice says so once and playing does nothing") {
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    std::vector<std::string> log;
    AudioOut audio([&](const std::string& m) { log.push_back(m); });
    CHECK_FALSE(audio.available());
    CHECK_FALSE(audio.play(chime_tones()));
    CHECK_FALSE(audio.play(chime_tones()));
    REQUIRE(log.size() == 1);
    CHECK(log[0].find("calls are shown, not spoken") != std::string::npos);
}
