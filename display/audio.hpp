// audio: plays an announcement through SDL's audio device.
//
// Why SDL_QueueAudio and not a mixer: announcements never overlap (announcer.hpp),
// so there is one stream of samples to send, at one fixed format. When the machine
// has no audio device (a board without speakers, a test, CI), the board still
// runs; the failure is logged once, not on every call.
#pragma once
#include <SDL2/SDL.h>

#include <functional>
#include <string>

#include "display/voice.hpp"

namespace display {

class AudioOut {
public:
    using Log = std::function<void(const std::string&)>;
    explicit AudioOut(Log log);
    ~AudioOut();
    AudioOut(const AudioOut&) = delete;
    AudioOut& operator=(const AudioOut&) = delete;

    bool available() const { return device_ != 0; }
    // Queues the samples after whatever is still playing; false without a device.
    bool play(const Pcm& pcm);
    // Samples queued and not yet played.
    size_t queued_samples() const;

private:
    SDL_AudioDeviceID device_ = 0;
};

}  // namespace display
