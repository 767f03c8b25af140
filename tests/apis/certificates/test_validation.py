"""certificates.k8s.io/v1 CertificateSigningRequest validation, for each write path."""

from __future__ import annotations

import base64
import copy

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from client_certs import new_ca
from kube_apiserver.apis.certificates import validation as v

KEY = ec.generate_private_key(ec.SECP256R1())
NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice")])
CSR_PEM = (
    x509.CertificateSigningRequestBuilder()
    .subject_name(NAME)
    .sign(KEY, hashes.SHA256())
    .public_bytes(serialization.Encoding.PEM)
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def csr(**spec) -> dict:
    base = {
        "request": b64(CSR_PEM),
        "signerName": "example.com/signer",
        "usages": ["client auth"],
    }
    return {"metadata": {"name": "alice"}, "spec": {**base, **spec}, "status": {}}


def messages(errs) -> list[str]:
    return [str(e) for e in errs]


def test_a_signed_request_is_valid():
    assert v.validate_csr(csr()) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"request": b64(b"hello")},
            [
                "spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type "
                "must be CERTIFICATE REQUEST"
            ],
        ),
        ({"usages": []}, ["spec.usages: Required value"]),
        (
            {"usages": ["client auth", "client auth", "fly"]},
            [
                'spec.usages[2]: Unsupported value: "fly": supported values: "any", "cert sign", '
                '"client auth", "code signing", "content commitment", "crl sign", '
                '"data encipherment", "decipher only", "digital signature", "email protection", '
                '"encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", '
                '"key agreement", "key encipherment", "microsoft sgc", "netscape sgc", '
                '"ocsp signing", "s/mime", "server auth", "signing", "timestamping"',
                'spec.usages[1]: Duplicate value: "client auth"',
            ],
        ),
        ({"signerName": ""}, ["spec.signerName: Required value"]),
        (
            {"signerName": "signer"},
            [
                'spec.signerName: Invalid value: "signer": must be a fully qualified domain and '
                "path of the form 'example.com/signer-name'"
            ],
        ),
        (
            {"signerName": "example/signer"},
            [
                'spec.signerName: Invalid value: "example": should be a domain with at least two '
                "segments separated by dots"
            ],
        ),
        (
            {"signerName": "kubernetes.io/legacy-unknown"},
            [
                'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy '
                "signerName is not allowed via this API version"
            ],
        ),
        (
            {"expirationSeconds": 599},
            [
                "spec.expirationSeconds: Invalid value: 599: may not specify a duration less "
                "than 600 seconds (10 minutes)"
            ],
        ),
    ],
)
def test_request_rules(spec, expected):
    assert messages(v.validate_csr(csr(**spec))) == expected


def with_conditions(obj: dict, *types: str) -> dict:
    out = copy.deepcopy(obj)
    out["status"]["conditions"] = [{"type": t, "status": "True"} for t in types]
    return out


def test_only_approval_may_add_approved_or_denied():
    old = csr()
    approved = with_conditions(old, "Approved")
    assert messages(v.validate_csr_update(approved, old)) == [
        'status.conditions: Forbidden: updates may not add a condition of type "Approved"'
    ]
    assert v.validate_csr_approval_update(approved, old) == []


def test_approved_and_denied_exclude_each_other_and_may_not_be_removed():
    old = with_conditions(csr(), "Approved")
    both = with_conditions(old, "Approved", "Denied")
    assert messages(v.validate_csr_approval_update(both, old)) == [
        'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are '
        "mutually exclusive"
    ]
    assert messages(v.validate_csr_approval_update(with_conditions(old), old)) == [
        'status.conditions: Forbidden: updates may not remove a condition of type "Approved"'
    ]


def test_condition_status_rules():
    old = csr()
    new = copy.deepcopy(old)
    new["status"]["conditions"] = [
        {"type": "Failed", "status": "False"},
        {"type": "Custom", "status": "Maybe"},
        {"type": "Custom", "status": ""},
    ]
    assert messages(v.validate_csr_status_update(new, old)) == [
        'status.conditions[0].status: Unsupported value: "False": supported values: "True"',
        'status.conditions[1].status: Unsupported value: "Maybe": supported values: "False", '
        '"True", "Unknown"',
        "status.conditions[2].status: Required value",
        'status.conditions[2].type: Duplicate value: "Custom"',
    ]


def test_only_status_may_set_the_certificate_once():
    old = with_conditions(csr(), "Approved")
    issued = copy.deepcopy(old)
    issued["status"]["certificate"] = b64(new_ca("alice", KEY).cert_pem)
    assert v.validate_csr_status_update(issued, old) == []
    assert messages(v.validate_csr_update(issued, old)) == [
        "status.certificate: Forbidden: updates may not set certificate content"
    ]
    reissued = copy.deepcopy(issued)
    reissued["status"]["certificate"] = b64(new_ca("alice", KEY).cert_pem)
    assert messages(v.validate_csr_status_update(reissued, issued)) == [
        "status.certificate: Forbidden: updates may not modify existing certificate content"
    ]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"junk", "must contain at least one CERTIFICATE PEM block"),
        (CSR_PEM, 'only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST"'),
    ],
)
def test_issued_certificate_must_be_pem_certificates(data, why):
    old = csr()
    new = copy.deepcopy(old)
    new["status"]["certificate"] = b64(data)
    assert messages(v.validate_csr_status_update(new, old)) == [
        f'status.certificate: Invalid value: "<certificate data>": {why}'
    ]
