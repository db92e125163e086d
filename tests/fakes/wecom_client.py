"""Build encrypted WeCom callbacks as WeCom would send them (for tests and benchmarks)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from api.wecom.crypto import WeComCrypto, signature

TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "wwdealwise"


class CallbackSender:
    def __init__(self, token: str = TOKEN, aes_key: str = AES_KEY, corp_id: str = CORP_ID) -> None:
        self.crypto = WeComCrypto(token, aes_key, corp_id)
        self.token = token
        self.corp_id = corp_id

    def text_xml(self, user: str, content: str, msg_id: int, create_time: int | None = None) -> str:
        return (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
                f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")

    def event_xml(self, user: str, event: str, create_time: int) -> str:
        return (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
                f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>")

    def media_xml(self, user: str, kind: str, media_id: str, msg_id: int, extra: str = "") -> str:
        return (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
                f"<MediaId><![CDATA[{media_id}]]></MediaId>{extra}<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")

    def post(self, plaintext: str, timestamp: str | None = None, nonce: str = "1372623149",
             bad_signature: bool = False) -> tuple[str, str]:
        """(query string, body) for POST /wecom/callback."""
        ts = timestamp or str(int(time.time()))
        enc = self.crypto.encrypt(plaintext)
        sig = signature(self.token, ts, nonce, enc)
        if bad_signature:
            sig = "0" * 40
        body = (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt>"
                f"<AgentID><![CDATA[1000002]]></AgentID></xml>")
        return urlencode({"msg_signature": sig, "timestamp": ts, "nonce": nonce}), body
