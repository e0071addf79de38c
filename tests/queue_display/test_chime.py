"""The shipped chime is the generated one, and it really is two tones, 880 then 660 Hz."""

import io
import math
import struct
import wave
from pathlib import Path

import pytest

from queue_display.announce.chime import make_chime_wav

SHIPPED = Path(__file__).resolve().parents[2] / "queue_display" / "static" / "display" / "chime.wav"
FRAME = 220  # 10 ms at 22050 Hz


def _samples(data: bytes) -> tuple[wave._wave_params, list[int]]:
    with wave.open(io.BytesIO(data), "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    return params, list(struct.unpack(f"<{len(frames) // 2}h", frames))


def _rms(chunk: list[int]) -> float:
    return math.sqrt(sum(s * s for s in chunk) / len(chunk))


def _segments(samples: list[int]) -> list[tuple[int, int]]:
    """(start, end) sample ranges of tones, split at onsets: a sharp rise in loudness."""
    levels = [_rms(samples[i : i + FRAME]) for i in range(0, len(samples) - FRAME + 1, FRAME)]
    loudest = max(levels)
    onsets = [
        i * FRAME
        for i, level in enumerate(levels)
        if level > 0.2 * loudest and (i == 0 or level > 2 * levels[i - 1])
    ]
    return list(zip(onsets, [*onsets[1:], len(samples)], strict=True))


def _zero_crossing_hz(chunk: list[int], rate: int) -> float:
    signs = [s > 0 for s in chunk if s != 0]
    crossings = sum(a != b for a, b in zip(signs, signs[1:], strict=False))
    return crossings / 2 / (len(chunk) / rate)


def _dft_peak_hz(chunk: list[int], rate: int) -> float:
    """Frequency (5 Hz grid, 400..1200) with the largest DFT magnitude: a Goertzel scan."""

    def power(freq: float) -> float:
        coeff = 2 * math.cos(2 * math.pi * freq / rate)
        s1 = s2 = 0.0
        for x in chunk:
            s1, s2 = x + coeff * s1 - s2, s1
        return s1 * s1 + s2 * s2 - coeff * s1 * s2

    return max(range(400, 1201, 5), key=power)


def test_shipped_file_is_generated_output() -> None:
    assert SHIPPED.is_file(), "run: python -m queue_display.announce.chime"
    assert SHIPPED.read_bytes() == make_chime_wav()


def test_deterministic_and_small() -> None:
    data = make_chime_wav()
    assert data == make_chime_wav()
    assert len(data) < 60_000


def test_format() -> None:
    params, samples = _samples(make_chime_wav())
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 22050)
    assert 0.6 <= params.nframes / params.framerate <= 0.8
    # Headroom, and a soft start and end rather than a click.
    assert max(abs(s) for s in samples) < 0.9 * 32767
    assert abs(samples[0]) < 100 and abs(samples[-1]) < 100


def test_two_tones_880_then_660() -> None:
    params, samples = _samples(make_chime_wav())
    rate = params.framerate
    segments = _segments(samples)
    assert len(segments) == 2, segments
    expected = (880, 660)
    for (start, end), hz in zip(segments, expected, strict=True):
        assert (end - start) / rate == pytest.approx(0.35, abs=0.03)
        # Skip the attack and the faded tail; measure the body of each tone.
        body = samples[start + FRAME : end - 2 * FRAME]
        assert _zero_crossing_hz(body, rate) == pytest.approx(hz, rel=0.03)
        assert _dft_peak_hz(body, rate) == pytest.approx(hz, abs=10)


def test_ding_has_faded_before_dong() -> None:
    # Exponential decay: the end of each tone is much quieter than its start.
    _, samples = _samples(make_chime_wav())
    for start, end in _segments(samples):
        head = _rms(samples[start + FRAME : start + 3 * FRAME])
        tail = _rms(samples[end - 4 * FRAME : end - 2 * FRAME])
        assert tail < 0.3 * head
