#!/usr/bin/env bash
# Generates a short synthetic talk for `interlude talk` and its tests: six slides rendered with ImageMagick (a
# white-on-dark title slide, then body slides of 3 lines each that differ only in their text), narrated with flite,
# muxed with ffmpeg into talk.mp4 (1280x720, 10 frames/s, 16 kHz mono AAC). Beside it, talk.json records each slide's
# exact start and end time, its printed lines, its narration, and the proper nouns that are both spoken and printed.
#
# Usage: scripts/make-synthetic-talk.sh OUT_DIR
# Needs: ffmpeg, ffprobe, flite, ImageMagick's convert (scripts/install-talk-tools.sh installs them).
# Deterministic: the same tools give the same slides, the same timings and the same JSON (the encoders run with one
# thread and bit-exact flags, the PNGs carry no time stamps).
set -euo pipefail

out=${1:?usage: make-synthetic-talk.sh OUT_DIR}
for tool in ffmpeg ffprobe flite convert; do
    command -v "$tool" >/dev/null 2>&1 || { echo "make-synthetic-talk: $tool is not installed (run scripts/install-talk-tools.sh)" >&2; exit 3; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
bold=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
[ -f "$font" ] || font=DejaVu-Sans
[ -f "$bold" ] || bold=DejaVu-Sans-Bold

voice=rms          # of flite's voices, the one pocketsphinx reads best
fps=10
lead=0.6           # silence before each slide's narration, seconds
tail=0.8           # silence after it

# Slide texts: a heading, then the printed lines ('|' separates them), then the narration. No quotes or backslashes
# (they go into JSON as they are).
headings=(
    "Interlude"
    "Why loops"
    "Waiting without waste"
    "Offloads"
    "Talks to text"
    "Questions"
)
lines=(
    "Per-core loops for the killer microsecond|Kestrel, epoll and futex on Linux"
    "Each core runs one Interlude loop|Coroutines resume on their own core|Kestrel serves requests on the loops"
    "A sleeping loop waits on a futex|Sockets are watched with epoll|The adaptive strategy spins only when it pays"
    "The GPU is a device on the public seam|CUDA streams are polled by the loop|Completions never touch the ThreadPool"
    "FFmpeg finds the slide changes|Tesseract reads each slide|Pocketsphinx transcribes the speech"
    "The code is on GitHub|Thanks to the Kestrel team|Try Interlude on your own service"
)
narrations=(
    "Welcome. This talk is about Interlude, a runtime of per core loops for the killer microsecond."
    "Each core runs one Interlude loop. Coroutines resume on their own core, and Kestrel serves requests on the same loops."
    "A sleeping loop waits on a futex, and sockets are watched with epoll. The adaptive strategy spins only when it pays."
    "The GPU is a device on the public seam. CUDA streams are polled by the loop, so completions never touch the ThreadPool."
    "FFmpeg finds the slide changes, Tesseract reads each slide, and Pocketsphinx transcribes the speech."
    "Thank you. The code is on GitHub. Please try Interlude on your own service, and thanks to the Kestrel team."
)
proper_nouns=(Interlude Kestrel epoll futex CUDA ThreadPool FFmpeg Tesseract Pocketsphinx GitHub)

json_lines() { # "a|b|c" -> "a", "b", "c"
    local IFS='|' first=1 item
    for item in $1; do
        [ $first -eq 1 ] || printf ', '
        printf '"%s"' "$item"
        first=0
    done
}

start=0.0
: >"$work/audio.txt"
video_inputs=()
video_labels=""
slides_json=""
count=${#headings[@]}
for ((i = 0; i < count; i++)); do
    n=$(printf '%03d' "$i")
    # The slide: the title slide white on dark blue, body slides dark on white.
    if [ "$i" -eq 0 ]; then
        args=(-size 1280x720 xc:'#1b2a4a' -fill white -font "$bold" -pointsize 96 -gravity north -annotate +0+180 "${headings[$i]}" -font "$font" -pointsize 44)
        y=360
    else
        args=(-size 1280x720 xc:white -fill '#1b2a4a' -font "$bold" -pointsize 64 -gravity northwest -annotate +80+60 "${headings[$i]}" -fill '#222222' -font "$font" -pointsize 44)
        y=230
    fi
    IFS='|' read -r -a printed <<<"${lines[$i]}"
    for line in "${printed[@]}"; do
        args+=(-annotate "+$([ "$i" -eq 0 ] && echo 0 || echo 100)+$y" "$line")
        y=$((y + 90))
    done
    convert "${args[@]}" -define png:exclude-chunks=date,time -strip "$work/slide$n.png"
    cp "$work/slide$n.png" "$out/slide$n.png"

    # The narration, padded with silence to a whole number of frames.
    flite -voice "$voice" -t "${narrations[$i]}" -o "$work/say$n.wav"
    spoken=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/say$n.wav")
    duration=$(awk -v s="$spoken" -v l="$lead" -v t="$tail" -v f="$fps" 'BEGIN { d = int((l + s + t) * f + 0.999999) / f; printf "%.1f", d }')
    ffmpeg -v error -y -i "$work/say$n.wav" -af "adelay=$(awk -v l="$lead" 'BEGIN { print l * 1000 }'):all=1,apad=whole_dur=$duration,atrim=0:$duration" \
        -ar 16000 -ac 1 -c:a pcm_s16le -fflags +bitexact -flags:a +bitexact "$work/seg$n.wav"
    echo "file 'seg$n.wav'" >>"$work/audio.txt"
    video_inputs+=(-loop 1 -framerate "$fps" -t "$duration" -i "$work/slide$n.png")
    video_labels+="[$i:v]"

    end=$(awk -v a="$start" -v d="$duration" 'BEGIN { printf "%.1f", a + d }')
    [ -z "$slides_json" ] || slides_json+=$',\n'
    slides_json+="    { \"index\": $i, \"start\": $start, \"end\": $end, \"heading\": \"${headings[$i]}\", \"lines\": [$(json_lines "${lines[$i]}")], \"narration\": \"${narrations[$i]}\" }"
    start=$end
done
ffmpeg -v error -y -f concat -safe 0 -i "$work/audio.txt" -c:a pcm_s16le "$work/audio.wav"
# Each slide is a still looped for exactly its frames; the concat filter joins them, so every cut falls on a frame.
ffmpeg -v error -y "${video_inputs[@]}" -i "$work/audio.wav" \
    -filter_complex "${video_labels}concat=n=$count:v=1:a=0,format=yuv420p[v]" -map '[v]' -map "$count:a" -c:v libx264 -preset veryfast -tune stillimage -threads 1 \
    -c:a aac -b:a 64k -ar 16000 -ac 1 -t "$start" -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
    -movflags +faststart "$out/talk.mp4"

nouns=$(printf '"%s", ' "${proper_nouns[@]}")
cat >"$out/talk.json" <<EOF
{
  "video": "talk.mp4",
  "duration": $start,
  "fps": $fps,
  "voice": "$voice",
  "properNouns": [${nouns%, }],
  "slides": [
$slides_json
  ]
}
EOF
echo "synthetic talk: $out/talk.mp4 ($count slides, $start s), $out/talk.json"
