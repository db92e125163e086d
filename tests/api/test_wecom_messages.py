"""Callback XML parsing, dedupe keys and message splitting."""

import pytest

from api.wecom.messages import MalformedXML, parse_envelope, parse_message
from api.wecom.split import split_message

TEXT = ("<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[lina]]></FromUserName>"
        "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
        "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>")
EVENT = ("<xml><ToUserName>ww1</ToUserName><FromUserName>lina</FromUserName><CreateTime>1348831860</CreateTime>"
         "<MsgType>event</MsgType><Event>enter_agent</Event><EventKey></EventKey><AgentID>1</AgentID></xml>")


def test_text_message():
    m = parse_message(TEXT)
    assert (m.from_user, m.msg_type, m.content, m.msg_id) == ("lina", "text", "你好", "1456453720")
    assert m.dedupe_key == "wecom:msg:1456453720"


def test_event_dedupe_key_uses_user_time_and_event():
    m = parse_message(EVENT)
    assert m.event == "enter_agent" and m.msg_id is None
    assert m.dedupe_key == "wecom:event:lina:1348831860:enter_agent:"
    other = parse_message(EVENT.replace("1348831860", "1348831861"))
    assert other.dedupe_key != m.dedupe_key


@pytest.mark.parametrize("bad", ["", "<xml>", "not xml", "<root><a/></root>",
                                 '<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'])
def test_malformed(bad):
    with pytest.raises(MalformedXML):
        parse_envelope(bad)


def test_envelope_requires_encrypt():
    assert parse_envelope("<xml><Encrypt>abc</Encrypt></xml>")["Encrypt"] == "abc"
    with pytest.raises(MalformedXML):
        parse_envelope("<xml><ToUserName>x</ToUserName></xml>")


def test_split_respects_byte_limit_and_keeps_text():
    text = "第一行\n" + "这是一个很长的句子。" * 400 + "\n" + "y" * 5000
    chunks = split_message(text, 2048)
    assert all(len(c.encode()) <= 2048 for c in chunks)
    assert "".join(chunks).replace("\n", "") == text.replace("\n", "")
    assert split_message("short") == ["short"]
