// speech: what a call sounds like, as a list of clip names.
//
// "Mời công dân có số {number} đến quầy số {counter}" with ticket A105 and
// counter 3 becomes [chime] "mời công dân có số" "a" "một" "trăm" "linh" "năm"
// "đến quầy số" "ba". Each name is a clip in the voice pack (voice.hpp): the
// wording's phrases whole, so a recorded voice sounds natural, and the number
// word by word, so ten thousand numbers need thirty clips. Names are NFC and
// lowercase: they are the file names a center uses for its own recordings.
#pragma once
#include <string>
#include <vector>

#include "display/config.hpp"
#include "display/voice.hpp"

namespace display {

// Which of the voice's wordings a call takes (issue 22): a visit's first call
// (`wording`), a later step (`step_wording`), a ticket back from being parked
// (`return_wording`, whatever its step).
enum class CallWording { first, next_step, returned };

// The clips of one call; `ticket` is the number as shown ("A105", "105").
std::vector<std::string> call_clips(const VoiceConfig& voice, const std::string& ticket, int counter);
// The same in the wording of `kind`, whose {place} is `place` as place.hpp's
// spoken_place() says it: its words as phrases, its digits read as numbers.
std::vector<std::string> call_clips(const VoiceConfig& voice, const std::string& ticket, int counter, const std::string& place,
                                    CallWording kind);
// Vietnamese name of a letter as it is read in a call: "a", "bê", "xê", "đê"…
std::string letter_name(char32_t letter);
// Every clip the default pack needs for `voice` (phrases, number words, letters, chime).
std::vector<std::string> pack_clips(const VoiceConfig& voice);
// Lowercase NFC: the key a clip is stored and looked up under.
std::string clip_key(const std::string& text);

}  // namespace display
