"""Parse WeCom callback XML (outer envelope and decrypted message) into typed models."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pydantic import BaseModel


class MalformedXML(ValueError):
    """The body is not the XML WeCom sends (→ HTTP 400)."""


def _parse(xml_text: str) -> ET.Element:
    if "<!DOCTYPE" in xml_text.upper() or "<!ENTITY" in xml_text.upper():
        raise MalformedXML("DTDs and entities are not accepted")
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise MalformedXML(f"malformed XML: {exc}") from exc
    if root.tag != "xml":
        raise MalformedXML("root element must be <xml>")
    return root


def _fields(root: ET.Element) -> dict[str, str]:
    return {child.tag: (child.text or "").strip() for child in root}


def parse_envelope(xml_text: str) -> dict[str, str]:
    """The POST body: ToUserName, Encrypt, AgentID. Raises MalformedXML without Encrypt."""
    fields = _fields(_parse(xml_text))
    if not fields.get("Encrypt"):
        raise MalformedXML("missing <Encrypt>")
    return fields


class InboundMessage(BaseModel):
    """One decrypted callback: a message (text/voice/file/...) or an event."""

    to_user: str = ""
    from_user: str
    create_time: int = 0
    msg_type: str
    agent_id: str = ""
    msg_id: str | None = None
    content: str | None = None
    media_id: str | None = None
    format: str | None = None
    file_name: str | None = None
    event: str | None = None
    event_key: str | None = None
    raw: dict[str, str] = {}

    @property
    def dedupe_key(self) -> str:
        """MsgId for messages; FromUserName + CreateTime + Event + EventKey for events."""
        if self.msg_id:
            return f"wecom:msg:{self.msg_id}"
        return f"wecom:event:{self.from_user}:{self.create_time}:{self.event or ''}:{self.event_key or ''}"


def parse_message(xml_text: str) -> InboundMessage:
    fields = _fields(_parse(xml_text))
    if not fields.get("FromUserName") or not fields.get("MsgType"):
        raise MalformedXML("missing FromUserName or MsgType")
    try:
        create_time = int(fields.get("CreateTime") or 0)
    except ValueError as exc:
        raise MalformedXML("CreateTime is not an integer") from exc
    return InboundMessage(
        to_user=fields.get("ToUserName", ""),
        from_user=fields["FromUserName"],
        create_time=create_time,
        msg_type=fields["MsgType"].lower(),
        agent_id=fields.get("AgentID", ""),
        msg_id=fields.get("MsgId") or None,
        content=fields.get("Content"),
        media_id=fields.get("MediaId") or None,
        format=fields.get("Format") or None,
        file_name=fields.get("FileName") or fields.get("Title") or None,
        event=(fields.get("Event") or "").lower() or None,
        event_key=fields.get("EventKey") or None,
        raw=fields,
    )
