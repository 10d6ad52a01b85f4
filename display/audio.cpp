// audio: SDL audio device, opened once at 22,050 Hz mono 16-bit (see audio.hpp).
#include "display/audio.hpp"

namespace display {

AudioOut::AudioOut(Log log) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        log(std::string("no audio (") + SDL_GetError() + "): calls are shown, not spoken");
        return;
    }
    SDL_AudioSpec want{}, have{};
    want.freq = kSampleRate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);  // no changes allowed: SDL converts
    if (device_ == 0) {
        log(std::string("no audio device (") + SDL_GetError() + "): calls are shown, not spoken");
        return;
    }
    SDL_PauseAudioDevice(device_, 0);
}

AudioOut::~AudioOut() {
    if (device_) SDL_CloseAudioDevice(device_);
}

bool AudioOut::play(const Pcm& pcm) {
    if (!device_ || pcm.samples.empty()) return false;
    return SDL_QueueAudio(device_, pcm.samples.data(), static_cast<Uint32>(pcm.samples.size() * 2)) == 0;
}

size_t AudioOut::queued_samples() const { return device_ ? SDL_GetQueuedAudioSize(device_) / 2 : 0; }

}  // namespace display
