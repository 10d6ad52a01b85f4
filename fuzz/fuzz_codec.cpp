// fuzz_codec: bytes as JSON through the event and center decoders. Bad input
// must end in CodecError or a JSON error, never a crash; what decodes must
// encode and decode again to the same thing.
#include <cstdlib>

#include "engine/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        const engine::Event e = engine::event_from_json(j);
        const auto once = engine::event_to_json(e);
        if (engine::event_to_json(engine::event_from_json(once)) != once) std::abort();
    } catch (const engine::CodecError&) {
    } catch (const nlohmann::json::exception&) {
    }
    try {
        const engine::Center c = engine::center_from_json(j);
        const auto once = engine::center_to_json(c);
        if (engine::center_to_json(engine::center_from_json(once)) != once) std::abort();
        (void)engine::validate(c);
    } catch (const engine::CodecError&) {
    } catch (const nlohmann::json::exception&) {
    }
    return 0;
}
