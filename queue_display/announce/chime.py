"""The two-tone "ding-dong" played before each announcement.

Generated from code with the stdlib only, so the shipped WAV can be checked byte for byte
against its source and rebuilt without audio tools:

    python -m queue_display.announce.chime
"""

import io
import math
import struct
import wave
from pathlib import Path

SAMPLE_RATE = 22050
TONES_HZ = (880.0, 660.0)  # A5 then E5: a falling fifth, the familiar lobby chime.
TONE_SECONDS = 0.35
ATTACK_SECONDS = 0.01  # Soft start: an instant onset clicks on cheap lobby speakers.
RELEASE_SECONDS = 0.01  # Fade the tail to zero so the cut between tones does not click.
DECAY_PER_SECOND = 6.0  # exp(-6 * 0.35) ~ 0.12: the ding has faded when the dong starts.
PEAK = 0.6  # Headroom below full scale; speech follows and should be the louder part.

CHIME_PATH = Path(__file__).resolve().parent.parent / "static" / "display" / "chime.wav"


def _tone(freq: float) -> list[int]:
    count = round(TONE_SECONDS * SAMPLE_RATE)
    attack = ATTACK_SECONDS * SAMPLE_RATE
    release = RELEASE_SECONDS * SAMPLE_RATE
    samples = []
    for i in range(count):
        t = i / SAMPLE_RATE
        envelope = math.exp(-DECAY_PER_SECOND * t)
        if i < attack:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * i / attack)
        tail = count - 1 - i
        if tail < release:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * tail / release)
        value = PEAK * envelope * math.sin(2 * math.pi * freq * t)
        samples.append(round(value * 32767))
    return samples


def make_chime_wav() -> bytes:
    """The chime as a 22050 Hz mono 16-bit WAV; the same bytes on every call."""
    samples = [s for freq in TONES_HZ for s in _tone(freq)]
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


def main() -> None:
    CHIME_PATH.parent.mkdir(parents=True, exist_ok=True)
    data = make_chime_wav()
    CHIME_PATH.write_bytes(data)
    print(f"wrote {CHIME_PATH} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
