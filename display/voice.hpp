// voice: clips → the sound of one announcement.
//
// A voice pack is a folder of WAV files named by clip key ("mời công dân có số.wav",
// "một.wav", "chime.wav"). Two are searched: the center's own recordings first,
// then the default pack generated at build time with espeak-ng and sox. A phrase
// found in neither is put together from its words; a word found in neither, or a
// file that will not load, is synthesized with espeak-ng here and now, and the
// chime is drawn as two tones: a call is never silent because a file is missing.
// Everything is converted once to 22,050 Hz mono 16-bit and kept in memory.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace display {

constexpr int kSampleRate = 22050;
inline const std::string kChime = "[chime]";  // the clip key of the chime before a call (chime.wav)

struct Pcm {
    std::vector<int16_t> samples;  // mono, kSampleRate
    int64_t duration_ms() const { return static_cast<int64_t>(samples.size()) * 1000 / kSampleRate; }
};

// espeak-ng's Vietnamese voice, in-process; trims silence and normalises like the
// build-time pack. Thread-safe (espeak-ng has one global state: a lock guards it).
// An empty Pcm when espeak-ng is unavailable.
Pcm synthesize(const std::string& text);

// Where each clip came from, for the log and the tests.
enum class ClipSource { custom, pack, words, synthesized, tone };

class VoicePack {
public:
    using Log = std::function<void(const std::string&)>;
    VoicePack(std::filesystem::path custom, std::filesystem::path pack, Log log = {});

    // The clip for `key`, loaded or made on first use, then kept.
    const Pcm& clip(const std::string& key);
    ClipSource source(const std::string& key);
    // The clips joined with short pauses, scaled to `volume` percent.
    Pcm render(const std::vector<std::string>& keys, int volume);

private:
    struct Entry {
        Pcm pcm;
        ClipSource source;
    };
    const Entry& entry(const std::string& key);
    Entry make(const std::string& key);
    bool load(const std::filesystem::path& file, Pcm& out);

    std::filesystem::path custom_, pack_;
    Log log_;
    std::map<std::string, Entry> clips_;
};

// Trim leading and trailing quiet and scale the peak to -1 dBFS.
void trim_and_normalise(Pcm& pcm);
// Two soft tones (a "ding-dong"), for a chime without a file.
Pcm chime_tones();
// 16-bit mono WAV; throws std::runtime_error naming the file.
void write_wav(const std::filesystem::path& file, const Pcm& pcm);

}  // namespace display
