#!/bin/sh
# make_pack.sh: the default voice pack — one WAV per clip, spoken by espeak-ng's
# Vietnamese voice, trimmed of silence and normalised by sox, 22,050 Hz mono.
#   make_pack.sh DISPLAY_BINARY OUT_DIR
# The clip list comes from the display itself (display --list-clips), so the pack
# always has what the wording and the number rules need. A center replaces any
# clip by dropping a recording with the same name into its `custom` folder.
set -eu
display=$1 out=$2
tmp="$out.tmp"
rm -rf "$tmp" && mkdir -p "$tmp"
"$display" --list-clips | while IFS= read -r clip; do
  case "$clip" in
    "[chime]")  # two soft tones, G5 then E5
      sox -n -r 22050 -b 16 -c 1 "$tmp/g.wav" synth 0.45 sine 784 fade q 0.01 0.45 0.35 vol 0.6
      sox -n -r 22050 -b 16 -c 1 "$tmp/e.wav" synth 0.45 sine 659.3 fade q 0.01 0.45 0.35 vol 0.6
      sox "$tmp/g.wav" "$tmp/e.wav" "$tmp/chime.wav"
      rm "$tmp/g.wav" "$tmp/e.wav" ;;
    *)
      espeak-ng -v vi -s 150 -w "$tmp/raw.wav" "$clip"
      sox "$tmp/raw.wav" -r 22050 -b 16 -c 1 "$tmp/$clip.wav" \
          silence 1 0.02 1% reverse silence 1 0.02 1% reverse norm -1
      rm "$tmp/raw.wav" ;;
  esac
done
rm -rf "$out" && mv "$tmp" "$out"
