"""Server-side speech: espeak-ng WAV files, cached on disk by phrase.

The display asks for a key, then fetches `<key>.wav`; the same call phrase is spoken many
times a day, so each distinct phrase is synthesized once.
"""

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

VOICES: Final = {"id": "id", "en": "en"}
SPEED_WPM: Final = 150
TIMEOUT_SECONDS: Final = 30
_KEY_RE: Final = re.compile(r"[0-9a-f]{32}")


class _FindOnPath:
    """Default for `espeak`: look the binary up when the cache is built, not at import."""

    def __repr__(self) -> str:
        return 'shutil.which("espeak-ng")'


FIND_ON_PATH: Final = _FindOnPath()


class SpeechCache:
    """espeak-ng WAVs stored as `<cache_dir>/<key>.wav`.

    `espeak` is the binary's path; the default finds `espeak-ng` on PATH when the cache is
    created (so installing it before start-up is enough), None disables synthesis.
    """

    def __init__(self, cache_dir: Path, espeak: str | None | _FindOnPath = FIND_ON_PATH):
        self.cache_dir = Path(cache_dir)
        self.espeak: str | None = (
            shutil.which("espeak-ng") if isinstance(espeak, _FindOnPath) else espeak
        )
        self._warned_missing = False

    @property
    def available(self) -> bool:
        return self.espeak is not None and os.access(self.espeak, os.X_OK)

    @staticmethod
    def _voice(lang: str) -> str:
        try:
            return VOICES[lang]
        except KeyError:
            raise ValueError(f"Bahasa tidak didukung: {lang!r}") from None

    def key(self, text: str, lang: str = "id") -> str:
        """Stable name for the WAV of `text` in `lang`: sha256 of voice and text, 32 hex."""
        # The NUL separator keeps ("id", "x") and ("i", "dx")-style pairs apart.
        digest = hashlib.sha256(f"{self._voice(lang)}\0{text}".encode()).hexdigest()
        return digest[:32]

    def path_for(self, key: str) -> Path:
        """The WAV path for `key`; rejects anything but a key, since keys arrive in URLs."""
        if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
            raise ValueError(f"invalid speech key: {key!r}")
        return self.cache_dir / f"{key}.wav"

    def synthesize(self, text: str, lang: str = "id") -> str | None:
        """Key of the cached WAV for `text`, synthesizing it first if needed.

        None when espeak-ng is missing or fails: the display then falls back to the
        browser's speechSynthesis or to the chime alone, so this never raises for that.
        """
        voice = self._voice(lang)
        if not text.strip():
            raise ValueError("empty text")
        key = self.key(text, lang)
        path = self.path_for(key)
        if path.is_file():
            return key
        if not self.available:
            # Once per cache: every call would otherwise repeat it for each announcement.
            if not self._warned_missing:
                log.warning("espeak-ng not available (%r); no server-side speech", self.espeak)
                self._warned_missing = True
            return None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename: os.replace is atomic on one filesystem, so a
        # concurrent request sees either no file or a whole one. Two threads racing on the
        # same phrase both synthesize; the duplicate work is cheap (~20 ms) and harmless.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{key}.", suffix=".wav.tmp", dir=self.cache_dir)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            if not self._run_espeak(voice, text, tmp):
                return None
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return key

    def _run_espeak(self, voice: str, text: str, out: Path) -> bool:
        assert self.espeak is not None
        # "--" ends the options: a phrase starting with "-" must not be read as a flag.
        cmd = [self.espeak, "-v", voice, "-s", str(SPEED_WPM), "-w", str(out), "--", text]
        try:
            result = subprocess.run(
                cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("espeak-ng could not run: %s", exc)
            return False
        if result.returncode != 0:
            log.error("espeak-ng exited %s: %s", result.returncode, result.stderr.strip())
            return False
        # espeak-ng exits 0 even when it cannot write the file, so check the output itself.
        if not _is_nonempty_wav(out):
            log.error("espeak-ng wrote no usable WAV: %s", result.stderr.strip())
            return False
        return True


def _is_nonempty_wav(path: Path) -> bool:
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() > 0
    except (OSError, EOFError, wave.Error):
        return False
