"""Typed errors of the transcription room: each names what was wrong with the input or the model."""

from __future__ import annotations


class TranscriptionError(Exception):
    """Base of every error this package raises on purpose."""

    code = "transcription_error"


class ModelCacheError(TranscriptionError):
    """The ASR model could not be assembled or found."""

    code = "model_unavailable"


class AudioError(TranscriptionError):
    """The audio input is unusable; `code` says why (the HTTP layer maps these to 4xx)."""

    code = "bad_audio"


class EmptyAudioError(AudioError):
    code = "empty_audio"


class NotAudioError(AudioError):
    code = "not_audio"


class CorruptAudioError(AudioError):
    code = "corrupt_audio"


class SilentAudioError(AudioError):
    code = "silent_audio"


class AudioTooLargeError(AudioError):
    code = "audio_too_large"


class AudioTooLongError(AudioError):
    code = "audio_too_long"


class TransientError(TranscriptionError):
    """A failure worth retrying (I/O hiccup, worker lost): the job queue retries these with backoff."""

    code = "transient"
