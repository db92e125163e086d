"""WeCom callback crypto (WXBizMsgCrypt): SHA1 signature and AES-256-CBC with 32-byte PKCS#7.

The primitive is the `cryptography` package; this module only lays out the bytes as the
official scheme does: random(16) || len(4, big-endian) || msg || receiveid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class WeComCryptoError(Exception):
    """Base class; `code` is the official error code (-400xx)."""

    code = -40000


class SignatureError(WeComCryptoError):
    code = -40001


class TimestampError(WeComCryptoError):
    code = -40001


class ReceiveIdError(WeComCryptoError):
    code = -40005


class DecryptError(WeComCryptoError):
    code = -40007


class AesKeyError(WeComCryptoError):
    code = -40004


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """hex(sha1(join(sorted([token, timestamp, nonce, encrypt]))))."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def _pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def _unpad(data: bytes) -> bytes:
    if not data:
        raise DecryptError("empty plaintext")
    n = data[-1]
    if n < 1 or n > BLOCK or n > len(data):
        raise DecryptError("bad padding")
    return data[:-n]


class WeComCrypto:
    """Verify, decrypt and encrypt WeCom callback payloads for one app."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str, *, window_s: int | None = None) -> None:
        if len(encoding_aes_key) != 43:
            raise AesKeyError("EncodingAESKey must be 43 characters")
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise AesKeyError("EncodingAESKey is not base64") from exc
        if len(key) != 32:
            raise AesKeyError("EncodingAESKey must decode to 32 bytes")
        self.token = token
        self.key = key
        self.receive_id = receive_id
        self.window_s = window_s

    # --- signature and time ------------------------------------------------------------------------
    def check_signature(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        expected = signature(self.token, timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected, (msg_signature or "").lower()):
            raise SignatureError("signature mismatch")

    def check_timestamp(self, timestamp: str, now: float | None = None) -> None:
        if not self.window_s or self.window_s <= 0:  # None or 0: no window (e.g. replaying published vectors)
            return
        try:
            ts = int(timestamp)
        except ValueError as exc:
            raise TimestampError("timestamp is not an integer") from exc
        current = time.time() if now is None else now
        if abs(current - ts) > self.window_s:
            raise TimestampError("timestamp outside the accepted window")

    # --- AES ---------------------------------------------------------------------------------------
    def decrypt(self, encrypt: str) -> str:
        """Decrypt a base64 ciphertext; check the receiveid; return the message text."""
        try:
            raw = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DecryptError("ciphertext is not base64") from exc
        if not raw or len(raw) % 16:
            raise DecryptError("ciphertext length is not a multiple of the AES block")
        dec = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        plain = _unpad(dec.update(raw) + dec.finalize())
        if len(plain) < 20:
            raise DecryptError("plaintext too short")
        (msg_len,) = struct.unpack(">I", plain[16:20])
        if 20 + msg_len > len(plain):
            raise DecryptError("message length exceeds plaintext")
        msg = plain[20 : 20 + msg_len]
        receive_id = plain[20 + msg_len :]
        if not hmac.compare_digest(receive_id, self.receive_id.encode()):
            raise ReceiveIdError("receiveid mismatch")
        try:
            return msg.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecryptError("message is not UTF-8") from exc

    def encrypt(self, msg: str, random16: bytes | None = None) -> str:
        rnd = random16 if random16 is not None else os.urandom(16)
        body = msg.encode("utf-8")
        plain = _pad(rnd + struct.pack(">I", len(body)) + body + self.receive_id.encode())
        enc = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(enc.update(plain) + enc.finalize()).decode()

    # --- the two callback operations ---------------------------------------------------------------
    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """GET verification: the echostr (already URL-decoded) → the plaintext to answer with."""
        self.check_timestamp(timestamp)
        self.check_signature(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def decrypt_message(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
        self.check_timestamp(timestamp)
        self.check_signature(msg_signature, timestamp, nonce, encrypt)
        return self.decrypt(encrypt)

    def encrypt_reply(self, reply: str, nonce: str, timestamp: str | None = None, random16: bytes | None = None) -> str:
        """A passive encrypted reply in the official XML layout."""
        ts = timestamp or str(int(time.time()))
        enc = self.encrypt(reply, random16)
        sig = signature(self.token, ts, nonce, enc)
        return (
            f"<xml>\n<Encrypt><![CDATA[{enc}]]></Encrypt>\n<MsgSignature><![CDATA[{sig}]]></MsgSignature>\n"
            f"<TimeStamp>{ts}</TimeStamp>\n<Nonce><![CDATA[{nonce}]]></Nonce>\n</xml>"
        )
