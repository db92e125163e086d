"""Speech to text: audio → Transcript (faster-whisper engine, model cache, decoding, guards, speakers) and durable transcription jobs."""
