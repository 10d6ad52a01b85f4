// errors: the two kinds of failure a print job can meet, each with a message a
// person can act on. A layout error means the job can't be drawn (bad text, a
// missing font, a logo that is no image); a transport error means the printer
// didn't take the bytes (unplugged, paper out, a CUPS job aborted).
#pragma once
#include <stdexcept>
#include <string>

namespace drivers {

struct LayoutError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace drivers
