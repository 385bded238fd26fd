"""WACZ signing, anonymous form of the WACZ signing spec: an ECDSA P-256 key signs the `hash` string of
datapackage-digest.json (the SHA-256 of datapackage.json); `signedData` carries the signature (base64
DER, SHA-256, as webrecorder's authsign makes) and the public key (base64 DER SubjectPublicKeyInfo)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import load_pem_x509_certificate


class SigningKeyError(ValueError):
    """A signing key that cannot be used; the message names the file and why."""


def load_signing_key(path: str) -> ec.EllipticCurvePrivateKey:
    """An unencrypted PEM private key (PKCS#8 or SEC1, e.g. `openssl ecparam -name prime256v1 -genkey`)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise SigningKeyError(f"--sign-key {path}: cannot read it ({e.strerror or e})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise SigningKeyError(f"--sign-key {path}: the key is encrypted; give an unencrypted PEM key") from None
    except ValueError:
        raise SigningKeyError(f"--sign-key {path}: not a PEM private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise SigningKeyError(f"--sign-key {path}: not an ECDSA P-256 (prime256v1) key; WACZ signing uses one")
    return key


def public_key_b64(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode("ascii")


def fingerprint(public_key_b64_der: str) -> str:
    """SHA-256 of the public key's DER, hex: how a reader names the key that signed a package."""
    return hashlib.sha256(base64.b64decode(public_key_b64_der)).hexdigest()


def signed_data(key: ec.EllipticCurvePrivateKey, hash_: str, created: str, software: str) -> dict[str, Any]:
    signature = key.sign(hash_.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    return {"hash": hash_, "created": created, "software": software,
            "signature": base64.b64encode(signature).decode("ascii"), "publicKey": public_key_b64(key)}


def check_signature(signed: dict[str, Any]) -> str | None:
    """None when the signature of signed["hash"] verifies with the key it names, else what is wrong.
    A domain-signed package (domainCert) is checked against its certificate's key only: the certificate
    chain and the time stamp are not checked here."""
    try:
        signature = base64.b64decode(signed["signature"], validate=True)
        if signed.get("publicKey"):
            key = serialization.load_der_public_key(base64.b64decode(signed["publicKey"], validate=True))
        elif signed.get("domainCert"):
            key = load_pem_x509_certificate(signed["domainCert"].encode("ascii")).public_key()
        else:
            return "signedData has neither publicKey nor domainCert"
    except (KeyError, TypeError, ValueError) as e:
        return f"signedData is malformed ({type(e).__name__}: {e})"
    if not isinstance(key, ec.EllipticCurvePublicKey):
        return "the signing key is not an ECDSA key"
    try:
        key.verify(signature, str(signed["hash"]).encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return "the signature does not match the hash with the key it names"
    return None
