// voice: loading, synthesizing and joining clips (see voice.hpp).
#include "display/voice.hpp"

#include <SDL2/SDL.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <sstream>

namespace display {

namespace {

constexpr int kWordGapMs = 70;    // between the words of a number
constexpr int kChimeGapMs = 300;  // after the chime

std::vector<int16_t> silence(int ms) { return std::vector<int16_t>(static_cast<size_t>(kSampleRate) * ms / 1000, 0); }

// espeak-ng keeps one global synthesizer: one lock for initialising and speaking.
std::mutex espeak_lock;
int espeak_rate = 0;  // its sample rate once initialised; -1 when it failed

int collect_samples(short* wav, int count, espeak_EVENT* events) {
    if (wav && count > 0) {
        auto* out = static_cast<std::vector<int16_t>*>(events->user_data);
        out->insert(out->end(), wav, wav + count);
    }
    return 0;
}

// espeak's rate is 22,050 Hz already; any other rate is resampled by SDL.
bool convert(std::vector<uint8_t>& bytes, SDL_AudioFormat format, int channels, int rate) {
    SDL_AudioCVT cvt;
    const int built = SDL_BuildAudioCVT(&cvt, format, static_cast<Uint8>(channels), rate, AUDIO_S16SYS, 1, kSampleRate);
    if (built < 0) return false;
    if (built == 0) return true;
    cvt.len = static_cast<int>(bytes.size());
    bytes.resize(bytes.size() * static_cast<size_t>(cvt.len_mult));
    cvt.buf = bytes.data();
    if (SDL_ConvertAudio(&cvt) < 0) return false;
    bytes.resize(static_cast<size_t>(cvt.len_cvt));
    return true;
}

std::vector<std::string> words_of(const std::string& key) {
    std::vector<std::string> words;
    std::istringstream in(key);
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

}  // namespace

Pcm synthesize(const std::string& text) {
    std::lock_guard lock(espeak_lock);
    if (espeak_rate == 0) {
        espeak_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
        if (espeak_rate <= 0 || espeak_SetVoiceByName("vi") != EE_OK) espeak_rate = -1;
        if (espeak_rate > 0) {
            espeak_SetSynthCallback(collect_samples);
            espeak_SetParameter(espeakRATE, 150, 0);  // slower than its default 175: a hall echoes
        }
    }
    Pcm pcm;
    if (espeak_rate < 0) return pcm;
    espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &pcm.samples);
    espeak_Synchronize();
    if (espeak_rate != kSampleRate) {
        std::vector<uint8_t> bytes(reinterpret_cast<uint8_t*>(pcm.samples.data()),
                                   reinterpret_cast<uint8_t*>(pcm.samples.data() + pcm.samples.size()));
        if (!convert(bytes, AUDIO_S16SYS, 1, espeak_rate)) return {};
        pcm.samples.assign(reinterpret_cast<int16_t*>(bytes.data()), reinterpret_cast<int16_t*>(bytes.data() + bytes.size()));
    }
    trim_and_normalise(pcm);
    return pcm;
}

void trim_and_normalise(Pcm& pcm) {
    auto& s = pcm.samples;
    constexpr int kQuiet = 330;  // 1% of full scale, as `sox silence 1 0.02 1%`
    auto loud = [](int16_t v) { return std::abs(static_cast<int>(v)) > kQuiet; };
    const auto first = std::find_if(s.begin(), s.end(), loud);
    if (first == s.end()) {
        s.clear();
        return;
    }
    const auto last = std::find_if(s.rbegin(), s.rend(), loud).base();
    s = std::vector<int16_t>(first, last);
    int peak = 1;
    for (int16_t v : s) peak = std::max(peak, std::abs(static_cast<int>(v)));
    const double gain = 0.89 * 32767.0 / peak;  // -1 dBFS
    for (int16_t& v : s) v = static_cast<int16_t>(std::clamp(std::lround(v * gain), -32768L, 32767L));
}

Pcm chime_tones() {
    Pcm pcm;
    for (double freq : {784.0, 659.3}) {  // G5 then E5
        const int n = kSampleRate * 45 / 100;
        for (int i = 0; i < n; ++i) {
            const double t = static_cast<double>(i) / kSampleRate;
            const double envelope = std::min(1.0, t * 200.0) * std::exp(-4.0 * t);
            pcm.samples.push_back(static_cast<int16_t>(0.6 * 32767 * envelope * std::sin(2 * M_PI * freq * t)));
        }
    }
    return pcm;
}

void write_wav(const std::filesystem::path& file, const Pcm& pcm) {
    std::ofstream out(file, std::ios::binary);
    auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    const auto bytes = static_cast<uint32_t>(pcm.samples.size() * 2);
    out.write("RIFF", 4);
    u32(36 + bytes);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(1);
    u32(kSampleRate);
    u32(kSampleRate * 2);
    u16(2);
    u16(16);
    out.write("data", 4);
    u32(bytes);
    out.write(reinterpret_cast<const char*>(pcm.samples.data()), bytes);
    if (!out) throw std::runtime_error(file.string() + ": cannot write the sound file");
}

VoicePack::VoicePack(std::filesystem::path custom, std::filesystem::path pack, Log log)
    : custom_(std::move(custom)), pack_(std::move(pack)), log_(std::move(log)) {
    for (const auto& dir : {custom_, pack_})
        if (!dir.empty() && !std::filesystem::is_directory(dir) && log_)
            log_("voice folder " + dir.string() + " is missing: its clips will be synthesized");
}

const Pcm& VoicePack::clip(const std::string& key) { return entry(key).pcm; }
ClipSource VoicePack::source(const std::string& key) { return entry(key).source; }

const VoicePack::Entry& VoicePack::entry(const std::string& key) {
    auto it = clips_.find(key);
    if (it == clips_.end()) it = clips_.emplace(key, make(key)).first;
    return it->second;
}

VoicePack::Entry VoicePack::make(const std::string& key) {
    const std::string file = (key == kChime ? std::string("chime") : key) + ".wav";
    Pcm pcm;
    if (!custom_.empty() && load(custom_ / file, pcm)) return {pcm, ClipSource::custom};
    if (!pack_.empty() && load(pack_ / file, pcm)) return {pcm, ClipSource::pack};
    if (key == kChime) return {chime_tones(), ClipSource::tone};
    const auto words = words_of(key);
    if (words.size() > 1) {
        Pcm joined;
        for (const auto& w : words) {
            const Pcm& part = clip(w);
            joined.samples.insert(joined.samples.end(), part.samples.begin(), part.samples.end());
            const auto gap = silence(kWordGapMs);
            joined.samples.insert(joined.samples.end(), gap.begin(), gap.end());
        }
        return {joined, ClipSource::words};
    }
    pcm = synthesize(key);
    if (pcm.samples.empty() && log_) log_("cannot synthesize '" + key + "': espeak-ng is unavailable");
    return {pcm, ClipSource::synthesized};
}

bool VoicePack::load(const std::filesystem::path& file, Pcm& out) {
    if (!std::filesystem::exists(file)) return false;
    SDL_AudioSpec spec;
    Uint8* buffer = nullptr;
    Uint32 length = 0;
    if (!SDL_LoadWAV(file.c_str(), &spec, &buffer, &length)) {
        if (log_) log_("voice clip " + file.string() + " is broken (" + SDL_GetError() + "): using another");
        return false;
    }
    std::vector<uint8_t> bytes(buffer, buffer + length);
    SDL_FreeWAV(buffer);
    if (!convert(bytes, spec.format, spec.channels, spec.freq) || bytes.size() < 2) {
        if (log_) log_("voice clip " + file.string() + " cannot be converted or is empty: using another");
        return false;
    }
    out.samples.assign(reinterpret_cast<int16_t*>(bytes.data()), reinterpret_cast<int16_t*>(bytes.data()) + bytes.size() / 2);
    return true;
}

Pcm VoicePack::render(const std::vector<std::string>& keys, int volume) {
    Pcm out;
    for (size_t i = 0; i < keys.size(); ++i) {
        const Pcm& part = clip(keys[i]);
        out.samples.insert(out.samples.end(), part.samples.begin(), part.samples.end());
        if (i + 1 < keys.size()) {
            const auto gap = silence(keys[i] == kChime ? kChimeGapMs : kWordGapMs);
            out.samples.insert(out.samples.end(), gap.begin(), gap.end());
        }
    }
    const double gain = std::clamp(volume, 0, 100) / 100.0;
    for (int16_t& v : out.samples) v = static_cast<int16_t>(std::lround(v * gain));
    return out;
}

}  // namespace display
