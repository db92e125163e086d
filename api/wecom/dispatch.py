"""Process one inbound WeCom message in the background and reply through message/send.

text → assistant; voice → media/get → transcription → the user's words (or a visit note);
audio file → a call recording queued for analysis; enter_agent/subscribe → a greeting.
Unknown WeCom users get one polite refusal and nothing else.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from api.wecom.charts import render_png, text_table
from api.wecom.messages import InboundMessage
from assistant import replies
from assistant.factory import build_assistant
from assistant.router import detect_lang
from assistant.types import Lang, Reply
from crm.db import session_scope
from crm.models import User

if TYPE_CHECKING:
    from api.wecom.runtime import WeComApp

AUDIO_EXTENSIONS = (".mp3", ".wav", ".m4a", ".amr", ".aac", ".ogg", ".opus", ".flac", ".wma")

log = logging.getLogger("dealwise.wecom")

CALL_RECEIVED = {
    "zh": "已收到录音“{name}”，正在转写和分析，完成后会通知你。",
    "en": "Got the recording \"{name}\"; transcribing and analysing it now. I'll message you when it's done.",
}
UNSUPPORTED = {"zh": "暂时只支持文字、语音和通话录音文件。", "en": "I can handle text, voice notes and call recordings."}
FAILED = {"zh": "抱歉，处理这条消息时出错了，请稍后再试。", "en": "Sorry, something went wrong with that message. Please try again."}
HEARD = {"zh": "🎙️ 听到：{text}\n\n", "en": "🎙️ Heard: {text}\n\n"}


def _send_reply(app: WeComApp, touser: str, reply: Reply) -> None:
    text = reply.text
    reply.markdown = reply.markdown or text.count("\n") >= 2  # lists and briefs: WeCom renders markdown
    if reply.chart:
        png = render_png(reply.chart)
        if png is not None:
            app.client.send_text(touser, text, markdown=reply.markdown)
            app.client.send_image(touser, png)
            return
        table = text_table(reply.chart)
        if table:
            text = f"{text}\n\n{table}"
    app.client.send_text(touser, text, markdown=reply.markdown)


def _lang_of(msg: InboundMessage) -> Lang:
    return detect_lang(msg.content or "") if msg.content else "zh"


def process(app: WeComApp, msg: InboundMessage) -> None:
    """Handle one claimed message end to end; never raises (failures are logged and apologised for)."""
    touser = msg.from_user
    lang = _lang_of(msg)
    try:
        _process(app, msg, lang)
    except Exception:
        log.exception("wecom message %s from %s failed", msg.dedupe_key, touser)
        try:
            app.client.send_text(touser, FAILED[lang])
        except Exception:
            log.exception("could not send the failure notice to %s", touser)


def _process(app: WeComApp, msg: InboundMessage, lang: Lang) -> None:
    touser = msg.from_user
    user_id = app.user_id_for(touser)
    if user_id is None:
        if msg.msg_type != "event" or msg.event in ("enter_agent", "subscribe"):
            app.client.send_text(touser, replies.t(lang, "refused_user"))
        return
    if msg.msg_type == "event":
        if msg.event in ("enter_agent", "subscribe"):
            with session_scope(app.engine) as s:
                user = s.get(User, user_id)
                assert user is not None
                text = build_assistant(s, user, app.settings, channel="wecom").canned("greeting", "zh")
            app.client.send_text(touser, text)
        return
    if msg.msg_type == "text":
        _converse(app, user_id, touser, msg.content or "", source="text")
    elif msg.msg_type == "voice" and msg.media_id:
        path = app.save_media(msg.media_id, "." + (msg.format or "amr").lower())
        try:
            heard = app.transcribe_voice(path).strip()
        finally:
            path.unlink(missing_ok=True)
        _converse(app, user_id, touser, heard, source="voice", heard=True)
    elif msg.msg_type == "file" and msg.media_id:
        name = msg.file_name or "recording"
        if not name.lower().endswith(AUDIO_EXTENSIONS):
            app.client.send_text(touser, UNSUPPORTED[lang])
            return
        _submit_call(app, user_id, touser, msg.media_id, name)
    else:
        app.client.send_text(touser, UNSUPPORTED[lang])


def _converse(app: WeComApp, user_id: int, touser: str, text: str, *, source: str, heard: bool = False) -> None:
    with session_scope(app.engine) as s:
        user = s.get(User, user_id)
        assert user is not None
        reply = build_assistant(s, user, app.settings, channel="wecom").handle(text, source=source)
    if heard and text:
        reply.text = HEARD[reply.lang].format(text=text) + reply.text
    _send_reply(app, touser, reply)


def _submit_call(app: WeComApp, user_id: int, touser: str, media_id: str, name: str) -> None:
    from transcription.runner import blob_store
    from transcription.submit import submit_call

    path = app.save_media(media_id, Path(name).suffix or ".bin")
    try:
        with session_scope(app.engine) as s:
            user = s.get(User, user_id)
            assert user is not None
            assistant = build_assistant(s, user, app.settings, channel="wecom")
            sub = submit_call(s, assistant.ctx.scope, user.id, path, store=blob_store(app.settings),
                              settings=app.settings, filename=name)
            call_id = sub.call.id
    finally:
        path.unlink(missing_ok=True)
    app.watch_call(call_id, touser)
    if app.enqueue_call is not None:
        app.enqueue_call(call_id)
    else:
        from transcription.jobs import enqueue

        enqueue(call_id, app.settings)
    lang: Lang = detect_lang(name) if any("\u4e00" <= c <= "\u9fff" for c in name) else "zh"
    app.client.send_text(touser, CALL_RECEIVED[lang].format(name=name))


def notify_call_done(app: WeComApp, call_id: int) -> bool:
    """After a call's transcription/analysis: tell the WeCom user who sent it (analyze_call's summary)."""
    touser = app.watcher_of(call_id)
    if touser is None or not app.claim(f"wecom:notified:{call_id}"):
        return False
    user_id = app.user_id_for(touser)
    if user_id is None:
        return False
    with session_scope(app.engine) as s:
        user = s.get(User, user_id)
        assert user is not None
        assistant = build_assistant(s, user, app.settings, channel="wecom", extras={"call_id": call_id})
        result = assistant.call_tool("analyze_call", {"call_id": call_id})
    data = result.data
    lines = [replies.t("zh", "call_status", filename=data.get("filename") or "", status=data.get("status"),
                       progress=int(data.get("progress") or 0))]
    insights = data.get("insights") or {}
    if isinstance(insights, dict):
        summary = insights.get("summary")
        if isinstance(summary, dict):
            summary = summary.get("value") or summary.get("text")
        if summary:
            lines.append(f"摘要：{summary}")
        steps = insights.get("next_steps") or []
        for i, step in enumerate(steps[:5], 1):
            title = step.get("title") or step.get("text") or step.get("value") if isinstance(step, dict) else step
            lines.append(f"{i}. {title}")
    app.client.send_text(touser, "\n".join(lines))
    return True
