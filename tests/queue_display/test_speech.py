"""SpeechCache against the real espeak-ng, plus the fallbacks when it is missing or broken.

espeak-ng is a deployment requirement (CI installs it), so its absence FAILS these tests
instead of silently skipping them; set ANTRIAN_ALLOW_NO_ESPEAK=1 to skip on purpose.
"""

import logging
import os
import shutil
import stat
import subprocess
import threading
import wave
from pathlib import Path

import pytest

from queue_display.announce import speech
from queue_display.announce.phrase import call_phrase
from queue_display.announce.speech import SpeechCache

PHRASE_ID = "Nomor antrean A, seratus dua puluh tiga, silakan menuju loket dua"


@pytest.fixture
def espeak() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        if os.environ.get("ANTRIAN_ALLOW_NO_ESPEAK") == "1":
            pytest.skip("espeak-ng missing and ANTRIAN_ALLOW_NO_ESPEAK=1")
        pytest.fail(
            "espeak-ng is not installed (apt-get install espeak-ng); "
            "set ANTRIAN_ALLOW_NO_ESPEAK=1 to skip the synthesis tests"
        )
    return found


@pytest.fixture
def run_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Records every espeak-ng command while still running it."""
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(cmd, *args, **kwargs):
        calls.append(list(cmd))
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(speech.subprocess, "run", counting_run)
    return calls


def _duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def _fake_espeak(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-espeak-ng"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_synthesizes_indonesian_wav(tmp_path: Path, espeak: str, run_calls) -> None:
    cache = SpeechCache(tmp_path / "speech", espeak=espeak)
    assert cache.available
    key = cache.synthesize(PHRASE_ID)
    assert key == cache.key(PHRASE_ID, "id")
    wav_path = cache.path_for(key)
    assert wav_path == tmp_path / "speech" / f"{key}.wav"
    assert _duration(wav_path) > 1.0
    assert run_calls == [[espeak, "-v", "id", "-s", "150", "-w", run_calls[0][6], "--", PHRASE_ID]]
    assert sorted(p.name for p in wav_path.parent.iterdir()) == [wav_path.name]


def test_synthesizes_english_with_en_voice(tmp_path: Path, espeak: str, run_calls) -> None:
    text = call_phrase("A-123", 2, lang="en")
    cache = SpeechCache(tmp_path, espeak=espeak)
    key = cache.synthesize(text, lang="en")
    assert key is not None
    assert _duration(cache.path_for(key)) > 1.0
    assert run_calls[0][1:3] == ["-v", "en"]


def test_second_call_is_a_cache_hit(tmp_path: Path, espeak: str, run_calls) -> None:
    cache = SpeechCache(tmp_path, espeak=espeak)
    key = cache.synthesize(PHRASE_ID)
    assert key is not None
    path = cache.path_for(key)
    before = path.stat().st_mtime_ns
    assert cache.synthesize(PHRASE_ID) == key
    # A fresh instance on the same directory (a restarted server) also reuses the file.
    assert SpeechCache(tmp_path, espeak=espeak).synthesize(PHRASE_ID) == key
    assert len(run_calls) == 1
    assert path.stat().st_mtime_ns == before


def test_leading_dash_is_text_not_an_option(tmp_path: Path, espeak: str) -> None:
    cache = SpeechCache(tmp_path, espeak=espeak)
    key = cache.synthesize("-x satu dua tiga")
    assert key is not None
    assert _duration(cache.path_for(key)) > 0.5


def test_concurrent_requests_get_one_whole_file(tmp_path: Path, espeak: str) -> None:
    cache = SpeechCache(tmp_path, espeak=espeak)
    results: list[str | None] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.synthesize(PHRASE_ID)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    key = cache.key(PHRASE_ID, "id")
    assert results == [key] * 8
    assert _duration(cache.path_for(key)) > 1.0
    assert [p.name for p in tmp_path.iterdir()] == [f"{key}.wav"]  # no temp files left


def test_missing_binary(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for cache in (
        SpeechCache(tmp_path, espeak=None),
        SpeechCache(tmp_path, espeak=str(tmp_path / "no-such-espeak-ng")),
    ):
        assert not cache.available
        with caplog.at_level(logging.WARNING, logger=speech.__name__):
            assert cache.synthesize(PHRASE_ID) is None
            assert cache.synthesize(PHRASE_ID) is None
    assert list(tmp_path.iterdir()) == []
    # Logged once per cache, not once per announcement.
    assert len([r for r in caplog.records if "not available" in r.message]) == 2


def test_default_looks_up_path_at_construction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert SpeechCache(tmp_path).espeak is None
    assert not SpeechCache(tmp_path).available
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = _fake_espeak(bin_dir, "exit 0\n")
    Path(fake).rename(bin_dir / "espeak-ng")
    monkeypatch.setenv("PATH", str(bin_dir))
    assert SpeechCache(tmp_path).espeak == str(bin_dir / "espeak-ng")


def test_failing_espeak_returns_none_and_leaves_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = _fake_espeak(tmp_path, 'echo "boom" >&2\nexit 3\n')
    cache_dir = tmp_path / "cache"
    cache = SpeechCache(cache_dir, espeak=fake)
    assert cache.available
    with caplog.at_level(logging.ERROR, logger=speech.__name__):
        assert cache.synthesize(PHRASE_ID) is None
    assert "exited 3" in caplog.text and "boom" in caplog.text
    assert list(cache_dir.iterdir()) == []


def test_exit_zero_without_wav_is_a_failure(tmp_path: Path) -> None:
    # Real espeak-ng exits 0 when it cannot write the output file.
    fake = _fake_espeak(tmp_path, "exit 0\n")
    cache_dir = tmp_path / "cache"
    assert SpeechCache(cache_dir, espeak=fake).synthesize(PHRASE_ID) is None
    assert list(cache_dir.iterdir()) == []


def test_key() -> None:
    cache = SpeechCache(Path("/nonexistent"), espeak=None)
    key = cache.key(PHRASE_ID, "id")
    assert len(key) == 32 and all(c in "0123456789abcdef" for c in key)
    assert key == cache.key(PHRASE_ID, "id")
    assert key == cache.key(PHRASE_ID)
    assert key != cache.key(PHRASE_ID, "en")
    assert key != cache.key(PHRASE_ID + ".", "id")
    with pytest.raises(ValueError):
        cache.key(PHRASE_ID, "fr")


@pytest.mark.parametrize(
    "bad", ["", "../etc/passwd", "a" * 31, "A" * 32, "g" * 32, "a" * 33, "a" * 31 + "/", None]
)
def test_path_for_rejects_non_keys(bad) -> None:
    with pytest.raises(ValueError):
        SpeechCache(Path("/x"), espeak=None).path_for(bad)


def test_empty_text_and_unknown_lang_raise(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, espeak=None)
    with pytest.raises(ValueError):
        cache.synthesize("   ")
    with pytest.raises(ValueError):
        cache.synthesize(PHRASE_ID, lang="fr")
