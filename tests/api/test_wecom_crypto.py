"""Every published WeCom crypto vector decrypts, verifies and (where deterministic) re-encrypts."""

import json
from pathlib import Path

import pytest

from api.wecom.crypto import (
    AesKeyError,
    DecryptError,
    ReceiveIdError,
    SignatureError,
    TimestampError,
    WeComCrypto,
    signature,
)

VECTORS = json.loads((Path(__file__).parents[1] / "fixtures/wecom/wecom_crypto_test_vectors.json").read_text())["vectors"]


@pytest.mark.parametrize("v", VECTORS, ids=[v["id"] for v in VECTORS])
def test_vector_signature_and_decrypt(v):
    assert signature(v["token"], v["timestamp"], v["nonce"], v["encrypt"]) == v["msg_signature"]
    c = WeComCrypto(v["token"], v["encoding_aes_key"], v["receiveid_expected"])
    assert c.decrypt_message(v["msg_signature"], v["timestamp"], v["nonce"], v["encrypt"]) == v["expected_plaintext_msg"]
    assert len(v["expected_plaintext_msg"].encode()) == v["expected_msg_len"]


@pytest.mark.parametrize("v", [v for v in VECTORS if "expected_http_response_body" in v], ids=lambda v: v["id"])
def test_verify_url_vectors(v):
    c = WeComCrypto(v["token"], v["encoding_aes_key"], v["receiveid_expected"])
    assert c.verify_url(v["msg_signature"], v["timestamp"], v["nonce"], v["encrypt"]) == v["expected_http_response_body"]


def test_deterministic_encryption_is_byte_identical():
    v = next(v for v in VECTORS if v["id"] == "wechatpy_encrypt_message")
    c = WeComCrypto(v["token"], v["encoding_aes_key"], v["receiveid_expected"])
    assert c.encrypt(v["plaintext_reply_xml"], v["mock_random16"].encode()) == v["encrypt"]
    xml = c.encrypt_reply(v["plaintext_reply_xml"], v["nonce"], v["timestamp"], v["mock_random16"].encode())
    assert xml == v["expected_response_xml"]


def test_negative_nonce_is_rejected():
    v = next(v for v in VECTORS if v["id"] == "wechatpy_check_signature")
    c = WeComCrypto(v["token"], v["encoding_aes_key"], v["receiveid_expected"])
    with pytest.raises(SignatureError):
        c.verify_url(v["msg_signature"], v["timestamp"], v["negative_case"]["nonce"], v["encrypt"])


def test_wrong_receiveid_is_rejected():
    v = VECTORS[1]
    c = WeComCrypto(v["token"], v["encoding_aes_key"], "ww_someone_else")
    with pytest.raises(ReceiveIdError):
        c.decrypt_message(v["msg_signature"], v["timestamp"], v["nonce"], v["encrypt"])


def test_roundtrip_with_chinese_and_every_pad_length():
    c = WeComCrypto("tok", VECTORS[0]["encoding_aes_key"], "wwcorp")
    for n in range(70):
        msg = "中" * n + "x" * (n % 7)
        assert c.decrypt(c.encrypt(msg)) == msg


def test_garbage_ciphertext_and_keys():
    c = WeComCrypto("tok", VECTORS[0]["encoding_aes_key"], "wwcorp")
    for bad in ["not base64!!", "", "AAAA", "A" * 43 + "="]:
        with pytest.raises(DecryptError):
            c.decrypt(bad)
    with pytest.raises(AesKeyError):
        WeComCrypto("tok", "short", "wwcorp")


def test_timestamp_window():
    c = WeComCrypto("tok", VECTORS[0]["encoding_aes_key"], "wwcorp", window_s=300)
    c.check_timestamp("1000", now=1200)
    with pytest.raises(TimestampError):
        c.check_timestamp("1000", now=1400)
    with pytest.raises(TimestampError):
        c.check_timestamp("abc", now=1000)
