"""A real WeCom voice note (AMR) through media/get and the embedded Whisper, answered in WeCom."""

from pathlib import Path

import pytest

from api.wecom.runtime import default_voice_transcriber
from tests.api.test_wecom_callback import Harness
from tests.fakes.wecom_client import CORP_ID
from tests.fakes.wecom_server import FakeWeCom

AMR = Path(__file__).parents[1] / "fixtures/audio/w0121.amr"  # AISHELL-1: 甚至出现交易几乎停滞的情况


@pytest.mark.slow
def test_real_amr_voice_note(tmp_path):
    with FakeWeCom(corp_id=CORP_ID) as fake:
        h = Harness(tmp_path, fake)
        h.wecom.transcribe_voice = default_voice_transcriber(h.settings)
        fake.media["amr1"] = (AMR.read_bytes(), "audio/amr")
        h.post(h.sender.media_xml("zhaolei", "voice", "amr1", 9001, "<Format><![CDATA[amr]]></Format>"))
        h.settle()
        [reply] = fake.texts_to("zhaolei")
        assert reply.startswith("🎙️ 听到：甚至出现交易")
