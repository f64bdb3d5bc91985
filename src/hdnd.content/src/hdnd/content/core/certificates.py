"""Certificates for the demo and the tests: a certificate authority of its own
and PKCS#12 files for a signer and for the body (a real office gets both from
its certification service, e.g. the Government Cipher Committee's CA).

    authority = Authority.create("hdnd Demo CA")
    p12 = authority.issue("Nguyễn Văn An", "an-pass", organisation="Đảng đoàn HĐND Thành phố")
    authority.pem          # the trust root to configure
"""

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from datetime import timezone


def _name(common_name, organisation=""):
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(subject, key, issuer, issuer_key, *, ca, days, now):
    usage = (x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                           data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                           encipher_only=False, decipher_only=False) if ca else
             x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                           data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                           encipher_only=False, decipher_only=False))
    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(issuer_key, hashes.SHA256()))


@dataclass
class Authority:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @classmethod
    def create(cls, name, days=3650):
        key = _key()
        subject = _name(name)
        now = datetime.now(timezone.utc)
        return cls(key, _certificate(subject, key, subject, key, ca=True, days=days, now=now))

    @property
    def pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue(self, common_name, passphrase, organisation="", days=730):
        """A PKCS#12 file (bytes) with a new key, its certificate and this CA."""
        key = _key()
        now = datetime.now(timezone.utc)
        certificate = _certificate(_name(common_name, organisation), key, self.certificate.subject, self.key,
                                   ca=False, days=days, now=now)
        return pkcs12.serialize_key_and_certificates(
            common_name.encode("utf-8"), key, certificate, [self.certificate],
            serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
